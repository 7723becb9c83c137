"""Demo data for planning (see safeboard.core.demo): Northdale's current three-year business
plan (about 40 actions in 8 themes, with realistic updates, slippage and completions), the
plan before it, closed with two actions carried forward, actions from board meetings, an
inspection, an audit and a case review, a risk register of 12 risks reviewed twice a year,
and a challenge log of 6 entries. Fictional, and relative to the demo's today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.dates import add_months, month_end
from safeboard.core.demo import DemoContext
from safeboard.core.periods import current_financial_year
from safeboard.partnership.models import Meeting, MeetingStatus, Person

from . import services
from .models import Action, Plan, Progress, ProgressUpdate, RiskStatus, Source, Theme

THEMES = [
    ("Child exploitation and children missing from home, care and education", "cem"),
    ("Neglect and early help", "neh"),
    ("Children living with domestic abuse", "exec"),
    ("Children’s mental health and emotional wellbeing", "exec"),
    ("Learning from case reviews", "lip"),
    ("A skilled and confident workforce", "twd"),
    ("Knowing how well we safeguard: quality assurance and performance", "pqa"),
    ("Hearing children and families, and good governance", "board"),
]


@dataclass(frozen=True)
class Demo:
    """One plan action and what happened to it.

    `due` is the month it was first due, counted from the plan's first April (0); `story`:
    done (completed in time), late (completed after slipping), slipped (open, its date moved),
    overdue, ontrack, notstarted, awaiting (reported complete, not yet confirmed), stale (no
    update for months) or ongoing (a review date instead of a due date).
    """

    ref: str
    text: str
    owner: str  # "group:cem", "agency:NP" or a person's key in ctx.people
    due: int
    story: str
    aim: str = ""
    latest: str = ""
    links: tuple[str, ...] = ()


ACTIONS: list[Demo] = [
    # 1. Exploitation and missing
    Demo(
        "1.1",
        "Refresh the multi-agency child exploitation strategy, covering criminal and sexual "
        "exploitation and county lines.",
        "group:cem",
        5,
        "done",
        "One shared understanding of exploitation across agencies.",
        "The refreshed strategy was agreed by the board and published.",
    ),
    Demo(
        "1.2",
        "Publish a quarterly exploitation problem profile combining police, children’s "
        "services and health data.",
        "agency:NP",
        8,
        "late",
        "Agencies target disruption where the risk is highest.",
        "The first joint problem profile went to the subgroup; it will now be quarterly.",
        ("1.1",),
    ),
    Demo(
        "1.3",
        "Make sure every child missing from home or care is offered a return home interview "
        "within 72 hours.",
        "agency:NCS",
        20,
        "slipped",
        "Children tell us why they go missing, and plans respond.",
        "Offers within 72 hours rose to 81% in the last quarter, against 95% expected.",
    ),
    Demo(
        "1.4",
        "Train hotel, taxi and fast-food staff to spot and report signs of exploitation.",
        "agency:RBC",
        14,
        "overdue",
        "The night-time economy notices and reports exploitation.",
        "Licensing conditions are agreed but the training has not started in two of three "
        "districts.",
    ),
    Demo(
        "1.5",
        "Audit the response to children missing from education, with schools and the "
        "inclusion service.",
        "group:pqa",
        26,
        "notstarted",
        "No child missing from education is lost to services.",
    ),
    # 2. Neglect and early help
    Demo(
        "2.1",
        "Roll out the graded care profile to health visitors, school nurses and early help "
        "workers.",
        "group:neh",
        6,
        "done",
        "Neglect is recognised earlier and measured the same way by every agency.",
        "Graded care profile training delivered to 212 practitioners across six agencies.",
    ),
    Demo(
        "2.2",
        "Agree a step-down protocol from children’s social care to early help.",
        "agency:NCS",
        9,
        "late",
        "Families keep support when a case closes to social care.",
        "The step-down protocol is in use from this month.",
        ("2.3",),
    ),
    Demo(
        "2.3",
        "Report early help take-up and outcomes to the board every six months.",
        "person:Andrew Wilson",
        -1,
        "ongoing",
        "The board knows whether early help reaches the families who need it.",
        "The six-monthly report showed take-up up 12%, with fewer re-referrals.",
    ),
    Demo(
        "2.4",
        "Audit neglect cases where a child has been on a plan more than once.",
        "group:pqa",
        15,
        "done",
        "Repeat plans for neglect fall.",
        "Audit of twelve cases completed; findings and actions reported to the board.",
    ),
    Demo(
        "2.5",
        "Publish a neglect practice guide for schools, with the designated safeguarding leads.",
        "agency:SEC",
        28,
        "notstarted",
        "Schools act on early signs of neglect.",
    ),
    # 3. Domestic abuse
    Demo(
        "3.1",
        "Notify schools before the next school day when police attend a domestic abuse "
        "incident at a child’s home.",
        "agency:NP",
        4,
        "done",
        "Schools can support children the morning after an incident.",
        "Notifications now go to every school by 8.30am; 98% on time last quarter.",
    ),
    Demo(
        "3.2",
        "Put children’s needs in every MARAC plan, with a named lead for each child.",
        "group:exec",
        12,
        "late",
        "Children are seen as victims in their own right.",
        "MARAC template changed; dip sample shows a named lead in 19 of 20 plans.",
    ),
    Demo(
        "3.3",
        "Commission support for children who have lived with domestic abuse.",
        "agency:ICB",
        21,
        "slipped",
        "Children recover from the harm of living with abuse.",
        "The provider is chosen; the contract starts after the procurement standstill.",
    ),
    Demo(
        "3.4",
        "Ask about domestic abuse routinely at antenatal booking and health visitor contacts.",
        "agency:NHFT",
        11,
        "awaiting",
        "Abuse in pregnancy is found and acted on.",
        "Routine enquiry is in the maternity and health visiting records; audit attached.",
    ),
    # 4. Mental health
    Demo(
        "4.1",
        "Cut the wait from referral to first appointment for children’s mental health "
        "services to 12 weeks.",
        "agency:NCMH",
        15,
        "overdue",
        "Children get help before crisis.",
        "Median wait is 19 weeks; recruitment to the new posts has been slow.",
    ),
    Demo(
        "4.2",
        "Set up a joint pathway for children who attend A&E after self-harm.",
        "agency:NHFT",
        13,
        "done",
        "Every child who self-harms is seen by mental health services before leaving.",
        "The self-harm pathway is live in the emergency department.",
        ("4.1",),
    ),
    Demo(
        "4.3",
        "Put a mental health support team in every secondary school.",
        "agency:ICB",
        27,
        "ontrack",
        "Pupils get early support in school.",
        "Teams are in 9 of 14 secondary schools; the last wave starts in January.",
    ),
    Demo(
        "4.4",
        "Agree how children in a mental health crisis are kept safe while they wait for a bed.",
        "group:exec",
        21,
        "stale",
        "No child waits in an unsafe place.",
        "Draft protocol shared with the acute trust and the council.",
    ),
    Demo(
        "4.5",
        "Hear from young people about what helps their emotional wellbeing, with the youth "
        "council.",
        "agency:NVA",
        14,
        "done",
        "Services are shaped by what young people tell us.",
        "Three workshops held and the survey closed; findings presented to the board.",
    ),
    # 5. Learning from reviews
    Demo(
        "5.1",
        "Track every case review recommendation to completion in this tracker.",
        "group:lip",
        3,
        "done",
        "No recommendation is lost.",
        "Every open recommendation is now on the tracker with an owner.",
    ),
    Demo(
        "5.2",
        "Run a learning event on the Child T review for 200 practitioners.",
        "group:lip",
        10,
        "done",
        "Practitioners know the lessons and use them.",
        "Two events held; 236 attended; evaluation 4.6 out of 5.",
    ),
    Demo(
        "5.3",
        "Test whether lessons on professional curiosity have changed practice, through a "
        "themed audit.",
        "group:pqa",
        19,
        "slipped",
        "Learning changes what practitioners do.",
        "The audit moved so it could include cases from the new front door.",
    ),
    Demo(
        "5.4",
        "Publish seven-minute briefings for every review within a month of publication.",
        "person:Claire Robinson",
        -1,
        "ongoing",
        "Learning reaches practitioners quickly.",
        "Briefings for both reviews published this year were out within three weeks.",
    ),
    Demo(
        "5.5a",
        "Agree with the coroner how information is shared for child death reviews.",
        "group:cdop",
        16,
        "done",
        "Reviews are not held up waiting for information.",
        "Information-sharing protocol agreed with the coroner’s office.",
    ),
    # 6. Workforce
    Demo(
        "6.1",
        "Publish the multi-agency training programme with e-learning before face-to-face courses.",
        "group:twd",
        2,
        "done",
        "Everyone can get the training their role needs.",
        "The programme is published; bookings opened on time.",
    ),
    Demo(
        "6.2",
        "Train designated safeguarding leads in schools on the new threshold document.",
        "agency:PRI",
        12,
        "done",
        "Schools make consistent, well-judged referrals.",
        "All 64 primary schools’ leads trained.",
    ),
    Demo(
        "6.3",
        "Evaluate the impact of training three months after each course.",
        "person:Kevin Marsh",
        13,
        "done",
        "We know training changes practice.",
        "Follow-up survey now runs for all level 3 courses; first results reported.",
    ),
    Demo(
        "6.4",
        "Recruit and train ten more volunteer trainers from partner agencies.",
        "group:twd",
        17,
        "slipped",
        "The programme does not depend on a few people.",
        "Six recruited; the next trainer course is in the spring.",
    ),
    Demo(
        "6.5",
        "Induct new police officers in the partnership’s procedures and escalation policy.",
        "agency:NP",
        30,
        "notstarted",
        "New officers know how to escalate concerns.",
    ),
    # 7. Quality assurance
    Demo(
        "7.1",
        "Agree a multi-agency dataset with a scorecard for every board meeting.",
        "person:analyst",
        3,
        "done",
        "The board sees what matters, the same way each quarter.",
        "The scorecard went to the board for the first time.",
    ),
    Demo(
        "7.2",
        "Complete the Section 11 self-assessment with every agency and moderate the returns.",
        "group:pqa",
        9,
        "late",
        "Every agency meets its safeguarding duties, and shows it.",
        "All 17 returns moderated; three agencies have follow-up plans.",
    ),
    Demo(
        "7.2a",
        "Follow up the Section 11 standards rated partly met until they are met.",
        "group:pqa",
        21,
        "slipped",
        "No standard stays partly met.",
        "Two of the three agencies have evidenced their improvements.",
        ("7.2",),
    ),
    Demo(
        "7.3",
        "Hold four multi-agency case file audits a year and report findings to the board.",
        "group:pqa",
        -1,
        "ongoing",
        "The board knows how well agencies work together for children.",
        "The neglect audit reported in September; the next is on exploitation.",
    ),
    Demo(
        "7.4",
        "Get health providers to return their data within 30 days of each quarter end.",
        "agency:NHFT",
        16,
        "overdue",
        "The scorecard is complete and on time.",
        "Two quarters returned late; a new data extract is being built.",
    ),
    # 8. Voice and governance
    Demo(
        "8.1",
        "Set up a young people’s advisory group that reports to the board twice a year.",
        "agency:NVA",
        7,
        "done",
        "Children’s voices shape the board’s work.",
        "The group has 14 members and presented to the board in the autumn.",
    ),
    Demo(
        "8.2",
        "Review the partnership’s arrangements and publish them, as Working Together requires.",
        "group:exec",
        11,
        "done",
        "Clear, lawful arrangements everyone understands.",
        "Revised arrangements published on the partnership website.",
    ),
    Demo(
        "8.3",
        "Agree partner contributions to the budget for the next three years.",
        "person:Andrew Wilson",
        23,
        "ontrack",
        "The partnership is funded fairly and securely.",
        "Police and health have agreed; the council’s decision is due in December.",
    ),
    Demo(
        "8.4",
        "Publish the annual report, with a version for young people.",
        "person:admin",
        18,
        "awaiting",
        "The public can see what the partnership has achieved.",
        "Published on the website with the young people’s version.",
    ),
]

PREVIOUS = [
    (
        "3.5",
        "Children living with domestic abuse",
        "Extend Operation Encompass to early years settings.",
        "agency:NP",
        True,
    ),
    (
        "6.6",
        "A skilled and confident workforce",
        "Create a safeguarding supervision standard for all agencies.",
        "group:twd",
        True,
    ),
    (
        "1.1",
        "Child exploitation and children missing from home, care and education",
        "Set up a multi-agency exploitation panel.",
        "group:cem",
        False,
    ),
    ("2.1", "Neglect and early help", "Launch the neglect strategy.", "group:neh", False),
    (
        "4.1",
        "Children’s mental health and emotional wellbeing",
        "Publish a local transformation plan for children’s mental health.",
        "agency:ICB",
        False,
    ),
    (
        "5.1",
        "Learning from case reviews",
        "Publish the learning and improvement framework.",
        "group:lip",
        False,
    ),
    (
        "7.1",
        "Knowing how well we safeguard: quality assurance and performance",
        "Run the first joint audit programme.",
        "group:pqa",
        False,
    ),
    (
        "8.1",
        "Hearing children and families, and good governance",
        "Move to the new safeguarding arrangements.",
        "group:exec",
        False,
    ),
]

EARLIER = [
    "Scoping agreed at the subgroup; leads named in each agency.",
    "Draft shared with partners for comment; comments due by the end of the month.",
    "Task and finish group met twice; plan agreed.",
    "Progress reported to the subgroup; no risks to delivery.",
    "Data gathered from three agencies; health data still awaited.",
]
SLIP_REASONS = [
    "Key staff left the service; the new lead started last month.",
    "Waiting for the national guidance, published later than expected.",
    "The subgroup asked for the scope to include care leavers, which added work.",
    "Procurement took longer than planned.",
    "Agreed by the executive so the work could be aligned with the inspection action plan.",
]

RISKS = [
    (
        "Partners cannot sustain their financial contributions",
        "exec",
        (4, 4),
        (3, 4),
        8,
        "Three-year funding agreement; budget monitored quarterly by the executive.",
    ),
    (
        "Agencies do not send data on time, so the board cannot see performance",
        "pqa",
        (4, 3),
        (3, 3),
        6,
        "Data-sharing agreement; escalation to agency leads after 30 days.",
    ),
    (
        "Key posts in the business unit are vacant",
        "person:admin",
        (3, 3),
        (2, 3),
        6,
        "Cover arrangements; shared analyst with the adult board.",
    ),
    (
        "Case review recommendations are not implemented",
        "lip",
        (3, 4),
        (2, 4),
        8,
        "All recommendations on the tracker; quarterly report to the board.",
    ),
    (
        "Partners do not attend board and subgroup meetings",
        "board",
        (3, 3),
        (3, 3),
        9,
        "Attendance reported by agency; chair writes to agencies below 80%.",
    ),
    (
        "Children’s mental health waiting times cause harm",
        "agency:ICB",
        (4, 5),
        (4, 5),
        10,
        "Recovery plan monitored by the board; waiting list reviewed for risk.",
    ),
    (
        "Exploitation is not recognised early enough",
        "cem",
        (3, 5),
        (3, 4),
        8,
        "Strategy and problem profile; training for the night-time economy.",
    ),
    (
        "Information is not shared lawfully or quickly enough",
        "pp",
        (2, 4),
        (2, 4),
        8,
        "Information-sharing agreement reviewed annually; training for leads.",
    ),
    (
        "The workforce lacks the training its roles need",
        "twd",
        (3, 3),
        (2, 3),
        6,
        "Training needs analysis; the programme is evaluated after each course.",
    ),
    (
        "A serious incident is not notified to the national panel within five working days",
        "lip",
        (2, 5),
        (1, 5),
        5,
        "Notification procedure; duty rota in the business unit.",
    ),
    (
        "The partnership’s website and records systems fail",
        "person:admin",
        (2, 3),
        (2, 2),
        4,
        "Hosting contract with a service level; nightly backups tested quarterly.",
    ),
    (
        "Schools do not engage with the partnership",
        "agency:SEC",
        (3, 3),
        (2, 3),
        4,
        "Education safeguarding forum; designated leads’ network termly.",
    ),
]

CHALLENGES = [
    (
        "NCMH",
        "Waiting times for children’s mental health services",
        "The board asked the trust to explain why median waits rose to 19 weeks and what it "
        "will do to bring them down, with a timetable.",
        "responded_escalated",
    ),
    (
        "NP",
        "Return home interviews after missing episodes",
        "The board asked police how missing episodes are shared with children’s services so "
        "that every child is offered an interview within 72 hours.",
        "closed_resolved",
    ),
    (
        "NHFT",
        "Late data returns for the multi-agency dataset",
        "The board challenged the trust on two successive late quarterly returns.",
        "responded",
    ),
    (
        "RBC",
        "Training for the night-time economy",
        "The board asked the council why exploitation training for licensed premises has not "
        "started in two districts.",
        "overdue",
    ),
    (
        "SEC",
        "Attendance of secondary schools at the board",
        "The board asked how secondary schools will be represented, after four meetings without "
        "a representative.",
        "awaiting",
    ),
    (
        "ICB",
        "Commissioning of support for children affected by domestic abuse",
        "The board asked the ICB to confirm funding and a start date for the new service.",
        "closed_partly",
    ),
]


class Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.fy = current_financial_year(ctx.today).start.year
        self.start = date(self.fy - 1, 4, 1)
        self.admin: Person = ctx.people["admin"]
        self.rng = ctx.rng

    def month(self, index: int) -> date:
        """The last day of the month `index` months after the plan's first April."""
        first = add_months(self.start, index)
        return month_end(first.year, first.month)

    def owner(self, key: str) -> Any:
        kind, _, name = key.partition(":")
        if kind == "group":
            return self.ctx.groups[name]
        if kind == "agency":
            return self.ctx.agencies[name]
        if kind == "person":
            return self.ctx.people[name]
        return self.ctx.groups[key] if key in self.ctx.groups else self.ctx.agencies[key]

    def author(self, action: Action) -> Person:
        """Who writes an action's updates: its owner, the agency's lead, or the group's chair."""
        if action.owner_person is not None:
            return action.owner_person
        if action.owner_agency is not None:
            short = action.owner_agency.short_name
            by_agency = {"NP": "police", "NHFT": "healthlead", "NCS": "Fiona Grant"}
            if short in by_agency:
                return self.ctx.people[by_agency[short]]
            person = Person.objects.filter(agency=action.owner_agency, active=True).first()
            return person or self.admin
        return self.chair(action)

    def chair(self, action: Action) -> Person:
        chairs = {
            "board": "chair",
            "exec": "Andrew Wilson",
            "pqa": "Fiona Grant",
            "lip": "Claire Robinson",
            "twd": "Kevin Marsh",
            "cem": "Maria Lopez",
            "neh": "Claire Robinson",
            "pp": "Fiona Grant",
            "da": "Gary Turner",
            "cdop": "Dr Amir Khan",
        }
        group = action.group
        for key, person in chairs.items():
            if group is not None and self.ctx.groups.get(key) == group:
                return self.ctx.people[person]
        return self.admin

    def past(self, day: date) -> date:
        """Never later than the demo's today."""
        return min(day, self.today)


