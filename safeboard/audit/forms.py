from __future__ import annotations

from typing import Any

from django import forms

from safeboard.core.forms import set_choices

from .selectors import ACTIONS, AuditFilter


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Who", required=False, max_length=100)
    action = forms.ChoiceField(
        label="What",
        required=False,
        choices=[("", "Any action")] + [(key, key.capitalize()) for key in ACTIONS],
    )
    model = forms.ChoiceField(label="Kind of record", required=False)
    text = forms.CharField(label="Record contains", required=False, max_length=100)
    date_from = forms.DateField(label="From", required=False)
    date_to = forms.DateField(label="To", required=False)

    def __init__(self, *args: Any, models: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "model", [("", "Any kind"), *models])

    def filter(self) -> AuditFilter:
        if not self.is_bound or not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            actor=data["actor"],
            action=data["action"],
            model=data["model"],
            text=data["text"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
