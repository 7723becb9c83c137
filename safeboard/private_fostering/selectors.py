"""The private fostering service's reads: the overdue visits, and the annual figures (the
national collection's, kept after it stopped in 2016) with their table over years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q

from safeboard.core import disclosure
from safeboard.core.periods import FinancialYear, Period

from .models import AGENCY_SOURCES, Arrangement, AwarenessActivity, Source, Visit

NOTIFICATIONS_BY_SOURCE = "notifications-by-source.csv"
FIGURES = "figures.csv"
YEARS = "years.csv"


def overdue_visits(today: date) -> Any:
    """Visits not made whose due date has passed, in arrangements still open."""
    return (
        Visit.objects.filter(visited__isnull=True, due__lt=today)
        .filter(Q(arrangement__ended__isnull=True) | Q(arrangement__ended__gt=today))
        .select_related("arrangement")
        .order_by("due", "pk")
    )


SOON_WORKING_DAYS = 5


def visits_due_soon(today: date) -> Any:
    """Visits not made, due from today to 5 working days ahead, in arrangements still open."""
    from safeboard.core.workdays import add_working_days

    return (
        Visit.objects.filter(
            visited__isnull=True,
            due__gte=today,
            due__lte=add_working_days(today, SOON_WORKING_DAYS),
        )
        .filter(Q(arrangement__ended__isnull=True) | Q(arrangement__ended__gt=today))
        .select_related("arrangement")
        .order_by("due", "pk")
    )


def awaiting_assessment() -> Any:
    """Open arrangements (begun, not ended) whose assessment is not yet recorded."""
    return Arrangement.objects.filter(
        start__isnull=False, ended__isnull=True, assessment=""
    ).order_by("notified", "pk")


@dataclass
class Share:
    label: str
    number: int
    of: int

    @property
    def percent(self) -> int | None:
        if not self.of:
            return None
        return (200 * self.number + self.of) // (2 * self.of)


@dataclass
class YearFigures:
    year: Period
    by_source: list[tuple[str, int]]
    notifications: int
    from_agencies: int
    before_start: int
    at_31_march: int
    first_visits: Share
    later_visits: Share
    seen_alone: Share
    activities: int


def _visits(year: Period, today: date, first: bool) -> Share:
    """Visits due in the year, less those not yet due today: how many were made on time."""
    qs = Visit.objects.filter(due__gte=year.start, due__lte=year.end)
    qs = qs.filter(number=1) if first else qs.filter(number__gt=1)
    qs = qs.exclude(visited__isnull=True, due__gte=today)
    found = qs.aggregate(of=Count("pk"), met=Count("pk", filter=Q(visited__lte=F("due"))))
    label = "First visits within 7 working days" if first else "Later visits within the interval"
    return Share(label, found["met"], found["of"])


def year_figures(year: Period, today: date) -> YearFigures:
    notified = Arrangement.objects.filter(notified__gte=year.start, notified__lte=year.end)
    counts = dict(notified.values_list("source").annotate(n=Count("pk")).values_list("source", "n"))
    made = Visit.objects.filter(visited__gte=year.start, visited__lte=year.end).aggregate(
        of=Count("pk"), alone=Count("pk", filter=Q(seen_alone=True))
    )
    at = year.end
    return YearFigures(
        year=year,
        by_source=[(label, counts.get(value, 0)) for value, label in Source.choices],
        notifications=sum(counts.values()),
        from_agencies=sum(n for source, n in counts.items() if source in AGENCY_SOURCES),
        before_start=notified.filter(start__isnull=False, notified__lte=F("start")).count(),
        at_31_march=Arrangement.objects.filter(start__lte=at)
        .filter(Q(ended__isnull=True) | Q(ended__gt=at))
        .count(),
        first_visits=_visits(year, today, True),
        later_visits=_visits(year, today, False),
        seen_alone=Share("Visits at which the child was seen alone", made["alone"], made["of"]),
        activities=AwarenessActivity.objects.filter(
            held_on__gte=year.start, held_on__lte=year.end
        ).count(),
    )


def first_year() -> int | None:
    first = Arrangement.objects.order_by("notified").values_list("notified", flat=True).first()
    if first is None:
        return None
    return first.year if first.month >= 4 else first.year - 1


def years_up_to(year: Period, today: date) -> list[YearFigures]:
    start = first_year()
    if start is None or start > year.start.year:
        return [year_figures(year, today)]
    return [year_figures(FinancialYear(y), today) for y in range(start, year.start.year + 1)]


def _c(value: int, public: bool) -> Any:
    return disclosure.SUPPRESSED if public and disclosure.is_small_count(value) else value


def _percent(share: Share, public: bool) -> Any:
    if share.percent is None:
        return "z"
    if public and disclosure.share_hidden(share.number, share.of):
        return disclosure.SUPPRESSED
    return share.percent


def _share_row(share: Share, public: bool, *, of: Any = None) -> list[Any]:
    """A share's Number, Of and Percent: the number and the percentage are `c` when either
    the number or the rest (Of less Number) is small (`disclosure.share_hidden`), or when the
    Of is (`of`: the Of as published elsewhere, when it is)."""
    shown_of = _c(share.of, public) if of is None else of
    if public and (
        shown_of == disclosure.SUPPRESSED or disclosure.share_hidden(share.number, share.of)
    ):
        return [share.label, disclosure.SUPPRESSED, shown_of, disclosure.SUPPRESSED]
    return [share.label, share.number, shown_of, _percent(share, public)]


def files(
    year: Period, today: date, public: bool = False
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The three files of `private-fostering tables`. In public, the notifications by source,
    their total and the notifications from partner agencies (a sum of some sources) are
    suppressed together, so that no small count is their difference."""
    return files_of(year_figures(year, today), years_up_to(year, today), public)


