"""Forms of the case review pages: they validate what people type; services write. Choice
querysets are built in __init__, inside the request's partnership scope."""

from __future__ import annotations

from typing import Any

from django import forms

from safeboard.core.forms import limit_choices
from safeboard.partnership.models import Agency

from .models import (
    DISSEMINATION_FIELDS,
    AgeBand,
    CaseReview,
    Ethnicity,
    Harm,
    Kind,
    LearningTheme,
    Outcome,
    ProcessKind,
    Sex,
    YesNo,
)


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text)


def _text(label: str, *, required: bool = False, help_text: str = "", rows: int = 4) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _choice(label: str, choices: Any, *, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", "Not recorded"), *choices], required=required
    )


def _agencies(label: str, help_text: str = "") -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _initial(review: CaseReview, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(review, name) for name in names}


class ReviewForm(forms.Form):
    reference = forms.CharField(max_length=30, help_text="The partnership’s own: CR-2026-01.")
    child = forms.CharField(
        label="Pseudonym",
        max_length=20,
        help_text="Child and up to four capital letters or digits (Child N, Child AC): never "
        "the child’s name or initials.",
    )
    kind = forms.ChoiceField(label="Kind of review", choices=Kind.choices)
    incident_date = _date("Date of the incident")
    incident_known = _date(
        "Date the incident became known",
        help_text="The notification to the Panel is due 5 working days after it.",
    )
    harm = _choice("Death or serious harm", Harm.choices)
    age_band = _choice("The child’s age group", AgeBand.choices)
    sex = _choice("Sex", Sex.choices)
    ethnicity = _choice("Ethnicity", Ethnicity.choices)
    disability = _choice("Disability", YesNo.choices)
    looked_after = _choice("Looked after", YesNo.choices)
    child_protection_plan = _choice("On a child protection plan", YesNo.choices)
    known_to = _agencies("Known to these agencies")
    notified_on = _date(
        "Date the Panel was notified",
        help_text="The rapid review is due 15 working days after it.",
    )
    notification_reference = forms.CharField(
        label="Notification reference", max_length=40, required=False
    )

    FIELDS = (
        "reference",
        "child",
        "kind",
        "incident_date",
        "incident_known",
        "harm",
        "age_band",
        "sex",
        "ethnicity",
        "disability",
        "looked_after",
        "child_protection_plan",
        "notified_on",
        "notification_reference",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "known_to", Agency.objects.all())
        if editing:
            # The kind changes by re-categorisation, with its date and reason.
            del self.fields["kind"]

    @classmethod
    def initial_for(cls, review: CaseReview) -> dict[str, Any]:
        initial = _initial(review, cls.FIELDS)
        initial["known_to"] = list(review.known_to.all())
        return initial


class RapidReviewForm(forms.Form):
    held_on = _date("Date the rapid review was held")
    agencies_present = _agencies("Agencies present")
    outcome = _choice("Decision", Outcome.choices)
    no_lcspr_reason = _text("Why no local review will be held", rows=3)
    decided_on = _date(
        "Date of the decision",
        help_text="The local review is to be published within 6 months of it. Blank: the "
        "day of the rapid review.",
    )
    panel_response_on = _date("Date the Panel responded")
    panel_response = _text("The Panel’s response", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agencies_present", Agency.objects.all())

    @classmethod
    def initial_for(cls, review: CaseReview) -> dict[str, Any]:
        return {
            "held_on": review.rapid_review_on,
            "agencies_present": list(review.agencies_present.all()),
            "outcome": review.outcome,
            "no_lcspr_reason": review.no_lcspr_reason,
            "decided_on": review.decided_on,
            "panel_response_on": review.panel_response_on,
            "panel_response": review.panel_response,
        }


class RecategoriseForm(forms.Form):
    to_kind = forms.ChoiceField(label="New kind of review", choices=Kind.choices)
    on = _date("Date of the decision", required=True)
    reason = _text("Reason", required=True, rows=3)


class LocalReviewForm(forms.Form):
    reviewer = forms.CharField(label="Lead reviewer", max_length=200, required=False)
    terms_of_reference = _text("Terms of reference")
    scope_from = _date("Scope period from")
    scope_to = _date("Scope period to")
    family_involvement = _text("Family involvement", rows=3)
    cost = forms.DecimalField(
        label="Cost (£)", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    draft_on = _date("Date of the draft report")
    final_on = _date("Date of the final report")

    FIELDS = (
        "reviewer",
        "terms_of_reference",
        "scope_from",
        "scope_to",
        "family_involvement",
        "cost",
        "draft_on",
        "final_on",
    )


class PanelMemberForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    name = forms.CharField(max_length=200)
    role = forms.CharField(label="Role on the panel", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Milestone", max_length=200)
    due = _date("Due", required=True)


class ProcessForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of process", choices=ProcessKind.choices)
    description = forms.CharField(max_length=300, required=False)


class DoneForm(forms.Form):
    on = _date("Date", required=True)


class PublishForm(forms.Form):
    on = _date("Date of publication", required=True)
    url = forms.URLField(
        label="Published at (web address)", max_length=300, required=False, assume_scheme="https"
    )
    in_national_repository = forms.BooleanField(
        label="Sent to the national case review repository", required=False
    )


class LessonForm(forms.Form):
    text = _text("Lesson", required=True)
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "themes", LearningTheme.objects.all())


class RecommendationForm(forms.Form):
    text = _text("Recommendation", required=True)
    agency = forms.ModelChoiceField(
        label="Owned by", queryset=Agency.objects.none(), help_text="The agency that acts on it."
    )
    due = _date("Due", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())


class DisseminationForm(forms.Form):
    training_updated_on = _date("Training updated")
    procedures_updated_on = _date("Procedures updated")
    website_on = _date("On the website")
    briefing_on = _date("Briefing issued")
    learning_event_on = _date("Learning event held")

    FIELDS = DISSEMINATION_FIELDS


class AssuranceForm(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    requested_on = _date("Date assurance was sought", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())


class AssuranceResponseForm(forms.Form):
    response = _text("The agency’s response", required=True)
    on = _date("Date of the response", required=True)


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(max_length=300, required=False)
