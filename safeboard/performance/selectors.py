"""Reads of the dataset: what a round expects of each agency, returns and completeness,
change queries, scorecards and exception reports, an indicator's history.

`scorecard(partnership, period, theme=None, public=False)` is the one source of scorecard
figures for the web page, the exports, the command line, the API and the annual report. It
runs a fixed number of queries whatever the number of indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeboard.core import disclosure, periods
from safeboard.core.disclosure import SUPPRESSED, must_suppress
from safeboard.core.periods import Period
from safeboard.core.sensitivity import Sensitivity
from safeboard.core.sorting import natural_key
from safeboard.core.statistics import Missing, format_number, percentage_change, round_half_up
from safeboard.partnership import selectors as partnership_selectors
from safeboard.partnership.models import Agency, Area, Partnership

from . import rag as rules
from .comparators import Benchmarks, Comparison
from .models import (
    FREQUENCY_KINDS,
    RECENT,
    AgencyReturn,
    CollectionRound,
    Frequency,
    Indicator,
    RagOverride,
    ReturnStatus,
    RoundStatus,
    Target,
    Theme,
    Unit,
    Value,
)

# --- periods and targets ------------------------------------------------------------------

AnyTarget = TypeVar("AnyTarget", "Target", "TargetFigure")


def target_for(targets: Sequence[AnyTarget], period: Period) -> AnyTarget | None:
    """The target in force for `period`: the latest whose first year is not after the
    financial year in which the period ends."""
    year = periods.fy_containing(period.end).start.year
    chosen = None
    for target in sorted(targets, key=lambda t: (t.from_year is not None, t.from_year or 0)):
        if target.from_year is None or target.from_year <= year:
            chosen = target
    return chosen


def rule_of(target: Target | TargetFigure | None) -> rules.TargetRule | None:
    if target is None:
        return None
    return rules.TargetRule(target.low, target.high, target.tolerance, target.tolerance_is_percent)


def display(value: float | None, indicator: Indicator) -> str:
    """A value as the scorecard shows it: rounded, with its unit's sign."""
    if value is None:
        return ""
    text = format_number(value, indicator.decimals)
    if indicator.unit == Unit.PERCENT:
        return f"{text}%"
    if indicator.unit == Unit.MONEY:
        return f"£{text}" if not text.startswith("-") else f"-£{text[1:]}"
    return text


def displayed_number(value: float | None, decimals: int) -> float | int | None:
    """The value as displayed, as a JSON number."""
    if value is None:
        return None
    rounded = round_half_up(value, decimals)
    return int(rounded) if decimals == 0 else float(rounded)


# --- rounds and returns -------------------------------------------------------------------


def round_indicators(partnership: Partnership, agency: Agency | None = None) -> list[Indicator]:
    indicators = Indicator.objects.filter(active=True, owner__isnull=False).select_related("owner")
    if agency is not None:
        indicators = indicators.filter(owner=agency)
    return list(indicators)


def expected_periods(indicator: Indicator, round_period: Period) -> list[Period]:
    """The indicator's value periods that end within the round's period: a quarter's round
    collects its three months, the quarter, and (in Q4) the financial year."""
    kind = FREQUENCY_KINDS[Frequency(indicator.frequency)]
    found: list[Period] = []
    period = periods.last_period_of_kind(kind, round_period.end)
    while period.end >= round_period.start:
        found.append(indicator.period_of(period))
        period = period.previous()
    return sorted(found)


def owed_in(indicator: Indicator, collection: CollectionRound) -> bool:
    """An indicator is owed in a round if it existed when the round opened, or was added
    before the returns were due: one added to the dataset after a return was overdue is not
    added to that return (it is owed from the next round)."""
    created = indicator.created_at
    if created is None or collection.opened_at is None:
        return True
    return created <= collection.opened_at or timezone.localdate(created) <= collection.due


def expected_items(
    collection: CollectionRound, agency: Agency | None = None
) -> list[tuple[Indicator, Period]]:
    items = []
    for indicator in round_indicators(collection.partnership, agency):
        if not owed_in(indicator, collection):
            continue
        for period in expected_periods(indicator, collection.period_obj):
            items.append((indicator, period))
    return items


