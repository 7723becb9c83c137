"""Forms of the private fostering register: thin; services write."""

from __future__ import annotations

from django import forms

from .models import Arrangement, AwarenessActivity

DATE = forms.DateInput(attrs={"type": "date"})


class ArrangementForm(forms.ModelForm):
    class Meta:
        model = Arrangement
        fields = [
            "reference",
            "notified",
            "source",
            "notified_by",
            "start",
            "child_name",
            "child_age",
            "carer_name",
            "assessed",
            "assessment",
            "ended",
            "end_reason",
            "notes",
        ]
        widgets = {name: DATE for name in ("notified", "start", "assessed", "ended")}

    def validate_unique(self) -> None:
        """The service checks the reference within the partnership."""


class VisitForm(forms.Form):
    visited = forms.DateField(label="Date of the visit", widget=DATE)
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = AwarenessActivity
        fields = ["held_on", "kind", "title", "audience", "reached"]
        widgets = {"held_on": DATE}