def load(ctx: DemoContext) -> None:
    with tenancy.partnership_scope(ctx.partnership):
        builder = Builder(ctx)
        current = services.create_plan(
            partnership=ctx.partnership,
            first_year=builder.fy - 1,
            last_year=builder.fy + 1,
            title="Keeping children safe in Northdale",
            summary="Our three-year plan: eight priorities agreed by the board after the "
            "review of the last plan, the annual report and what children and families told us.",
        )
        themes = [
            services.add_theme(plan=current, title=title, lead_group=ctx.groups[group])
            for title, group in THEMES
        ]
        previous = _previous_plan(builder, current)
        actions = {a.reference: a for a in Action.objects.filter(plan=current)}
        for demo in ACTIONS:
            theme = themes[int(demo.ref.split(".")[0]) - 1]
            actions[demo.ref] = _plan_action(builder, current, theme, demo)
        for demo in ACTIONS:
            if demo.links:
                actions[demo.ref].links.add(*(actions[ref] for ref in demo.links))
        meeting_actions = _meeting_actions(builder)
        _other_sources(builder)
        risks = _risks(builder)
        challenges = _challenges(builder)
        ctx.extra["planning"] = {
            "plan": current,
            "previous_plan": previous,
            "actions": actions,
            "meeting_actions": meeting_actions,
            "risks": risks,
            "challenges": challenges,
        }


