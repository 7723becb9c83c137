"""Counts of people in tables typed into the text go through disclosure control in the public
edition (child death counts of 1 to 5 were published); tables of other things do not."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import write
from .test_document import build, table

pytestmark = pytest.mark.django_db

DEATHS = (
    "| Category | Child deaths reviewed |\n|---|---|\n| Natural causes | 3 |\n"
    "| Accident | 7 |\n| Other | 9 |\n| Total | 19 |\n\n"
    "| Partner | Meetings hosted |\n|---|---|\n| Council | 2 |\n| Police | 1 |\n"
)


def test_small_counts_of_people_in_a_typed_table_are_suppressed(report: Any) -> None:
    write(report, "priorities", DEATHS)
    board = table(build(report), "Priorities for next year: table")
    assert [r[1].text for r in board.rows] == ["3", "7", "9", "19"]
    public = build(report, "public")
    deaths = table(public, "Priorities for next year: table")
    shown = [r[1].text for r in deaths.rows]
    assert shown[0] == "c" and shown.count("c") >= 2, shown  # 3, and one more to protect it
    assert shown[-1] == "19"
    meetings = next(
        b
        for s in public.sections
        for b in s.blocks
        if getattr(b, "columns", None) == ["Partner", "Meetings hosted"]
    )
    assert [r[1].text for r in meetings.rows] == ["2", "1"]  # not people
