"""Read-side queries for the partnership: attendance rates and the group structure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db.models import Q, QuerySet

from safeboard.core.periods import Period, fy_label

from .models import (
    ATTENDED,
    Agency,
    Area,
    AreaPopulation,
    Attendance,
    Group,
    GroupMembership,
    Meeting,
    MeetingStatus,
    MemberRole,
    Person,
)

# Members who sit in their own right, for no agency (an independent chair, lay members).
NO_AGENCY = "Independent members"


@dataclass
class AgencyAttendance:
    """One row of attendance: an agency; a person who holds no agency (an independent chair,
    a lay member: each their own row, never merged); or, by seat, one seat."""

    agency: Agency | None
    expected: int = 0  # meetings at which the agency (person, seat) had a seat
    attended: int = 0  # of those, meetings it came to (in person or by deputy)
    apologies: int = 0
    meetings: set[int] = field(default_factory=set)
    person_name: str = ""  # a person who holds no agency
    seat: str = ""  # the seat, for attendance by seat
    key: tuple[Any, ...] = ()  # what the row counts (`_place`): the meetings grid's rows

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.expected if self.expected else None

    @property
    def label(self) -> str:
        if self.seat:
            return self.seat
        if self.agency:
            return self.agency.name
        return f"{self.person_name} (no agency)" if self.person_name else NO_AGENCY

    @property
    def short_label(self) -> str:
        if self.seat:
            return self.seat.split(",")[0]
        if self.agency:
            return self.agency.short_name
        return self.person_name or "Independent"


@dataclass
class AttendanceReport:
    year: Period
    groups: list[Group]
    rows: list[AgencyAttendance]
    meetings: int
    target: float = 80.0
    by: str = "agency"  # "agency" or "seat"

    @property
    def expected(self) -> int:
        return sum(row.expected for row in self.rows)

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.rows)

    @property
    def overall_rate(self) -> float | None:
        return 100.0 * self.attended / self.expected if self.expected else None


def _held(year: Period, groups: list[Group]) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        meeting__group__in=groups,
        meeting__date__gte=year.start,
        meeting__date__lte=year.end,
        meeting__status=MeetingStatus.HELD,
    )


def _tally(row: AgencyAttendance, by_meeting: dict[int, set[str]]) -> AgencyAttendance:
    for statuses in by_meeting.values():
        row.expected += 1
        if statuses & ATTENDED:
            row.attended += 1
        elif "apologies" in statuses:
            row.apologies += 1
    return row


def _place(
    by: str, membership_id: int | None, agency_id: int | None, person_id: int | None
) -> tuple[Any, ...]:
    """What one attendance record counts towards: by agency, its agency, or the person when
    they hold no agency (each such person their own place, never merged); by seat, its seat
    (a membership of the group), or the agency and person of an attendee without one."""
    if by == "seat":
        return ("seat", membership_id) if membership_id else ("place", agency_id, person_id)
    return ("agency", agency_id) if agency_id is not None else ("person", person_id)


def attendance_by_agency(year: Period, groups: Iterable[Group]) -> AttendanceReport:
    """Attendance by agency at the groups' meetings held in the financial year.

    An agency counts once per meeting: expected if any of its seats was listed, attended if
    any of its people came or sent a deputy. A person who holds no agency (an independent
    chair, a lay member) is a row of their own: such people are never merged into one row.
    The rate is attended / expected, the definition used for the published indicator
    (target 80 %).
    """
    groups = list(groups)
    rows = _held(year, groups).values_list("meeting_id", "agency_id", "person_id", "status")
    per_place: dict[tuple[str, int | None], dict[int, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    meetings: set[int] = set()
    for meeting_id, agency_id, person_id, status in rows:
        key = cast(tuple[str, int | None], _place("agency", None, agency_id, person_id))
        per_place[key][meeting_id].add(status)
        meetings.add(meeting_id)
    agencies = Agency.objects.in_bulk([i for kind, i in per_place if kind == "agency" and i])
    people = Person.objects.in_bulk([i for kind, i in per_place if kind == "person" and i])
    report_rows = []
    for (kind, pk), by_meeting in per_place.items():
        if kind == "agency":
            row = AgencyAttendance(agency=agencies.get(pk) if pk else None)
        else:
            person = people.get(pk) if pk else None
            row = AgencyAttendance(agency=None, person_name=person.name if person else "")
        row.key = (kind, pk)
        report_rows.append(_tally(row, by_meeting))
    report_rows.sort(key=lambda r: (r.agency is None, r.label))
    return AttendanceReport(year=year, groups=groups, rows=report_rows, meetings=len(meetings))


def attendance_by_seat(year: Period, groups: Iterable[Group]) -> AttendanceReport:
    """Attendance by seat: each seat (a membership of the group) its own row, so that four
    seats of one council that attend differently show as four rows (seed 004 counts so)."""
    groups = list(groups)
    rows = _held(year, groups).values_list(
        "meeting_id", "membership_id", "agency_id", "person_id", "status"
    )
    per_seat: dict[tuple[int | None, int | None, int | None], dict[int, set[str]]] = defaultdict(
        lambda: defaultdict(set)
    )
    meetings: set[int] = set()
    for meeting_id, membership_id, agency_id, person_id, status in rows:
        key = (membership_id, None, None) if membership_id else (None, agency_id, person_id)
        per_seat[key][meeting_id].add(status)
        meetings.add(meeting_id)
    seats = GroupMembership.objects.select_related("person", "agency", "person__agency").in_bulk(
        [m for m, _, _ in per_seat if m]
    )
    agencies = Agency.objects.in_bulk([a for _, a, _ in per_seat if a])
    people = Person.objects.in_bulk([p for _, _, p in per_seat if p])
    report_rows = []
    for (seat_id, seat_agency_id, seat_person_id), by_meeting in per_seat.items():
        seat = seats.get(seat_id) if seat_id else None
        if seat is not None:
            person, agency, chair = seat.person, seat.represents, seat.role == MemberRole.CHAIR
        else:
            person = people.get(seat_person_id) if seat_person_id else None
            agency = agencies.get(seat_agency_id) if seat_agency_id else None
            chair = False
        label = (person.name if person else (agency.name if agency else NO_AGENCY)) + (
            (f", {agency.name}" if person else "") if agency else " (no agency)"
        )
        if chair:
            label += ", chair"
        row = AgencyAttendance(
            agency=agency,
            seat=label,
            key=_place("seat", seat_id, seat_agency_id, seat_person_id),
        )
        report_rows.append(_tally(row, by_meeting))
    report_rows.sort(key=lambda r: r.label)
    return AttendanceReport(
        year=year, groups=groups, rows=report_rows, meetings=len(meetings), by="seat"
    )


def upcoming_meetings(
    groups: Iterable[Group] | None = None, *, limit: int = 5, today: date | None = None
):

    today = today or date.today()
    qs = Meeting.objects.filter(date__gte=today).exclude(status=MeetingStatus.CANCELLED)
    if groups is not None:
        qs = qs.filter(group__in=list(groups))
    return qs.select_related("group").order_by("date")[:limit]


def current_agencies(today: date) -> Any:
    """Agencies of the partnership today (joined, not yet left): the agencies list's default
    and the count on the home panel."""
    return Agency.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def current_groups(today: date) -> Any:
    """Groups that have not ended by today: the groups list's `?show=current` and the count on
    the home panel."""
    return Group.objects.filter(Q(ended__isnull=True) | Q(ended__gte=today))


def group_tree(groups: Iterable[Group]) -> list[tuple[Group, int]]:
    """Groups in structure order (each under its parent), with their depth."""
    groups = list(groups)
    children: dict[int | None, list[Group]] = defaultdict(list)
    ids = {g.pk for g in groups}
    for group in groups:
        parent = group.parent_id if group.parent_id in ids else None
        children[parent].append(group)
    ordered: list[tuple[Group, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for group in children.get(parent, []):
            ordered.append((group, depth))
            walk(group.pk, depth + 1)

    walk(None, 0)
    return ordered


@dataclass
class GridRow:
    label: str
    marks: list[str]  # per meeting: "present", "deputy", "apologies", "absent" or "" (no seat)
    rate: float | None
    previous_rate: float | None

    @property
    def trend(self) -> str:
        """ "up", "down", "same" against the year before, or "" when either is unknown."""
        if self.rate is None or self.previous_rate is None:
            return ""
        if round(self.rate) == round(self.previous_rate):
            return "same"
        return "up" if self.rate > self.previous_rate else "down"


@dataclass
class AttendanceGrid:
    meetings: list[Meeting]
    rows: list[GridRow]


def attendance_grid(report: AttendanceReport) -> AttendanceGrid:
    """The report's rows (agencies, or seats) against each meeting held in its year (who came
    to which), with each row's rate and its trend against the year before, for the same
    groups. Each row is marked by its own records (`_place`): people who hold no agency are
    never merged, and a seat is marked by that seat alone."""
    meetings = list(
        Meeting.objects.filter(
            group__in=report.groups,
            date__gte=report.year.start,
            date__lte=report.year.end,
            status=MeetingStatus.HELD,
        ).order_by("date", "start_time")
    )
    statuses: dict[tuple[int, tuple[Any, ...]], set[str]] = defaultdict(set)
    for meeting_id, membership_id, agency_id, person_id, status in Attendance.objects.filter(
        meeting__in=meetings
    ).values_list("meeting_id", "membership_id", "agency_id", "person_id", "status"):
        place = _place(report.by, membership_id, agency_id, person_id)
        statuses[(meeting_id, place)].add(status)
    counted = attendance_by_seat if report.by == "seat" else attendance_by_agency
    before = counted(report.year.previous(), report.groups)
    previous = {row.key: row.rate for row in before.rows}
    rows = []
    for row in report.rows:
        marks = []
        for meeting in meetings:
            found = statuses.get((meeting.pk, row.key), set())
            if not found:
                marks.append("")
            elif found & ATTENDED:
                marks.append("deputy" if found == {"deputy"} else "present")
            elif "apologies" in found:
                marks.append("apologies")
            else:
                marks.append("absent")
        rows.append(GridRow(row.label, marks, row.rate, previous.get(row.key)))
    return AttendanceGrid(meetings, rows)


# --- the child population a year's figures use --------------------------------------------


@dataclass(frozen=True)
class PopulationEstimate:
    """The child population used for a financial year: that year's estimate when every area
    has one, else the latest earlier year's (ONS mid-year estimates come out a year late).
    Every rate per 10,000 children and the report's population figure use this one rule."""

    for_year: int  # start year of the financial year the figures describe
    year: int  # start year of the financial year whose estimate is used (mid-`year` ONS)
    children: int
    areas: tuple[str, ...]

    @property
    def label(self) -> str:
        return fy_label(self.year)

    @property
    def is_earlier(self) -> bool:
        return self.year != self.for_year