@dataclass
class ReturnRow:
    """One figure an agency owes in a return, with what it has given so far."""

    indicator: Indicator
    period: Period
    value: Value | None
    previous: Value | None
    query: str = ""

    @property
    def key(self) -> str:
        return f"{self.indicator.pk}-{self.period.label}"

    @property
    def given(self) -> bool:
        return self.value is not None

    @property
    def needs_comment(self) -> bool:
        return bool(self.query) and not (self.value and self.value.query_comment.strip())


def change_query(indicator: Indicator, value: float | None, previous: Value | None) -> str:
    """The query a figure raises when it moves more than the indicator's threshold from the
    previous period's (empty when it does not)."""
    if value is None or previous is None or previous.value is None:
        return ""
    old = previous.value
    before = display(old, indicator)
    if old == 0:
        if round_half_up(value, indicator.decimals) == 0:
            return ""
        return f"Up from 0 in {previous.period}: explain the change in a comment before sign-off"
    change = percentage_change(old, value)
    assert change is not None
    if abs(change) <= indicator.change_threshold:
        return ""
    direction = "Up" if change > 0 else "Down"
    return (
        f"{direction} {format_number(abs(change), 0)}% from {before} in {previous.period} "
        f"(more than {rules.plain(indicator.change_threshold)}%): explain the change in a "
        "comment before sign-off"
    )


def return_rows(agency_return: AgencyReturn) -> list[ReturnRow]:
    """The rows of an agency's return: every expected figure, the value given (if any), the
    previous period's value and the change query."""
    items = expected_items(agency_return.round, agency_return.agency)
    if not items:
        return []
    indicator_ids = {indicator.pk for indicator, _ in items}
    labels = set()
    for indicator, period in items:
        labels.add(period.label)
        labels.add(indicator.previous_period(period).label)
    current = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(
            indicator_id__in=indicator_ids, period__in=labels, current=True
        )
    }
    rows = []
    for indicator, period in items:
        value = current.get((indicator.pk, period.label))
        previous = current.get((indicator.pk, indicator.previous_period(period).label))
        query = change_query(indicator, value.value if value else None, previous)
        rows.append(ReturnRow(indicator, period, value, previous, query))
    return rows


@dataclass
class Completeness:
    agency_return: AgencyReturn
    expected: int
    given: int
    queries_open: int
    days_overdue: int

    @property
    def missing(self) -> int:
        return self.expected - self.given


def completeness(collection: CollectionRound, today: date | None = None) -> list[Completeness]:
    """Each agency's progress in the round: what it owes, what it has given, open queries,
    and days overdue (after the due date, until signed off)."""
    today = today or date.today()
    items = expected_items(collection)
    by_agency: dict[int, list[tuple[Indicator, Period]]] = defaultdict(list)
    for indicator, period in items:
        assert indicator.owner_id is not None
        by_agency[indicator.owner_id].append((indicator, period))
    labels = {p.label for _, p in items} | {i.previous_period(p).label for i, p in items}
    current = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(
            indicator_id__in={i.pk for i, _ in items}, period__in=labels, current=True
        )
    }
    report = []
    for agency_return in collection.returns.select_related(
        "agency", "signed_off_by", "submitted_by"
    ):
        owed = by_agency.get(agency_return.agency_id, [])
        given = 0
        queries = 0
        for indicator, period in owed:
            value = current.get((indicator.pk, period.label))
            if value is None:
                continue
            given += 1
            previous = current.get((indicator.pk, indicator.previous_period(period).label))
            if change_query(indicator, value.value, previous) and not value.query_comment.strip():
                queries += 1
        overdue = 0
        if agency_return.status != ReturnStatus.SIGNED_OFF and today > collection.due:
            overdue = (today - collection.due).days
        report.append(Completeness(agency_return, len(owed), given, queries, overdue))
    report.sort(
        key=lambda c: (-c.days_overdue, c.agency_return.status, c.agency_return.agency.name)
    )
    return report


