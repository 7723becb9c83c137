"""Template tags for the dataset: RAG ratings and trends, always shown as text as well as
colour (WCAG 1.4.1), and figures in an indicator's unit."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from safeboard.core.periods import fy_label as fy
from safeboard.core.statistics import MISSING_DESCRIPTIONS, Missing

from .. import rag as rules
from ..models import Unit
from ..selectors import display

register = template.Library()


@register.simple_tag
def rag_tag(rating: str | None, overridden: bool = False) -> SafeString:
    """The rating's letter in a coloured box, its word for screen readers, and 'overridden'
    in words when a person set it."""
    if not rating:
        return mark_safe(
            '<span class="sb-rag sb-rag--none"><span aria-hidden="true">–</span>'
            '<span class="govuk-visually-hidden">No rating</span></span>'
        )
    word = rules.RAG_WORDS.get(rating, rating)
    tag = format_html(
        '<strong class="sb-rag sb-rag--{}"><span aria-hidden="true">{}</span>'
        '<span class="govuk-visually-hidden">{}</span></strong>',
        rating,
        rating,
        word,
    )
    if overridden:
        return format_html('{} <span class="sb-overridden">overridden</span>', tag)
    return tag


@register.simple_tag
def trend_tag(trend: str | None) -> SafeString:
    if not trend:
        return mark_safe('<span class="sb-trend">–</span>')
    return format_html(
        '<span class="sb-trend sb-trend--{}"><span aria-hidden="true">{} </span>{}</span>',
        trend,
        rules.TREND_ARROWS.get(trend, ""),
        rules.TREND_WORDS.get(trend, trend),
    )


@register.simple_tag
def figure(value: Any, indicator: Any, status: str = "") -> SafeString:
    """A value in the indicator's unit, or its reason (with an explanation on hover and for
    screen readers)."""
    if value is not None:
        return format_html("{}", display(value, indicator))
    if not status:
        return mark_safe('<span class="sb-missing">–</span>')
    try:
        meaning = MISSING_DESCRIPTIONS[Missing(status)]
    except ValueError:
        meaning = status
    return format_html(
        '<abbr class="sb-missing" title="{}">{}</abbr><span class="govuk-visually-hidden"> ({})'
        "</span>",
        meaning,
        status,
        meaning,
    )


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