def _previous_plan(b: Builder, current: Plan) -> Plan:
    """The plan before: all complete but two, carried forward at its year-end."""
    ctx = b.ctx
    plan = services.create_plan(
        partnership=ctx.partnership,
        first_year=b.fy - 4,
        last_year=b.fy - 2,
        title="Working together for Northdale’s children",
    )
    themes: dict[str, Theme] = {}
    start = date(b.fy - 4, 4, 1)
    for index, (ref, theme_title, text, owner, carried) in enumerate(PREVIOUS):
        if theme_title not in themes:
            lead = next(g for t, g in THEMES if t == theme_title)
            themes[theme_title] = services.add_theme(
                plan=plan, title=theme_title, lead_group=ctx.groups[lead]
            )
        due = month_end(start.year + 1 + index % 2, 3 if index % 2 else 9)
        action = services.create_action(
            partnership=ctx.partnership,
            plan=plan,
            theme=themes[theme_title],
            reference=ref,
            text=text,
            owner=b.owner(owner),
            due=due,
            by=b.admin,
        )
        author = b.author(action)
        services.record_update(
            action,
            by=author,
            status=Progress.AMBER if carried else Progress.GREEN,
            text=b.rng.choice(EARLIER),
            on=due - timedelta(days=70),
        )
        if carried:
            services.record_update(
                action,
                by=author,
                status=Progress.RED,
                text="Not achieved this year: the work moves into the next plan.",
                on=date(b.fy - 1, 3, 10),
            )
        else:
            services.record_completion(
                action,
                by=author,
                evidence_text="Delivered and reported to the board.",
                completed_on=due - timedelta(days=b.rng.randint(3, 40)),
                confirm=True,
            )
    services.close_plan(plan, next_plan=current, by=b.admin)
    # The year-end was at the end of March, before the current plan started.
    closed = date(b.fy - 1, 3, 31)
    Plan.objects.filter(pk=plan.pk).update(closed_on=closed)
    ProgressUpdate.objects.filter(action__plan__in=[plan, current], kind="carried_forward").update(
        date=closed
    )
    Action.objects.filter(plan=current).update(last_update_on=closed)
    # The board set new dates for the carried actions when it agreed the new plan.
    for index, action in enumerate(Action.objects.filter(plan=current).order_by("reference")):
        services.record_update(
            action,
            by=b.author(action),
            status=Progress.AMBER,
            text="Carried forward: the work is re-planned for this year.",
            on=date(b.fy - 1, 4, 24),
            new_due=month_end(b.fy - 1, 12) if index == 0 else month_end(b.fy, 9),
            due_reason="New date agreed by the board when the action was carried forward "
            "into this plan.",
        )
        if index == 0:
            services.record_completion(
                action,
                by=b.author(action),
                evidence_text="Early years settings now receive Operation Encompass notifications.",
                completed_on=date(b.fy, 1, 20),
            )
            services.confirm_completion(action, by=b.chair(action), on=date(b.fy, 2, 3))
    return plan


