"""A year's count beside its quarters, in public: a quarter suppressed as a small count is
not the year's value less the other quarters (each published in its own quarter's
scorecard), nor the sum the year's provenance gives of its quarters."""

from __future__ import annotations

from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import parse_period
from safeboard.performance import selectors

from .conftest import indicator, put

pytestmark = pytest.mark.django_db


def test_a_suppressed_quarter_is_not_the_year_less_the_other_quarters(alpha: Any) -> None:
    ind = indicator(alpha, "CP9", frequency="quarterly")
    for quarter, value in (("Q1", 10), ("Q2", 3), ("Q3", 12), ("Q4", 11)):
        put(alpha, ind, f"2016-17 {quarter}", value)
    put(alpha, ind, "2016-17", 36)
    put(alpha, ind, "2017-18 Q4", 40)
    put(alpha, ind, "2017-18", 160)
    with tenancy.partnership_scope(alpha):
        board = selectors.scorecard(alpha, parse_period("2016-17")).rows[0]
        public = selectors.scorecard(alpha, parse_period("2016-17"), public=True).rows[0]
        quarters = {
            q: selectors.scorecard(alpha, parse_period(f"2016-17 {q}"), public=True).rows[0]
            for q in ("Q1", "Q2", "Q3", "Q4")
        }
        later = selectors.scorecard(alpha, parse_period("2017-18"), public=True).rows[0]
    assert board.raw == 36 and "add up to the same" in board.parts_text
    assert quarters["Q2"].suppressed
    assert [quarters[q].raw for q in ("Q1", "Q3", "Q4")] == [10, 12, 11]
    # 36 - 10 - 12 - 11 = 3: the year's value goes with the small quarter.
    assert public.suppressed and public.raw is None
    assert "36" not in public.parts_text and "add up to the same" not in public.parts_text
    assert later.previous_raw is None and later.previous_suppressed


def test_the_parts_sum_is_not_given_beside_a_suppressed_part(alpha: Any) -> None:
    """The year's own figure differs from its quarters: it stays, but "its quarters add up
    to 33" would give the small quarter as 33 less the others."""
    ind = indicator(alpha, "CP8", frequency="quarterly")
    for quarter, value in (("Q1", 10), ("Q2", 3), ("Q3", 9), ("Q4", 11)):
        put(alpha, ind, f"2016-17 {quarter}", value)
    put(alpha, ind, "2016-17", 40)
    with tenancy.partnership_scope(alpha):
        public = selectors.scorecard(alpha, parse_period("2016-17"), public=True).rows[0]
    assert public.raw == 40
    assert "33" not in public.parts_text


def test_the_public_chart_leaves_out_a_year_hidden_with_its_quarter(alpha: Any) -> None:
    """The next year's chart of the indicator's history: the 2016-17 quarters 10, 12 and 11
    beside the year's 36 would give the suppressed quarter."""
    import json
    from datetime import date

    from safeboard.core.periods import FinancialYear
    from safeboard.performance import report
    from safeboard.reporting.context import ReportContext

    ind = indicator(alpha, "CP7", frequency="quarterly")
    for quarter, value in (("Q1", 10), ("Q2", 3), ("Q3", 12), ("Q4", 11)):
        put(alpha, ind, f"2016-17 {quarter}", value)
    put(alpha, ind, "2016-17", 36)
    for quarter, value in (("Q1", 40), ("Q2", 41), ("Q3", 42), ("Q4", 43)):
        put(alpha, ind, f"2017-18 {quarter}", value)
    with tenancy.partnership_scope(alpha):
        ctx = ReportContext(alpha, FinancialYear(2017), date(2018, 6, 30), "public")
        row = selectors.scorecard(alpha, parse_period("2017-18"), public=True).rows[0]
        chart = report._chart(ctx, row)
    assert chart is not None
    text = json.dumps(chart.spec) + chart.description
    assert "2017-18 Q1" in text or "40" in text
    assert "36" not in text, text
