"""Period labels of national statistics (DfE LAIT), read by each measure's year type, and the
spans and period arithmetic the dataset needs (core.periods)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.periods import (
    AcademicYearSpan,
    FinancialYearSpan,
    PeriodError,
    last_period_of_kind,
    parse_period,
    parse_year_type_label,
    period_of_kind_ending,
)


@pytest.mark.parametrize(
    ("label", "year_type", "kind", "printed", "end"),
    [
        ("2017", "Financial Year", "fy", "2016-17", date(2017, 3, 31)),
        ("2017", "Annual", "snapshot", "2017-03-31", date(2017, 3, 31)),
        ("2017", "Academic Year", "academic", "2016/17", date(2017, 8, 31)),
        ("2017", "Calendar Year", "calendar", "2017", date(2017, 12, 31)),
        ("2017", "Annual (end of Sept)", "snapshot", "2017-09-30", date(2017, 9, 30)),
        ("2017", "Annual - January", "snapshot", "2017-01-31", date(2017, 1, 31)),
        ("2016-17", "Financial Year", "fy", "2016-17", date(2017, 3, 31)),
        ("2016-17", "Academic Year", "academic", "2016/17", date(2017, 8, 31)),
        ("2016/17", "Academic Year", "academic", "2016/17", date(2017, 8, 31)),
        ("2016/17", "Financial Year", "fy", "2016-17", date(2017, 3, 31)),
        ("2014-16", "Calendar Year", "span", "2014-16", date(2016, 12, 31)),
        ("2013/14-15/16", "Financial Year", "fy_span", "2013-14 to 2015-16", date(2016, 3, 31)),
        (
            "2013/14-15/16",
            "Academic Year",
            "academic_span",
            "2013/14 to 2015/16",
            date(2016, 8, 31),
        ),
        ("2017", "", "fy", "2016-17", date(2017, 3, 31)),
    ],
)
def test_dfe_labels_are_read_by_year_type(
    label: str, year_type: str, kind: str, printed: str, end: date
) -> None:
    period = parse_year_type_label(label, year_type)
    assert (period.kind, period.label, period.end) == (kind, printed, end)
    # A calendar year's label is a bare year, which needs its meaning to be read back.
    bare = "calendar" if kind == "calendar" else None
    assert parse_period(period.label, bare_year=bare) == period


def test_spans_of_years_step_by_their_width() -> None:
    span = FinancialYearSpan(2013, 2015)
    assert span.previous().label == "2010-11 to 2012-13"
    assert AcademicYearSpan(2013, 2015).next().label == "2016/17 to 2018/19"
    with pytest.raises(PeriodError, match="each year must run into the next"):
        parse_period("2013/15-15/16")


@given(
    st.dates(min_value=date(2013, 1, 1), max_value=date(2080, 12, 31)),
    st.sampled_from(["month", "quarter", "fy"]),
)
def test_the_last_period_ending_by_a_day(day: date, kind: str) -> None:
    period = last_period_of_kind(kind, day)
    assert period.kind == kind and period.end <= day < period.next().end
    assert period_of_kind_ending(kind, period.end) == period


def test_a_day_that_ends_no_period_is_refused() -> None:
    with pytest.raises(PeriodError, match="not the last day of a quarter"):
        period_of_kind_ending("quarter", date(2017, 3, 30))
