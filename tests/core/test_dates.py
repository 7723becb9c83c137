"""The due-date parser (core.dates): the accepted forms, and anything else refused with a
message that quotes the text."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.dates import DateParseError, add_months, month_end, parse_due

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
MONTHS = st.tuples(st.integers(1900, 2999), st.integers(1, 12))
YY_MONTHS = st.tuples(st.integers(2000, 2099), st.integers(1, 12))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-07-14", date(2017, 7, 14)),
        ("2017-7-4", date(2017, 7, 4)),
        ("14/07/2017", date(2017, 7, 14)),
        ("14 July 2017", date(2017, 7, 14)),
        ("14 Jul 2017", date(2017, 7, 14)),
        ("1st March 2018", date(2018, 3, 1)),
        ("Jul-17", date(2017, 7, 31)),
        ("jul-17", date(2017, 7, 31)),
        ("July-17", date(2017, 7, 31)),
        ("Sept-17", date(2017, 9, 30)),
        ("Feb-16", date(2016, 2, 29)),
        ("July 2017", date(2017, 7, 31)),
        ("  July   2017 ", date(2017, 7, 31)),
        ("Jul 2017", date(2017, 7, 31)),
        ("2017-07", date(2017, 7, 31)),
        ("2019-02", date(2019, 2, 28)),
    ],
)
def test_the_accepted_forms(text: str, expected: date) -> None:
    assert parse_due(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ongoing", "is not a date"),
        ("tbc", "is not a date"),
        ("Q3", "is not a date"),
        ("2016-17", "the month must be 01 to 12"),
        ("Spring 2017", "‘Spring’ is not the name of a month"),
        ("31/02/2017", "is not a real date"),
        ("2017-13", "the month must be 01 to 12"),
        ("2017-02-30", "is not a real date"),
        ("end of March", "is not a date"),
        ("", "the date is empty"),
    ],
)
def test_anything_else_is_refused_quoting_the_text(text: str, says: str) -> None:
    with pytest.raises(DateParseError) as error:
        parse_due(text)
    assert says in str(error.value)
    if text:
        assert f"‘{text}’" in str(error.value)


@given(DATES)
def test_every_date_reads_back_in_every_day_form(day: date) -> None:
    assert parse_due(day.isoformat()) == day
    assert parse_due(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_due(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert parse_due(f"{day.day} {day:%B} {day.year}") == day
    assert parse_due(f"{day.day} {calendar.month_abbr[day.month]} {day.year}") == day


@given(MONTHS)
def test_a_month_means_its_last_day(year_month: tuple[int, int]) -> None:
    year, month = year_month
    last = date(year, month, calendar.monthrange(year, month)[1])
    assert parse_due(f"{year}-{month:02d}") == last
    assert parse_due(f"{calendar.month_name[month]} {year}") == last
    assert parse_due(f"{calendar.month_abbr[month].upper()} {year}") == last
    assert month_end(year, month) == last


@given(YY_MONTHS)
def test_month_and_two_digit_year(year_month: tuple[int, int]) -> None:
    year, month = year_month
    text = f"{calendar.month_abbr[month]}-{year % 100:02d}"
    assert parse_due(text) == date(year, month, calendar.monthrange(year, month)[1])


@given(st.text(max_size=40))
def test_any_text_gives_a_date_or_a_message_quoting_it(text: str) -> None:
    try:
        result = parse_due(text)
    except DateParseError as error:
        if text.strip():
            assert f"‘{text}’" in str(error)
    else:
        assert isinstance(result, date)


@given(DATES, st.integers(-240, 240))
def test_adding_months_stays_in_the_month_and_keeps_month_ends(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    if day == month_end(day.year, day.month):
        assert moved == month_end(moved.year, moved.month)
    else:
        assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
