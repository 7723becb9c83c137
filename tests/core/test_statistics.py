"""Rounding for display and publication, rates and changes (core.statistics)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.statistics import (
    Missing,
    format_number,
    percentage_change,
    ratio,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (2.675, 2, "2.68"),  # binary floating point and round() would give 2.67
        (0.125, 2, "0.13"),  # round() would give 0.12 (half to even)
        (19.638826, 1, "19.6"),
        (-2.5, 0, "-3"),  # half away from zero
        (-0.04, 1, "0.0"),  # no negative zero
        (1234567.891, 0, "1234568"),
    ],
)
def test_rounding_is_half_away_from_zero_on_the_written_number(
    value: float, decimals: int, shown: str
) -> None:
    assert str(round_half_up(value, decimals)) == shown


def test_numbers_are_shown_with_thousands_separators() -> None:
    assert format_number(1234.5, 1) == "1,234.5"
    assert format_number(1234.5, 0) == "1,235"
    assert format_number(None, 1) == ""


def test_rates_and_changes() -> None:
    assert ratio(87, 443, 100) == pytest.approx(19.6388, rel=1e-4)
    assert ratio(312, 69200, 10000) == pytest.approx(45.0867, rel=1e-4)
    with pytest.raises(ValueError, match="greater than zero"):
        ratio(1, 0, 100)
    assert percentage_change(1400, 1744) == pytest.approx(24.571, rel=1e-3)  # not 46.1%
    assert percentage_change(0, 5) is None


def test_missing_values_have_their_symbols_and_meanings() -> None:
    assert [m.value for m in Missing] == ["c", "x", "z", "u", "tbc"]
    assert Missing("tbc").description == "to be confirmed"


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 4))
def test_rounding_moves_a_value_by_at_most_half_a_unit(value: float, decimals: int) -> None:
    rounded = round_half_up(value, decimals)
    assert abs(rounded - Decimal(repr(value))) <= Decimal(1).scaleb(-decimals) / 2
