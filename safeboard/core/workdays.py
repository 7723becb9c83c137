"""Working days: weekdays that are not England and Wales bank holidays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (before it, when negative). The start day
    itself is day 0: a notification on Friday due within 1 working day is due on Monday."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier).
    Counted by whole weeks (five weekdays each), the days left over, less the bank holidays
    that fall on weekdays in between: as fast for a clock years overdue as for one due
    tomorrow."""
    if end < start:
        return -working_days_between(end, start)
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    day = start + timedelta(days=weeks * 7)
    for _ in range(rest):
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for h in _bank_holidays(year) if start < h <= end and h.weekday() < 5)
    return count
