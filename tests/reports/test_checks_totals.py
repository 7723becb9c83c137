"""Totals in typed tables: a last row labelled Totals is checked; percentages and rates are
never summed; the checks say which rows and columns they checked."""

from __future__ import annotations

from typing import Any

import pytest

from safeboard.reports import checks

from .conftest import write
from .test_document import build, table

pytestmark = pytest.mark.django_db


def test_a_totals_row_is_checked(report: Any) -> None:
    write(
        report,
        "priorities",
        "| Agency | Contribution |\n|---|---|\n| Council | 60,000 |\n| Police | 25,000 |\n"
        "| Totals | 80,000 |\n",
    )
    doc = build(report)
    assert any(
        "the total of ‘Contribution’ is 80,000 but its parts add up to 85,000" in p.message
        for p in checks.blocking(doc.problems)
    )


def test_percentages_and_rates_are_never_summed(report: Any) -> None:
    write(
        report,
        "priorities",
        "| Agency | Meetings | Attended | Overall % |\n|---|---|---|---|\n"
        "| Council | 4 | 4 | 100 |\n| Police | 4 | 3 | 75 |\n| Health | 4 | 2 | 50 |\n"
        "| Education | 4 | 1 | 25 |\n| Overall | 16 | 10 | 63 |\n\n"
        "| Measure | 2015-16 | 2016-17 |\n|---|---|---|\n| Rate per 10,000 | 30.1 | 28.2 |\n"
        "| Re-referrals | 20% | 18% |\n| Overall % | 67 | 67 |\n",
    )
    doc = build(report)
    assert checks.blocking(doc.problems) == [], [p.message for p in doc.problems]
    notes = [p.message for p in doc.problems if p.severity == "note"]
    assert any(
        "checked the row ‘Overall’ against the 4 rows above it in ‘Meetings’ and ‘Attended’" in n
        and "not added up: ‘Overall %’ (a percentage or rate)" in n
        for n in notes
    ), notes
    assert any("‘Overall %’ is a row of percentages or rates: not added up" in n for n in notes)
    assert table(doc, "Priorities for next year: table").total_row


def test_a_number_that_merely_coincides_with_a_figure_is_not_flagged(report: Any) -> None:
    # 3 board meetings, 67% attendance, 92,800 children: those typed about their subject (or
    # large) are the figures; those about something else coincide.
    write(
        report,
        "foreword",
        "Priority Area 3 aims for 67% of schools to train their staff. "
        "The board met 3 times. In 2016-17, 92,800 lived here.",
    )
    doc = build(report)
    warnings = [p.message for p in doc.problems if p.severity == "warning"]
    assert any("‘3’ is typed, and is the figure [[attendance.meetings]]" in w for w in warnings)
    assert any("‘92,800’ is typed" in w for w in warnings)
    assert not any("‘67%’" in w for w in warnings)
    assert sum("‘3’" in w for w in warnings) == 1, warnings


def test_one_measure_with_two_values_blocks_approval(report: Any) -> None:
    from ..performance.conftest import indicator, put

    linked = indicator(
        report.partnership,
        "PB1.1",
        unit="percent",
        frequency="annual",
        measure="board_attendance",
    )
    put(report.partnership, linked, "2016-17", 76)
    doc = build(report)
    assert doc.figures["indicator:PB1.1:value"].measure == "board_attendance"
    messages = [p.message for p in checks.blocking(doc.problems)]
    assert any(
        m.startswith(
            "Attendance at board meetings (agencies’ places filled) has two values in "
            "the report: 67%"
        )
        and "76" in m
        for m in messages
    ), messages
    # The same value (to the nearest whole number) is one value.
    put(report.partnership, linked, "2016-17", 66.9)
    assert not any("two values" in p.message for p in checks.blocking(build(report).problems))
