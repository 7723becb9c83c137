"""Template tags of planning: status tags (the words always shown, colour only reinforcing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Action, Progress, RiskBand, State

register = template.Library()

PROGRESS_CLASSES: dict[str, str] = {
    Progress.NOT_STARTED: "govuk-tag--grey",
    Progress.RED: "govuk-tag--red",
    Progress.AMBER: "govuk-tag--orange",
    Progress.GREEN: "govuk-tag--green",
    Progress.COMPLETE: "govuk-tag--blue",
}
BAND_CLASSES: dict[str, str] = {
    RiskBand.LOW: "govuk-tag--green",
    RiskBand.MEDIUM: "govuk-tag--yellow",
    RiskBand.HIGH: "govuk-tag--orange",
    RiskBand.VERY_HIGH: "govuk-tag--red",
}
CHALLENGE_CLASSES: dict[str, str] = {
    "awaiting": "govuk-tag--blue",
    "overdue": "govuk-tag--red",
    "responded": "govuk-tag--turquoise",
    "escalated": "govuk-tag--purple",
    "closed": "govuk-tag--grey",
}


@register.simple_tag
def progress_tag(status: str) -> str:
    label = Progress(status).label if status in Progress.values else status
    return format_html(
        '<strong class="govuk-tag sb-nowrap {}">{}</strong>',
        PROGRESS_CLASSES.get(status, ""),
        label,
    )


@register.simple_tag
def action_status(action: Action, today: date | None = None) -> str:
    """The action's status in words: its RAG, or where it is if no longer open."""
    if action.state == State.CARRIED_FORWARD:
        return mark_safe(
            '<strong class="govuk-tag govuk-tag--grey sb-nowrap">Carried forward</strong>'
        )
    if action.state == State.AWAITING_CONFIRMATION:
        return mark_safe(
            '<strong class="govuk-tag govuk-tag--purple">Complete, awaiting confirmation</strong>'
        )
    return progress_tag(action.status)


@register.simple_tag
def band_tag(band: str) -> str:
    label = RiskBand(band).label if band in RiskBand.values else band
    return format_html(
        '<strong class="govuk-tag sb-nowrap {}">{}</strong>', BAND_CLASSES.get(band, ""), label
    )


@register.simple_tag
def challenge_tag(status: Any) -> str:
    return format_html(
        '<strong class="govuk-tag sb-nowrap {}">{}</strong>',
        CHALLENGE_CLASSES.get(str(status.value if hasattr(status, "value") else status), ""),
        status.label if hasattr(status, "label") else status,
    )


@register.filter
def due_text(action: Action) -> str:
    """'31 Mar 2026' or 'Review 30 Jun 2026' for ongoing actions."""
    if action.ongoing and action.review_date:
        return f"Review {action.review_date:%-d %b %Y}"
    return f"{action.due:%-d %b %Y}" if action.due else ""
