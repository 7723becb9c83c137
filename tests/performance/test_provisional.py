"""A figure with a status, as boards write it: "1412 (tbc)" keeps the value 1412 with the
status tbc (to be confirmed); the scorecard shows it as provisional."""

from __future__ import annotations

from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import parse_period
from safeboard.core.tables import TableRow
from safeboard.performance import selectors, services
from safeboard.performance.models import Value
from safeboard.performance.validation import validate_values

from .conftest import indicator

pytestmark = pytest.mark.django_db


def _check(alpha: Any, **fields: str) -> Any:
    with tenancy.partnership_scope(alpha):
        return validate_values([TableRow(2, fields)], services.value_rules(alpha))


def test_a_value_with_tbc_keeps_both(alpha: Any) -> None:
    ind = indicator(alpha, "CP1")
    clean, problems = _check(alpha, indicator="CP1", period="2016-17 Q4", value="1412 (tbc)")
    assert not problems, [str(p) for p in problems]
    assert (clean[0].value, clean[0].status) == (1412, "tbc")
    clean2, problems2 = _check(
        alpha, indicator="CP1", period="2016-17 Q3", value="1,390", status="TBC"
    )
    assert not problems2 and (clean2[0].value, clean2[0].status) == (1390, "tbc")
    with tenancy.partnership_scope(alpha):
        services.save_values(alpha, clean, released=True)
        stored = Value.objects.get(indicator=ind, current=True)
        assert (stored.value, stored.status) == (1412, "tbc")
        row = selectors.scorecard(alpha, parse_period("2016-17 Q4")).rows[0]
    assert row.raw == 1412 and row.display == "1,412 (tbc)"
    # Other reasons still stand for a figure that is absent.
    _, refused = _check(alpha, indicator="CP1", period="2016-17 Q2", value="12 (c)")
    assert refused and refused[0].column == "value"


def test_a_quarterly_indicators_annual_value_is_the_years(alpha: Any) -> None:
    from .conftest import put

    ind = indicator(alpha, "CP2", frequency="quarterly")
    for quarter, value in (("Q1", 300), ("Q2", 310), ("Q3", 320), ("Q4", 330)):
        put(alpha, ind, f"2016-17 {quarter}", value)
    put(alpha, ind, "2016-17", 1300)  # the board's annual figure
    put(alpha, ind, "2015-16", 1200)
    with tenancy.partnership_scope(alpha):
        year = selectors.scorecard(alpha, parse_period("2016-17")).rows[0]
        quarter = selectors.scorecard(alpha, parse_period("2016-17 Q4")).rows[0]
    assert (year.period.label, year.raw, year.previous_raw) == ("2016-17", 1300, 1200)
    assert year.parts_total == 1260 and "quarters add up to 1,260" in year.parts_text
    assert (quarter.period.label, quarter.raw) == ("2016-17 Q4", 330)