def visible_returns(member: Any, collection: CollectionRound) -> list[AgencyReturn]:
    """The returns of a round a member may open: all for the business unit and analysts, their
    own agencies' for agency people, and other agencies' once signed off."""
    returns = collection.returns.select_related("agency")
    if member.sees_all_agencies:
        return list(returns)
    return [
        r
        for r in returns
        if r.agency_id in member.agency_ids or r.status == ReturnStatus.SIGNED_OFF
    ]


def readable_return(member: Any, round_id: int, agency_id: int) -> AgencyReturn | None:
    """The return, if the member may open it: their own agency's, any for the business unit,
    another agency's only once signed off. Before that it is the agency's draft (agency tier),
    so for anyone else it does not exist."""
    agency_return = (
        AgencyReturn.objects.select_related("agency", "round", "signed_off_by", "submitted_by")
        .filter(round_id=round_id, agency_id=agency_id)
        .first()
    )
    if agency_return is None:
        return None
    tier = Sensitivity.PARTNERSHIP if agency_return.is_signed_off else Sensitivity.AGENCY
    return agency_return if member.can_read(tier, agency_return.agency_id) else None


def populations(partnership: Partnership) -> dict[int, int]:
    """Children aged 0 to 17 in the partnership's areas, summed, by financial year start (the
    years every area has an estimate for: `partnership.selectors.population_totals`)."""
    return partnership_selectors.population_totals()


def primary_area(partnership: Partnership) -> Area | None:
    """The area whose national figures the partnership is compared with (the first by name
    when it covers several)."""
    return Area.objects.order_by("name").first()


# --- scorecard ----------------------------------------------------------------------------


@dataclass
class ScorecardRow:
    indicator: Indicator
    period: Period
    value: Figure | None
    raw: float | None
    status: str
    target: TargetFigure | None
    rag: str | None
    computed_rag: str | None
    override: RagOverride | None
    previous_period: Period
    previous_raw: float | None
    previous_status: str
    trend: str | None
    recent: list[tuple[Period, float | None]]
    comparison: Comparison | None
    suppressed: bool = False
    previous_suppressed: bool = False
    # A year's value of a monthly or quarterly indicator: its parts, and their sum (counts
    # and money, when every part is given).
    parts: list[Period] = field(default_factory=list)
    parts_total: float | None = None
    # Public: a part is suppressed, so their sum is not given (it would work the part out).
    parts_hidden: bool = False

    @property
    def parts_text(self) -> str:
        """How the year's value compares with its parts, in words ("" when not a year's
        value of a shorter-period indicator)."""
        if not self.parts:
            return ""
        kind = "quarters" if self.parts[0].kind == "quarter" else "months"
        if self.parts_hidden:
            return f"the year’s own figure (its {kind} are not all published)"
        if self.parts_total is None:
            return f"the year’s own figure (its {kind} are not all given, or are not added up)"
        if self.raw is not None and abs(self.parts_total - self.raw) < 0.5:
            return f"the year’s own figure; its {kind} add up to the same"
        return (
            f"the year’s own figure; its {kind} add up to "
            f"{display(self.parts_total, self.indicator)}"
        )

    @property
    def display(self) -> str:
        if self.raw is None:
            return self.status
        shown = display(self.raw, self.indicator)
        return f"{shown} ({self.status})" if self.status else shown

    @property
    def previous_display(self) -> str:
        if self.previous_raw is None:
            return self.previous_status
        shown = display(self.previous_raw, self.indicator)
        return f"{shown} ({self.previous_status})" if self.previous_status else shown

    @property
    def target_text(self) -> str:
        return rules.target_text(self.target.low, self.target.high) if self.target else "Not set"

    @property
    def target_label(self) -> str | None:
        if self.target is None or self.target.low is None:
            return None
        return rules.target_label(self.target.low, self.target.high)

    @property
    def rag_word(self) -> str:
        return rules.RAG_WORDS.get(self.rag or "", "No rating")

    @property
    def trend_word(self) -> str:
        return rules.TREND_WORDS.get(self.trend or "", "")

    @property
    def trend_arrow(self) -> str:
        return rules.TREND_ARROWS.get(self.trend or "", "")

    @property
    def status_text(self) -> str:
        if not self.status:
            return ""
        try:
            return Missing(self.status).description
        except ValueError:
            return self.status

    def comparator(self, name: str) -> str:
        """A comparator as displayed, in the indicator's decimals."""
        if self.comparison is None:
            return ""
        value = getattr(self.comparison, name)
        return display(value, self.indicator) if value is not None else ""

    def as_dict(self, public: bool = False) -> dict[str, Any]:
        """The scorecard's JSON form: exactly the documented keys. The public edition carries
        no unrounded figures: its `raw_value` is the value as displayed."""
        d = self.indicator.decimals
        comparison = self.comparison

        def number(value: float | None) -> float | int | None:
            return displayed_number(value, d)

        return {
            "indicator": self.indicator.code,
            "title": self.indicator.title,
            "unit": self.indicator.unit,
            "period": self.period.label,
            "value": number(self.raw) if self.raw is not None else self.status,
            "raw_value": (number(self.raw) if self.raw is not None else None)
            if public
            else self.raw,
            "status": self.status,
            "target": self.target_label,
            "rag": self.rag,
            "rag_overridden": self.override is not None and self.rag is not None,
            "previous_period": self.previous_period.label,
            "previous_value": number(self.previous_raw)
            if self.previous_raw is not None
            else self.previous_status,
            "trend": self.trend,
            "england": number(comparison.england) if comparison else None,
            "region": number(comparison.region) if comparison else None,
            "statistical_neighbours": number(comparison.sn_average) if comparison else None,
            "rank": comparison.rank if comparison else None,
            "quartile": comparison.quartile if comparison else None,
        }


