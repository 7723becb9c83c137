"""Dates, periods and counts in prose: the one place that words them, so every sentence a
report or page writes reads the same way ("At 31 March 2017", "In 2016-17", "1 open risk").
"""

from __future__ import annotations

from datetime import date

from .periods import Period


def day(value: date) -> str:
    """31 March 2017 (no leading zero)."""
    return f"{value.day} {value:%B %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and the noun agreeing with it: 1 open risk, 2 open risks, 0 open risks."""
    noun = singular if count == 1 else (plural_form or _plural(singular))
    return f"{count:,} {noun}"


def noun(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun alone, agreeing with the count: meeting or meetings."""
    return singular if count == 1 else (plural_form or _plural(singular))


def _plural(singular: str) -> str:
    # The last word takes the plural: "open risk" -> "open risks", "agency" -> "agencies".
    head, _, last = singular.rpartition(" ")
    if last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x", "z")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def period_name(period: Period) -> str:
    """The period as a phrase inside a sentence: 31 March 2017 (a date), March 2017 (a
    month), 2016-17 (a year), 2016-17 Q4 (a quarter)."""
    if period.kind == "snapshot":
        return day(period.end)
    if period.kind == "month":
        return f"{period.start:%B %Y}"
    return period.label


def when(period: Period, *, capital: bool = True) -> str:
    """The preposition and the period, to begin or end a sentence: "At 31 March 2017" for a
    date (a snapshot), "In 2016-17" for a period of time."""
    word = "At" if period.kind == "snapshot" else "In"
    return f"{word if capital else word.lower()} {period_name(period)}"
