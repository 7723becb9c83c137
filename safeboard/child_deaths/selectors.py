"""Reads of the child death register: the annual tables, the agencies' outstanding forms, and
the lists. The tables count reviews *completed* in the financial year (the national
convention)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from safeboard.core import disclosure
from safeboard.core.periods import FinancialYear, Period, parse_period
from safeboard.core.statistics import round_half_up

from .constants import (
    AGE_BANDS,
    MODIFIABLE_ROWS,
    SEX_ROWS,
    TIME_BANDS,
    Category,
    Sex,
    age_band,
    category_row,
    time_band,
)
from .models import AgencyForm, ChildDeath, NationalFigure, PanelReview

# The tables, in order: file name (without .csv), heading of the first column, title.
TABLES: tuple[tuple[str, str, str], ...] = (
    ("sex", "Sex", "Sex of the child"),
    ("age", "Age at death", "Age at death"),
    ("category", "Category of death", "Category of death"),
    ("modifiable", "Modifiable factors", "Modifiable factors"),
    ("time-to-review", "Time to complete the review", "Time from death to review completion"),
)
ROWS: dict[str, tuple[str, ...]] = {
    "sex": SEX_ROWS,
    "age": AGE_BANDS,
    "category": tuple(category_row(c) for c in Category.values),
    "modifiable": MODIFIABLE_ROWS,
    "time-to-review": TIME_BANDS,
}
TOTAL = "Total"
NOT_APPLICABLE = "z"


@dataclass(frozen=True)
class Completed:
    """One completed review, as the tables need it."""

    sex: str
    born: date
    died: date
    category: int
    modifiable: bool
    completed: date


def year_period(label: str) -> Period:
    """A financial year from its label (`2015-16`)."""
    period = parse_period(label, bare_year="financial")
    if period.kind != "fy":
        raise ValueError(f"‘{label}’ is not a financial year: write it as 2015-16")
    return period


def completed_reviews(
    period: Period, *, panel: bool = False, partnership: Any = None
) -> list[Completed]:
    """Reviews completed within `period`, in the current scope. With `partnership`, only its
    own residents (a partnership's figures); with `panel`, every death reviewed by the panels
    it hosts, whoever's residents (the panel's figures)."""
    reviews = PanelReview.objects.filter(
        completed_on__gte=period.start, completed_on__lte=period.end
    )
    if partnership is not None:
        if panel:
            reviews = reviews.filter(death__panel__partnership=partnership)
        else:
            reviews = reviews.filter(death__partnership=partnership)
    return [
        Completed(sex, born, died, category, modifiable, completed)
        for sex, born, died, category, modifiable, completed in reviews.values_list(
            "death__sex",
            "death__date_of_birth",
            "death__date_of_death",
            "category",
            "modifiable",
            "completed_on",
        )
    ]


def row_of(table: str, review: Completed) -> str:
    """The row of `table` that counts `review`."""
    if table == "sex":
        return Sex(review.sex).label
    if table == "age":
        return age_band(review.born, review.died)
    if table == "category":
        return category_row(review.category)
    if table == "modifiable":
        return MODIFIABLE_ROWS[0] if review.modifiable else MODIFIABLE_ROWS[1]
    if table == "time-to-review":
        return time_band(review.died, review.completed)
    raise KeyError(table)


def percent(number: int, total: int) -> int | None:
    """A whole-number percentage (half up), or None when there is nothing to divide by."""
    if total == 0:
        return None
    return int(round_half_up(Decimal(number) * 100 / total, 0))


@dataclass
class YearTable:
    key: str
    heading: str
    title: str
    year: str
    counts: dict[str, int]
    total: int
    england: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, int, int | None]]:
        return [
            (label, self.counts[label], percent(self.counts[label], self.total))
            for label in ROWS[self.key]
        ]

    def csv_rows(self, *, public: bool = False) -> list[list[Any]]:
        """The table as written: each row's label, Number and Percent, then `Total`. Public:
        counts from 1 to 5 and any cell they could be recovered from are `c` (and so is a
        percentage of a hidden count)."""
        numbers = [self.counts[label] for label in ROWS[self.key]] + [self.total]
        hidden = [False] * len(numbers)
        if public:
            mask = disclosure.suppress_table([[n] for n in numbers], column_totals=True)
            hidden = [row[0] for row in mask]
        out: list[list[Any]] = []
        labels = [*ROWS[self.key], TOTAL]
        for label, number, hide in zip(labels, numbers, hidden, strict=True):
            share = percent(number, self.total)
            if hide:
                out.append([label, disclosure.SUPPRESSED, disclosure.SUPPRESSED])
            else:
                out.append([label, number, NOT_APPLICABLE if share is None else share])
        return out


def year_tables(reviews: Sequence[Completed], year: str) -> dict[str, YearTable]:
    """The five tables of one year's completed reviews."""
    found: dict[str, YearTable] = {}
    for key, heading, title in TABLES:
        counts = Counter({label: 0 for label in ROWS[key]})
        for review in reviews:
            counts[row_of(key, review)] += 1
        found[key] = YearTable(key, heading, title, year, dict(counts), len(reviews))
    return found