SCORECARD_KEYS = [
    "indicator",
    "title",
    "unit",
    "period",
    "value",
    "raw_value",
    "status",
    "target",
    "rag",
    "rag_overridden",
    "previous_period",
    "previous_value",
    "trend",
    "england",
    "region",
    "statistical_neighbours",
    "rank",
    "quartile",
]


@dataclass
class Scorecard:
    partnership: Partnership
    period: Period
    theme: Theme | None
    public: bool
    rows: list[ScorecardRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"R": 0, "A": 0, "G": 0, "": 0}
        for row in self.rows:
            counts[row.rag or ""] += 1
        return counts

    def as_list(self) -> list[dict[str, Any]]:
        return [row.as_dict(self.public) for row in self.rows]


def indicator_sort_key(indicator: Indicator) -> tuple[Any, ...]:
    """The scorecard's order: the position given (`order`), then those without one by the
    numbers in their code (3.2 before 3.10), so a new indicator does not jump to the top."""
    return (indicator.order is None, indicator.order or 0, natural_key(indicator.code))


def scorecard_indicators(theme: Theme | None = None) -> list[Indicator]:
    indicators = Indicator.objects.filter(active=True).select_related("owner")
    if theme is not None:
        indicators = indicators.filter(themes=theme)
    return sorted(indicators, key=indicator_sort_key)


def indicators_in_year(year: Period, theme: Theme | None = None) -> list[Indicator]:
    """The active indicators that belong to a year's report: those with a released value for
    a period ending in the year (whenever it was entered: late returns count), or a target
    that applies in the year (one set from a year up to it, or a standing target of an
    indicator recorded by the year's end). An indicator added later with nothing for the
    year is not in it."""
    with_value = Value.objects.filter(
        current=True, released=True, period_end__gte=year.start, period_end__lte=year.end
    ).values("indicator_id")
    dated_target = Target.objects.filter(
        from_year__isnull=False, from_year__lte=year.start.year
    ).values("indicator_id")
    standing_target = Target.objects.filter(
        from_year__isnull=True, indicator__created_at__date__lte=year.end
    ).values("indicator_id")
    belong = set(
        Indicator.objects.filter(
            Q(pk__in=with_value) | Q(pk__in=dated_target) | Q(pk__in=standing_target)
        ).values_list("pk", flat=True)
    )
    return [i for i in scorecard_indicators(theme) if i.pk in belong]


