from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.workdays import add_working_days, is_working_day, working_days_between


def test_bank_holidays_of_england_and_wales_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England, not Scotland)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is a working day here
    assert not is_working_day(date(2026, 11, 21))  # Saturday


def test_five_working_days_from_a_friday_before_christmas() -> None:
    # Notified Friday 19 December 2025: 22, 23, 24, 29, 30 December.
    assert add_working_days(date(2025, 12, 19), 5) == date(2025, 12, 30)


def test_fifteen_working_days_over_easter() -> None:
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    assert add_working_days(date(2026, 3, 30), 15) == date(2026, 4, 22)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 60))
def test_counting_agrees_with_adding(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert end == start or is_working_day(end)
    assert working_days_between(end, start) == -days
    assert add_working_days(end, 0) == end
    assert end - start >= timedelta(days=days)
