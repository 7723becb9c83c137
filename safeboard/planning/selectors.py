"""Reads for planning: the tracker's filters, the plan's own indicators, a meeting's actions,
the reminders due, and the risk heat map.

The plan indicators are defined here and nowhere else (see docs/planning.md):

- **Completion within timescale** for a financial year, as at a date: of the plan's actions
  whose *original* due date falls in the year and has passed (ongoing actions excluded), the
  percentage completed, with completion confirmed, on or before that original due date. A due
  date moved later does not move the timescale: slippage counts against it. Actions still
  within their timescale are not counted until their due date passes or they are completed.
- **Overdue**: open actions whose current due date has passed.
- **Reviews overdue**: open ongoing actions whose review date has passed.
- **No update in the last quarter**: open actions with no dated update in the last three
  months (counted from their creation, when they have never had one).
- **RAG by theme**: open and completed actions counted by their current status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeboard.core import modules
from safeboard.core.dates import add_months
from safeboard.core.periods import FinancialYear, Period
from safeboard.core.sorting import natural_key
from safeboard.partnership.access import Membership
from safeboard.partnership.models import Agency, Group, Meeting, Person, Role
from safeboard.partnership.rules import chair_seats, current_chairs

from .models import (
    OPEN_STATES,
    Action,
    Challenge,
    Plan,
    Progress,
    Risk,
    RiskBand,
    RiskStatus,
    State,
    Theme,
    risk_band,
)

DUE_SOON_DAYS = 14
STALE_MONTHS = 3


def sort_actions(actions: Iterable[Action]) -> list[Action]:
    return sorted(
        actions,
        key=lambda a: (
            a.plan.first_year if a.plan_id and a.plan else 0,
            a.theme.number if a.theme_id and a.theme else 0,
            natural_key(a.reference),
            a.pk,
        ),
    )


# --- the tracker --------------------------------------------------------------------------

WHEN_CHOICES = [
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("due_soon", f"Due in the next {DUE_SOON_DAYS} days"),
    ("awaiting", "Awaiting confirmation of completion"),
    ("stale", "No update in the last quarter"),
    ("complete", "Complete"),
    ("all", "All"),
]

# The plan's completion within timescale, as a filter (with `year`, the financial year the
# original due date falls in): exactly the actions `completion_in_time` counts.
TIMESCALE_CHOICES = [
    ("due", "Due, and counted for completion within timescale"),
    ("in_time", "Completed within timescale"),
    ("late", "Completed late"),
    ("not_completed", "Past their original due date, not completed"),
]


@dataclass
class ActionFilter:
    """The tracker's filters; each narrows the list, and they combine."""

    who: str = ""  # "mine", "agency" or "confirm" (the member confirms their completion)
    group: Group | None = None
    agency: Agency | None = None
    source: str = ""
    plan: Plan | None = None
    theme: Theme | None = None
    status: str = ""
    # A date filter; empty: the open actions, or, with a status filter, actions of any date
    # (a status filter applies across all dates unless a date filter is given).
    when: str = ""
    q: str = ""
    record: int | None = None  # with `source`: the actions from one record (an indicator …)
    # The financial year (its first calendar year) the original due date falls in, and which
    # of the actions counted for completion within timescale (TIMESCALE_CHOICES).
    year: int | None = None
    timescale: str = ""

    @property
    def dates(self) -> str:
        return self.when or ("all" if self.status or self.year or self.timescale else "open")


def my_actions(member: Membership) -> Q:
    """Actions owned by the member as a person, or by a group they chair."""
    chaired = chair_seats(member.person).values("group_id")
    return Q(owner_person=member.person) | Q(owner_group__in=chaired)


def chaired_groups(member: Membership) -> list[int]:
    return list(chair_seats(member.person).values_list("group_id", flat=True))


def challenges_to_answer(member: Membership) -> QuerySet[Challenge]:
    """Open challenges to the agencies the member leads, not yet answered."""
    return Challenge.objects.filter(
        agency__in=member.agencies_for(Role.AGENCY_LEAD),
        responded_on__isnull=True,
        closed_on__isnull=True,
    ).order_by("response_due", "pk")


def to_confirm(member: Membership) -> Q:
    """Actions whose completion the member confirms: the business unit confirms any; a chair
    those overseen or owned by the groups they chair (`planning.confirm_action`)."""
    if member.is_admin:
        return Q()
    chaired = chair_seats(member.person).values("group_id")
    return Q(group__in=chaired) | Q(owner_group__in=chaired)


def agency_actions(agency_ids: Iterable[int]) -> Q:
    ids = list(agency_ids)
    return Q(owner_agency__in=ids) | Q(owner_person__agency__in=ids)