class Figure(NamedTuple):
    """A released value as the scorecard reads it (a light row, not a model instance)."""

    pk: int
    indicator_id: int
    period: str
    value: float | None
    numerator: float | None
    status: str
    note: str
    denominator: float | None


class TargetFigure(NamedTuple):
    """A target as the scorecard reads it (a light row, not a model instance)."""

    indicator_id: int
    from_year: int | None
    low: float | None
    high: float | None
    tolerance: float
    tolerance_is_percent: bool

    @property
    def label(self) -> str:
        return rules.target_label(self.low, self.high)


def scorecard(
    partnership: Partnership,
    period: Period,
    theme: Theme | None = None,
    public: bool = False,
    indicators: list[Indicator] | None = None,
) -> Scorecard:
    """The scorecard for a reporting `period`: each active indicator's released value as at
    its end, target, RAG (or its override), trend, recent values and national comparators.
    `public=True` applies disclosure control (core.disclosure): small counts, and rates and
    percentages with small numerators, become `c`, with their RAG, trend and rank."""
    if indicators is None:
        indicators = scorecard_indicators(theme)
    card = Scorecard(partnership, period, theme, public)
    if not indicators:
        return card
    ids = [i.pk for i in indicators]
    # Indicators of the same frequency and kind share their periods: work them out once.
    plans: dict[tuple[str, str], tuple[Period, Period, list[Period]]] = {}
    earliest = period.end
    for indicator in indicators:
        key = (indicator.frequency, indicator.period_kind)
        if key not in plans:
            own = indicator.latest_period(period.end)
            recent = indicator.recent_periods(own, RECENT[Frequency(indicator.frequency)])
            previous = indicator.previous_period(own)
            plans[key] = (own, previous, recent)
            earliest = min(earliest, recent[0].start, previous.start)
    values = {
        (f.indicator_id, f.period): f
        for f in map(
            Figure._make,
            Value.objects.filter(
                indicator_id__in=ids,
                current=True,
                released=True,
                period_end__gte=earliest,
                period_end__lte=period.end,
            )
            .order_by()
            .values_list(
                "id",
                "indicator_id",
                "period",
                "value",
                "numerator",
                "status",
                "note",
                "denominator",
            ),
        )
    }
    targets: dict[int, list[TargetFigure]] = defaultdict(list)
    for target in map(
        TargetFigure._make,
        Target.objects.filter(indicator_id__in=ids)
        .order_by()
        .values_list(
            "indicator_id", "from_year", "low", "high", "tolerance", "tolerance_is_percent"
        ),
    ):
        targets[target.indicator_id].append(target)
    overrides = {
        (o.indicator_id, o.period): o
        for o in RagOverride.objects.filter(
            indicator_id__in=ids, period__in={own.label for own, _, _ in plans.values()}
        ).order_by()
    }
    secondary = _years_with_hidden_parts(indicators, values) if public else frozenset()
    area = primary_area(partnership)
    bench = Benchmarks.load(
        area.la_number if area else None,
        [
            (i.national_code, plans[(i.frequency, i.period_kind)][0].end)
            for i in indicators
            if i.national_code
        ],
    )
    for indicator in indicators:
        own, previous, recent = plans[(indicator.frequency, indicator.period_kind)]
        parts: list[Period] = []
        if period.kind == "fy" and own.kind != "fy" and (indicator.pk, period.label) in values:
            # A monthly or quarterly indicator with a value for the year itself: the year's
            # scorecard shows that value, compared with the year's months or quarters.
            parts = [p for p in recent if period.contains(p.start) and period.contains(p.end)]
            own, previous = period, period.previous()
            recent = [period.shift(-i) for i in range(min(len(recent), 5) - 1, -1, -1)]
        row = _row(
            indicator,
            own,
            previous,
            recent,
            values,
            targets[indicator.pk],
            overrides,
            bench,
            public,
            secondary,
        )
        if parts:
            row.parts = parts
            given = [values.get((indicator.pk, p.label)) for p in parts]
            row.parts_hidden = any(_figure(v, indicator, public)[2] for v in given)
            if (
                Unit(indicator.unit) in (Unit.COUNT, Unit.MONEY)
                and len(parts) in (4, 12)
                and all(v is not None and v.value is not None for v in given)
            ):
                row.parts_total = sum(float(v.value) for v in given if v and v.value is not None)
        card.rows.append(row)
    return card