def _plan_action(b: Builder, plan: Plan, theme: Theme, demo: Demo) -> Action:
    ongoing = demo.story == "ongoing"
    due = None if ongoing else b.month(demo.due)
    review = add_months(b.today, 2) if ongoing else None
    created = b.start + timedelta(days=b.rng.randint(0, 20))
    action = services.create_action(
        partnership=b.ctx.partnership,
        plan=plan,
        theme=theme,
        reference=demo.ref,
        text=demo.text,
        aim=demo.aim,
        owner=b.owner(demo.owner),
        due=due,
        ongoing=ongoing,
        review_date=review,
        by=b.admin,
    )
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.make_aware(datetime.combine(created, time(9)))
    )
    action.refresh_from_db()
    _story(b, action, demo)
    return action


def _story(b: Builder, action: Action, demo: Demo) -> None:
    author = b.author(action)
    rng = b.rng
    story = demo.story
    if story == "notstarted":
        return
    first = action.original_due or b.today
    # An early update, a few months after the plan began.
    early = b.past(b.start + timedelta(days=rng.randint(60, 150)))
    if story == "ongoing":
        for months_ago in (12, 6):
            when = add_months(b.today, -months_ago)
            if when > b.start:
                services.record_update(
                    action,
                    by=author,
                    status=Progress.GREEN,
                    text=rng.choice(EARLIER),
                    on=when,
                    new_review_date=add_months(when, 6),
                )
        services.record_update(
            action,
            by=author,
            status=Progress.GREEN,
            text=demo.latest,
            on=b.today - timedelta(days=rng.randint(10, 40)),
            new_review_date=add_months(b.today, rng.choice([2, 3, 4])),
        )
        return
    if early < first:
        services.record_update(
            action, by=author, status=Progress.GREEN, text=rng.choice(EARLIER), on=early
        )
    if story == "done":
        completed = b.past(first - timedelta(days=rng.randint(2, 30)))
        evidence = None
        if demo.ref == "2.1":
            evidence = SimpleUploadedFile(
                "graded-care-profile-training-report.txt",
                b"Graded care profile training: 212 practitioners trained across six agencies.\n",
                content_type="text/plain",
            )
        services.record_completion(
            action,
            by=author,
            evidence_text=demo.latest,
            completed_on=completed,
            evidence_file=evidence,
        )
        services.confirm_completion(
            action, by=b.chair(action), on=b.past(completed + timedelta(days=rng.randint(3, 20)))
        )
        if demo.ref in {"2.1", "3.1", "5.2"}:
            services.record_impact(
                action,
                by=b.chair(action),
                text={
                    "2.1": "Tested through the neglect case file audit: the graded care profile "
                    "was used in 9 of 12 cases, and plans were clearer where it was.",
                    "3.1": "Schools report acting on notifications the same morning; audit of "
                    "20 notifications found support recorded for 17 children.",
                    "5.2": "Three months on, 71% of attendees said they had changed how they "
                    "record professional curiosity; supervision audits agree.",
                }[demo.ref],
                on=b.past(completed + timedelta(days=120)),
            )
        return
    if story in {"late", "slipped"}:
        # The date moves once (twice for some), each time with its reason.
        moves = 1 if story == "late" or rng.random() < 0.5 else 2
        new_due = first
        when = first - timedelta(days=rng.randint(10, 30))
        if story == "slipped":
            when = min(when, b.today - timedelta(days=rng.randint(60, 120)))
        for _ in range(moves):
            new_due = month_end(*_ym(add_months(new_due, rng.choice([2, 3, 4]))))
            if story == "slipped" and new_due <= b.today:
                new_due = month_end(*_ym(add_months(b.today, rng.choice([1, 2, 4]))))
            services.record_update(
                action,
                by=author,
                status=Progress.AMBER,
                text="Delivery will be later than planned.",
                on=b.past(when),
                new_due=new_due,
                due_reason=rng.choice(SLIP_REASONS),
            )
            when = min(new_due - timedelta(days=20), b.today - timedelta(days=45))
        if story == "late":
            services.record_completion(
                action,
                by=author,
                evidence_text=demo.latest,
                completed_on=b.past(new_due - timedelta(days=rng.randint(1, 15))),
            )
            services.confirm_completion(
                action, by=b.chair(action), on=b.past(new_due + timedelta(days=rng.randint(3, 20)))
            )
        else:
            services.record_update(
                action,
                by=author,
                status=Progress.GREEN if rng.random() < 0.6 else Progress.AMBER,
                text=demo.latest,
                on=b.today - timedelta(days=rng.randint(5, 40)),
            )
        return
    if story == "overdue":
        services.record_update(
            action,
            by=author,
            status=Progress.RED,
            text=demo.latest,
            on=b.today - timedelta(days=rng.randint(10, 50)),
        )
        return
    if story == "ontrack":
        services.record_update(
            action,
            by=author,
            status=Progress.GREEN,
            text=demo.latest,
            on=b.today - timedelta(days=rng.randint(5, 45)),
        )
        return
    if story == "stale":
        services.record_update(
            action,
            by=author,
            status=Progress.AMBER,
            text=demo.latest,
            on=b.today - timedelta(days=rng.randint(130, 170)),
        )
        return
    if story == "awaiting":
        services.record_completion(
            action,
            by=author,
            evidence_text=demo.latest,
            completed_on=b.today - timedelta(days=rng.randint(3, 12)),
        )


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _meeting_actions(b: Builder) -> list[Action]:
    """Actions agreed at the last three board meetings, reporting back to later ones."""
    ctx = b.ctx
    board = ctx.groups["board"]
    held = list(
        Meeting.objects.filter(group=board, status=MeetingStatus.HELD, date__lt=b.today).order_by(
            "-date"
        )[:3]
    )
    upcoming = list(
        Meeting.objects.filter(group=board, date__gte=b.today)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date")
    )
    texts = [
        ("Bring the mental health recovery plan, with waiting times by month.", "agency:NCMH"),
        ("Write to agencies below 80% attendance.", "person:chair"),
        ("Report how many return home interviews were offered within 72 hours.", "agency:NCS"),
        ("Circulate the draft annual report for comment.", "person:admin"),
        ("Confirm the police lead for the exploitation subgroup.", "agency:NP"),
        ("Bring the Section 11 moderation findings.", "group:pqa"),
    ]
    created = []
    for index, meeting in enumerate(reversed(held)):
        later = [
            m
            for m in Meeting.objects.filter(group=board, date__gt=meeting.date)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("date")
        ]
        report_to = later[0] if later else (upcoming[0] if upcoming else None)
        for text, owner in texts[index * 2 : index * 2 + 2]:
            due = report_to.date - timedelta(days=7) if report_to else meeting.date + timedelta(60)
            action = services.create_action(
                partnership=ctx.partnership,
                source=Source.MEETING,
                source_record=meeting,
                source_label=str(meeting),
                text=text,
                owner=b.owner(owner),
                group=board,
                due=due,
                report_to=report_to,
                by=b.admin,
            )
            author = b.author(action)
            if due < b.today:
                if b.rng.random() < 0.75:
                    services.record_completion(
                        action,
                        by=author,
                        evidence_text="Done and reported at the next meeting.",
                        completed_on=b.past(due - timedelta(days=b.rng.randint(0, 10))),
                    )
                    services.confirm_completion(
                        action, by=b.ctx.people["chair"], on=b.past(due + timedelta(days=7))
                    )
                else:
                    services.record_update(
                        action,
                        by=author,
                        status=Progress.RED,
                        text="Not yet done: the information is still being gathered.",
                        on=b.past(due + timedelta(days=3)),
                    )
            created.append(action)
    return created


