"""Dates typed by people: the due dates in plans and trackers.

Real plans write "when" in many ways. This module reads the forms that name a day or a month
and refuses everything else with a message that quotes the text:

| form          | example          | means                         |
|---------------|------------------|-------------------------------|
| ISO date      | `2017-07-14`     | that day                      |
| UK date       | `14/07/2017`     | that day                      |
| date in words | `14 July 2017`   | that day (`14 Jul 2017` too)  |
| month-year    | `Jul-17`         | the last day of July 2017     |
| month in words| `July 2017`      | the last day of July 2017     |
| ISO month     | `2017-07`        | the last day of July 2017     |

A month means "by the end of that month". Two-digit years are 2000 to 2099. Reporting
periods (`2016-17`, `2016-17 Q4`) are not dates: they are read by `core.periods`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date


class DateParseError(ValueError):
    """Text that is not a date this module reads; the message quotes it."""


ACCEPTED = (
    "a date (2017-07-31, 31/07/2017 or 31 July 2017) or a month (Jul-17, July 2017 or 2017-07)"
)

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WORDS_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_YY = re.compile(r"^([A-Za-z]+)\.?\s*[-‐‑–/ ]\s*(\d{2})$")
_MONTH_YYYY = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(name: str, raw: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        raise DateParseError(f"‘{raw}’ is not a date: ‘{name}’ is not the name of a month")
    return number


def _day(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(f"‘{raw}’ is not a real date") from None


def _end_of(year: int, month: int, raw: str) -> date:
    if not 1 <= month <= 12:
        raise DateParseError(f"‘{raw}’ is not a date: the month must be 01 to 12")
    if year < 1:
        raise DateParseError(f"‘{raw}’ is not a real date")
    return month_end(year, month)


def parse_due(text: str) -> date:
    """Read a due date written as a day or a month (see the module's table). A month is read
    as its last day. Anything else raises `DateParseError`, quoting the text."""
    raw = text
    text = " ".join((text or "").split())
    if not text:
        raise DateParseError(f"the date is empty: give {ACCEPTED}")
    if match := _ISO_DATE.match(text):
        return _day(int(match[1]), int(match[2]), int(match[3]), raw)
    if match := _UK_DATE.match(text):
        return _day(int(match[3]), int(match[2]), int(match[1]), raw)
    if match := _WORDS_DATE.match(text):
        return _day(int(match[3]), _month(match[2], raw), int(match[1]), raw)
    if match := _ISO_MONTH.match(text):
        return _end_of(int(match[1]), int(match[2]), raw)
    if match := _MONTH_YY.match(text):
        return _end_of(2000 + int(match[2]), _month(match[1], raw), raw)
    if match := _MONTH_YYYY.match(text):
        return _end_of(int(match[2]), _month(match[1], raw), raw)
    raise DateParseError(f"‘{raw}’ is not a date: give {ACCEPTED}")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), kept within the month: 31 August
    plus six months is 28 or 29 February, and a month end stays a month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, min(day.day, last))