def readable(member: Membership) -> Q:
    """Actions the member may see: those not restricted, and those that inherited a register
    the member may open (`Action.register`)."""
    return Q(register="") | Q(register__in=open_registers(member))


def links_kept(action: Action, member: Membership, chosen: Iterable[Action]) -> list[Action]:
    """An action's new links: those chosen (each one the member may see), and the links to
    restricted actions the member may not see, which they can neither see nor drop."""
    hidden = list(action.links.exclude(readable(member))) if action.pk else []
    return [*chosen, *hidden]


def open_registers(member: Membership) -> list[str]:
    return [key for key in modules.registers() if member.may_open(key)]


def filter_actions(
    member: Membership, chosen: ActionFilter, today: date | None = None, *, closed: bool = False
) -> QuerySet[Action]:
    """The tracker: actions matching the filter that the member may see (with `closed`, the
    restricted ones they may not, to count them)."""
    today = today or timezone.localdate()
    actions = Action.objects.select_related(
        "plan", "theme", "owner_group", "owner_agency", "owner_person", "group"
    )
    actions = actions.exclude(readable(member)) if closed else actions.filter(readable(member))
    if chosen.who == "mine":
        actions = actions.filter(my_actions(member))
    elif chosen.who == "agency":
        actions = actions.filter(agency_actions(member.agency_ids))
    elif chosen.who == "confirm":
        actions = actions.filter(to_confirm(member))
    if chosen.group is not None:
        actions = actions.filter(Q(group=chosen.group) | Q(owner_group=chosen.group))
    if chosen.agency is not None:
        actions = actions.filter(agency_actions([chosen.agency.pk]))
    if chosen.source:
        actions = actions.filter(source=chosen.source)
        if chosen.record is not None:
            actions = actions.filter(source_id=chosen.record)
    if chosen.plan is not None:
        actions = actions.filter(plan=chosen.plan)
    if chosen.theme is not None:
        actions = actions.filter(theme=chosen.theme)
    if chosen.status:
        actions = actions.filter(status=chosen.status)
    if chosen.year is not None:
        year = FinancialYear(chosen.year)
        actions = actions.filter(original_due__gte=year.start, original_due__lte=year.end)
    if chosen.timescale:
        actions = actions.filter(timescale_filter(chosen.timescale, today))
    actions = actions.filter(when_filter(chosen.dates, today))
    if chosen.q:
        actions = actions.filter(
            Q(text__icontains=chosen.q)
            | Q(aim__icontains=chosen.q)
            | Q(reference__iexact=chosen.q)
            | Q(source_label__icontains=chosen.q)
        )
    # The date that matters first: the due date, or an ongoing action's review date.
    return actions.annotate(when=Coalesce("due", "review_date")).order_by(
        "when", "plan__first_year", "theme__number", "reference", "pk"
    )


def timescale_filter(timescale: str, today: date) -> Q:
    """As `completion_in_time` counts them as at `today`: actions with an original due date,
    not ongoing, whose original due date has passed or that are complete (`due`); of those,
    completed on or before the original due date (`in_time`), after it (`late`), or not
    completed (`not_completed`)."""
    complete = Q(state=State.COMPLETE, completed_on__isnull=False)
    due = Q(ongoing=False, original_due__isnull=False) & (Q(original_due__lt=today) | complete)
    if timescale == "in_time":
        return due & complete & Q(completed_on__lte=F("original_due"))
    if timescale == "late":
        return due & complete & Q(completed_on__gt=F("original_due"))
    if timescale == "not_completed":
        return due & ~complete
    return due


def when_filter(when: str, today: date) -> Q:
    if when == "overdue":
        return Q(state=State.OPEN, due__lt=today)
    if when == "due_soon":
        return Q(state=State.OPEN, due__gte=today, due__lte=today + timedelta(DUE_SOON_DAYS))
    if when == "awaiting":
        return Q(state=State.AWAITING_CONFIRMATION)
    if when == "stale":
        # As `is_stale`: open, last updated (or, never updated, created) over a quarter ago.
        since = stale_since(today)
        return Q(state=State.OPEN) & (
            Q(last_update_on__lt=since) | Q(last_update_on__isnull=True, created_at__date__lt=since)
        )
    if when == "complete":
        return Q(state=State.COMPLETE)
    if when == "all":
        return Q()
    return Q(state__in=OPEN_STATES)


# --- the plan's own indicators ------------------------------------------------------------


@dataclass
class CompletionInTime:
    """Completion within timescale for one period (see the module's docstring)."""

    period: Period
    as_at: date
    due: int = 0  # actions whose original due date is in the period and has passed
    in_time: int = 0  # of those, completed on or before the original due date
    late: int = 0  # completed after it
    not_completed: int = 0  # not (yet) completed, or carried forward
    in_time_ids: list[int] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.in_time / self.due if self.due else None

    @property
    def in_progress(self) -> bool:
        return self.period.contains(self.as_at)


