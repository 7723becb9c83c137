"""Reporting periods: parsed and printed in this one place.

| kind      | label          | covers                                  |
|-----------|----------------|-----------------------------------------|
| fy        | `2016-17`      | financial year, 1 April 2016 to 31 March 2017 |
| quarter   | `2016-17 Q4`   | a quarter of a financial year (Q4 = January to March 2017) |
| month     | `2017-03`      | a calendar month (also `March 2017`)    |
| snapshot  | `2017-03-31`   | a single date ("at 31 March 2017")      |
| academic  | `2016/17`      | academic year, 1 September 2016 to 31 August 2017 |
| calendar  | `2017`         | calendar year (only when the kind is known)  |
| span      | `2014-16`      | several calendar years, 2014 to 2016 (three-year rolling figures) |
| fy_span   | `2013-14 to 2015-16` | several financial years (also written `2013/14-15/16`) |
| academic_span | `2013/14 to 2015/16` | several academic years       |

`YYYY-YY` is a financial year when the second part is the next year (`2016-17`), otherwise a
month when it is 01 to 12 (`2017-03`): for 2000 to 2011 the two can coincide (`2008-09`), and
the financial year wins; write such a month as `September 2008`. A span whose short form could
be a month is written in full (`2009-2011`).

Every period knows its start and end dates, the period before and after it of the same kind,
and sorts by its end date.

National statistics (DfE LAIT) label periods by each measure's year type:
`parse_year_type_label` reads them (a bare `2017` is the financial year 2016-17 for a
financial-year measure, a snapshot at 31 March 2017 for an `Annual` count, the academic year
2016/17 for an academic measure, and so on; see `YEAR_TYPES`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, total_ordering


class PeriodError(ValueError):
    """Text that is not a period label; the message quotes it and says what is accepted."""


QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}


@total_ordering
@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    # --- printing -------------------------------------------------------------------
    @cached_property
    def label(self) -> str:
        if self.kind == "fy":
            return fy_label(self.start.year)
        if self.kind == "quarter":
            fy_start = self.start.year if self.start.month >= 4 else self.start.year - 1
            return f"{fy_label(fy_start)} Q{self.quarter}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "snapshot":
            return self.end.isoformat()
        if self.kind == "academic":
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        if self.kind == "calendar":
            return str(self.start.year)
        if self.kind == "fy_span":
            return f"{fy_label(self.start.year)} to {fy_label(self.end.year - 1)}"
        if self.kind == "academic_span":
            return f"{academic_label(self.start.year)} to {academic_label(self.end.year - 1)}"
        if self.kind == "span":
            short = self.end.year % 100
            # A short form that could be read as a month is written in full: 2009-2011.
            if 1 <= short <= 12 or self.end.year // 100 != self.start.year // 100:
                return f"{self.start.year}-{self.end.year}"
            return f"{self.start.year}-{short:02d}"
        raise PeriodError(f"unknown period kind {self.kind}")

    @property
    def description(self) -> str:
        """Words for people: 'April 2016 to March 2017', 'at 31 March 2017'."""
        if self.kind == "snapshot":
            return f"at {self.end.day} {self.end:%B %Y}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    def __str__(self) -> str:
        return self.label

    # --- ordering and arithmetic ----------------------------------------------------
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.end, self.start, self.kind) < (other.end, other.start, other.kind)

    @property
    def quarter(self) -> int:
        if self.kind != "quarter":
            raise PeriodError(f"{self.label} is not a quarter")
        return {4: 1, 7: 2, 10: 3, 1: 4}[self.start.month]

    @property
    def financial_year(self) -> Period:
        """The financial year containing the end of this period."""
        return fy_containing(self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period before this one, of the same kind (previous quarter, year, snapshot a
        year earlier for annual snapshots)."""
        return self.shift(-1)

    def next(self) -> Period:
        return self.shift(1)

    def shift(self, steps: int) -> Period:
        if self.kind == "fy":
            return FinancialYear(self.start.year + steps)
        if self.kind == "quarter":
            index = self.start.year * 4 + (self.start.month - 1) // 3 + steps
            year, q0 = divmod(index, 4)
            return month_range(year, q0 * 3 + 1, 3, "quarter")
        if self.kind == "month":
            index = self.start.year * 12 + self.start.month - 1 + steps
            year, m0 = divmod(index, 12)
            return Month(year, m0 + 1)
        if self.kind == "snapshot":
            return Snapshot(_add_years(self.end, steps))
        if self.kind == "academic":
            return AcademicYear(self.start.year + steps)
        if self.kind == "calendar":
            return CalendarYear(self.start.year + steps)
        if self.kind == "span":
            width = self.end.year - self.start.year + 1
            return Span(self.start.year + steps * width, self.end.year + steps * width)
        if self.kind in ("fy_span", "academic_span"):
            width = self.end.year - self.start.year
            first, last = self.start.year + steps * width, self.end.year - 1 + steps * width
            if self.kind == "fy_span":
                return FinancialYearSpan(first, last)
            return AcademicYearSpan(first, last)
        raise PeriodError(f"unknown period kind {self.kind}")

    def quarters(self) -> list[Period]:
        if self.kind != "fy":
            raise PeriodError(f"{self.label} is not a financial year")
        return [Quarter(self.start.year, q) for q in (1, 2, 3, 4)]


def fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def academic_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _add_years(day: date, years: int) -> date:
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    # Keep month ends at month ends (29 February -> 28 February).
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, day.month, last)
    return date(year, day.month, min(day.day, last))


def month_range(year: int, month: int, months: int, kind: str) -> Period:
    end_index = year * 12 + month - 1 + months - 1
    end_year, end_m0 = divmod(end_index, 12)
    end = date(end_year, end_m0 + 1, calendar.monthrange(end_year, end_m0 + 1)[1])
    return Period(kind, date(year, month, 1), end)


def FinancialYear(start_year: int) -> Period:
    return Period("fy", date(start_year, 4, 1), date(start_year + 1, 3, 31))


def fy_containing(day: date) -> Period:
    """The financial year (April to March) that contains `day`."""
    return FinancialYear(day.year if day.month >= 4 else day.year - 1)


def Quarter(fy_start_year: int, quarter: int) -> Period:
    if quarter not in QUARTER_MONTHS:
        raise PeriodError(f"Q{quarter} is not a quarter: use Q1 to Q4")
    first = QUARTER_MONTHS[quarter][0]
    year = fy_start_year if quarter != 4 else fy_start_year + 1
    return month_range(year, first, 3, "quarter")


def Month(year: int, month: int) -> Period:
    return month_range(year, month, 1, "month")


def Snapshot(day: date) -> Period:
    return Period("snapshot", day, day)


def AcademicYear(start_year: int) -> Period:
    return Period("academic", date(start_year, 9, 1), date(start_year + 1, 8, 31))


def CalendarYear(year: int) -> Period:
    return Period("calendar", date(year, 1, 1), date(year, 12, 31))


def Span(first_year: int, last_year: int) -> Period:
    if last_year <= first_year:
        raise PeriodError(f"{first_year}-{last_year} is not a span of years")
    return Period("span", date(first_year, 1, 1), date(last_year, 12, 31))


def FinancialYearSpan(first_start_year: int, last_start_year: int) -> Period:
    """Financial years from `first_start_year`-.. to `last_start_year`-.. inclusive."""
    if last_start_year <= first_start_year:
        raise PeriodError("a span of financial years needs at least two years")
    return Period("fy_span", date(first_start_year, 4, 1), date(last_start_year + 1, 3, 31))


def AcademicYearSpan(first_start_year: int, last_start_year: int) -> Period:
    if last_start_year <= first_start_year:
        raise PeriodError("a span of academic years needs at least two years")
    return Period("academic_span", date(first_start_year, 9, 1), date(last_start_year + 1, 8, 31))


_FY = re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(
    r"^(\d{4})\s*-\s*(\d{2}|\d{4})\s*Q([1-4])$|^Q([1-4])\s+(\d{4})\s*-\s*(\d{2}|\d{4})$",
    re.IGNORECASE,
)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH_NAME = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{4})$")
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_ACADEMIC = re.compile(r"^(\d{4})/(\d{2}|\d{4})$")
_YEAR_SPAN = re.compile(
    r"^(\d{4})([-/])(\d{2}|\d{4})\s*(?:-|to)\s*(\d{4}|\d{2})([-/])(\d{2}|\d{4})$",
    re.IGNORECASE,
)

