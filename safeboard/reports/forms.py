from __future__ import annotations

from typing import Any

from django import forms

from safeboard.core.forms import set_choices
from safeboard.core.periods import FinancialYear, current_financial_year
from safeboard.reporting import registry

from .models import BuildFormat, Edition, ReportSection


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty for ‘<partnership>: annual report <year>’.",
    )
    as_at = forms.DateField(
        label="Figures as at",
        required=False,
        help_text="The report uses the records as they stood on this date. "
        "Leave empty for 30 June after the year ends.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this = current_financial_year().start.year
        set_choices(self, "year", [(y, FinancialYear(y).label) for y in range(this, this - 12, -1)])
        self.fields["year"].initial = this - 1


class SectionTextForm(forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["title", "text", "board_only"]
        widgets = {"text": forms.Textarea(attrs={"rows": 18, "spellcheck": "true"})}
        labels = {"text": "Text"}
        help_texts = {
            "text": "Markdown: a blank line between paragraphs, ‘- ’ for a list, "
            "**bold**. Embed a figure as [[key]], for example "
            "[[attendance.overall_rate]]."
        }


class AddSectionForm(forms.Form):
    key = forms.ChoiceField(label="Section", required=False)
    title = forms.CharField(
        max_length=200, required=False, help_text="For a new section of your own text."
    )

    def __init__(self, *args: Any, present: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "A new section of text")]
        choices += [(s.key, s.title) for s in registry.sections() if s.key not in present]
        set_choices(self, "key", choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("key") and not (data.get("title") or "").strip():
            self.add_error("title", "Give the new section a title")
        return data


class BuildForm(forms.Form):
    format = forms.ChoiceField(choices=BuildFormat.choices)
    edition = forms.ChoiceField(choices=Edition.choices)


class PublishForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What changed",
        help_text="Needed for a corrected edition: what was wrong and what changed.",
    )


class CommentForm(forms.Form):
    section = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="About")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment")

    def __init__(self, *args: Any, sections: list[ReportSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "section", [("", "The whole report")] + [(s.pk, s.title) for s in sections]
        )
