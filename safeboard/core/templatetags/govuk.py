"""Template helpers for GOV.UK Design System markup: form fields with labels, hints and
errors, the error summary, tags for sensitivity and status, and number formatting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from safeboard.core import words
from safeboard.core.sensitivity import TAG_CLASSES, Sensitivity

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


# Django's own messages say nothing of which field they are about ("This field is required."
# three times over in one summary): those are named by their field's label.
_GENERIC_STARTS = (
    "Enter a valid",
    "Enter a number",
    "Enter a whole number",
    "Enter a list of values",
    "Enter a complete value",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there are",
    "Ensure this filename",
    "No file was submitted",
    "The submitted file is empty",
    "Upload a valid",
)


def field_message(bound: BoundField, message: str) -> str:
    """An error message as people read it: Django's generic ones name the field."""
    label = str(bound.label or bound.name.replace("_", " ")).strip().rstrip(":")
    lowered = label[:1].lower() + label[1:] if label[1:2].islower() or len(label) == 1 else label
    if message == str(forms.Field.default_error_messages["required"]):
        kind = _kind(bound.field.widget)
        if kind in {"radios", "checkboxes", "select"}:
            return f"Choose {lowered}"
        if kind == "file":
            return f"Choose the file for {lowered}"
        return f"Enter {lowered}"
    if message.startswith(_GENERIC_STARTS):
        return f"{label}: {message[:1].lower()}{message[1:]}"
    return message


_WIDGET_CLASSES = {
    "input": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}


@register.inclusion_tag("govuk/field.html")
def field(
    bound: BoundField,
    classes: str = "",
    label_size: str = "s",
    hint: str = "",
    heading: bool = False,
) -> dict[str, Any]:
    """Render a form field as a GOV.UK form group: label, hint, error message, control."""
    widget = bound.field.widget
    kind = _kind(widget)
    css = _WIDGET_CLASSES.get(kind, "")
    if bound.errors and css:
        css += f" {css}--error"
    if classes:
        css += f" {classes}"
    attrs: dict[str, Any] = {}
    if css:
        attrs["class"] = css.strip()
    described = []
    hint_text = hint or bound.help_text
    if hint_text:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(widget, forms.DateInput):
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"  # a date input reads only ISO dates
    if isinstance(widget, forms.TimeInput):
        widget.input_type = "time"
    control = bound.as_widget(attrs=attrs) if kind not in {"radios", "checkboxes"} else ""
    return {
        "field": bound,
        "kind": kind,
        "control": control,
        "hint": hint_text,
        "label_size": label_size,
        "heading": heading,
        "options": list(bound) if kind in {"radios", "checkboxes"} else [],
        "checked_values": _checked(bound) if kind in {"radios", "checkboxes"} else set(),
        "errors": [field_message(bound, str(message)) for message in bound.errors],
    }


def _checked(bound: BoundField) -> set[str]:
    value = bound.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def _file_field_id(forms_: tuple[forms.BaseForm | None, ...]) -> str:
    """The id of the first file field of the forms: where an upload's problems link."""
    for form in forms_:
        if form is None:
            continue
        for bound in form:
            if isinstance(bound.field, forms.FileField):
                return bound.auto_id
    return ""


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(
    *forms_: forms.BaseForm,
    problems: Any = None,
    title: str = "",
    testid: str = "",
) -> dict[str, Any]:
    """The error summary at the top of a page: every error, each linking to its field. An
    upload's problems (`problems=`, the rows of a file that did not validate) link to the
    form's file field, after the form's own errors, under `title` ("Nothing was imported"),
    which the count of problems follows: the one summary of every upload in the site."""
    errors = _form_errors(forms_)
    if problems:
        target = _file_field_id(forms_)
        errors += [(target, str(problem)) for problem in problems]
    heading = "There is a problem"
    if title and errors:
        heading = f"{title}: {words.plural(len(errors), 'problem')} to fix"
    return {"errors": errors, "title": heading, "testid": testid}


def _form_errors(forms_: tuple[forms.BaseForm | None, ...]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append(("", str(message)))
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id
            if _kind(bound.field.widget) in {"radios", "checkboxes"}:
                target = f"{bound.auto_id}_0"
            for message in field_errors:
                errors.append((target, field_message(bound, str(message))))
    return errors


@register.simple_tag(takes_context=True)
def fragments(context: template.Context, place: str, **objects: Any) -> str:
    """Fragments other modules add to this page: `{% fragments "meeting" meeting=meeting %}`."""
    from django.template.loader import render_to_string

    from safeboard.core.navigation import fragments_for

    request = context["request"]
    data: dict[str, Any] = {str(k): v for k, v in context.flatten().items()}
    parts = [
        render_to_string(fragment["template"], {**data, **fragment["context"]})
        for fragment in fragments_for(place, request, **objects)
    ]
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, escaped by Django)


@register.simple_tag
def tier_tag(sensitivity: str) -> str:
    label = Sensitivity(sensitivity).label if sensitivity in Sensitivity.values else sensitivity
    return format_html(
        '<strong class="govuk-tag sb-tier {}">{}</strong>',
        TAG_CLASSES.get(Sensitivity(sensitivity), "") if sensitivity in Sensitivity.values else "",
        label,
    )


@register.filter
def thousands(value: Any) -> str:
    """12345 -> 12,345; keeps decimals as given."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        text = f"{value}"
        whole, _, frac = text.partition(".")
        return f"{int(whole):,}" + (f".{frac}" if frac else "")
    return str(value)


@register.filter
def percent(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value):.{int(decimals)}f}%"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    return mapping.get(key)