ACCEPTED = (
    "a financial year (2016-17), a quarter (2016-17 Q4), a month (2017-03), "
    "a date (2017-03-31), an academic year (2016/17) or a span of years (2014-16)"
)


def _second_year(first: int, text: str) -> int:
    if len(text) == 4:
        return int(text)
    century = first - first % 100
    second = century + int(text)
    return second + 100 if second < first else second


def _year_span(match: re.Match[str], raw: str, *, slashed: str) -> Period:
    """`2013-14 to 2015-16` (financial years), `2013/14 to 2015/16` (academic years), and
    the short forms `2013/14-15/16` that DfE uses."""
    first = int(match.group(1))
    if _second_year(first, match.group(3)) != first + 1:
        raise PeriodError(f"‘{raw}’ is not a span of years: each year must run into the next")
    last_text = match.group(4)
    last = _second_year(first, last_text) if len(last_text) == 2 else int(last_text)
    if _second_year(last, match.group(6)) != last + 1:
        raise PeriodError(f"‘{raw}’ is not a span of years: each year must run into the next")
    academic = match.group(2) == "/" and slashed == "academic"
    return AcademicYearSpan(first, last) if academic else FinancialYearSpan(first, last)


# The years a period may fall in: a partnership's records go back to the boards of the 2000s,
# and a period far beyond any plan is a typing error (and leaves the calendar, which ends in
# 9999, when shifted to compare).
FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_period(text: str, *, bare_year: str | None = None, slashed: str = "academic") -> Period:
    """Parse a period label (see `_parse`), within FIRST_YEAR to LAST_YEAR."""
    period = _parse(text, bare_year=bare_year, slashed=slashed)
    if period.start.year < FIRST_YEAR or period.end.year > LAST_YEAR:
        raise PeriodError(
            f"‘{text.strip()}’ is not a period Safeboard holds: its years must fall between "
            f"{FIRST_YEAR} and {LAST_YEAR}"
        )
    return period


def _parse(text: str, *, bare_year: str | None = None, slashed: str = "academic") -> Period:
    """Parse a period label. A bare year (`2017`) is ambiguous and needs `bare_year`: one of
    `fy_end` (financial year ending March 2017), `snapshot_march` (at 31 March 2017),
    `academic_end` (2016/17), `calendar` (2017), `snapshot_september` (at 30 September
    2017), `snapshot_january` (January 2017, dated at the month's end). `slashed` says what a
    span written with slashes (`2013/14-15/16`) counts: `academic` years (the default) or
    `fy` financial years."""
    raw = text
    text = (text or "").strip()
    if not text:
        raise PeriodError(f"the period is empty: give {ACCEPTED}")
    try:
        if match := _YEAR_SPAN.match(text):
            return _year_span(match, raw, slashed=slashed)
        if match := _QUARTER.match(text):
            first, second, q = (
                (match.group(1), match.group(2), match.group(3))
                if match.group(1)
                else (match.group(5), match.group(6), match.group(4))
            )
            start = int(first)
            if _second_year(start, second) != start + 1:
                raise PeriodError(f"‘{raw}’ is not a financial year quarter")
            return Quarter(start, int(q))
        if match := _FY.match(text):
            start, second = int(match.group(1)), match.group(2)
            end = _second_year(start, second)
            if end == start + 1:
                return FinancialYear(start)
            if len(second) == 2 and 1 <= int(second) <= 12:
                return Month(start, int(second))
            if start + 1 < end <= start + 10:
                return Span(start, end)
            if len(second) == 2:
                raise PeriodError(
                    f"‘{raw}’ is not a period: a month must be 01 to 12, a "
                    "financial year like 2016-17"
                )
            raise PeriodError(f"‘{raw}’ is not a period: the second year must follow the first")
        if match := _MONTH_NAME.match(text):
            month = _MONTH_NAMES.get(match.group(1).lower()[:3])
            if month is None:
                raise PeriodError(f"‘{raw}’ is not a month")
            return Month(int(match.group(2)), month)
        if match := _ACADEMIC.match(text):
            start = int(match.group(1))
            if _second_year(start, match.group(2)) != start + 1:
                raise PeriodError(f"‘{raw}’ is not an academic year")
            return AcademicYear(start)
        if match := _DATE_ISO.match(text):
            return Snapshot(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        if match := _DATE_UK.match(text):
            return Snapshot(date(int(match.group(3)), int(match.group(2)), int(match.group(1))))
        if match := _MONTH.match(text):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise PeriodError(f"‘{raw}’ is not a month: the month must be 01 to 12")
            return Month(int(match.group(1)), month)
        if text.isdigit() and len(text) == 4:
            year = int(text)
            if bare_year == "fy_end":
                return FinancialYear(year - 1)
            if bare_year == "snapshot_march":
                return Snapshot(date(year, 3, 31))
            if bare_year == "academic_end":
                return AcademicYear(year - 1)
            if bare_year == "calendar":
                return CalendarYear(year)
            if bare_year == "snapshot_september":
                return Snapshot(date(year, 9, 30))
            if bare_year == "snapshot_january":
                return Snapshot(date(year, 1, 31))
            raise PeriodError(
                f"‘{raw}’ is ambiguous: write the financial year (2016-17), a date "
                "(2017-03-31) or the academic year (2016/17)"
            )
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"‘{raw}’ is not a real date: {exc}") from exc
    raise PeriodError(f"‘{raw}’ is not a period: give {ACCEPTED}")