def _figure(
    value: Figure | None,
    indicator: Indicator,
    public: bool,
    secondary: frozenset[tuple[int, str]] = frozenset(),
) -> tuple[float | None, str, bool]:
    """(number, reason, suppressed) for a value, after disclosure control when public
    (`secondary`: the year's values hidden with a small quarter or month of theirs)."""
    if value is None:
        return None, Missing.NOT_AVAILABLE.value, False
    if value.value is None:
        return None, value.status, False
    if public and (
        must_suppress(
            value.value,
            unit=indicator.unit,
            numerator=value.numerator,
            denominator=value.denominator,
        )
        or (value.indicator_id, value.period) in secondary
    ):
        return None, SUPPRESSED, True
    return value.value, value.status, False  # "" or, beside a figure, tbc or u


def years_hidden_with_parts(indicator: Indicator, values: Iterable[Value]) -> frozenset[str]:
    """The periods of `values` (an indicator's) that a public output hides because a small
    quarter or month of theirs would be the year less the others (see `scorecard`)."""
    given = {
        (v.indicator_id, v.period): Figure(
            v.pk,
            v.indicator_id,
            v.period,
            v.value,
            v.numerator,
            v.status,
            v.note,
            v.denominator,
        )
        for v in values
    }
    return frozenset(label for _, label in _years_with_hidden_parts([indicator], given))


def _years_with_hidden_parts(
    indicators: list[Indicator], values: dict[tuple[int, str], Figure]
) -> frozenset[tuple[int, str]]:
    """The year's values (of counts given by quarter or month) that a public output hides
    with a small part: each quarter or month is published in its own period's scorecard, so
    a year's value that is their sum would give a suppressed one as the year less the
    others (`disclosure.suppress_linked`, the parts protected)."""
    counts = {
        i.pk: i
        for i in indicators
        if Unit(i.unit) == Unit.COUNT and i.frequency in (Frequency.QUARTERLY, Frequency.MONTHLY)
    }
    years = {
        key: periods.parse_period(key[1])
        for key, figure in values.items()
        if key[0] in counts and figure.value is not None
    }
    years = {key: p for key, p in years.items() if p.kind == "fy"}
    if not years:
        return frozenset()
    parts: dict[tuple[int, str], list[Figure]] = defaultdict(list)
    for figure in map(
        Figure._make,
        Value.objects.filter(
            indicator_id__in={key[0] for key in years},
            current=True,
            released=True,
            period_start__gte=min(p.start for p in years.values()),
            period_end__lte=max(p.end for p in years.values()),
        )
        .exclude(period__in={key[1] for key in years})
        .order_by()
        .values_list(
            "id",
            "indicator_id",
            "period",
            "value",
            "numerator",
            "status",
            "note",
            "denominator",
        ),
    ):
        part = periods.parse_period(figure.period)
        for (indicator_id, label), year in years.items():
            if (
                indicator_id == figure.indicator_id
                and year.contains(part.start)
                and year.contains(part.end)
            ):
                parts[(indicator_id, label)].append(figure)
    found = set()
    for key, given in parts.items():
        indicator = counts[key[0]]
        if len(given) not in (4, 12) or any(f.value is None for f in given):
            continue
        total = values[key].value
        assert total is not None
        if abs(sum(float(f.value or 0) for f in given) - total) >= 0.5:
            continue  # the year's own figure, not their sum
        hidden = frozenset(f.period for f in given if _figure(f, indicator, True)[2])
        if not hidden:
            continue
        figures: dict[Any, float | None] = {f.period: f.value for f in given}
        figures["year"] = total
        suppressed = disclosure.suppress_linked(
            figures,
            [disclosure.Equation(tuple(f.period for f in given), "year")],
            primary=lambda v: False,
            hidden=hidden,
            protect=frozenset(f.period for f in given),
        )
        if "year" in suppressed:
            found.add(key)
    return frozenset(found)