def _other_sources(b: Builder) -> None:
    """The one tracker: actions from an inspection, and (until their modules add their own)
    an audit, a case review and a Section 11 follow-up."""
    ctx = b.ctx
    items = [
        (
            Source.INSPECTION,
            "pqa",
            f"Joint targeted area inspection, {b.fy - 1}: children’s mental health, "
            "recommendation 2",
            "Make sure children referred to mental health services get a risk assessment "
            "while they wait.",
            "agency:NCMH",
            add_months(b.today, 1),
        ),
        (
            Source.INSPECTION,
            "pqa",
            f"Joint targeted area inspection, {b.fy - 1}: children’s mental health, "
            "recommendation 4",
            "Record the child’s voice in every assessment of mental health need.",
            "agency:ICB",
            add_months(b.today, -1),
        ),
        (
            Source.OTHER,
            "pqa",
            "Multi-agency case file audit: neglect",
            "Use chronologies in every neglect case open for more than six months.",
            "agency:NCS",
            add_months(b.today, 2),
        ),
        (
            Source.OTHER,
            "lip",
            "Child safeguarding practice review: Child T, recommendation 3",
            "Make sure GPs are invited to, and send reports for, every child protection "
            "conference.",
            "agency:ICB",
            b.today + timedelta(days=10),
        ),
        (
            Source.OTHER,
            "pqa",
            "Section 11 follow-up: standard 7, safe recruitment",
            "Evidence that every volunteer in a regulated role has an enhanced DBS check.",
            "agency:NVA",
            b.today + timedelta(days=6),
        ),
    ]
    for source, group, label, text, owner, due in items:
        action = services.create_action(
            partnership=ctx.partnership,
            source=source,
            source_label=label,
            text=text,
            owner=b.owner(owner),
            group=ctx.groups[group],
            due=due,
            by=b.admin,
        )
        services.record_update(
            action,
            by=b.author(action),
            status=Progress.AMBER,
            text="Action plan agreed; first steps under way.",
            on=b.today - timedelta(days=b.rng.randint(10, 60)),
        )