# DfE year types (the LAIT data dictionary's `Year_Type`) and what a bare year means in each.
YEAR_TYPES = {
    "financial year": "fy_end",
    "annual": "snapshot_march",
    "academic year": "academic_end",
    "calendar year": "calendar",
    "annual (end of sept)": "snapshot_september",
    "annual - january": "snapshot_january",
}


def parse_year_type_label(text: str, year_type: str) -> Period:
    """Parse a DfE period label for a measure of `year_type` (a LAIT `Year_Type`).

    A bare year follows `YEAR_TYPES`. Academic measures sometimes write their years as
    `2016-17`: read as the academic year 2016/17. Financial-year measures sometimes write
    `2016/17` or `2013/14-15/16`: read as financial years. Unknown year types read bare years
    as financial years ending in that year, DfE's most common convention.
    """
    kind = year_type.strip().lower()
    bare = YEAR_TYPES.get(kind, "fy_end")
    period = parse_period(text, bare_year=bare, slashed="fy" if bare == "fy_end" else "academic")
    if kind == "academic year" and period.kind == "fy":
        return AcademicYear(period.start.year)
    if kind == "academic year" and period.kind == "fy_span":
        return AcademicYearSpan(period.start.year, period.end.year - 1)
    if bare == "fy_end" and period.kind == "academic":
        return FinancialYear(period.start.year)
    return period


KIND_NAMES = {"month": "month", "quarter": "quarter", "fy": "financial year"}


def period_of_kind_containing(kind: str, day: date) -> Period:
    """The month, quarter (`quarter`) or financial year (`fy`) that contains `day`."""
    if kind == "month":
        return Month(day.year, day.month)
    if kind == "quarter":
        return month_range(day.year, (day.month - 1) // 3 * 3 + 1, 3, "quarter")
    if kind == "fy":
        return fy_containing(day)
    raise PeriodError(f"unknown period kind {kind}")


def last_period_of_kind(kind: str, by: date) -> Period:
    """The last month, quarter or financial year that ends on or before `by`."""
    period = period_of_kind_containing(kind, by)
    return period if period.end <= by else period.previous()


def period_of_kind_ending(kind: str, end: date) -> Period:
    """The month, quarter or financial year that ends on `end` (PeriodError if none does)."""
    period = period_of_kind_containing(kind, end)
    if period.end != end:
        raise PeriodError(f"{end.isoformat()} is not the last day of a {KIND_NAMES[kind]}")
    return period


def current_financial_year(today: date | None = None) -> Period:
    return fy_containing(today or date.today())


def last_complete_quarter(today: date | None = None) -> Period:
    today = today or date.today()
    quarter = month_range(today.year, (today.month - 1) // 3 * 3 + 1, 3, "quarter")
    return quarter.previous()


def days_between(start: date, end: date) -> int:
    return (end - start) // timedelta(days=1)


def financial_year_or(text: str, default: Period) -> Period:
    """The financial year `text` names (`2016-17`, e.g. a page's `?year=`), or `default` when
    it is empty or names no financial year."""
    if text:
        try:
            year = parse_period(text)
        except PeriodError:
            return default
        if year.kind == "fy":
            return year
    return default
