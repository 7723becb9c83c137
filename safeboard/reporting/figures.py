"""Helpers to make report figures with consistent wording and formatting."""

from __future__ import annotations

from safeboard.core import words
from safeboard.core.disclosure import must_suppress
from safeboard.core.statistics import format_number

from .document import Figure


def count(
    key: str,
    label: str,
    value: int | None,
    source: str,
    *,
    people: bool = True,
    measure: str = "",
) -> Figure:
    """A count; `people=False` for counts of things (meetings, agencies, actions), which
    disclosure control leaves alone; `measure` names the measure it is a value of."""
    text = format_number(value, 0) if value is not None else "x"
    return Figure(
        key, label, value, text, "count", source, basis=value, people=people, measure=measure
    )


def percent(
    key: str,
    label: str,
    value: float | None,
    source: str,
    *,
    decimals: int = 0,
    basis: int | None = None,
    of: int | None = None,
    people: bool = True,
    measure: str = "",
) -> Figure:
    """A percentage; `basis` is its numerator and `of` its denominator when it is a share of
    a count of people (disclosure control hides it when either side is small)."""
    text = f"{format_number(value, decimals)}%" if value is not None else "x"
    return Figure(
        key,
        label,
        value,
        text,
        "percent",
        source,
        basis=basis,
        people=people,
        measure=measure,
        of=of,
    )


def change(key: str, label: str, value: float | None, source: str, *, decimals: int = 1) -> Figure:
    """A percentage change, signed: +5.6% or -3.0%."""
    if value is None:
        return Figure(key, label, None, "x", "number", source)
    sign = "+" if value > 0 else ""
    return Figure(key, label, value, f"{sign}{format_number(value, decimals)}%", "number", source)


def number(
    key: str,
    label: str,
    value: float | None,
    source: str,
    *,
    decimals: int = 1,
    unit: str = "number",
    suffix: str = "",
) -> Figure:
    text = (format_number(value, decimals) + suffix) if value is not None else "x"
    return Figure(key, label, value, text, unit, source)  # type: ignore[arg-type]


def text(key: str, label: str, value: str, source: str) -> Figure:
    return Figure(key, label, None, value, "text", source)


def agreeing(figure: Figure | None, *, public: bool) -> int:
    """The count that the words after an embedded count (`[[key]] actions were …`) agree
    with, for `core.words.noun`: the figure's value; 2 (the plural) when it has none, is not
    a count, or is a count of people that the public edition may suppress (its words must not
    tell that it is 1)."""
    if figure is None or figure.value is None or figure.unit != "count" or figure.suppressed:
        return 2
    if public and figure.people and must_suppress(figure.value, unit="count"):
        return 2
    return int(figure.value)


def counted(
    figure: Figure | None,
    key: str,
    singular: str,
    plural: str | None = None,
    *,
    public: bool,
) -> str:
    """`[[key]] noun`: a count embedded in a sentence, its noun agreeing with it ("[[plan.overdue]]
    action" when it is 1) through `core.words`."""
    return f"[[{key}]] {words.noun(agreeing(figure, public=public), singular, plural)}"
