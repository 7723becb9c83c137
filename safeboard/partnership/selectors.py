"""Read-side queries for the partnership: attendance rates and the group structure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from safeboard.core.periods import Period

from .models import ATTENDED, Agency, Attendance, Group, Meeting, MeetingStatus

# Members who sit in their own right, for no agency (an independent chair, lay members).
NO_AGENCY = "Independent members"


@dataclass
class AgencyAttendance:
    agency: Agency | None
    expected: int = 0  # meetings at which the agency had a seat
    attended: int = 0  # of those, meetings it came to (in person or by deputy)
    apologies: int = 0
    meetings: set[int] = field(default_factory=set)

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.expected if self.expected else None

    @property
    def label(self) -> str:
        return self.agency.name if self.agency else NO_AGENCY

    @property
    def short_label(self) -> str:
        return self.agency.short_name if self.agency else "Independent"


@dataclass
class AttendanceReport:
    year: Period
    groups: list[Group]
    rows: list[AgencyAttendance]
    meetings: int
    target: float = 80.0

    @property
    def expected(self) -> int:
        return sum(row.expected for row in self.rows)

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.rows)

    @property
    def overall_rate(self) -> float | None:
        return 100.0 * self.attended / self.expected if self.expected else None


def attendance_by_agency(year: Period, groups: Iterable[Group]) -> AttendanceReport:
    """Attendance by agency at the groups' meetings held in the financial year.

    An agency counts once per meeting: expected if any of its seats was listed, attended if
    any of its people came or sent a deputy. The rate is attended / expected, the definition
    used for the published indicator (target 80 %).
    """
    groups = list(groups)
    start, end = year.start, year.end
    rows = Attendance.objects.filter(
        meeting__group__in=groups,
        meeting__date__gte=start,
        meeting__date__lte=end,
        meeting__status=MeetingStatus.HELD,
    ).values_list("meeting_id", "agency_id", "status")
    per_agency: dict[int | None, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    meetings: set[int] = set()
    for meeting_id, agency_id, status in rows:
        per_agency[agency_id][meeting_id].add(status)
        meetings.add(meeting_id)
    agencies = Agency.objects.in_bulk([a for a in per_agency if a is not None])
    report_rows = []
    for agency_id, by_meeting in per_agency.items():
        row = AgencyAttendance(agency=agencies.get(agency_id) if agency_id else None)
        for statuses in by_meeting.values():
            row.expected += 1
            if statuses & ATTENDED:
                row.attended += 1
            elif "apologies" in statuses:
                row.apologies += 1
        report_rows.append(row)
    report_rows.sort(key=lambda r: r.agency.name if r.agency else "~")
    return AttendanceReport(year=year, groups=groups, rows=report_rows, meetings=len(meetings))


def upcoming_meetings(
    groups: Iterable[Group] | None = None, *, limit: int = 5, today: date | None = None
):

    today = today or date.today()
    qs = Meeting.objects.filter(date__gte=today).exclude(status=MeetingStatus.CANCELLED)
    if groups is not None:
        qs = qs.filter(group__in=list(groups))
    return qs.select_related("group").order_by("date")[:limit]


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
    """The report's agencies against each meeting held in its year (who came to which), with
    each agency's rate and its trend against the year before, for the same groups."""
    meetings = list(
        Meeting.objects.filter(
            group__in=report.groups,
            date__gte=report.year.start,
            date__lte=report.year.end,
            status=MeetingStatus.HELD,
        ).order_by("date", "start_time")
    )
    statuses: dict[tuple[int, int | None], set[str]] = defaultdict(set)
    for meeting_id, agency_id, status in Attendance.objects.filter(
        meeting__in=meetings
    ).values_list("meeting_id", "agency_id", "status"):
        statuses[(meeting_id, agency_id)].add(status)
    before = attendance_by_agency(report.year.previous(), report.groups)
    previous = {row.agency.pk if row.agency else None: row.rate for row in before.rows}
    rows = []
    for row in report.rows:
        agency_id = row.agency.pk if row.agency else None
        marks = []
        for meeting in meetings:
            found = statuses.get((meeting.pk, agency_id), set())
            if not found:
                marks.append("")
            elif found & ATTENDED:
                marks.append("deputy" if found == {"deputy"} else "present")
            elif "apologies" in found:
                marks.append("apologies")
            else:
                marks.append("absent")
        rows.append(GridRow(row.label, marks, row.rate, previous.get(agency_id)))
    return AttendanceGrid(meetings, rows)
