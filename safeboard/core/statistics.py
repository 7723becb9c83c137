"""Statistical conventions shared by every module: rounding for display, rates and
percentages, and the Government Statistical Service symbols for missing values.

Values are stored unrounded (full precision). They are rounded only when shown or published,
half away from zero, on their shortest decimal form: 2.675 is shown as 2.68 (as a person
would round it), not 2.67 (what binary floating point and Python's `round` would give).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import StrEnum


class Missing(StrEnum):
    """Why a figure is absent (Government Statistical Service symbols). Never a silent blank."""

    SUPPRESSED = "c"
    NOT_AVAILABLE = "x"
    NOT_APPLICABLE = "z"
    LOW_RELIABILITY = "u"
    TO_BE_CONFIRMED = "tbc"

    @property
    def description(self) -> str:
        return MISSING_DESCRIPTIONS[self]


MISSING_DESCRIPTIONS = {
    Missing.SUPPRESSED: "suppressed to protect confidentiality",
    Missing.NOT_AVAILABLE: "not available",
    Missing.NOT_APPLICABLE: "not applicable",
    Missing.LOW_RELIABILITY: "low reliability",
    Missing.TO_BE_CONFIRMED: "to be confirmed",
}

MULTIPLIERS = {"percent": 100, "rate_per_1000": 1000, "rate_per_10000": 10000}


def to_decimal(value: float | int | Decimal | str) -> Decimal:
    """The decimal a person would write for `value` (its shortest round-tripping form)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: float | int | Decimal | str, decimals: int) -> Decimal:
    """Round for display or publication: half away from zero, to `decimals` places."""
    quantum = Decimal(1).scaleb(-decimals)
    number = to_decimal(value)
    # Enough digits for the whole number and its decimals, however large it is.
    digits = max(28, max(number.adjusted(), 0) + decimals + 2) if number.is_finite() else 28
    try:
        rounded = number.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=digits))
    except InvalidOperation as exc:  # not a number at all (infinity, NaN)
        raise ValueError(f"{value} cannot be rounded to {decimals} places") from exc
    # -0.0 is shown as 0.0
    return rounded + 0 if rounded.is_zero() else rounded


def format_number(
    value: float | int | Decimal | None, decimals: int, *, thousands: bool = True
) -> str:
    """`value` rounded to `decimals` places, with thousands separators: 1234.5 -> '1,234.5'."""
    if value is None:
        return ""
    try:
        rounded = round_half_up(value, decimals)
    except ValueError:  # too large to round (never stored: validation refuses it)
        return f"{value:,}" if thousands else f"{value}"
    return f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"


def ratio(numerator: float, denominator: float, multiplier: float) -> float:
    """numerator / denominator x multiplier, at full precision. The denominator must be > 0."""
    if denominator <= 0:
        raise ValueError("the denominator must be greater than zero")
    return numerator / denominator * multiplier


def percentage_change(old: float, new: float) -> float | None:
    """The change from `old` to `new` as a percentage of `old` (None when `old` is 0)."""
    if old == 0:
        return None
    return (new - old) / abs(old) * 100
