"""Checking value rows before anything is written: every problem named by row and field."""

from __future__ import annotations

from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.tables import TableRow
from safeboard.performance import services
from safeboard.performance.validation import validate_values

from .conftest import indicator


def check(p: Any, *items: dict[str, str]) -> tuple[list[Any], list[str]]:
    with tenancy.partnership_scope(p):
        rows = [TableRow(n, fields) for n, fields in enumerate(items, start=12)]
        clean, problems = validate_values(rows, services.value_rules(p))
    return clean, [str(problem) for problem in problems]


@pytest.fixture
def dataset(alpha: Any, police: Any, population: None) -> dict[str, Any]:
    return {
        "pct": indicator(alpha, "PCT", unit="percent", decimals=1, owner=police),
        "count": indicator(alpha, "CNT", unit="count", owner=police),
        "rate": indicator(alpha, "RATE", unit="rate_per_10000", decimals=1),
        "snap": indicator(alpha, "SNAP", unit="count", period_kind="snapshot"),
        "year": indicator(alpha, "YEAR", unit="days", frequency="annual"),
        "month": indicator(alpha, "MON", unit="count", frequency="monthly"),
    }


def test_a_value_that_disagrees_with_its_own_numerator_and_denominator(
    alpha: Any, dataset: dict
) -> None:
    _, problems = check(
        alpha,
        {
            "indicator": "PCT",
            "period": "2025-26 Q2",
            "value": "20.1",
            "numerator": "87",
            "denominator": "443",
        },
    )
    assert problems == ["Row 12: value 20.1 disagrees with 87 / 443 = 19.6"]


def test_a_percentage_is_computed_from_its_numerator_and_denominator(
    alpha: Any, dataset: dict
) -> None:
    clean, problems = check(
        alpha, {"indicator": "pct", "period": "2025-26 Q2", "numerator": "87", "denominator": "443"}
    )
    assert problems == []
    assert clean[0].value == pytest.approx(19.63882618510158)  # full precision is kept
    clean, problems = check(
        alpha,
        {
            "indicator": "PCT",
            "period": "2025-26 Q2",
            "value": "19.6",
            "numerator": "87",
            "denominator": "443",
        },
    )
    assert problems == [] and clean[0].value == 19.6


def test_a_rate_per_10000_uses_the_child_population_of_its_year(alpha: Any, dataset: dict) -> None:
    clean, problems = check(
        alpha, {"indicator": "RATE", "period": "2025-26 Q3", "numerator": "312"}
    )
    assert problems == []
    assert clean[0].value == pytest.approx(312 / 50000 * 10000)
    assert (clean[0].denominator, clean[0].population_year) == (50000, 2025)
    # A later year uses the latest estimate recorded (mid-year estimates come out late).
    clean, problems = check(alpha, {"indicator": "RATE", "period": "2027-28 Q1", "numerator": "10"})
    assert problems == [] and clean[0].population_year == 2025
    _, problems = check(alpha, {"indicator": "RATE", "period": "2019-20 Q1", "numerator": "10"})
    assert problems == [
        "Row 12: denominator is missing and no child population is recorded for 2019-20 or "
        "earlier: give the denominator or record the population"
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"indicator": "NOPE", "period": "2025-26 Q2", "value": "1"},
            "Row 12: indicator ‘NOPE’ is unknown in this partnership",
        ),
        (
            # A year is the year's own figure of a quarterly indicator; a month is not.
            {"indicator": "CNT", "period": "2025-07", "value": "1"},
            "Row 12: period ‘2025-07’ does not fit the quarterly indicator CNT: give a quarter "
            "such as 2016-17 Q4",
        ),
        ({"indicator": "CNT", "period": "2025-26 Q5", "value": "1"}, "Row 12: period"),
        (
            {"indicator": "CNT", "period": "2025-26 Q2", "value": "lots"},
            "Row 12: value ‘lots’ is not a number",
        ),
        (
            {"indicator": "PCT", "period": "2025-26 Q2", "value": "120"},
            "Row 12: value 120 is outside 0 to 100 for a percentage",
        ),
        (
            {"indicator": "CNT", "period": "2025-26 Q2", "value": "-3"},
            "Row 12: value -3 is negative: a count cannot be",
        ),
        (
            {"indicator": "CNT", "period": "2025-26 Q2", "value": "2.5"},
            "Row 12: value 2.5 is not a whole number: a count must be",
        ),
        (
            {"indicator": "PCT", "period": "2025-26 Q2", "numerator": "500", "denominator": "443"},
            "Row 12: numerator 500 is larger than denominator 443",
        ),
        (
            {"indicator": "PCT", "period": "2025-26 Q2", "numerator": "5", "denominator": "0"},
            "Row 12: denominator is 0",
        ),
        (
            {"indicator": "CNT", "period": "2025-26 Q2"},
            "Row 12: value is missing: give a value, a numerator or a status (c, x, z, u or tbc)",
        ),
        (
            # tbc and u may stand beside a figure; c, x and z are reasons it is absent.
            {"indicator": "CNT", "period": "2025-26 Q2", "value": "4", "status": "c"},
            "Row 12: give a figure or a reason for its absence, not both: value and status c",
        ),
        (
            {"indicator": "CNT", "period": "2025-26 Q2", "status": "maybe"},
            "Row 12: status ‘maybe’ is not a reason",
        ),
        (
            {"indicator": "SNAP", "period": "2025-09-15", "value": "4"},
            "Row 12: period ‘2025-09-15’ does not fit the quarterly snapshot indicator SNAP: give "
            "the last day of a quarter, such as 2017-03-31",
        ),
        (
            {"indicator": "CNT", "period": "2025-26 Q2", "value": "4", "agency": "Nobody"},
            "Row 12: agency ‘Nobody’ is unknown in this partnership",
        ),
        ({"period": "2025-26 Q2", "value": "4"}, "Row 12: indicator is missing"),
    ],
)
def test_each_problem_names_its_row_and_field(
    alpha: Any, dataset: dict, fields: dict, message: str
) -> None:
    clean, problems = check(alpha, fields)
    assert clean == []
    assert len(problems) == 1 and problems[0].startswith(message)


