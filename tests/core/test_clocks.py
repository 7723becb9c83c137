"""The statutory clock engine (core.clocks): due dates in working days, calendar days and
months; states; lengths kept per clock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core import clocks, modules, tenancy
from safeboard.core.clocks import ClockKind, ClockState, Length, Unit, state_of
from safeboard.core.models import ClockSetting
from safeboard.core.workdays import is_working_day, working_days_between

from .. import factories as f

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def test_the_due_date_is_the_nth_working_day_after_the_start() -> None:
    # Notified on Friday 19 December 2025: 22, 23, 24, 29 and 30 December.
    assert Length(5, Unit.WORKING_DAYS).due(date(2025, 12, 19)) == date(2025, 12, 30)
    # The start day does not count, even when it is a working day.
    assert Length(1, Unit.WORKING_DAYS).due(date(2026, 12, 1)) == date(2026, 12, 2)
    # A start on a Saturday: the first working day after it is Monday.
    assert Length(1, Unit.WORKING_DAYS).due(date(2026, 11, 28)) == date(2026, 11, 30)


def test_one_off_bank_holidays_are_not_working_days() -> None:
    # The State Funeral of Queen Elizabeth II (19 September 2022).
    assert Length(1, Unit.WORKING_DAYS).due(date(2022, 9, 16)) == date(2022, 9, 20)
    # The Coronation of King Charles III (8 May 2023), after the early May bank holiday (1st).
    assert Length(5, Unit.WORKING_DAYS).due(date(2023, 4, 28)) == date(2023, 5, 9)


def test_fifteen_working_days_for_a_rapid_review_over_easter() -> None:
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert Length(15, Unit.WORKING_DAYS).due(date(2026, 3, 30)) == date(2026, 4, 22)


def test_calendar_months_keep_the_day_or_take_the_months_last() -> None:
    month = Length(1, Unit.MONTHS)
    assert month.due(date(2026, 1, 31)) == date(2026, 2, 28)
    assert month.due(date(2024, 1, 31)) == date(2024, 2, 29)
    assert month.due(date(2026, 4, 30)) == date(2026, 5, 30)
    assert Length(6, Unit.MONTHS).due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert Length(12, Unit.MONTHS).due(date(2024, 2, 29)) == date(2025, 2, 28)
    assert Length(3, Unit.DAYS).due(date(2026, 12, 30)) == date(2027, 1, 2)


@given(dates, st.integers(0, 40))
def test_working_day_due_dates_are_working_days_the_right_count_away(start: date, n: int) -> None:
    due = Length(n, Unit.WORKING_DAYS).due(start)
    assert working_days_between(start, due) == n
    assert n == 0 or is_working_day(due)
    assert due >= start + timedelta(days=n)


@given(dates, st.integers(0, 36))
def test_month_due_dates_fall_in_the_right_month(start: date, n: int) -> None:
    due = Length(n, Unit.MONTHS).due(start)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == n
    assert due.day == start.day or (due.day < start.day and (due + timedelta(days=1)).day == 1)


@given(dates, dates, st.one_of(st.none(), dates))
def test_a_clock_is_in_exactly_one_state(due: date, today: date, done: date | None) -> None:
    state = state_of(due, done, today)
    if done is None:
        assert state == (ClockState.OVERDUE if today > due else ClockState.OPEN)
    else:
        assert state == (ClockState.MET if done <= due else ClockState.MISSED)


def test_lengths_read_as_words() -> None:
    assert Length(5, Unit.WORKING_DAYS).label == "5 working days"
    assert Length(1, Unit.WORKING_DAYS).label == "1 working day"
    assert Length(6, Unit.MONTHS).label == "6 calendar months"
    assert Length(1, Unit.MONTHS).label == "1 calendar month"
    with pytest.raises(ValueError):
        Length(-1, Unit.DAYS)


@pytest.fixture
def kind(monkeypatch: Any) -> ClockKind:
    """A kind of clock declared by a module, as the case reviews module declares its own."""
    declared = ClockKind(
        "test.notification",
        "Notification",
        Length(5, Unit.WORKING_DAYS),
        source="A test's own statute",
        starts="the incident becoming known",
        ends="the notification sent",
    )
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(config, "clocks", (declared,))
    return declared


@pytest.mark.django_db
def test_a_clock_keeps_its_length_when_the_partnership_changes_it(
    alpha: Any, kind: ClockKind
) -> None:
    first, second = f.agency(alpha, "A1"), f.agency(alpha, "A2")
    with tenancy.partnership_scope(alpha):
        old = clocks.start_clock(first, kind.key, date(2025, 12, 19), label="First")
        assert old.due == date(2025, 12, 30)
        ClockSetting.objects.create(partnership=alpha, kind=kind.key, count=3, unit=Unit.DAYS)
        new = clocks.start_clock(second, kind.key, date(2025, 12, 19), label="Second")
        assert new.due == date(2025, 12, 22)
        # A corrected start moves the old clock's due date by its own length, not the new one.
        moved = clocks.start_clock(first, kind.key, date(2025, 12, 22), label="First")
        assert moved.pk == old.pk
        assert moved.length == Length(5, Unit.WORKING_DAYS)
        assert moved.due == date(2025, 12, 31)


@pytest.mark.django_db
def test_stopping_a_clock_says_whether_it_was_met(alpha: Any, kind: ClockKind) -> None:
    record = f.agency(alpha, "A1")
    with tenancy.partnership_scope(alpha):
        clock = clocks.start_clock(record, kind.key, date(2025, 12, 19), label="A1")
        assert clock.state(date(2025, 12, 29)) == ClockState.OPEN
        assert clock.days_left(date(2025, 12, 29)) == 1
        assert clock.state(date(2025, 12, 31)) == ClockState.OVERDUE
        clocks.stop_clock(record, kind.key, date(2025, 12, 30))
        assert clocks.clocks_of(record)[0].state(date(2026, 1, 5)) == ClockState.MET
        clocks.stop_clock(record, kind.key, date(2026, 1, 2))
        assert clocks.clocks_of(record)[0].state(date(2026, 1, 5)) == ClockState.MISSED


def test_an_unknown_kind_of_clock_is_refused() -> None:
    with pytest.raises(LookupError):
        clocks.kind_of("nobody.runs.this")