def _risks(b: Builder) -> list[Any]:
    ctx = b.ctx
    risks = []
    for index, (title, owner, first, now, target, controls) in enumerate(RISKS, start=1):
        owner_obj = b.owner(owner) if ":" in owner else ctx.groups[owner]
        added = add_months(b.today, -24) - timedelta(days=b.rng.randint(5, 40))
        risk = services.create_risk(
            partnership=ctx.partnership,
            reference=f"R{index}",
            title=title,
            description="",
            controls=controls,
            owner=owner_obj,
            likelihood=first[0],
            impact=first[1],
            target_score=target,
            on=added,
            by=b.admin,
        )
        # Reviewed twice a year; the last review of a few is overdue.
        when = add_months(added, 6)
        steps = []
        while when <= b.today:
            steps.append(when)
            when = add_months(when, 6)
        if index in (3, 9) and steps:
            steps = steps[:-1]  # missed the last review
        for number, day in enumerate(steps, start=1):
            last = number == len(steps)
            likelihood = now[0] if last else (first[0] + now[0] + 1) // 2
            impact = now[1] if last else first[1]
            services.review_risk(
                risk,
                likelihood=likelihood,
                impact=impact,
                note="Reviewed by the executive group."
                + (" Controls strengthened." if likelihood < first[0] else ""),
                on=day,
                by=b.admin,
            )
        risks.append(risk)
    # One risk closed during the report's year (the year before the demo's): on the register
    # before the year, gone from it at the year's end, and named as closed in the year.
    closed_on = date(b.fy, 1, 15)
    added = add_months(closed_on, -14)
    risk = services.create_risk(
        partnership=ctx.partnership,
        reference=f"R{len(RISKS) + 1}",
        title="The new arrangements are not ready in time",
        description="",
        controls="Transition plan agreed by the three partners; weekly checks by the executive.",
        owner=ctx.groups["exec"],
        likelihood=3,
        impact=4,
        target_score=4,
        on=added,
        by=b.admin,
    )
    services.review_risk(
        risk,
        likelihood=2,
        impact=3,
        note="Reviewed by the executive group. Controls strengthened.",
        on=add_months(added, 6),
        by=b.admin,
    )
    services.change_risk(
        risk,
        title=risk.title,
        description=risk.description,
        controls=risk.controls,
        target_score=risk.target_score,
        owner=risk.owner,
        review_date=risk.review_date,
        reference=risk.reference,
        status=RiskStatus.CLOSED,
        closed_on=closed_on,
    )
    risks.append(risk)
    return risks