def test_every_problem_is_reported_not_just_the_first(alpha: Any, dataset: dict) -> None:
    _, problems = check(
        alpha,
        {"indicator": "CNT", "period": "2025-26 Q2", "value": "4"},
        {"indicator": "CNT", "period": "2025-26 Q2", "value": "5"},
        {"indicator": "PCT", "period": "2025-26 Q2", "value": "101"},
        {"indicator": "X", "period": "never", "value": "x1"},
    )
    assert problems[0] == "Row 13: CNT for 2025-26 Q2 is given twice (also in row 12)"
    assert problems[1].startswith("Row 14: value 101 is outside")
    assert [p.split(":")[0] for p in problems[2:]] == ["Row 15", "Row 15"]


def test_periods_fit_frequency_and_kind(alpha: Any, dataset: dict) -> None:
    clean, problems = check(
        alpha,
        {"indicator": "SNAP", "period": "2025-26 Q2", "value": "4"},
        {"indicator": "YEAR", "period": "2025-26", "value": "12"},
        {"indicator": "MON", "period": "March 2026", "value": "12"},
        {"indicator": "SNAP", "period": "2025-12-31", "value": "5"},
    )
    assert problems == []
    # A snapshot is kept as the date at the end of its period.
    assert [c.period.label for c in clean] == ["2025-09-30", "2025-26", "2026-03", "2025-12-31"]


def test_a_reason_typed_in_the_value_column_is_read_as_a_reason(alpha: Any, dataset: dict) -> None:
    clean, problems = check(alpha, {"indicator": "CNT", "period": "2025-26 Q2", "value": "TBC"})
    assert problems == [] and (clean[0].value, clean[0].status) == (None, "tbc")


def test_an_agencys_return_takes_only_its_own_indicators(
    alpha: Any, police: Any, health: Any, dataset: dict
) -> None:
    from safeboard.performance.validation import ValueRules

    with tenancy.partnership_scope(alpha):
        rules = services.value_rules(alpha)
        rules = ValueRules(
            indicators=rules.indicators,
            agencies=rules.agencies,
            populations=rules.populations,
            agency=health,
        )
        _, problems = validate_values(
            [TableRow(3, {"indicator": "CNT", "period": "2025-26 Q2", "value": "1"})], rules
        )
    assert [str(p) for p in problems] == ["Row 3: indicator CNT is not one of HLT’s"]