def _row(
    indicator: Indicator,
    own: Period,
    previous: Period,
    recent: list[Period],
    values: dict[tuple[int, str], Figure],
    targets: list[TargetFigure],
    overrides: dict[tuple[int, str], RagOverride],
    bench: Benchmarks,
    public: bool,
    secondary: frozenset[tuple[int, str]] = frozenset(),
) -> ScorecardRow:
    value = values.get((indicator.pk, own.label))
    raw, status, suppressed = _figure(value, indicator, public, secondary)
    prev_raw, prev_status, prev_suppressed = _figure(
        values.get((indicator.pk, previous.label)), indicator, public, secondary
    )
    target = target_for(targets, own)
    computed = rules.rag(raw, indicator.decimals, indicator.polarity, rule_of(target))
    override = overrides.get((indicator.pk, own.label))
    shown_rag = computed
    if override is not None and raw is not None:
        shown_rag = override.rag
    trend = rules.trend(raw, prev_raw, indicator.decimals, indicator.polarity)
    points = []
    for p in recent:
        figure, _, _ = _figure(values.get((indicator.pk, p.label)), indicator, public, secondary)
        points.append((p, figure))
    comparison = None
    if indicator.national_code:
        comparison = bench.compare(
            indicator.national_code,
            own.end,
            float(round_half_up(raw, indicator.decimals)) if raw is not None else None,
            indicator.polarity,
        )
    return ScorecardRow(
        indicator=indicator,
        period=own,
        value=value,
        raw=raw,
        status=status,
        target=target if target is not None and target.low is not None else None,
        rag=shown_rag,
        computed_rag=computed,
        override=override if raw is not None else None,
        previous_period=previous,
        previous_raw=prev_raw,
        previous_status=prev_status,
        trend=trend,
        recent=points,
        comparison=comparison,
        suppressed=suppressed,
        previous_suppressed=prev_suppressed,
    )


def exceptions(card: Scorecard) -> list[ScorecardRow]:
    """The exception report: red ratings, then amber ones that are getting worse (each in
    scorecard order)."""
    red = [row for row in card.rows if row.rag == rules.RED]
    worse = [row for row in card.rows if row.rag == rules.AMBER and row.trend == "declining"]
    return red + worse


@dataclass
class ExceptionLine:
    """A line of the exception report with the agency's commentary on its figure: the note
    given with it, the explanation of a large change, and the return it came in (a link for
    those who may open that return)."""

    row: ScorecardRow
    note: str = ""
    explanation: str = ""
    agency_return: AgencyReturn | None = None
    return_url: str = ""


def exception_lines(card: Scorecard, member: Any) -> list[ExceptionLine]:
    rows = exceptions(card)
    ids = [row.value.pk for row in rows if row.value is not None]
    values = {
        v.pk: v
        for v in Value.objects.filter(pk__in=ids).select_related(
            "agency_return__round", "agency_return__agency"
        )
    }
    lines = []
    for row in rows:
        value = values.get(row.value.pk) if row.value is not None else None
        line = ExceptionLine(row)
        if value is not None:
            line.note, line.explanation = value.note.strip(), value.query_comment.strip()
            found = value.agency_return
            if found is not None and readable_return(member, found.round_id, found.agency_id):
                line.agency_return = found
                line.return_url = reverse(
                    "performance:return",
                    kwargs={
                        "partnership": card.partnership.slug,
                        "pk": found.round_id,
                        "agency": found.agency_id,
                    },
                )
        lines.append(line)
    return lines


# --- an indicator's history ---------------------------------------------------------------


@dataclass
class HistoryRow:
    period: Period
    current: Value
    earlier: list[Value]
    target: Target | None
    rag: str | None
    override: RagOverride | None

    @property
    def display(self) -> str:
        if self.current.value is None:
            return self.current.status
        return display(self.current.value, self.current.indicator)


