from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.periods import (
    AcademicYear,
    FinancialYear,
    Month,
    PeriodError,
    Quarter,
    Snapshot,
    Span,
    fy_containing,
    last_complete_quarter,
    parse_period,
)

# From 2012, no financial year label can be mistaken for a month (see periods module).
years = st.integers(min_value=2012, max_value=2090)
periods = st.one_of(
    years.map(FinancialYear),
    st.builds(Quarter, years, st.integers(1, 4)),
    st.builds(Month, years, st.integers(1, 12)),
    st.dates(min_value=date(2012, 1, 1), max_value=date(2090, 12, 31)).map(Snapshot),
    years.map(AcademicYear),
    st.builds(lambda a, w: Span(a, a + w), years, st.integers(2, 4)),
)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2016-17", date(2016, 4, 1), date(2017, 3, 31), "2016-17"),
        ("2016-2017", date(2016, 4, 1), date(2017, 3, 31), "2016-17"),
        ("2016-17 Q4", date(2017, 1, 1), date(2017, 3, 31), "2016-17 Q4"),
        ("2016-17 q1", date(2016, 4, 1), date(2016, 6, 30), "2016-17 Q1"),
        ("Q3 2016-17", date(2016, 10, 1), date(2016, 12, 31), "2016-17 Q3"),
        ("2017-03", date(2017, 3, 1), date(2017, 3, 31), "2017-03"),
        ("2017-03-31", date(2017, 3, 31), date(2017, 3, 31), "2017-03-31"),
        ("31/03/2017", date(2017, 3, 31), date(2017, 3, 31), "2017-03-31"),
        ("2016/17", date(2016, 9, 1), date(2017, 8, 31), "2016/17"),
        ("2014-16", date(2014, 1, 1), date(2016, 12, 31), "2014-16"),
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31), "1999-00"),
        ("2008-09", date(2008, 4, 1), date(2009, 3, 31), "2008-09"),
        ("September 2008", date(2008, 9, 1), date(2008, 9, 30), "2008-09"),
        ("Mar 2017", date(2017, 3, 1), date(2017, 3, 31), "2017-03"),
        ("2009-2011", date(2009, 1, 1), date(2011, 12, 31), "2009-2011"),
    ],
)
def test_it_parses_every_accepted_form(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("2017", "ambiguous"),
        ("2016-1915", "must follow the first"),
        ("2017-13", "01 to 12"),
        ("2017-02-30", "not a real date"),
        ("Q5 2016-17", "not a period"),
        ("2016-18 Q1", "not a financial year quarter"),
        ("next year", "not a period"),
    ],
)
def test_it_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_a_bare_year_needs_its_meaning() -> None:
    assert parse_period("2017", bare_year="fy_end") == FinancialYear(2016)
    assert parse_period("2017", bare_year="snapshot_march") == Snapshot(date(2017, 3, 31))
    assert parse_period("2017", bare_year="academic_end") == AcademicYear(2016)
    assert parse_period("2017", bare_year="calendar").label == "2017"


@given(periods)
def test_printing_then_parsing_gives_the_same_period(period) -> None:  # type: ignore[no-untyped-def]
    assert parse_period(period.label) == period


@given(periods, st.integers(-30, 30))
def test_shifting_back_and_forth_returns_home(period, steps) -> None:  # type: ignore[no-untyped-def]
    if period.kind == "snapshot" and period.end.month == 2 and period.end.day >= 28:
        # A month end stays a month end: 29 February shifts to 28 February, and 28 February
        # of a leap year (not a month end) comes back as the 29th. Not reversible by design.
        return
    assert period.shift(steps).shift(-steps) == period


@given(periods)
def test_the_previous_period_ends_before_this_one_starts(period) -> None:  # type: ignore[no-untyped-def]
    previous = period.previous()
    assert previous.kind == period.kind
    assert previous.end < period.start or period.kind == "snapshot"
    assert previous < period
    if period.kind in {"fy", "quarter", "month", "academic", "calendar"}:
        assert previous.end + timedelta(days=1) == period.start


@given(years)
def test_quarters_partition_their_financial_year(year: int) -> None:
    fy = FinancialYear(year)
    quarters = fy.quarters()
    assert quarters[0].start == fy.start and quarters[-1].end == fy.end
    for a, b in itertools.pairwise(quarters):
        assert a.end + timedelta(days=1) == b.start
    assert all(q.financial_year == fy for q in quarters)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_every_day_is_in_exactly_one_financial_year(day: date) -> None:
    fy = fy_containing(day)
    assert fy.contains(day)
    assert not fy.previous().contains(day) and not fy.next().contains(day)


def test_last_complete_quarter() -> None:
    assert last_complete_quarter(date(2026, 11, 23)).label == "2026-27 Q2"
    assert last_complete_quarter(date(2026, 4, 1)).label == "2025-26 Q4"


def test_snapshots_keep_month_ends() -> None:
    assert Snapshot(date(2016, 2, 29)).previous() == Snapshot(date(2015, 2, 28))
    assert Snapshot(date(2015, 2, 28)).next() == Snapshot(date(2016, 2, 29))
    assert Snapshot(date(2017, 3, 31)).description == "at 31 March 2017"
