"""National comparators for a partnership's indicators: England, its region, the average of
its statistical neighbours, and where its figure ranks among all local authorities.

The comparator period for a value is the latest national period that ends on or before the
value's period ends: the most recent figure published for that time. A rank places the
partnership's own (displayed) figure among every other LA's figure for that period; its own
LA's published figure is left out, so the partnership is not counted twice. Rank 1 is the
best by the indicator's polarity (the highest when polarity is `none`); the quartile band is
A (best quarter) to D, and is not given when polarity is `none`.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .models import (
    AreaKind,
    ComparatorArea,
    ComparatorPeriod,
    ComparatorValue,
    Measure,
    StatisticalNeighbour,
)

QUARTILES = "ABCD"


@dataclass(frozen=True)
class Comparison:
    """The national picture for one value."""

    measure: str
    period: str
    period_end: date
    england: float | None
    region: float | None
    region_name: str
    sn_average: float | None
    sn_count: int
    sn_total: int
    rank: int | None = None
    rank_of: int | None = None
    quartile: str | None = None


def rank_position(values_ascending: Sequence[float], ours: float, polarity: str) -> tuple[int, int]:
    """(rank, out of) of `ours` among `values_ascending` plus itself; ties share a rank."""
    total = len(values_ascending) + 1
    if polarity == "low":
        better = bisect.bisect_left(values_ascending, ours)
    else:
        better = len(values_ascending) - bisect.bisect_right(values_ascending, ours)
    return better + 1, total


def quartile(rank: int, total: int, polarity: str) -> str | None:
    """A (best quarter of the ranking) to D; none for polarity `none`."""
    if polarity not in ("high", "low") or total <= 0:
        return None
    index = min(3, max(0, math.ceil(rank * 4 / total) - 1))
    return QUARTILES[index]


def _remove_once(values: list[float], value: float) -> list[float]:
    index = bisect.bisect_left(values, value)
    if index < len(values) and values[index] == value:
        return values[:index] + values[index + 1 :]
    return values


@dataclass
class Benchmarks:
    """Everything needed to compare many indicators with national figures, fetched in a
    fixed number of queries whatever the number of indicators."""

    area: ComparatorArea | None
    measures: dict[str, int] = field(default_factory=dict)  # measure code -> id
    periods: dict[int, list[tuple[date, str, int]]] = field(default_factory=dict)
    neighbour_ids: list[int] = field(default_factory=list)
    values: dict[tuple[int, str, int], float | None] = field(default_factory=dict)
    la_values: dict[int, list[float]] = field(default_factory=dict)
    england_id: int | None = None

    @classmethod
    def load(cls, la_number: int | None, requests: Iterable[tuple[str, date]]) -> Benchmarks:
        """Load comparators for (measure code, value period end) pairs."""
        requests = list(requests)
        codes = {code for code, _ in requests if code}
        if not codes:
            return cls(area=None)
        area = (
            ComparatorArea.objects.select_related("region").filter(la_number=la_number).first()
            if la_number is not None
            else None
        )
        measures = dict(Measure.objects.filter(code__in=codes).values_list("code", "id"))
        if not measures:
            return cls(area=area)
        latest_end = max(end for _, end in requests)
        periods: dict[int, list[tuple[date, str, int]]] = defaultdict(list)
        for pk, measure_id, period, period_end in (
            ComparatorPeriod.objects.filter(
                measure_id__in=list(measures.values()), period_end__lte=latest_end
            )
            .order_by("period_end")
            .values_list("pk", "measure_id", "period", "period_end")
        ):
            periods[measure_id].append((period_end, period, pk))
        bench = cls(area=area, measures=measures, periods=dict(periods))
        chosen: dict[int, set[str]] = defaultdict(set)
        period_ids: set[int] = set()
        for code, end in requests:
            found = bench.period_for(code, end)
            if found is not None:
                chosen[measures[code]].add(found[1])
                period_ids.add(found[2])
        if not chosen:
            return bench
        bench.england_id = (
            ComparatorArea.objects.filter(kind=AreaKind.ENGLAND)
            .values_list("pk", flat=True)
            .first()
        )
        area_ids = {bench.england_id} if bench.england_id else set()
        if area is not None:
            bench.neighbour_ids = list(
                StatisticalNeighbour.objects.filter(area=area)
                .order_by("position")
                .values_list("neighbour_id", flat=True)
            )
            area_ids |= {area.pk, *bench.neighbour_ids}
            if area.region_id:
                area_ids.add(area.region_id)
        all_periods = {p for labels in chosen.values() for p in labels}
        # No ordering: the models' default orderings would join other tables to sort.
        for measure_id, period, area_id, value in (
            ComparatorValue.objects.filter(
                measure_id__in=list(chosen),
                period__in=sorted(all_periods),
                area_id__in=sorted(area_ids),
            )
            .order_by()
            .values_list("measure_id", "period", "area_id", "value")
        ):
            if period in chosen[measure_id]:
                bench.values[(measure_id, period, area_id)] = value
        bench.la_values = dict(
            ComparatorPeriod.objects.filter(pk__in=sorted(period_ids))
            .order_by()
            .values_list("pk", "la_values")
        )
        return bench

    def period_for(self, code: str, end: date) -> tuple[date, str, int] | None:
        """The latest national period of `code` ending on or before `end`."""
        measure_id = self.measures.get(code)
        if measure_id is None:
            return None
        candidates = self.periods.get(measure_id, [])
        index = bisect.bisect_right([c[0] for c in candidates], end)
        return candidates[index - 1] if index else None

    def compare(self, code: str, end: date, ours: float | None, polarity: str) -> Comparison | None:
        found = self.period_for(code, end)
        if found is None:
            return None
        period_end, period, period_id = found
        measure_id = self.measures[code]

        def value(area_id: int | None) -> float | None:
            return self.values.get((measure_id, period, area_id)) if area_id else None

        area = self.area
        region_id = area.region_id if area is not None else None
        neighbour_values = [v for v in (value(n) for n in self.neighbour_ids) if v is not None]
        rank = rank_of = band = None
        if ours is not None:
            others = list(self.la_values.get(period_id, []))
            own = value(area.pk) if area is not None else None
            if own is not None:
                others = _remove_once(others, own)
            if others:
                rank, rank_of = rank_position(others, ours, polarity)
                band = quartile(rank, rank_of, polarity)
        return Comparison(
            measure=code,
            period=period,
            period_end=period_end,
            england=value(self.england_id),
            region=value(region_id),
            region_name=area.region.name if area is not None and area.region else "",
            sn_average=sum(neighbour_values) / len(neighbour_values) if neighbour_values else None,
            sn_count=len(neighbour_values),
            sn_total=len(self.neighbour_ids),
            rank=rank,
            rank_of=rank_of,
            quartile=band,
        )


@dataclass(frozen=True)
class RankedArea:
    area: ComparatorArea
    value: float
    rank: int
    quartile: str | None


def ranking(measure: Measure, period: str, polarity: str | None = None) -> list[RankedArea]:
    """Every LA with a figure for `measure` in `period`, best first by polarity (highest
    first for `none`), with ties sharing a rank and quartile bands A to D."""
    polarity = polarity or measure.polarity
    rows = list(
        ComparatorValue.objects.filter(
            measure=measure, period=period, area__kind=AreaKind.LA, value__isnull=False
        ).select_related("area")
    )
    reverse = polarity != "low"
    rows.sort(key=lambda r: (-(r.value or 0) if reverse else (r.value or 0), r.area.name))
    total = len(rows)
    ranked: list[RankedArea] = []
    previous_value: float | None = None
    rank = 0
    for index, row in enumerate(rows, start=1):
        assert row.value is not None
        if row.value != previous_value:
            rank, previous_value = index, row.value
        ranked.append(RankedArea(row.area, row.value, rank, quartile(rank, total, polarity)))
    return ranked


def series(measure: Measure, la_number: int | None) -> dict[str, list[tuple[date, str, float]]]:
    """England, region and statistical-neighbour average over every period of `measure`,
    for charts: {'England': [(end, period, value)], ...}."""
    area = (
        ComparatorArea.objects.select_related("region").filter(la_number=la_number).first()
        if la_number is not None
        else None
    )
    england = ComparatorArea.objects.filter(kind=AreaKind.ENGLAND).first()
    neighbour_ids = (
        list(StatisticalNeighbour.objects.filter(area=area).values_list("neighbour_id", flat=True))
        if area is not None
        else []
    )
    region = area.region if area is not None else None
    wanted = {a.pk for a in (england, region) if a is not None} | set(neighbour_ids)
    out: dict[str, list[tuple[date, str, float]]] = defaultdict(list)
    by_period: dict[tuple[date, str], list[float]] = defaultdict(list)
    for area_id, period, end, value in (
        ComparatorValue.objects.filter(measure=measure, area_id__in=wanted, value__isnull=False)
        .order_by("period_end")
        .values_list("area_id", "period", "period_end", "value")
    ):
        assert value is not None
        if england is not None and area_id == england.pk:
            out["England"].append((end, period, value))
        if region is not None and area_id == region.pk:
            out[region.name].append((end, period, value))
        if area_id in neighbour_ids:
            by_period[(end, period)].append(value)
    for (end, period), values in sorted(by_period.items()):
        out["Statistical neighbours"].append((end, period, sum(values) / len(values)))
    return dict(out)
