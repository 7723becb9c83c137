"""Forms of the LADO register: thin; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from safeboard.core.forms import limit_choices

from .models import Allegation, Rating, Term, TermList

DATE = forms.DateInput(attrs={"type": "date"})


def _offered(list_name: str, current: Any) -> Any:
    """Terms offered for a record: those not retired, and whatever the record already has."""
    keep = Q(pk__in=[t.pk for t in current if t is not None]) if current else Q(pk__in=[])
    return Term.objects.filter(list=list_name).filter(Q(retired_on__isnull=True) | keep)


class AllegationForm(forms.ModelForm):
    class Meta:
        model = Allegation
        fields = [
            "reference",
            "kind",
            "received",
            "known",
            "referrer",
            "adult_name",
            "adult_role",
            "employer_name",
            "employer_type",
            "regulated_setting",
            "children",
            "category",
            "restraint",
            "harmed_child",
            "offence",
            "risk_of_harm",
            "unsuitable",
            "advice",
            "police_started",
            "police_ended",
            "childrens_services_started",
            "childrens_services_ended",
            "employer_started",
            "employer_ended",
            "outcomes",
            "concluded",
            "feedback_sent",
            "feedback_returned",
            "notes",
        ]
        widgets: dict[str, forms.Widget] = {
            name: DATE
            for name in (
                "received",
                "known",
                "police_started",
                "police_ended",
                "childrens_services_started",
                "childrens_services_ended",
                "employer_started",
                "employer_ended",
                "concluded",
                "feedback_sent",
                "feedback_returned",
            )
        }
        widgets["outcomes"] = forms.CheckboxSelectMultiple()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        a = self.instance
        has = a.pk is not None
        limit_choices(self, "referrer", _offered(TermList.REFERRER, [a.referrer] if has else []))
        limit_choices(
            self, "employer_type", _offered(TermList.EMPLOYER, [a.employer_type] if has else [])
        )
        limit_choices(self, "category", _offered(TermList.CATEGORY, [a.category] if has else []))
        outcomes = list(a.outcomes.all()) if has else []
        field = self.fields["outcomes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _offered(TermList.OUTCOME, outcomes)

    def validate_unique(self) -> None:
        """The service checks the reference within the partnership."""


class TermForm(forms.Form):
    list = forms.ChoiceField(choices=TermList.choices)
    name = forms.CharField(label="Term", max_length=120)


class RenameForm(forms.Form):
    name = forms.CharField(label="Term", max_length=120)


class RetireForm(forms.Form):
    retired_on = forms.DateField(
        label="Retired from", required=False, widget=DATE, help_text="Leave empty to bring it back."
    )


class SampleForm(forms.Form):
    quarter = forms.CharField(label="Quarter", help_text="e.g. 2016-17 Q1", max_length=20)
    size = forms.IntegerField(label="Cases to draw", min_value=1, max_value=100, initial=10)


class FindingForm(forms.Form):
    rating = forms.ChoiceField(choices=[("", "Not yet rated"), *Rating.choices], required=False)
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    audited_on = forms.DateField(label="Audited on", widget=DATE)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="What the audit found", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