def population_totals() -> dict[int, int]:
    """Children aged 0 to 17 summed over the partnership's areas, for each year every area
    has an estimate for (a year missing one area is not a total)."""
    areas = set(Area.objects.values_list("pk", flat=True))
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for area_id, year, children in AreaPopulation.objects.values_list(
        "area_id", "year", "children"
    ):
        by_year[year][area_id] = children
    return {
        year: sum(rows.values()) for year, rows in by_year.items() if areas and set(rows) >= areas
    }


def estimate_for(totals: dict[int, int], year: int) -> tuple[int, int] | None:
    """(estimate year, children) used for the financial year starting in `year`."""
    years = [y for y in totals if y <= year]
    if not years:
        return None
    best = max(years)
    return best, totals[best]


def population_estimate(year: int) -> PopulationEstimate | None:
    found = estimate_for(population_totals(), year)
    if found is None:
        return None
    names = tuple(Area.objects.order_by("name").values_list("name", flat=True))
    return PopulationEstimate(year, found[0], found[1], names)


# --- what existed in a year ---------------------------------------------------------------


def groups_in(year: Period) -> QuerySet[Group]:
    """The groups that existed at some time in the year: established by its end (or, with no
    date recorded, that met or had a member from on or before its end) and not ended before
    it began. A group recorded later with no sign of the year is not the year's."""
    dated = Q(established__isnull=False, established__lte=year.end)
    undated = Q(established__isnull=True) & (
        Q(pk__in=Meeting.objects.filter(date__lte=year.end).values("group_id"))
        | Q(
            pk__in=GroupMembership.objects.filter(start__isnull=False, start__lte=year.end).values(
                "group_id"
            )
        )
    )
    return Group.objects.filter(Q(ended__isnull=True) | Q(ended__gte=year.start)).filter(
        dated | undated
    )
