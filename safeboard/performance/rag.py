"""RAG rating and trend: the one rule, in one place. Every page, export, command and API
answer that shows a RAG rating or a direction of travel gets it from here.

The rule (also in docs/performance.md):

1. Compare the value as displayed: rounded to the indicator's decimal places.
2. Polarity `high` (high is good): G if value >= target; A if value >= target - tolerance;
   otherwise R. For a band, the target is its lower bound (above the band is still G).
3. Polarity `low` (low is good): G if value <= target; A if value <= target + tolerance;
   otherwise R. For a band, the target is its upper bound.
4. Polarity `none` with a band: G inside the band; A outside it but within the tolerance of
   its nearer bound; R beyond. With a single target: no RAG.
5. No target, no value: no RAG.
6. The tolerance is absolute, in the indicator's unit (`2`), or a percentage of the bound it
   applies to (`10%`, the default).

Trend, against the preceding period of the same kind (previous month, quarter, year or
snapshot): equal when both are rounded to the indicator's decimals: `static`; otherwise
`improving` or `declining` by polarity; with polarity `none`: `up` or `down`.

A person may override a computed RAG only with a recorded reason (`RagOverride`); the
scorecard shows that it was overridden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from safeboard.core.statistics import round_half_up, to_decimal

RED, AMBER, GREEN = "R", "A", "G"
RULE_SUMMARY = (
    "The displayed (rounded) value is compared with the target. High is good: green at or "
    "above the target (a band's lower bound), amber within the tolerance below it, else red. "
    "Low is good: green at or below the target (a band's upper bound), amber within the "
    "tolerance above it, else red. Neither, with a band: green inside, amber within the "
    "tolerance outside, else red. No target or no value: no rating. The tolerance is in the "
    "indicator's unit, or a percentage of the target (10% unless set). Trend compares the "
    "rounded value with the previous period's: static when equal, otherwise improving or "
    "declining by polarity (up or down when neither is better). A rating overridden by a "
    "person, with a recorded reason, is marked as overridden."
)
RAG_WORDS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}
DEFAULT_TOLERANCE = (10.0, True)

TREND_WORDS = {
    "improving": "Improving",
    "declining": "Declining",
    "static": "No change",
    "up": "Up",
    "down": "Down",
}
TREND_ARROWS = {"improving": "▲", "declining": "▼", "static": "▶", "up": "▲", "down": "▼"}


@dataclass(frozen=True)
class TargetRule:
    """A target as the rule sees it: `low` = `high` for a single number, `low` < `high` for
    a band, both None when not set."""

    low: float | None
    high: float | None
    tolerance: float = 10.0
    tolerance_is_percent: bool = True

    @property
    def is_set(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def is_band(self) -> bool:
        return self.is_set and self.low != self.high

    def allowance(self, bound: Decimal) -> Decimal:
        """The amber zone's width next to `bound`."""
        tolerance = to_decimal(self.tolerance)
        return abs(bound) * tolerance / 100 if self.tolerance_is_percent else tolerance


def rag(value: float | None, decimals: int, polarity: str, target: TargetRule | None) -> str | None:
    """The RAG rating of `value` against `target` (None when there is none to give)."""
    if value is None or target is None or not target.is_set:
        return None
    assert target.low is not None and target.high is not None
    shown = round_half_up(value, decimals)
    low, high = to_decimal(target.low), to_decimal(target.high)
    if polarity == "high":
        if shown >= low:
            return GREEN
        return AMBER if shown >= low - target.allowance(low) else RED
    if polarity == "low":
        if shown <= high:
            return GREEN
        return AMBER if shown <= high + target.allowance(high) else RED
    if not target.is_band:
        return None
    if low <= shown <= high:
        return GREEN
    if low - target.allowance(low) <= shown <= high + target.allowance(high):
        return AMBER
    return RED


def trend(
    current: float | None, previous: float | None, decimals: int, polarity: str
) -> str | None:
    """The direction of travel from `previous` to `current` (None without both)."""
    if current is None or previous is None:
        return None
    now, before = round_half_up(current, decimals), round_half_up(previous, decimals)
    if now == before:
        return "static"
    if polarity == "high":
        return "improving" if now > before else "declining"
    if polarity == "low":
        return "improving" if now < before else "declining"
    return "up" if now > before else "down"


# --- how targets and tolerances are written ------------------------------------------------

_NUMBER = r"-?\d+(?:\.\d+)?"
_BAND = re.compile(rf"^({_NUMBER})\s*%?\s*(?:-|–|to)\s*({_NUMBER})\s*%?$", re.IGNORECASE)
_SINGLE = re.compile(rf"^({_NUMBER})\s*%?$")
NOT_SET = {"", "none", "not set", "n/a", "-"}


class TargetError(ValueError):
    """A target or tolerance that cannot be read; the message says what is accepted."""


def parse_target(text: str) -> tuple[float | None, float | None]:
    """`80` -> (80, 80); `5-7.5` or `5 to 7.5` -> (5, 7.5); `` or `not set` -> (None, None)."""
    cleaned = (text or "").strip().replace(",", "")
    if cleaned.lower() in NOT_SET:
        return None, None
    if match := _SINGLE.match(cleaned):
        number = float(match.group(1))
        return number, number
    if match := _BAND.match(cleaned):
        low, high = float(match.group(1)), float(match.group(2))
        if high <= low:
            raise TargetError(f"‘{text}’: a band’s upper bound must be above its lower bound")
        return low, high
    raise TargetError(
        f"‘{text}’ is not a target: write a number (80), a band (5-7.5) or leave it empty"
    )


def parse_tolerance(text: str) -> tuple[float, bool]:
    """`10%` -> (10, percent); `2` -> (2, absolute); `` -> the default, 10%."""
    cleaned = (text or "").strip()
    if not cleaned:
        return DEFAULT_TOLERANCE
    percent = cleaned.endswith("%")
    number = cleaned.rstrip("%").strip()
    try:
        amount = float(number)
    except ValueError:
        raise TargetError(
            f"‘{text}’ is not a tolerance: write an amount in the indicator’s unit (2) or a "
            "percentage of the target (10%)"
        ) from None
    if amount < 0:
        raise TargetError(f"‘{text}’: a tolerance cannot be negative")
    return amount, percent


def plain(number: float) -> str:
    """A number as a person would write it: 80.0 -> '80', 7.50 -> '7.5'."""
    text = format(to_decimal(number).normalize(), "f")
    return text


def target_label(low: float | None, high: float | None, decimals: int = 0) -> str:
    """The target as written in files: '80', '5-7.5', or '' when not set."""
    if low is None or high is None:
        return ""
    return plain(low) if low == high else f"{plain(low)}-{plain(high)}"


def target_text(low: float | None, high: float | None) -> str:
    """The target for people: '80', '5 to 7.5', 'Not set'."""
    if low is None or high is None:
        return "Not set"
    return plain(low) if low == high else f"{plain(low)} to {plain(high)}"


def tolerance_label(amount: float, is_percent: bool) -> str:
    return f"{plain(amount)}%" if is_percent else plain(amount)
