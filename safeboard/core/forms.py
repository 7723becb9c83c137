"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Give a choice field its queryset when the form is built, inside the request's
    partnership scope (never at import, when no partnership is known)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors in one line, each named by its field, for a message after a redirect."""
    from safeboard.core.templatetags.govuk import field_message

    parts = []
    for name, errors in form.errors.items():
        if name not in form.fields:
            parts.append(" ".join(str(error) for error in errors))
            continue
        bound = form[name]
        for error in errors:
            named = field_message(bound, str(error))
            parts.append(named if named != str(error) else f"{bound.label}: {error}")
    return "; ".join(parts)


def checked_upload(upload: Any, *suffixes: str, kinds: str = "") -> Any:
    """An uploaded file, refused when it is larger than `MAX_UPLOAD_MB` or (with `suffixes`)
    not of one of those kinds; `kinds` names them for people ("a CSV or Excel file")."""
    if not upload:
        return upload
    if suffixes and not (upload.name or "").lower().endswith(suffixes):
        raise forms.ValidationError(f"The file must be {kinds or ' or '.join(suffixes)}")
    if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
        raise forms.ValidationError(f"The file must be smaller than {settings.MAX_UPLOAD_MB} MB")
    return upload


class TableUploadForm(forms.Form):
    """A CSV file or Excel workbook to import (`core.tables.read_table` reads either)."""

    file = forms.FileField(label="CSV or Excel file")

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data.get("file"), ".csv", ".xlsx", ".xlsm", kinds="a CSV or Excel file"
        )


class ImportUploadForm(TableUploadForm):
    """An import's file, and whether only to check it (a dry run writes nothing)."""

    dry_run = forms.BooleanField(label="Check the file only (write nothing)", required=False)