def completion_in_time(actions: Iterable[Action], period: Period, as_at: date) -> CompletionInTime:
    result = CompletionInTime(period=period, as_at=as_at)
    for action in actions:
        original = action.original_due
        if action.ongoing or original is None or not period.contains(original):
            continue
        complete = action.state == State.COMPLETE and action.completed_on is not None
        if original >= as_at and not complete:
            continue  # still within its timescale
        result.due += 1
        if complete and action.completed_on is not None and action.completed_on <= original:
            result.in_time += 1
            result.in_time_ids.append(action.pk)
        elif complete:
            result.late += 1
        else:
            result.not_completed += 1
    return result


@dataclass
class ThemeRag:
    theme: Theme | None
    counts: dict[str, int]
    awaiting: int = 0
    carried: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanIndicators:
    plan: Plan
    as_at: date
    years: list[CompletionInTime]
    whole: CompletionInTime
    overdue: list[Action]
    reviews_overdue: list[Action]
    stale: list[Action]
    rag: list[ThemeRag]
    total: int

    @property
    def current_year(self) -> CompletionInTime | None:
        """The year the indicator is reported for: the year containing the date, or the
        plan's last year once it has ended."""
        for year in self.years:
            if year.period.contains(self.as_at):
                return year
        past = [y for y in self.years if y.period.end < self.as_at]
        return past[-1] if past else (self.years[0] if self.years else None)

    @property
    def rag_total(self) -> int:
        return sum(row.total for row in self.rag)

    @property
    def rag_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(Progress.values, 0)
        for row in self.rag:
            for status, count in row.counts.items():
                totals[status] += count
        return totals


def stale_since(today: date) -> date:
    return add_months(today, -STALE_MONTHS)


def is_stale(action: Action, today: date) -> bool:
    if action.state != State.OPEN:
        return False
    since = stale_since(today)
    last = action.last_update_on or action.created_at.date()
    return last < since


def plan_indicators(plan: Plan, today: date | None = None) -> PlanIndicators:
    today = today or timezone.localdate()
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("plan", "theme", "owner_group", "owner_agency", "owner_person")
        .prefetch_related("due_changes", "updates")
    )
    years = [
        completion_in_time(actions, FinancialYear(y), today)
        for y in range(plan.first_year, plan.last_year + 1)
    ]
    whole = completion_in_time(
        actions,
        Period("fy" if plan.first_year == plan.last_year else "span", plan.start, plan.end),
        today,
    )
    themes = list(Theme.objects.filter(plan=plan).order_by("number"))
    rows: dict[int | None, ThemeRag] = {
        t.pk: ThemeRag(theme=t, counts=dict.fromkeys(Progress.values, 0)) for t in themes
    }
    for action in actions:
        row = rows.get(action.theme_id)
        if row is None:
            row = rows[None] = rows.get(None) or ThemeRag(
                theme=None, counts=dict.fromkeys(Progress.values, 0)
            )
        if action.carried_forward_by(today):
            row.carried += 1
            continue
        row.counts[action.status_on(today)] += 1
        if action.state == State.AWAITING_CONFIRMATION and action.completed_by(today):
            row.awaiting += 1
    ordered = [rows[t.pk] for t in themes] + ([rows[None]] if None in rows else [])
    return PlanIndicators(
        plan=plan,
        as_at=today,
        years=years,
        whole=whole,
        overdue=sort_actions(a for a in actions if a.was_overdue(today)),
        reviews_overdue=sort_actions(a for a in actions if a.ongoing and a.review_overdue(today)),
        stale=sort_actions(a for a in actions if is_stale(a, today)),
        rag=ordered,
        total=len(actions),
    )


def tracker_counts(member: Membership, today: date | None = None) -> dict[str, int]:
    """Counts for the quick links above the tracker and the home page panel."""
    today = today or timezone.localdate()
    open_q = Q(state__in=OPEN_STATES)
    seen = Action.objects.filter(readable(member))
    mine = seen.filter(my_actions(member))
    agency = seen.filter(agency_actions(member.agency_ids))
    return {
        "mine": mine.filter(open_q).count(),
        "mine_overdue": mine.filter(when_filter("overdue", today)).count(),
        "agency": agency.filter(open_q).count() if member.agency_ids else 0,
        "agency_overdue": agency.filter(when_filter("overdue", today)).count()
        if member.agency_ids
        else 0,
        "overdue": seen.filter(when_filter("overdue", today)).count(),
        "due_soon": seen.filter(when_filter("due_soon", today)).count(),
        "awaiting": seen.filter(when_filter("awaiting", today)).count(),
    }