def indicator_history(indicator: Indicator, *, released_only: bool) -> list[HistoryRow]:
    """Every period's value of an indicator (newest first) with its earlier versions, the
    target in force, the RAG and any override."""
    versions = Value.objects.filter(indicator=indicator).select_related(
        "agency", "entered_by", "indicator"
    )
    if released_only:
        versions = versions.filter(released=True)
    by_period: dict[str, list[Value]] = defaultdict(list)
    for value in versions.order_by("period_end", "version"):
        by_period[value.period].append(value)
    targets = list(indicator.targets.all())
    overrides = {o.period: o for o in indicator.overrides.select_related("by")}
    rows = []
    for label, found in by_period.items():
        current = next((v for v in found if v.current), None)
        if current is None:
            continue
        period = periods.parse_period(label)
        target = target_for(targets, period)
        computed = rules.rag(current.value, indicator.decimals, indicator.polarity, rule_of(target))
        override = overrides.get(label) if current.value is not None else None
        rows.append(
            HistoryRow(
                period=period,
                current=current,
                earlier=[v for v in found if not v.current],
                target=target,
                rag=override.rag if override else computed,
                override=override,
            )
        )
    rows.sort(key=lambda r: r.period.end, reverse=True)
    return rows


def default_period(today: date | None = None) -> Period:
    """The period a scorecard opens on: the latest locked round's, when it is one of the last
    two quarters (its figures are complete); otherwise the last complete quarter."""
    latest = periods.last_complete_quarter(today)
    locked = (
        CollectionRound.objects.filter(status=RoundStatus.LOCKED, period_end__lte=latest.end)
        .order_by("-period_end")
        .first()
    )
    recent = (
        locked is not None
        and locked.period_obj.kind == "quarter"
        and locked.period_obj >= latest.previous()
    )
    return locked.period_obj if recent and locked is not None else latest


def reporting_periods(today: date | None = None, count: int = 12) -> list[Period]:
    """Quarters to choose from for a scorecard, newest first, and the last two years."""
    latest = periods.last_complete_quarter(today)
    quarters = [latest.shift(-i) for i in range(count)]
    years = [periods.last_period_of_kind("fy", latest.end).shift(-i) for i in range(3)]
    return quarters + years


def open_rounds_for(member: Any) -> list[tuple[CollectionRound, list[AgencyReturn]]]:
    """Open rounds and the returns in them that the member works on (home page panel)."""
    agency_ids = member.agency_ids
    found = []
    for collection in CollectionRound.objects.filter(status=RoundStatus.OPEN):
        returns = [
            r for r in collection.returns.select_related("agency") if r.agency_id in agency_ids
        ]
        if returns:
            found.append((collection, returns))
    return found


def agencies_by_name(partnership: Partnership) -> dict[str, Agency]:
    """Agencies by short name and by name, lower case, for reading files."""
    found: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        found[agency.name.lower()] = agency
        found[agency.short_name.lower()] = agency
    return found


def indicators_by_code(active_only: bool = False) -> dict[str, Indicator]:
    indicators = Indicator.objects.select_related("owner")
    if active_only:
        indicators = indicators.filter(active=True)
    return {i.code.lower(): i for i in indicators}


def return_contacts(agency_id: int) -> list[str]:
    """The email addresses that hear about an agency's return: its active contributors and
    leads who have one."""
    from safeboard.partnership.models import AGENCY_ROLES, RoleAssignment

    return sorted(
        {
            a.person.email
            for a in RoleAssignment.objects.filter(
                agency_id=agency_id, role__in=sorted(AGENCY_ROLES)
            ).select_related("person")
            if a.person.active and a.person.email
        }
    )


def agencies_without_lead(agency_ids: Iterable[int]) -> set[int]:
    """The agencies, among `agency_ids`, that have no agency safeguarding lead able to sign
    their return off (an active person with a sign-in holding the role for the agency)."""
    from safeboard.partnership.models import Role, RoleAssignment

    wanted = set(agency_ids)
    led = set(
        RoleAssignment.objects.filter(
            role=Role.AGENCY_LEAD,
            agency_id__in=sorted(wanted),
            person__active=True,
            person__user__isnull=False,
            person__user__is_active=True,
        ).values_list("agency_id", flat=True)
    )
    return wanted - led
