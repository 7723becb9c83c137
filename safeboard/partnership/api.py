"""API for the partnership: agencies, people and roles, areas and populations, groups,
meetings, attendance and the attendance report."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from safeboard.core.api_helpers import PatchSchema, apply, get_or_404, require
from safeboard.core.converters import LARGEST_ID
from safeboard.core.errors import ServiceError
from safeboard.core.periods import PeriodError, parse_period

from . import selectors, services
from .access import PartnershipRequest, partnerships_of
from .clocks import running as running_clocks
from .models import (
    Agency,
    Area,
    AttendanceStatus,
    Group,
    GroupKind,
    Meeting,
    MeetingStatus,
    MemberRole,
    PartnerStatus,
    Person,
    Role,
    RoleAssignment,
    Sector,
)
from .registers import RegisterReader

router = Router(tags=["Partnership"])
MANAGE = "partnership.manage"
CHANGE = "partnership.change_record"  # a group's records: not a joint group's, elsewhere
P = "/partnerships/{partnership}"


# --- schemas ------------------------------------------------------------------------------


class PartnershipOut(Schema):
    slug: str
    name: str
    short_name: str


class MembershipOut(Schema):
    partnership: PartnershipOut
    person_id: int
    roles: list[str]


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]


class AgencyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40)
    sector: Sector
    status: PartnerStatus = PartnerStatus.RELEVANT_AGENCY
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    replaces: list[int] = Field(
        default_factory=list, description="Ids of the agencies this one took over from."
    )


class AgencyPatch(PatchSchema):
    nullable = frozenset({"valid_from", "valid_to"})

    name: str | None = Field(None, max_length=200)
    short_name: str | None = Field(None, max_length=40)
    sector: Sector | None = None
    status: PartnerStatus | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    replaces: list[int] | None = Field(
        None, description="Ids of the agencies this one took over from (replaces the list)."
    )


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    sector: str
    status: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    replaces: list[int]

    @staticmethod
    def resolve_replaces(obj: Agency) -> list[int]:
        return sorted(a.pk for a in obj.replaces.all())


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    email: str = Field("", max_length=254)
    job_title: str = Field("", max_length=200)
    agency_id: int | None = None
    active: bool = True


class PersonPatch(PatchSchema):
    nullable = frozenset({"agency_id"})

    name: str | None = Field(None, max_length=120)
    email: str | None = Field(None, max_length=254)
    job_title: str | None = Field(None, max_length=200)
    agency_id: int | None = None
    active: bool | None = None


class RoleOut(Schema):
    id: int
    role: str
    agency_id: int | None


class PersonOut(Schema):
    id: int
    name: str
    email: str
    job_title: str
    agency_id: int | None
    active: bool
    has_account: bool
    roles: list[RoleOut]

    @staticmethod
    def resolve_has_account(obj: Person) -> bool:
        return obj.user_id is not None

    @staticmethod
    def resolve_roles(obj: Person) -> list[RoleAssignment]:
        return list(obj.roles.all())


class RoleIn(Schema):
    role: Role
    agency_id: int | None = None


class PopulationOut(Schema):
    year: str
    children: int
    source: str

    @staticmethod
    def resolve_year(obj) -> str:
        return obj.financial_year


class AreaOut(Schema):
    id: int
    name: str
    la_number: int
    ons_code: str
    region: str
    populations: list[PopulationOut]

    @staticmethod
    def resolve_populations(obj: Area) -> list:
        return list(obj.populations.all())


class PopulationIn(Schema):
    children: int = Field(gt=0)
    source: str = ""


class ObjectiveOut(Schema):
    number: int
    text: str


class MemberOut(Schema):
    id: int
    person_id: int | None
    agency_id: int | None
    role: str
    start: dt.date | None
    end: dt.date | None


class GroupOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    purpose: str
    tor_approved: dt.date | None
    tor_review_due: dt.date | None
    joint: bool

    @staticmethod
    def resolve_joint(obj: Group) -> bool:
        return obj.is_joint


class GroupDetailOut(GroupOut):
    objectives: list[ObjectiveOut]
    members: list[MemberOut]

    @staticmethod
    def resolve_objectives(obj: Group) -> list:
        return list(obj.objectives.all())

    @staticmethod
    def resolve_members(obj: Group) -> list:
        return list(obj.memberships.all())


class GroupIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field("", max_length=40)
    kind: GroupKind
    parent_id: int | None = None
    purpose: str = ""
    tor_approved: dt.date | None = None
    tor_review_due: dt.date | None = None


class MemberIn(Schema):
    person_id: int | None = None
    agency_id: int | None = None
    role: MemberRole = MemberRole.MEMBER
    start: dt.date | None = None


class ObjectiveIn(Schema):
    number: int = Field(ge=1, le=999)
    text: str = Field(min_length=1)


def _local_time(value: dt.time | None) -> dt.time | None:
    if value is not None and value.tzinfo is not None:
        raise ValueError("give the local time without a time zone, for example 14:00")
    return value


class MeetingIn(Schema):
    group_id: int
    date: dt.date
    start_time: dt.time | None = None
    location: str = Field("", max_length=200)
    status: MeetingStatus = MeetingStatus.SCHEDULED
    decisions: str = ""

    _local = field_validator("start_time")(_local_time)


class MeetingPatch(PatchSchema):
    nullable = frozenset({"start_time"})

    date: dt.date | None = None
    start_time: dt.time | None = None
    location: str | None = Field(None, max_length=200)
    status: MeetingStatus | None = None
    decisions: str | None = None

    _local = field_validator("start_time")(_local_time)


class MeetingOut(Schema):
    id: int
    group_id: int
    group: str
    date: dt.date
    start_time: str | None = Field(description="Local time, HH:MM")
    location: str
    status: str
    decisions: str

    @staticmethod
    def resolve_group(obj: Meeting) -> str:
        return obj.group.name

    @staticmethod
    def resolve_start_time(obj: Meeting) -> str | None:
        return obj.start_time.strftime("%H:%M") if obj.start_time else None


class AttendanceOut(Schema):
    person_id: int | None
    agency_id: int | None
    status: str
    deputy_name: str


class AttendanceIn(Schema):
    person_id: int | None = None
    agency_id: int | None = None
    status: AttendanceStatus
    deputy_name: str = ""


class PaperOut(Schema):
    id: int
    title: str
    sensitivity: str
    agency_id: int | None
    uploaded_at: dt.datetime


class AgencyAttendanceOut(Schema):
    agency_id: int | None
    agency: str
    meetings_expected: int
    meetings_attended: int
    apologies: int
    rate_percent: float | None


class AttendanceReportOut(Schema):
    year: str
    groups: list[str]
    meetings: int
    overall_rate_percent: float | None
    target_percent: float
    agencies: list[AgencyAttendanceOut]


# --- endpoints ----------------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="You and your partnerships")
def me(request: PartnershipRequest) -> dict:
    from .access import membership

    memberships = []
    for partnership in partnerships_of(request.user):
        member = membership(request.user, partnership)
        if member is not None:
            memberships.append(
                {
                    "partnership": partnership,
                    "person_id": member.person.pk,
                    "roles": sorted(member.roles),
                }
            )
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "memberships": memberships,
    }


@router.get("/partnerships", response=list[PartnershipOut], summary="Partnerships you belong to")
def partnership_list(request: PartnershipRequest) -> list:
    return partnerships_of(request.user)


@router.get(P + "/agencies", response=list[AgencyOut])
def agency_list(request: PartnershipRequest, partnership: str) -> list:
    return list(Agency.objects.all())


@router.post(P + "/agencies", response={201: AgencyOut})
def agency_create(request: PartnershipRequest, partnership: str, payload: AgencyIn):
    require(request, MANAGE)
    if Agency.objects.filter(short_name__iexact=payload.short_name).exists():
        raise ServiceError(f"Another agency already has the short name ‘{payload.short_name}’")
    data = payload.dict()
    predecessors = _predecessors(data.pop("replaces"), None)
    agency = services.save(Agency(**data), request.partnership)
    agency.replaces.set(predecessors)
    return Status(201, agency)


def _predecessors(ids: list[int], agency: Agency | None) -> list[Agency]:
    """The agencies named as predecessors: of this partnership, and not the agency itself."""
    # An id no database row can have (0, negative, beyond 64 bits) is simply not found.
    found = list(Agency.objects.filter(pk__in=[i for i in ids if 0 < i <= LARGEST_ID]))
    missing = sorted(set(ids) - {a.pk for a in found})
    if missing:
        raise ServiceError(
            "No agency of this partnership has the id " + ", ".join(str(i) for i in missing)
        )
    if agency is not None and agency in found:
        raise ServiceError("An agency cannot replace itself")
    return found


@router.get(P + "/agencies/{agency_id}", response=AgencyOut)
def agency_detail(request: PartnershipRequest, partnership: str, agency_id: int):
    return get_or_404(Agency.objects, pk=agency_id)


@router.patch(P + "/agencies/{agency_id}", response=AgencyOut)
def agency_update(
    request: PartnershipRequest, partnership: str, agency_id: int, payload: AgencyPatch
):
    agency = get_or_404(Agency.objects, pk=agency_id)
    require(request, MANAGE)
    data = payload.dict(exclude_unset=True)
    replaces = data.pop("replaces", None)
    predecessors = _predecessors(replaces, agency) if replaces is not None else None
    saved = services.save(apply(agency, data), request.partnership)
    if predecessors is not None:
        saved.replaces.set(predecessors)
    return saved


def _people():
    return Person.objects.prefetch_related("roles")


@router.get(P + "/people", response=list[PersonOut])
def person_list(
    request: PartnershipRequest,
    partnership: str,
    agency_id: int | None = None,
    include_inactive: bool = False,
):
    people = _people()
    if agency_id is not None:
        people = people.filter(agency_id=agency_id)
    if not include_inactive:
        people = people.filter(active=True)
    return list(people)


def _check_agency(agency_id: int | None) -> None:
    if agency_id is not None and not Agency.objects.filter(pk=agency_id).exists():
        raise ServiceError(f"There is no agency {agency_id} in this partnership")


@router.post(P + "/people", response={201: PersonOut})
def person_create(request: PartnershipRequest, partnership: str, payload: PersonIn):
    require(request, MANAGE)
    _check_agency(payload.agency_id)
    person = services.save(Person(**payload.dict()), request.partnership)
    return Status(201, person)


@router.get(P + "/people/{person_id}", response=PersonOut)
def person_detail(request: PartnershipRequest, partnership: str, person_id: int):
    return get_or_404(_people(), pk=person_id)


@router.patch(P + "/people/{person_id}", response=PersonOut)
def person_update(
    request: PartnershipRequest, partnership: str, person_id: int, payload: PersonPatch
):
    person = get_or_404(_people(), pk=person_id)
    require(request, MANAGE)
    data = payload.dict(exclude_unset=True)
    _check_agency(data.get("agency_id"))
    return services.save(apply(person, data), request.partnership)


@router.post(P + "/people/{person_id}/roles", response={201: RoleOut})
def role_add(request: PartnershipRequest, partnership: str, person_id: int, payload: RoleIn):
    person = get_or_404(Person.objects, pk=person_id)
    require(request, MANAGE)
    agency = get_or_404(Agency.objects, pk=payload.agency_id) if payload.agency_id else None
    return Status(201, services.assign_role(person, payload.role, agency, by=request.member.person))


@router.delete(P + "/people/{person_id}/roles/{role_id}", response={204: None})
def role_remove(request: PartnershipRequest, partnership: str, person_id: int, role_id: int):
    assignment = get_or_404(RoleAssignment.objects, pk=role_id, person_id=person_id)
    require(request, MANAGE)
    services.remove_role(assignment)
    return Status(204, None)


@router.get(P + "/areas", response=list[AreaOut])
def area_list(request: PartnershipRequest, partnership: str):
    return list(Area.objects.prefetch_related("populations"))


@router.put(P + "/areas/{area_id}/populations/{year}", response=PopulationOut)
def population_set(
    request: PartnershipRequest, partnership: str, area_id: int, year: str, payload: PopulationIn
):
    area = get_or_404(Area.objects, pk=area_id)
    require(request, MANAGE)
    try:
        period = parse_period(year)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if period.kind != "fy":
        raise HttpError(400, f"‘{year}’ is not a financial year: write it as 2016-17")
    return services.set_population(area, period.start.year, payload.children, payload.source)


@router.get(P + "/groups", response=list[GroupOut])
def group_list(request: PartnershipRequest, partnership: str, kind: GroupKind | None = None):
    groups = Group.objects.all()
    if kind:
        groups = groups.filter(kind=kind)
    return list(groups)


@router.post(P + "/groups", response={201: GroupDetailOut})
def group_create(request: PartnershipRequest, partnership: str, payload: GroupIn):
    require(request, MANAGE)
    if payload.parent_id is not None:
        get_or_404(Group.objects.filter(partnership=request.partnership), pk=payload.parent_id)
    group = services.save(Group(**payload.dict()), request.partnership)
    return Status(201, group)


@router.get(P + "/groups/{group_id}", response=GroupDetailOut)
def group_detail(request: PartnershipRequest, partnership: str, group_id: int):
    return get_or_404(Group.objects, pk=group_id)


@router.post(P + "/groups/{group_id}/members", response={201: MemberOut})
def member_add(request: PartnershipRequest, partnership: str, group_id: int, payload: MemberIn):
    group = get_or_404(Group.objects, pk=group_id)
    require(request, CHANGE, group)
    person = get_or_404(Person.objects, pk=payload.person_id) if payload.person_id else None
    agency = get_or_404(Agency.objects, pk=payload.agency_id) if payload.agency_id else None
    member = services.add_member(
        group, person=person, agency=agency, role=payload.role, start=payload.start
    )
    return Status(201, member)


@router.post(P + "/groups/{group_id}/objectives", response={201: ObjectiveOut})
def objective_add(
    request: PartnershipRequest, partnership: str, group_id: int, payload: ObjectiveIn
):
    from .models import Objective

    group = get_or_404(Group.objects, pk=group_id)
    require(request, CHANGE, group)
    if Objective.objects.filter(group=group, number=payload.number).exists():
        raise ServiceError(f"Objective {payload.number} already exists")
    objective = Objective(group=group, number=payload.number, text=payload.text)
    return Status(201, services.save(objective, request.partnership))


def _meetings():
    return Meeting.objects.select_related("group")


@router.get(P + "/meetings", response=list[MeetingOut])
def meeting_list(
    request: PartnershipRequest,
    partnership: str,
    group_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    meetings = _meetings()
    if group_id is not None:
        meetings = meetings.filter(group_id=group_id)
    if date_from:
        meetings = meetings.filter(date__gte=date_from)
    if date_to:
        meetings = meetings.filter(date__lte=date_to)
    return list(meetings[:1000])


@router.post(P + "/meetings", response={201: MeetingOut})
def meeting_create(request: PartnershipRequest, partnership: str, payload: MeetingIn):
    group = get_or_404(Group.objects, pk=payload.group_id)
    require(request, CHANGE, group)
    meeting = Meeting(**payload.dict())
    meeting.group = group
    return Status(201, services.save(meeting, request.partnership))


@router.get(P + "/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: PartnershipRequest, partnership: str, meeting_id: int):
    return get_or_404(_meetings(), pk=meeting_id)


@router.patch(P + "/meetings/{meeting_id}", response=MeetingOut)
def meeting_update(
    request: PartnershipRequest, partnership: str, meeting_id: int, payload: MeetingPatch
):
    meeting = get_or_404(_meetings(), pk=meeting_id)
    require(request, CHANGE, meeting)
    return services.save(apply(meeting, payload.dict(exclude_unset=True)), request.partnership)


@router.get(P + "/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
def attendance_list(request: PartnershipRequest, partnership: str, meeting_id: int):
    meeting = get_or_404(Meeting.objects, pk=meeting_id)
    return list(meeting.attendance.all())


@router.put(P + "/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
def attendance_set(
    request: PartnershipRequest, partnership: str, meeting_id: int, payload: list[AttendanceIn]
):
    meeting = get_or_404(_meetings(), pk=meeting_id)
    require(request, "partnership.record_attendance", meeting)
    seats = {(m.person_id, m.agency_id): m for m in services.expected_members(meeting)}
    lines = []
    for item in payload:
        person = get_or_404(Person.objects, pk=item.person_id) if item.person_id else None
        agency = get_or_404(Agency.objects, pk=item.agency_id) if item.agency_id else None
        if person is None and agency is None:
            raise ServiceError("Each attendance line needs a person_id or an agency_id")
        seat = seats.get((item.person_id, item.agency_id or (person.agency_id if person else None)))
        lines.append(services.AttendanceLine(seat, person, agency, item.status, item.deputy_name))
    return services.record_attendance(meeting, lines)


@router.get(P + "/meetings/{meeting_id}/papers", response=list[PaperOut])
def paper_list(request: PartnershipRequest, partnership: str, meeting_id: int):
    meeting = get_or_404(Meeting.objects, pk=meeting_id)
    return RegisterReader.for_request(request).visible(meeting.papers.all())


@router.get(
    P + "/attendance",
    response=AttendanceReportOut,
    summary="Attendance by agency (or, with by=seat, by seat) for a financial year",
)
def attendance_report(
    request: PartnershipRequest,
    partnership: str,
    year: str,
    group_id: int | None = None,
    by: Literal["agency", "seat"] = "agency",
):
    try:
        period = parse_period(year)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if period.kind != "fy":
        raise HttpError(400, f"‘{year}’ is not a financial year: write it as 2016-17")
    groups = (
        [get_or_404(Group.objects, pk=group_id)]
        if group_id
        else list(Group.objects.filter(kind=GroupKind.BOARD))
    )
    report = (
        selectors.attendance_by_seat(period, groups)
        if by == "seat"
        else selectors.attendance_by_agency(period, groups)
    )
    return {
        "year": period.label,
        "groups": [g.name for g in groups],
        "meetings": report.meetings,
        "overall_rate_percent": report.overall_rate,
        "target_percent": report.target,
        "agencies": [
            {
                "agency_id": r.agency.pk if r.agency else None,
                "agency": r.label,
                "meetings_expected": r.expected,
                "meetings_attended": r.attended,
                "apologies": r.apologies,
                "rate_percent": r.rate,
            }
            for r in report.rows
        ],
    }


class ClockOut(Schema):
    id: int
    kind: str
    label: str
    restricted_register: str
    start: dt.date
    length: str
    due: dt.date
    done: dt.date | None
    state: str
    days_left: int


@router.get(
    P + "/clocks",
    response=list[ClockOut],
    summary="Statutory clocks of the records you may open, nearest due first",
)
def clock_list(
    request: PartnershipRequest,
    partnership: str,
    view: Literal["soon", "overdue", "due_soon", "running", "done"] = "running",
) -> Any:
    today = dt.date.today()
    shown = RegisterReader.for_request(request).visible(running_clocks(request.member, today, view))
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "label": c.label,
            "restricted_register": c.register,
            "start": c.start,
            "length": c.length.label,
            "due": c.due,
            "done": c.done,
            "state": c.state(today),
            "days_left": c.days_left(today),
        }
        for c in shown
    ]