def files_of(
    f: YearFigures, history: list[YearFigures], public: bool = False
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The three files from the year's figures and those of the years up to it."""
    year = f.year
    sources = [value for value, _ in Source.choices]
    values: dict[str, float | None] = {
        value: n for value, (_, n) in zip(sources, f.by_source, strict=True)
    }
    values |= {"total": f.notifications, "agencies": f.from_agencies}
    hidden: set[Any] = set()
    if public:
        hidden = disclosure.suppress_linked(
            values,
            [
                disclosure.Equation(tuple(sources), "total"),
                disclosure.Equation(tuple(s for s in sources if s in AGENCY_SOURCES), "agencies"),
            ],
        )

    def shown(key: str) -> Any:
        return disclosure.SUPPRESSED if key in hidden else values[key]

    by_source = [
        [label, shown(value)] for value, (label, _) in zip(sources, f.by_source, strict=True)
    ] + [["Total", shown("total")]]
    figures = [
        ["Notifications", shown("total"), "", ""],
        _share_row(
            Share("Notified before the arrangement began", f.before_start, f.notifications),
            public,
            of=shown("total"),
        ),
        ["Notifications from partner agencies", shown("agencies"), "", ""],
        ["Arrangements at 31 March", _c(f.at_31_march, public), "", ""],
    ]
    for share in (f.first_visits, f.later_visits, f.seen_alone):
        figures.append(_share_row(share, public))
    figures.append(["Awareness activities", f.activities, "", ""])
    years = [
        [
            y.year.label,
            shown("total") if y.year.label == year.label else _c(y.notifications, public),
            _c(y.at_31_march, public),
            _percent(y.first_visits, public),
            _percent(y.later_visits, public),
        ]
        for y in history
    ]
    return {
        NOTIFICATIONS_BY_SOURCE: (["Source", "Number"], by_source),
        FIGURES: (["Measure", "Number", "Of", "Percent"], figures),
        YEARS: (
            [
                "Year",
                "Notifications",
                "Arrangements at 31 March",
                "First visits on time (%)",
                "Later visits on time (%)",
            ],
            years,
        ),
    }