def _challenges(b: Builder) -> list[Any]:
    ctx = b.ctx
    board = ctx.groups["board"]
    challenges = []
    for index, (agency, subject, detail, story) in enumerate(CHALLENGES):
        raised = b.today - timedelta(days=[200, 240, 70, 90, 20, 300][index])
        due = raised + timedelta(days=42)
        challenge = services.raise_challenge(
            partnership=ctx.partnership,
            agency=ctx.agencies[agency],
            subject=subject,
            detail=detail,
            raised_on=raised,
            response_due=due,
            raised_by=ctx.people["chair"],
            raised_by_group=board,
        )
        lead = ctx.people["healthlead"] if agency == "NHFT" else None
        if story.startswith("responded") or story.startswith("closed"):
            services.record_response(
                challenge,
                response={
                    "NCMH": "The trust has a recovery plan: eight new posts, four filled, and "
                    "a waiting-list risk review every month.",
                    "NP": "Missing episodes now go to children’s services the same day through "
                    "the new referral route.",
                    "NHFT": "A new automated extract will be live for the next quarter.",
                    "ICB": "Funding is confirmed for two years; the service starts in the "
                    "spring after procurement.",
                }[agency],
                on=due - timedelta(days=5),
                by=lead,
            )
        if story == "responded_escalated":
            services.escalate_challenge(
                challenge,
                to="Chief executives of the trust and the ICB",
                note="Waits have not fallen since the response: the board asked the chair to "
                "write to the chief executives.",
                on=due + timedelta(days=60),
            )
        if story == "closed_resolved":
            services.close_challenge(
                challenge,
                outcome="resolved",
                note="Interview offers within 72 hours rose from 62% to 81%.",
                on=due + timedelta(days=30),
            )
        if story == "closed_partly":
            services.close_challenge(
                challenge,
                outcome="partly_resolved",
                note="Funding confirmed; the board will check the service starts on time.",
                on=due + timedelta(days=20),
            )
        challenges.append(challenge)
    return challenges
