"""Path converters. `<id:pk>` is the converter of every id in every urls.py: it accepts only
numbers a database id can hold (a 64-bit signed integer), so a larger one is "page not
found" before any view or query runs. Registered once, in `CoreConfig.ready()`."""

from __future__ import annotations

LARGEST_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # Django answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def parse_id(value: object) -> int | None:
    """An id from a query parameter or a form's value, by the converter's rule (ASCII digits,
    no larger than a database id can hold); None for anything else, so a filter that cannot
    match is ignored instead of failing."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None