def england(year: str) -> dict[str, dict[str, Decimal]]:
    """England's published percentages of one year, by table and row."""
    found: dict[str, dict[str, Decimal]] = {}
    for figure in NationalFigure.objects.filter(year=year):
        found.setdefault(figure.table, {})[figure.row] = as_published(figure.percent)
    return found


def as_published(percent: Decimal) -> Decimal:
    """A percentage as England publishes it: 35, not the stored 35.00 (35.5 stays 35.5)."""
    if percent == percent.to_integral_value():
        return percent.quantize(Decimal(1))
    return percent.normalize()


def tables_for(year: str, *, partnership: Any, panel: bool = False) -> dict[str, YearTable]:
    """The year's tables (with England's percentages where loaded)."""
    period = year_period(year)
    tables = year_tables(
        completed_reviews(period, partnership=partnership, panel=panel), period.label
    )
    national = england(period.label)
    for key, table in tables.items():
        table.england = national.get(key, {})
    return tables


def years_beside(
    year: str, *, partnership: Any, panel: bool = False, count: int = 3
) -> list[dict[str, YearTable]]:
    """The year's tables and those of the `count - 1` years before it, oldest first."""
    period = year_period(year)
    start = period.start.year
    return [
        tables_for(FinancialYear(y).label, partnership=partnership, panel=panel)
        for y in range(start - count + 1, start + 1)
    ]


# --- agency forms -------------------------------------------------------------------------


@dataclass
class AgencyForms:
    agency: Any
    outstanding: list[AgencyForm]
    late: list[AgencyForm]
    returned: int
    returned_on_time: int
    incomplete: int


def forms_by_agency(forms: Iterable[AgencyForm], today: date) -> list[AgencyForms]:
    """Each agency's outstanding forms, the late ones among them, and how its returns went,
    as they stood on `today` (a report's year's end: a form returned after it was
    outstanding then)."""
    by_agency: dict[int, AgencyForms] = {}
    for form in forms:
        entry = by_agency.setdefault(form.agency_id, AgencyForms(form.agency, [], [], 0, 0, 0))
        if form.received_on is None or form.received_on > today:
            entry.outstanding.append(form)
            if form.is_late(today):
                entry.late.append(form)
        else:
            entry.returned += 1
            entry.returned_on_time += 1 if form.on_time else 0
            entry.incomplete += 1 if form.complete is False else 0
    return sorted(
        by_agency.values(), key=lambda e: (-len(e.late), -len(e.outstanding), e.agency.name)
    )


def deaths() -> Any:
    return ChildDeath.objects.select_related("partnership", "panel", "home_area", "review")


TO_RELEASE = "to_release"


def ready_for_panel() -> Any:
    """Deaths whose every requested form is in and whose review is not completed (the status
    "ready for the panel"), as one query."""
    return (
        ChildDeath.objects.filter(forms__isnull=False)
        .exclude(forms__received_on__isnull=True)
        .exclude(review__completed_on__isnull=False)
        .distinct()
    )


def to_release() -> Any:
    """Deaths whose completed review has recommendations the panel has not released."""
    return ChildDeath.objects.filter(
        review__completed_on__isnull=False,
        review__released_on__isnull=True,
        review__recommendations__isnull=False,
    ).distinct()
