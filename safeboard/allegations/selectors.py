"""Reads of the LADO register that need more than a one-line query: the year's tables (the
four files of `allegations tables`, the page every member sees and the annual report), with
disclosure control for everyone outside the LADO service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q

from safeboard.core import disclosure
from safeboard.core.models import Clock
from safeboard.core.periods import Period

from .models import Allegation, Kind, Term, TermList

EMPLOYER_BY_CATEGORY = "employer-by-category.csv"
REFERRALS_BY_AGENCY = "referrals-by-agency.csv"
OUTCOMES = "outcomes.csv"
TIMELINESS = "timeliness.csv"
FILES = (EMPLOYER_BY_CATEGORY, REFERRALS_BY_AGENCY, OUTCOMES, TIMELINESS)

CONCLUSION = "allegations.conclusion_"
MEASURES = (
    ("Referred within one working day", "allegations.referral"),
    ("Concluded within one month", "allegations.conclusion_1m"),
    ("Concluded within three months", "allegations.conclusion_3m"),
    ("Concluded within twelve months", "allegations.conclusion_12m"),
)


@dataclass
class Measure:
    label: str
    number: int
    of: int

    @property
    def percent(self) -> int | None:
        """A whole number (half up), or None when there is nothing to count."""
        if not self.of:
            return None
        return (200 * self.number + self.of) // (2 * self.of)


@dataclass
class YearTables:
    """The year's allegations (received in it), counted every way the tables need."""

    year: Period
    employers: list[Term]
    categories: list[Term]
    referrers: list[Term]
    outcomes: list[Term]
    by_employer: list[list[int]]  # a row per employer type, a column per category
    by_referrer: list[int]
    by_outcome: list[int]
    allegations: int
    consultations: int
    restraint: int
    timeliness: list[Measure] = field(default_factory=list)

    # --- the four files -----------------------------------------------------------------

    def employer_by_category(self, public: bool = False) -> tuple[list[str], list[list[Any]]]:
        header = ["Employer", *(c.name for c in self.categories), "Total"]
        cells: list[list[int]] = [[*row, sum(row)] for row in self.by_employer]
        totals = (
            [sum(col) for col in zip(*cells, strict=True)]
            if cells
            else [0] * (len(self.categories) + 1)
        )
        cells.append(totals)
        labels = [e.name for e in self.employers] + ["Total"]
        shown = _suppressed(cells, row_totals=True, column_totals=True) if public else cells
        return header, [[label, *row] for label, row in zip(labels, shown, strict=True)]

    def referrals_by_agency(self, public: bool = False) -> tuple[list[str], list[list[Any]]]:
        cells = [[n] for n in self.by_referrer] + [[sum(self.by_referrer)]]
        labels = [r.name for r in self.referrers] + ["Total"]
        shown = _suppressed(cells, column_totals=True) if public else cells
        return ["Referrer", "Number"], [
            [label, *row] for label, row in zip(labels, shown, strict=True)
        ]

    def outcome_counts(self, public: bool = False) -> tuple[list[str], list[list[Any]]]:
        rows: list[list[Any]] = [
            [o.name, _primary(n, public)]
            for o, n in zip(self.outcomes, self.by_outcome, strict=True)
        ]
        # No total: an allegation can have several outcomes. The number of allegations instead.
        rows.append(["Allegations", _primary(self.allegations, public)])
        return ["Outcome", "Number"], rows

    def hidden_measures(self) -> list[bool]:
        """Which measures' Number and Percent a public output hides. The cases that missed a
        measure are `Of` less `Number`: a small count there is as disclosive as a small
        `Number`, and the percentage works either back (`disclosure.share_hidden`). The
        conclusion measures count the same allegations within one, three and twelve months:
        the difference of two is a count too (`disclosure.cumulative_hidden`)."""
        hidden = [
            disclosure.share_hidden(m.number, m.of) or disclosure.is_small_count(m.of)
            for m in self.timeliness
        ]
        labels = {label for label, key in MEASURES if key.startswith(CONCLUSION)}
        conclusion = [i for i, m in enumerate(self.timeliness) if m.label in labels]
        measures = [self.timeliness[i] for i in conclusion]
        numbers = [m.number for m in measures]
        if (
            measures
            and len({m.of for m in measures}) == 1
            and numbers == sorted(numbers)
            and numbers[-1] <= measures[0].of
        ):
            for i, hide in zip(
                conclusion, disclosure.cumulative_hidden(numbers, measures[0].of), strict=True
            ):
                hidden[i] = hidden[i] or hide
        return hidden

    def timeliness_rows(self, public: bool = False) -> tuple[list[str], list[list[Any]]]:
        rows = []
        hidden = self.hidden_measures()
        for m, hide in zip(self.timeliness, hidden, strict=True):
            number: Any = m.number
            percent: Any = m.percent if m.percent is not None else "z"
            if public and hide:
                number = percent = disclosure.SUPPRESSED
            rows.append([m.label, number, _primary(m.of, public), percent])
        return ["Measure", "Number", "Of", "Percent"], rows

    def files(self, public: bool = False) -> dict[str, tuple[list[str], list[list[Any]]]]:
        return {
            EMPLOYER_BY_CATEGORY: self.employer_by_category(public),
            REFERRALS_BY_AGENCY: self.referrals_by_agency(public),
            OUTCOMES: self.outcome_counts(public),
            TIMELINESS: self.timeliness_rows(public),
        }


