"""Demo data for the partnership: Northdale (fictional), its agencies, people, groups with
terms of reference, and two years of meetings with realistic attendance; and Southmoor, a
neighbouring partnership that shares Northdale's child death overview panel.

Northdale borrows the DfE LA number of a real authority (Wigan, 359, North West) only so that
national comparators can be shown beside its fictional figures.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from safeboard.accounts.models import User
from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import current_financial_year

from . import services
from .models import (
    Agency,
    AreaPopulation,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Objective,
    PartnerStatus,
    Person,
    Role,
    Sector,
)

SP, RA, OT = PartnerStatus.SAFEGUARDING_PARTNER, PartnerStatus.RELEVANT_AGENCY, PartnerStatus.OTHER

# short name, name, sector, status, how reliably it attends (0 to 1)
AGENCIES: list[tuple[str, str, str, str, float]] = [
    ("NCS", "Northdale Council Children’s Services", Sector.LA_CHILDRENS_SERVICES, SP, 0.95),
    ("NP", "Northdale Police", Sector.POLICE, SP, 0.85),
    ("ICB", "Northdale Integrated Care Board", Sector.HEALTH_COMMISSIONER, SP, 0.9),
    ("NHFT", "Northdale Hospitals NHS Foundation Trust", Sector.HEALTH_PROVIDER, RA, 0.8),
    ("NCMH", "Northdale Community and Mental Health Trust", Sector.HEALTH_PROVIDER, RA, 0.7),
    ("NHSE", "NHS England North West", Sector.NHS_ENGLAND, RA, 0.35),
    ("PS", "Probation Service North West", Sector.PROBATION, RA, 0.6),
    ("CAFCASS", "CAFCASS", Sector.CAFCASS, RA, 0.5),
    ("PRI", "Primary schools", Sector.SCHOOL_PRIMARY, RA, 0.65),
    ("SEC", "Secondary schools", Sector.SCHOOL_SECONDARY, RA, 0.55),
    ("COL", "Northdale College", Sector.COLLEGE, RA, 0.5),
    ("EY", "Early years providers", Sector.EARLY_YEARS, RA, 0.6),
    ("RBC", "Riverside Borough Council", Sector.DISTRICT_COUNCIL, RA, 0.55),
    ("NH", "Northdale Homes", Sector.HOUSING, RA, 0.5),
    ("YJS", "Northdale Youth Justice Service", Sector.YOUTH_JUSTICE, RA, 0.75),
    ("NVA", "Northdale Voluntary Action", Sector.VOLUNTARY, RA, 0.7),
    ("LAY", "Lay members", Sector.LAY_MEMBER, OT, 0.8),
]

# username, name, job title, agency, roles [(role, agency or None)]
SIGN_INS: list[tuple[str, str, str, str | None, list[tuple[str, str | None]]]] = [
    (
        "admin",
        "Sam Patel",
        "Partnership Business Manager",
        "NCS",
        [(Role.BUSINESS_UNIT_ADMIN, None)],
    ),
    ("analyst", "Priya Shah", "Performance and Information Analyst", "NCS", [(Role.ANALYST, None)]),
    (
        "chair",
        "Margaret Hughes",
        "Independent Chair and Scrutineer",
        None,
        [(Role.CHAIR, None), (Role.BOARD_MEMBER, None)],
    ),
    (
        "police",
        "Tom Fletcher",
        "Detective Inspector, Public Protection Unit",
        "NP",
        [(Role.AGENCY_CONTRIBUTOR, "NP")],
    ),
    (
        "health",
        "Ella Brown",
        "Safeguarding Data Officer",
        "NHFT",
        [(Role.AGENCY_CONTRIBUTOR, "NHFT")],
    ),
    (
        "healthlead",
        "Ruth Okafor",
        "Head of Safeguarding",
        "NHFT",
        [(Role.AGENCY_LEAD, "NHFT"), (Role.AGENCY_CONTRIBUTOR, "NHFT"), (Role.BOARD_MEMBER, None)],
    ),
    (
        "viewer",
        "John Davies",
        "Lead Member for Children (councillor)",
        "NCS",
        [(Role.BOARD_MEMBER, None)],
    ),
    ("lado", "Helen Carter", "Local Authority Designated Officer", "NCS", [(Role.LADO, None)]),
    (
        "cdop",
        "Grace Whitfield",
        "Child Death Review Coordinator",
        "ICB",
        [(Role.CDOP_COORDINATOR, None)],
    ),
    (
        "casereview",
        "Owen Bradley",
        "Learning and Review Officer",
        "NCS",
        [(Role.CASE_REVIEW_OFFICER, None)],
    ),
]

# What `demo load` prints: each sign-in and who they are.
DEMO_SIGN_INS = [
    ("admin", "business unit administrator"),
    ("analyst", "analyst"),
    ("chair", "partnership chair"),
    ("police", "police contributor"),
    ("health", "health provider contributor"),
    ("healthlead", "health agency lead (signs off returns)"),
    ("viewer", "read-only board member"),
    ("lado", "LADO (allegations register)"),
    ("cdop", "child death review coordinator (child deaths register)"),
    ("casereview", "case review officer (case reviews register)"),
    ("southmoor", "administrator of a second partnership that shares a panel"),
]

OTHER_PEOPLE = [
    ("Andrew Wilson", "Director of Children’s Services", "NCS"),
    ("Fiona Grant", "Head of Safeguarding and Quality Assurance", "NCS"),
    ("Chief Superintendent Lee Harper", "Head of Public Protection", "NP"),
    ("Sarah Mitchell", "Chief Nurse", "ICB"),
    ("Dr Amir Khan", "Designated Doctor for Safeguarding Children", "ICB"),
    ("Claire Robinson", "Designated Nurse for Safeguarding Children", "ICB"),
    ("Joanne Price", "Named Nurse, Safeguarding Children", "NCMH"),
    ("Mark Ellis", "Safeguarding Lead", "NHSE"),
    ("Karen Doyle", "Head of Probation Delivery Unit", "PS"),
    ("Paul Stevens", "Service Manager", "CAFCASS"),
    ("Linda Moore", "Headteacher, St Anne’s Primary", "PRI"),
    ("David Clarke", "Headteacher, Northdale Academy", "SEC"),
    ("Rachel Green", "Designated Safeguarding Lead", "COL"),
    ("Nadia Hussain", "Early Years Quality Manager", "EY"),
    ("Gary Turner", "Head of Community Safety", "RBC"),
    ("Emma Walsh", "Tenancy Services Manager", "NH"),
    ("Chris Barker", "Head of Youth Justice", "YJS"),
    ("Sophie Adams", "Chief Executive", "NVA"),
    ("Bernard Lowe", "Lay member", "LAY"),
    ("Janet Osei", "Lay member", "LAY"),
    ("Kevin Marsh", "Training Coordinator", "NCS"),
    ("Dr Helen Price", "Consultant Paediatrician", "NHFT"),
    ("Maria Lopez", "Missing and Exploitation Coordinator", "NCS"),
]

GROUPS = [
    # key, name, short, kind, parent, purpose, objectives
    (
        "board",
        "Northdale Safeguarding Children Partnership Board",
        "Board",
        GroupKind.BOARD,
        None,
        "Leads the partnership: agrees its priorities and business plan, holds agencies to account "
        "for how well they safeguard children, and publishes the annual report.",
        [
            "Agree the partnership’s priorities and three-year business plan, and monitor "
            "progress.",
            "Scrutinise the multi-agency dataset each quarter and challenge where performance is "
            "below target.",
            "Receive and act on case reviews, audits and the Section 11 self-assessments.",
            "Approve and publish the annual report.",
            "Agree the budget and each partner’s contribution.",
        ],
    ),
    (
        "exec",
        "Executive Group",
        "Executive",
        GroupKind.EXECUTIVE,
        "board",
        "The three safeguarding partners: set the agenda, decide between board meetings, and "
        "resolve escalations.",
        [
            "Prepare the board’s agenda and papers.",
            "Decide urgent matters between board meetings.",
            "Oversee the business unit and the budget.",
        ],
    ),
    (
        "pqa",
        "Performance and Quality Assurance Subgroup",
        "PQA",
        GroupKind.SUBGROUP,
        "exec",
        "Oversees the multi-agency dataset, case file audits and the Section 11 audit.",
        [
            "Maintain the multi-agency dataset and report exceptions to the board.",
            "Run a programme of multi-agency case file audits.",
            "Moderate the Section 11 self-assessments.",
        ],
    ),
    (
        "lip",
        "Learning and Improvement Subgroup",
        "L&I",
        GroupKind.SUBGROUP,
        "exec",
        "Considers referrals for case reviews, commissions reviews and tracks their "
        "recommendations until learning is embedded.",
        [
            "Consider referrals against the criteria within 15 working days.",
            "Commission and quality assure case reviews.",
            "Disseminate learning and seek assurance it has changed practice.",
        ],
    ),
    (
        "twd",
        "Training and Workforce Development Subgroup",
        "Training",
        GroupKind.SUBGROUP,
        "exec",
        "Plans and evaluates the multi-agency training programme.",
        ["Analyse training needs across agencies.", "Deliver and evaluate the training programme."],
    ),
    (
        "cem",
        "Child Exploitation and Missing Subgroup",
        "CE&M",
        GroupKind.SUBGROUP,
        "exec",
        "Leads the partnership’s response to child sexual and criminal exploitation and children "
        "missing from home, care and education.",
        [
            "Maintain the exploitation strategy and its action plan.",
            "Review return home interview performance.",
            "Map perpetrators, locations and themes.",
        ],
    ),
    (
        "neh",
        "Neglect and Early Help Subgroup",
        "Neglect",
        GroupKind.SUBGROUP,
        "exec",
        "Oversees the neglect strategy and the early help offer.",
        ["Embed the graded care profile.", "Monitor early help take-up and step-down."],
    ),
    (
        "pp",
        "Policy and Procedures Subgroup",
        "Policy",
        GroupKind.SUBGROUP,
        "exec",
        "Keeps the multi-agency procedures and the threshold document up to date.",
        [
            "Review procedures after national changes and local learning.",
            "Publish the threshold document.",
        ],
    ),
    (
        "da",
        "Domestic Abuse Task and Finish Group",
        "DA T&F",
        GroupKind.TASK_AND_FINISH,
        "board",
        "Reviews how agencies respond to children living with domestic abuse.",
        [
            "Audit the response to police domestic abuse notifications.",
            "Report recommendations to the board within six months.",
        ],
    ),
]

# group -> agencies with a seat (the person is the first of that agency listed above)
SEATS = {
    "board": [
        "NCS",
        "NP",
        "ICB",
        "NHFT",
        "NCMH",
        "NHSE",
        "PS",
        "CAFCASS",
        "PRI",
        "SEC",
        "COL",
        "EY",
        "RBC",
        "NH",
        "YJS",
        "NVA",
        "LAY",
    ],
    "exec": ["NCS", "NP", "ICB"],
    "pqa": ["NCS", "NP", "ICB", "NHFT", "PRI", "YJS"],
    "lip": ["NCS", "NP", "ICB", "NHFT", "NCMH", "CAFCASS"],
    "twd": ["NCS", "NP", "NHFT", "EY", "NVA", "COL"],
    "cem": ["NCS", "NP", "NHFT", "SEC", "YJS", "NH", "NVA"],
    "neh": ["NCS", "ICB", "NCMH", "PRI", "EY", "NH"],
    "pp": ["NCS", "NP", "ICB", "PS", "SEC"],
    "da": ["NCS", "NP", "NHFT", "NH", "NVA"],
}
# meetings a year, and the month the cycle starts
FREQUENCY = {
    "board": 6,
    "exec": 12,
    "pqa": 4,
    "lip": 6,
    "twd": 4,
    "cem": 4,
    "neh": 4,
    "pp": 4,
    "da": 4,
}
# children aged 0 to 17 (fictional, of the size of an English metropolitan borough)
POPULATION = {0: 68700, 1: 68900, 2: 69200, 3: 69450, 4: 69600, 5: 69800}


def _user(ctx: DemoContext, username: str, name: str, email: str) -> User:
    first, _, last = name.partition(" ")
    user = User(username=username, first_name=first, last_name=last, email=email, is_demo=True)
    user.set_password(ctx.password)
    user.save()
    ctx.users[username] = user
    return user


def _email(name: str, domain: str = "northdale.example") -> str:
    parts = [
        p
        for p in name.lower().replace("’", "").split()
        if p not in {"dr", "chief", "superintendent"}
    ]
    return f"{parts[0]}.{parts[-1]}@{domain}"


def load(ctx: DemoContext) -> None:
    partnership = services.create_partnership(
        slug="northdale",
        name="Northdale Safeguarding Children Partnership",
        short_name="Northdale SCP",
        la_number=359,
        area_name="Northdale",
        region="North West",
    )
    ctx.partnership = partnership
    with tenancy.partnership_scope(partnership):
        _load_northdale(ctx, partnership)
    _load_southmoor(ctx)


def _load_northdale(ctx: DemoContext, partnership: Any) -> None:
    area = partnership_area(partnership)
    area.ons_code = "E08000010"
    area.save()
    fy = current_financial_year(ctx.today).start.year
    for offset, children in POPULATION.items():
        AreaPopulation.objects.create(
            partnership=partnership,
            area=area,
            year=fy - 5 + offset,
            children=children,
            source=f"ONS mid-{fy - 5 + offset} estimate (demo figure)",
        )

    attendance_rate: dict[str, float] = {}
    for short, name, sector, status, rate in AGENCIES:
        ctx.agencies[short] = services.save(
            Agency(short_name=short, name=name, sector=sector, status=status), partnership
        )
        attendance_rate[short] = rate
    # The CCG was replaced by the integrated care board on 1 July 2022.
    ccg = services.save(
        Agency(
            short_name="CCG",
            name="Northdale Clinical Commissioning Group",
            sector=Sector.HEALTH_COMMISSIONER,
            status=SP,
            valid_to=date(2022, 6, 30),
        ),
        partnership,
    )
    icb = ctx.agencies["ICB"]
    icb.valid_from = date(2022, 7, 1)
    icb.save()
    icb.replaces.add(ccg)

    for username, name, job, agency, roles in SIGN_INS:
        user = _user(ctx, username, name, _email(name))
        person = services.save(
            Person(
                name=name,
                job_title=job,
                email=user.email,
                user=user,
                agency=ctx.agencies.get(agency) if agency else None,
            ),
            partnership,
        )
        ctx.people[username] = person
        for role, role_agency in roles:
            services.assign_role(person, role, ctx.agencies[role_agency] if role_agency else None)
    lead_of: dict[str, Person] = {}
    for name, job, agency in OTHER_PEOPLE:
        person = services.save(
            Person(name=name, job_title=job, email=_email(name), agency=ctx.agencies[agency]),
            partnership,
        )
        ctx.people[name] = person
        lead_of.setdefault(agency, person)
        if "Designated" in job or "Director" in job or "Head of Public" in job:
            services.assign_role(person, Role.BOARD_MEMBER)
    lead_of["NHFT"] = ctx.people["healthlead"]
    lead_of.setdefault("NP", ctx.people["police"])

    start_of_demo = date(current_financial_year(ctx.today).start.year - 2, 4, 1)
    for key, name, short, kind, parent, purpose, objectives in GROUPS:
        group = services.save(
            Group(
                name=name,
                short_name=short,
                kind=kind,
                purpose=purpose,
                parent=ctx.groups.get(parent) if parent else None,
                established=date(2019, 9, 29)
                if kind != GroupKind.TASK_AND_FINISH
                else start_of_demo,
                tor_approved=date(start_of_demo.year + 1, 5, 1),
                tor_review_due=date(start_of_demo.year + 3, 5, 1),
            ),
            partnership,
        )
        ctx.groups[key] = group
        for number, text in enumerate(objectives, start=1):
            services.save(Objective(group=group, number=number, text=text), partnership)
        chair = {
            "board": ctx.people["chair"],
            "exec": ctx.people["Andrew Wilson"],
            "pqa": ctx.people["Fiona Grant"],
            "lip": ctx.people["Claire Robinson"],
            "twd": ctx.people["Kevin Marsh"],
            "cem": ctx.people["Maria Lopez"],
            "neh": ctx.people["Claire Robinson"],
            "pp": ctx.people["Fiona Grant"],
            "da": ctx.people["Gary Turner"],
        }[key]
        services.add_member(group, person=chair, role=MemberRole.CHAIR, start=start_of_demo)
        for short_name in SEATS[key]:
            person = lead_of.get(short_name)
            if person is None or person == chair:
                continue
            services.add_member(group, person=person, start=start_of_demo)
    # Board seats for the sign-ins who sit on it, and the business unit as adviser.
    board = ctx.groups["board"]
    services.add_member(board, person=ctx.people["viewer"], start=start_of_demo)
    services.add_member(
        board, person=ctx.people["admin"], role=MemberRole.ADVISER, start=start_of_demo
    )
    services.add_member(
        ctx.groups["pqa"],
        person=ctx.people["analyst"],
        role=MemberRole.ADVISER,
        start=start_of_demo,
    )
    services.add_member(ctx.groups["pqa"], person=ctx.people["police"], start=start_of_demo)
    # A member who left: NHS England's seat passed from one person to another.
    old = GroupMembership.objects.get(group=board, person=lead_of["NHSE"])
    old.end = date(start_of_demo.year + 1, 3, 31)
    old.save()
    successor = services.save(
        Person(
            name="Olivia Bennett",
            job_title="Safeguarding Lead",
            email=_email("Olivia Bennett"),
            agency=ctx.agencies["NHSE"],
        ),
        partnership,
    )
    services.add_member(board, person=successor, start=date(start_of_demo.year + 1, 4, 1))

    _meetings(ctx, start_of_demo, attendance_rate)


def partnership_area(partnership: Any) -> Any:
    from .models import Area

    return Area.objects.get(partnership=partnership)


def _meeting_dates(first: date, per_year: int, until: date) -> list[date]:
    step = 12 // per_year
    dates: list[date] = []
    year, month = first.year, first.month
    while True:
        day = date(year, month, 1)
        # the third Wednesday of the month
        offset = (2 - day.weekday()) % 7 + 14
        when = day + timedelta(days=offset)
        if when > until:
            return dates
        dates.append(when)
        month += step
        if month > 12:
            year, month = year + 1, month - 12


def _meetings(ctx: DemoContext, start: date, rate: dict[str, float]) -> None:
    rng = ctx.rng
    until = ctx.today + timedelta(days=200)
    for key, group in ctx.groups.items():
        first = date(start.year, 4 + (1 if key == "board" else len(key) % 3), 1)
        for when in _meeting_dates(first, FREQUENCY[key], until):
            if key == "da" and when > date(start.year + 1, 3, 31):
                break  # the task and finish group reported and closed after a year
            held = when < ctx.today
            cancelled = held and rng.random() < 0.04
            meeting = services.save(
                Meeting(
                    group=group,
                    date=when,
                    start_time=time(10, 0) if key == "board" else time(14, 0),
                    location="Northdale Town Hall, Committee Room 2"
                    if key == "board"
                    else "Online (Microsoft Teams)",
                    status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.SCHEDULED,
                ),
                ctx.partnership,
            )
            if not held or cancelled:
                continue
            if rng.random() < 0.06 and when > ctx.today - timedelta(days=60):
                continue  # a recent meeting whose attendance is still to be recorded
            lines = []
            for seat in services.expected_members(meeting):
                agency = seat.agency
                p = rate.get(agency.short_name, 0.7) if agency else 0.9
                if seat.role == MemberRole.CHAIR:
                    p = 0.97
                roll = rng.random()
                if roll < p * 0.85:
                    status, deputy = AttendanceStatus.PRESENT, ""
                elif roll < p:
                    status, deputy = (
                        AttendanceStatus.DEPUTY,
                        rng.choice(["A. Deputy", "J. Stand-in", "M. Colleague", "S. Delegate"]),
                    )
                elif roll < p + (1 - p) * 0.7:
                    status, deputy = AttendanceStatus.APOLOGIES, ""
                else:
                    status, deputy = AttendanceStatus.ABSENT, ""
                lines.append(services.AttendanceLine(seat, seat.person, agency, status, deputy))
            services.record_attendance(meeting, lines)
            meeting.decisions = {
                "board": "Received the quarterly performance report and the exception report. "
                "Agreed actions on the agencies below target.",
                "exec": "Agreed the board agenda. Reviewed the risk register.",
            }.get(key, "Reviewed the work plan and agreed actions.")
            meeting.save()


def _load_southmoor(ctx: DemoContext) -> None:
    southmoor = services.create_partnership(
        slug="southmoor",
        name="Southmoor Safeguarding Children Partnership",
        short_name="Southmoor SCP",
        la_number=350,
        area_name="Southmoor",
        region="North West",
    )
    ctx.other_partnership = southmoor
    with tenancy.partnership_scope(southmoor):
        council = services.save(
            Agency(
                short_name="SMC",
                name="Southmoor Council Children’s Services",
                sector=Sector.LA_CHILDRENS_SERVICES,
                status=SP,
            ),
            southmoor,
        )
        services.save(
            Agency(short_name="SP", name="Southmoor Police", sector=Sector.POLICE, status=SP),
            southmoor,
        )
        user = _user(ctx, "southmoor", "Dana Reid", "dana.reid@southmoor.example")
        person = services.save(
            Person(
                name="Dana Reid",
                job_title="Partnership Manager",
                email=user.email,
                user=user,
                agency=council,
            ),
            southmoor,
        )
        services.assign_role(person, Role.BUSINESS_UNIT_ADMIN)
        services.save(
            Group(
                name="Southmoor Safeguarding Children Partnership Board",
                short_name="Board",
                kind=GroupKind.BOARD,
            ),
            southmoor,
        )
    # The child death overview panel is hosted by Northdale and shared with Southmoor.
    with tenancy.partnership_scope(ctx.partnership):
        panel = services.save(
            Group(
                name="Northdale and Southmoor Child Death Overview Panel",
                short_name="CDOP",
                kind=GroupKind.PANEL,
                parent=ctx.groups["board"],
                purpose="Reviews the deaths of all children normally resident in Northdale and "
                "Southmoor, to learn what might prevent future deaths.",
            ),
            ctx.partnership,
        )
        panel.shared_with.add(southmoor)
        ctx.groups["cdop"] = panel
        services.add_member(panel, person=ctx.people["Dr Amir Khan"], role=MemberRole.CHAIR)
        services.add_member(panel, person=ctx.people["Claire Robinson"])
        with tenancy.unscoped():
            services.add_member(panel, person=Person.objects.get(user__username="southmoor"))
        for months_ago in (10, 7, 4, 1):
            when = ctx.today - timedelta(days=30 * months_ago)
            services.save(
                Meeting(group=panel, date=when, location="Online", status=MeetingStatus.SCHEDULED),
                ctx.partnership,
            )
