"""Template tags for the dataset: RAG ratings and trends, always shown as text as well as
colour (WCAG 1.4.1), and figures in an indicator's unit."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from safeboard.core.periods import fy_label as fy
from safeboard.core.statistics import Missing

from .. import rag as rules
from ..models import Unit
from ..selectors import display

register = template.Library()


# The markup is built with f-strings and `html.escape`: a scorecard renders these hundreds of
# times a page, and format_html is several times slower. Every interpolated value is escaped
# or is one of this module's constants.
_NO_RATING = mark_safe(
    '<span class="sb-rag sb-rag--none"><span aria-hidden="true">–</span>'
    '<span class="govuk-visually-hidden">No rating</span></span>'
)
_RAG = {
    rating: f'<strong class="sb-rag sb-rag--{rating}"><span aria-hidden="true">{rating}</span>'
    f'<span class="govuk-visually-hidden">{word}</span></strong>'
    for rating, word in rules.RAG_WORDS.items()
}
_TRENDS = {
    trend: f'<span class="sb-trend sb-trend--{trend}"><span aria-hidden="true">'
    f"{rules.TREND_ARROWS[trend]} </span>{word}</span>"
    for trend, word in rules.TREND_WORDS.items()
}
_REASONS = {
    m.value: f'<abbr class="sb-missing" title="{m.description}">{m.value}</abbr>'
    f'<span class="govuk-visually-hidden"> ({m.description})</span>'
    for m in Missing
}


@register.simple_tag
def rag_tag(rating: str | None, overridden: bool = False) -> SafeString:
    """The rating's letter in a coloured box, its word for screen readers, and 'overridden'
    in words when a person set it."""
    if not rating:
        return _NO_RATING
    tag = _RAG.get(rating) or escape(rating)
    if overridden:
        tag += ' <span class="sb-overridden">overridden</span>'
    return mark_safe(tag)  # noqa: S308 (constants, or escaped)


@register.simple_tag
def trend_tag(trend: str | None) -> SafeString:
    if not trend:
        return mark_safe('<span class="sb-trend">–</span>')
    return mark_safe(_TRENDS.get(trend) or escape(trend))  # noqa: S308 (constants, or escaped)


@register.simple_tag
def figure(value: Any, indicator: Any, status: str = "") -> SafeString:
    """A value in the indicator's unit, or its reason (with an explanation on hover and for
    screen readers)."""
    if value is not None:
        return mark_safe(escape(display(value, indicator)))  # noqa: S308 (escaped)
    if not status:
        return mark_safe('<span class="sb-missing">–</span>')
    return mark_safe(_REASONS.get(status) or escape(status))  # noqa: S308 (constants, or escaped)


@register.filter
def ordinal_rank(rank: int | None) -> str:
    if rank is None:
        return ""
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


@register.filter
def comparator_of(row: Any, name: str) -> str:
    """A scorecard row's comparator (`england`, `region`, `sn_average`) as displayed."""
    return str(row.comparator(name))


@register.filter
def fy_label(start_year: int | None) -> str:
    """2026 -> '2026-27'."""
    return fy(start_year) if start_year else ""


@register.filter
def return_inputs(entry: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The number inputs of a return row: the value, and for a percentage or rate its
    numerator and denominator, each with its label and hint."""
    indicator = entry["row"].indicator
    unit = Unit(indicator.unit)
    inputs = [("value", f"Value ({unit.label.lower()})", "")]
    if entry["is_ratio"]:
        inputs.append(
            ("numerator", "Numerator", indicator.numerator_definition or "The count counted")
        )
        hint = indicator.denominator_definition or "What it is out of"
        if unit == Unit.RATE_PER_10000:
            hint += " (leave empty to use the child population)"
        inputs.append(("denominator", "Denominator", hint))
    return inputs