def current_plan(today: date | None = None) -> Plan | None:
    """The active plan covering today, else the latest active plan."""
    today = today or timezone.localdate()
    fy_start = today.year if today.month >= 4 else today.year - 1
    plans = Plan.objects.filter(status="active").order_by("-first_year")
    return plans.filter(first_year__lte=fy_start, last_year__gte=fy_start).first() or plans.first()


# --- meetings -----------------------------------------------------------------------------


def actions_from_meeting(meeting: Meeting, member: Membership) -> QuerySet[Action]:
    from django.contrib.contenttypes.models import ContentType

    return (
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(Meeting), source_id=meeting.pk
        )
        .filter(readable(member))
        .select_related("owner_group", "owner_agency", "owner_person")
    )


def actions_due_to_meeting(meeting: Meeting, member: Membership) -> list[Action]:
    """The meeting's pack: actions due back to this meeting, and the open actions of its group
    due by its date (or whose review falls by then)."""
    previous = (
        Meeting.objects.filter(group=meeting.group, date__lt=meeting.date)
        .exclude(status="cancelled")
        .order_by("-date")
        .first()
    )
    since = previous.date if previous else None
    by_group = Q(group=meeting.group) | Q(owner_group=meeting.group)
    due_by = Q(due__lte=meeting.date) | Q(review_date__lte=meeting.date)
    window = Q(state__in=OPEN_STATES) & by_group & due_by
    if since is not None:
        # Completed since the last meeting: the pack reports them once.
        window |= by_group & Q(state=State.COMPLETE, completed_on__gt=since) & due_by
    actions = (
        Action.objects.filter(Q(report_to=meeting) | window)
        .filter(readable(member))
        .select_related("plan", "theme", "owner_group", "owner_agency", "owner_person")
    )
    return sorted(actions, key=lambda a: (a.due or a.review_date or meeting.date, a.pk))


# --- reminders ----------------------------------------------------------------------------


def reminder_recipients(action: Action) -> list[Person]:
    """Who is reminded about an action: the owning person; for an agency, its safeguarding
    leads (or, if it has none, its contributors); for a group, its chairs."""
    people: list[Person] = []
    if action.owner_person_id and action.owner_person is not None:
        people = [action.owner_person]
    elif action.owner_agency_id:
        from safeboard.partnership.models import RoleAssignment

        for role in (Role.AGENCY_LEAD, Role.AGENCY_CONTRIBUTOR):
            people = [
                ra.person
                for ra in RoleAssignment.objects.filter(
                    agency_id=action.owner_agency_id, role=role, person__active=True
                ).select_related("person")
            ]
            if people:
                break
    elif action.owner_group_id:
        people = [
            m.person
            for m in current_chairs(action.owner_group_id).select_related("person")
            if m.person is not None
        ]
    return [p for p in people if p.active and p.email]


def reminders_due(today: date) -> dict[Person, list[Action]]:
    """Open actions due within the next 14 days or overdue, by the person to remind, leaving
    out those already reminded in the last six days (so a weekly run reminds once)."""
    actions = (
        Action.objects.filter(state=State.OPEN, due__isnull=False)
        .filter(due__lte=today + timedelta(DUE_SOON_DAYS))
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=today - timedelta(6)))
        .select_related("owner_group", "owner_agency", "owner_person", "plan")
        .order_by("due", "pk")
    )
    by_person: dict[Person, list[Action]] = defaultdict(list)
    for action in actions:
        for person in reminder_recipients(action):
            by_person[person].append(action)
    return dict(by_person)


# --- the risk heat map --------------------------------------------------------------------


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    risks: list[Risk]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)


LIKELIHOOD_WORDS = {1: "rare", 2: "unlikely", 3: "possible", 4: "likely", 5: "almost certain"}
IMPACT_WORDS = {1: "negligible", 2: "minor", 3: "moderate", 4: "major", 5: "severe"}


@dataclass
class HeatMap:
    rows: list[tuple[int, str, list[HeatCell]]]  # impact 5 down to 1; likelihood 1 to 5
    bands: dict[str, int]
    columns: list[tuple[int, str]] = field(default_factory=lambda: list(LIKELIHOOD_WORDS.items()))

    @property
    def total(self) -> int:
        return sum(self.bands.values())


def heat_map(risks: Iterable[Risk]) -> HeatMap:
    grid: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    bands = {band.value: 0 for band in RiskBand}
    for risk in risks:
        if risk.status != RiskStatus.OPEN:
            continue
        grid[(risk.likelihood, risk.impact)].append(risk)
        bands[risk.band.value] += 1
    rows = [
        (
            impact,
            IMPACT_WORDS[impact],
            [HeatCell(lik, impact, grid.get((lik, impact), [])) for lik in range(1, 6)],
        )
        for impact in range(5, 0, -1)
    ]
    return HeatMap(rows=rows, bands=bands)