def _primary(value: int, public: bool) -> Any:
    return disclosure.SUPPRESSED if public and disclosure.is_small_count(value) else value


def _suppressed(
    cells: list[list[int]], *, row_totals: bool = False, column_totals: bool = False
) -> list[list[Any]]:
    mask = disclosure.suppress_table(cells, row_totals=row_totals, column_totals=column_totals)
    return disclosure.apply_mask(cells, mask)


def terms_for_year(list_name: str, year: Period, used: set[int]) -> list[Term]:
    """The list as it stood in the year: every term added by the year's end and not retired
    before the year began, and any term a record of the year has (a term retired since still
    shows in old years; one added since shows only if a record of the year has it)."""
    return [
        t
        for t in Term.objects.filter(list=list_name).order_by("position", "pk")
        if t.pk in used
        or (
            (t.retired_on is None or t.retired_on > year.start)
            and (t.added_on is None or t.added_on <= year.end)
        )
    ]


def year_allegations(year: Period) -> Any:
    return Allegation.objects.filter(
        kind=Kind.ALLEGATION, received__gte=year.start, received__lte=year.end
    )


def year_tables(year: Period) -> YearTables:
    """Every count of the year's tables, in a handful of queries."""
    qs = year_allegations(year)
    pairs = {
        (row["employer_type_id"], row["category_id"]): row["n"]
        for row in qs.values("employer_type_id", "category_id").annotate(n=Count("pk"))
    }
    referrals = {
        row["referrer_id"]: row["n"] for row in qs.values("referrer_id").annotate(n=Count("pk"))
    }
    through = Allegation.outcomes.through
    outcome_counts = {
        row["term_id"]: row["n"]
        for row in through.objects.filter(allegation__in=qs.values("pk"))
        .values("term_id")
        .annotate(n=Count("pk"))
    }
    totals = qs.aggregate(n=Count("pk"), restraint=Count("pk", filter=Q(restraint=True)))
    consultations = Allegation.objects.filter(
        kind=Kind.CONSULTATION, received__gte=year.start, received__lte=year.end
    ).count()
    employers = terms_for_year(TermList.EMPLOYER, year, {e for e, _ in pairs})
    categories = terms_for_year(TermList.CATEGORY, year, {c for _, c in pairs})
    referrers = terms_for_year(TermList.REFERRER, year, set(referrals))
    outcomes = terms_for_year(TermList.OUTCOME, year, set(outcome_counts))
    return YearTables(
        year=year,
        employers=employers,
        categories=categories,
        referrers=referrers,
        outcomes=outcomes,
        by_employer=[[pairs.get((e.pk, c.pk), 0) for c in categories] for e in employers],
        by_referrer=[referrals.get(r.pk, 0) for r in referrers],
        by_outcome=[outcome_counts.get(o.pk, 0) for o in outcomes],
        allegations=totals["n"],
        consultations=consultations,
        restraint=totals["restraint"],
        timeliness=timeliness(qs),
    )


def timeliness(allegations: Any) -> list[Measure]:
    """From the clocks of the allegations: of those that ran each clock, how many were done
    by the due date. Allegations not yet concluded count as not (yet) within."""
    found = {
        row["kind"]: row
        for row in Clock.objects.filter(
            record_type=ContentType.objects.get_for_model(Allegation),
            record_id__in=allegations.values("pk"),
            kind__in=[key for _, key in MEASURES],
        )
        .values("kind")
        .annotate(of=Count("pk"), met=Count("pk", filter=Q(done__lte=F("due"))))
    }
    return [
        Measure(label, found.get(key, {}).get("met", 0), found.get(key, {}).get("of", 0))
        for label, key in MEASURES
    ]


def years_with_allegations() -> list[int]:
    """Start years of the financial years that have contacts, latest first."""
    found = set()
    for day in Allegation.objects.dates("received", "month"):
        found.add(day.year if day.month >= 4 else day.year - 1)
    return sorted(found, reverse=True)


def open_flagged() -> Any:
    """Allegations still open that match an earlier one (same adult or same setting)."""
    return Allegation.objects.filter(
        Q(repeat_subject=True) | Q(repeat_setting=True), concluded__isnull=True
    )


def samples_to_audit() -> Any:
    """Audit samples with a case whose findings are not yet recorded."""
    from .models import AuditSample

    return AuditSample.objects.filter(items__rating="").distinct()


def listing(kind: str = "", flagged: bool = False, open_only: bool = False) -> Any:
    qs = Allegation.objects.select_related("referrer", "employer_type", "category")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if flagged:
        qs = qs.filter(Q(repeat_subject=True) | Q(repeat_setting=True))
    if open_only:
        qs = qs.filter(concluded__isnull=True)
    return qs.order_by("-received", "-pk")


def today_year(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1
