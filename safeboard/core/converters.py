"""Path converters. `<id:pk>` is the converter of every id in every urls.py: it accepts only
numbers a database id can hold (a 64-bit signed integer), so a larger one is "page not
found" before any view or query runs. Registered once, in `CoreConfig.ready()`."""

from __future__ import annotations

LARGEST_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("too large for an id")  # Django answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)
