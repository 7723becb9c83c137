"""The one RAG and trend rule (safeboard/performance/rag.py), example by example as the issue
states it, and its properties under hypothesis."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeboard.core.statistics import round_half_up
from safeboard.performance.rag import (
    TargetError,
    TargetRule,
    parse_target,
    parse_tolerance,
    rag,
    target_label,
    target_text,
    trend,
)

ORDER = {"R": 0, "A": 1, "G": 2}


def single(value: float, tolerance: float = 10, percent: bool = True) -> TargetRule:
    return TargetRule(value, value, tolerance, percent)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85, "G"), (90, "G"), (84.9, "A"), (76.5, "A"), (76.4, "R"), (0, "R")],
)
def test_high_is_good_green_at_target_amber_within_ten_percent(value: float, expected: str) -> None:
    assert rag(value, 1, "high", single(85)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(20, "G"), (3, "G"), (20.1, "A"), (22, "A"), (22.1, "R")]
)
def test_low_is_good_green_at_or_below_amber_within_tolerance(value: float, expected: str) -> None:
    assert rag(value, 1, "low", single(20)) == expected


def test_an_absolute_tolerance_is_in_the_indicators_unit() -> None:
    rule = single(18, tolerance=2, percent=False)
    assert [rag(v, 1, "low", rule) for v in (18, 20, 20.1)] == ["G", "A", "R"]


def test_the_value_as_displayed_is_compared() -> None:
    # 84.95 is shown as 85.0 (half away from zero), which meets the target; 84.94 is 84.9.
    assert rag(84.95, 1, "high", single(85)) == "G"
    assert rag(84.94, 1, "high", single(85)) == "A"
    # With no decimals 84.5 is shown as 85.
    assert rag(84.5, 0, "high", single(85)) == "G"


def test_a_band_uses_its_lower_bound_when_high_is_good() -> None:
    band = TargetRule(5, 7.5, 10, True)
    assert rag(9, 1, "high", band) == "G"  # above the band is still green
    assert rag(5, 1, "high", band) == "G"
    assert rag(4.5, 1, "high", band) == "A"  # 5 - 10% of 5
    assert rag(4.4, 1, "high", band) == "R"


def test_a_band_uses_its_upper_bound_when_low_is_good() -> None:
    band = TargetRule(5, 7.5, 10, True)
    assert rag(2, 1, "low", band) == "G"
    assert rag(8.2, 1, "low", band) == "A"  # 7.5 + 0.75 = 8.25
    assert rag(8.3, 1, "low", band) == "R"


def test_neither_polarity_with_a_band_is_green_inside_amber_near_red_beyond() -> None:
    band = TargetRule(35, 45, 10, True)
    assert [rag(v, 1, "none", band) for v in (35, 40, 45)] == ["G", "G", "G"]
    assert [rag(v, 1, "none", band) for v in (31.5, 49.5)] == ["A", "A"]
    assert [rag(v, 1, "none", band) for v in (31.4, 49.6)] == ["R", "R"]


def test_no_rating_without_target_value_or_band() -> None:
    assert rag(None, 1, "high", single(85)) is None
    assert rag(50, 1, "high", None) is None
    assert rag(50, 1, "high", TargetRule(None, None)) is None
    assert rag(50, 1, "none", single(50)) is None  # neither polarity, single target


def test_trend_examples() -> None:
    assert trend(20.04, 19.96, 1, "high") == "static"  # both shown as 20.0
    assert trend(21, 20, 1, "high") == "improving"
    assert trend(21, 20, 1, "low") == "declining"
    assert trend(19, 20, 1, "low") == "improving"
    assert trend(21, 20, 1, "none") == "up"
    assert trend(19, 20, 1, "none") == "down"
    assert trend(None, 20, 1, "high") is None
    assert trend(20, None, 1, "high") is None


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
bounds = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False, allow_infinity=False)
decimals = st.integers(0, 3)
polarities = st.sampled_from(["high", "low"])
rules = st.builds(
    lambda low, width, tol, percent: TargetRule(low, low + width, tol, percent),
    bounds,
    st.one_of(st.just(0.0), st.floats(min_value=0.5, max_value=1e4, allow_nan=False)),
    st.floats(min_value=0, max_value=1e3, allow_nan=False),
    st.booleans(),
)


@given(values, values, rules, polarities, decimals)
def test_a_better_value_is_never_rated_worse(
    a: float, b: float, rule: TargetRule, polarity: str, d: int
) -> None:
    better, worse = (max(a, b), min(a, b)) if polarity == "high" else (min(a, b), max(a, b))
    rating_better = rag(better, d, polarity, rule)
    rating_worse = rag(worse, d, polarity, rule)
    assert rating_better is not None and rating_worse is not None
    assert ORDER[rating_better] >= ORDER[rating_worse]


@given(values, rules, polarities, decimals)
def test_green_exactly_when_the_displayed_value_meets_the_target(
    value: float, rule: TargetRule, polarity: str, d: int
) -> None:
    shown = round_half_up(value, d)
    assert rule.low is not None and rule.high is not None
    if polarity == "high":
        meets = shown >= Decimal(repr(rule.low))
    else:
        meets = shown <= Decimal(repr(rule.high))
    assert (rag(value, d, polarity, rule) == "G") == meets


@given(values, rules, decimals)
def test_neither_polarity_is_green_exactly_inside_the_band(
    value: float, rule: TargetRule, d: int
) -> None:
    rating = rag(value, d, "none", rule)
    if not rule.is_band:
        assert rating is None
        return
    assert rule.low is not None and rule.high is not None
    shown = round_half_up(value, d)
    inside = Decimal(repr(rule.low)) <= shown <= Decimal(repr(rule.high))
    assert (rating == "G") == inside


@given(values, decimals)
def test_a_value_equal_to_its_target_is_green(value: float, d: int) -> None:
    shown = float(round_half_up(value, d))
    for polarity in ("high", "low"):
        assert rag(shown, d, polarity, single(shown)) == "G"


@given(values, values, st.sampled_from(["high", "low", "none"]), decimals)
def test_trend_reverses_when_the_periods_swap(a: float, b: float, polarity: str, d: int) -> None:
    forward, backward = trend(a, b, d, polarity), trend(b, a, d, polarity)
    opposite = {
        "static": "static",
        "improving": "declining",
        "declining": "improving",
        "up": "down",
        "down": "up",
    }
    assert forward is not None and backward == opposite[forward]
    assert (forward == "static") == (round_half_up(a, d) == round_half_up(b, d))


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("80", (80.0, 80.0)),
        ("80%", (80.0, 80.0)),
        ("5-7.5", (5.0, 7.5)),
        ("5 to 7.5", (5.0, 7.5)),
        ("5 – 7.5", (5.0, 7.5)),
        ("", (None, None)),
        ("not set", (None, None)),
        ("1,000", (1000.0, 1000.0)),
    ],
)
def test_targets_are_read_as_people_write_them(text: str, parsed: tuple) -> None:
    assert parse_target(text) == parsed


@pytest.mark.parametrize("text", ["high", "7.5-5", "5-", "80 percent"])
def test_a_target_that_is_not_one_says_so(text: str) -> None:
    with pytest.raises(TargetError, match=r"target|band"):
        parse_target(text)


def test_tolerances() -> None:
    assert parse_tolerance("") == (10.0, True)
    assert parse_tolerance("10%") == (10.0, True)
    assert parse_tolerance("2") == (2.0, False)
    with pytest.raises(TargetError, match="negative"):
        parse_tolerance("-2")
    with pytest.raises(TargetError, match="not a tolerance"):
        parse_tolerance("a bit")


def test_target_labels_round_trip() -> None:
    for text in ("80", "5-7.5", "0.25"):
        low, high = parse_target(text)
        assert target_label(low, high) == text
    assert target_text(5, 7.5) == "5 to 7.5"
    assert target_text(None, None) == "Not set"
