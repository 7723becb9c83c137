"""Property tests of the statutory clock engine as case reviews use it (Hypothesis):
weekends and bank holidays never count, and the Nth working day after a working day is N
working days later."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.clocks import Length, Unit
from safeboard.core.workdays import add_working_days, is_working_day, working_days_between

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
lengths = st.integers(min_value=0, max_value=40)


def _working_days_after(start: date, until: date) -> list[date]:
    days, day = [], start
    while day < until:
        day += timedelta(days=1)
        if day.weekday() < 5 and is_working_day(day):
            days.append(day)
    return days


@given(dates, lengths)
def test_weekends_and_bank_holidays_never_count(start: date, n: int) -> None:
    due = Length(n, Unit.WORKING_DAYS).due(start)
    counted = _working_days_after(start, due)
    # Exactly n days counted, none of them a Saturday, Sunday or bank holiday, and the
    # due date is the last of them.
    assert len(counted) == n
    assert all(d.weekday() < 5 and is_working_day(d) for d in counted)
    assert n == 0 or counted[-1] == due


@given(dates, lengths)
def test_a_start_on_a_day_off_counts_from_the_working_day_before(start: date, n: int) -> None:
    previous = start
    while not is_working_day(previous):
        previous -= timedelta(days=1)
    assert add_working_days(start, n) == add_working_days(previous, n) or n == 0


@given(dates, lengths, lengths)
def test_the_nth_working_day_after_a_working_day_is_n_working_days_later(
    start: date, m: int, n: int
) -> None:
    first = add_working_days(start, 1)  # a working day
    assert is_working_day(first)
    due = Length(n, Unit.WORKING_DAYS).due(first)
    assert working_days_between(first, due) == n
    # Counting on from a due date is the same as counting the whole length at once.
    assert add_working_days(add_working_days(first, m), n) == add_working_days(first, m + n)


@given(dates, st.integers(min_value=-1200, max_value=1200))
def test_counting_by_weeks_agrees_with_counting_each_day(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    naive = len(_working_days_after(min(start, end), max(start, end)))
    assert working_days_between(start, end) == (naive if span >= 0 else -naive)
