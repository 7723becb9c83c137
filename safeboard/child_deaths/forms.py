"""Forms of the child death register: thin, the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeboard.core.converters import LARGEST_ID
from safeboard.core.forms import limit_choices
from safeboard.partnership.models import Agency, Area, Group

from . import services
from .constants import (
    Category,
    Domain,
    Ethnicity,
    Grade,
    JarReason,
    Place,
    Sex,
    nhs_number_problem,
)
from .models import MeetingKind

YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example 2026-03-27.",
        widget=forms.DateInput(format="%Y-%m-%d"),
    )


def _text(label: str, *, required: bool = False, help_text: str = "", rows: int = 4) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class NotificationForm(forms.Form):
    panel = forms.ModelChoiceField(
        queryset=Group._base_manager.none(),
        required=False,
        label="Child death overview panel",
        empty_label="No panel yet",
    )
    home_area = forms.ModelChoiceField(
        queryset=Area._base_manager.none(),
        label="Home area",
        help_text="Where the child normally lived: it decides the partnership the death "
        "belongs to.",
    )
    first_name = forms.CharField(max_length=100, required=False)
    surname = forms.CharField(max_length=100, required=False)
    nhs_number = forms.CharField(
        label="NHS number", max_length=12, required=False, help_text="10 digits."
    )
    date_of_birth = _date("Date of birth")
    sex = forms.ChoiceField(choices=Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(choices=Ethnicity.choices)
    date_of_death = _date("Date of death")
    place_of_death = forms.ChoiceField(choices=Place.choices)
    notified_on = _date("Date notified", required=False)
    notifier = forms.CharField(
        label="Notified by", max_length=200, required=False, help_text="Name and role."
    )
    notifier_agency = forms.ModelChoiceField(
        queryset=Agency._base_manager.none(), required=False, label="Notifier’s agency"
    )
    expected = forms.ChoiceField(
        label="Was the death expected?", choices=YES_NO_UNKNOWN, required=False
    )
    jar_needed = forms.BooleanField(label="A joint agency response is needed", required=False)
    jar_reasons = forms.MultipleChoiceField(
        label="Why a joint agency response",
        choices=JarReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        panels = services.panels()
        limit_choices(self, "panel", panels)
        ids = {partnership.pk}
        for panel in panels:
            ids.update(services.panel_partnerships(panel, partnership))
        limit_choices(self, "home_area", Area._base_manager.filter(partnership_id__in=ids))
        limit_choices(self, "notifier_agency", Agency.objects.all())

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"].replace(" ", "")
        if value:
            problem = nhs_number_problem(value)
            if problem:
                raise ValidationError(problem)
        return value

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["expected"] = yes_no(data.get("expected") or "")
        data["notified_on"] = data.get("notified_on")
        return data

    @staticmethod
    def initial_for(death: Any) -> dict[str, Any]:
        return {
            "panel": death.panel_id,
            "home_area": death.home_area_id,
            "first_name": death.first_name,
            "surname": death.surname,
            "nhs_number": death.nhs_number,
            "date_of_birth": death.date_of_birth,
            "sex": death.sex,
            "ethnicity": death.ethnicity,
            "date_of_death": death.date_of_death,
            "place_of_death": death.place_of_death,
            "notified_on": death.notified_on,
            "notifier": death.notifier,
            "notifier_agency": death.notifier_agency_id,
            "expected": yes_no_initial(death.expected),
            "jar_needed": death.jar_needed,
            "jar_reasons": death.jar_reasons,
        }


class ChangeNotificationForm(NotificationForm):
    """The notification's details; the panel and home area (which decide who holds the
    record) are fixed once it is made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["panel"]
        del self.fields["home_area"]


class RequestFormsForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency._base_manager.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies involved with the child",
    )
    requested_on = _date("Requested on")

    def __init__(self, *args: Any, death: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        requested = death.forms.values_list("agency_id", flat=True)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = services.involved_agencies(death).exclude(pk__in=list(requested))


class ReceiveForm(forms.Form):
    received_on = _date("Received on")
    complete = forms.ChoiceField(
        label="Is the form complete?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices, widget=forms.RadioSelect)
    held_on = _date("Date held")
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency._base_manager.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Agencies present",
    )
    attendance = _text("Who attended", help_text="One person a line: name, role and agency.")

    def __init__(self, *args: Any, death: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = services.involved_agencies(death)


class ReviewForm(forms.Form):
    panel_date = _date("Date of the panel", required=False)
    completed_on = _date(
        "Review completed on",
        required=False,
        help_text="Leave empty until the panel has completed its review.",
    )
    category = forms.TypedChoiceField(
        label="Category of death",
        choices=[("", "Not yet decided"), *Category.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    modifiable = forms.ChoiceField(
        label="Modifiable factors identified?", choices=YES_NO_UNKNOWN, required=False
    )
    modifiable_factors = _text("Which modifiable factors", rows=3)
    learning = _text("Learning", rows=5)
    case_review_id = forms.IntegerField(
        label="Case review of the same child",
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        help_text="Its number in the case reviews register, if there is one.",
    )


class FactorForm(forms.Form):
    record: Any = None  # the factor a change form edits
    domain = forms.ChoiceField(choices=Domain.choices)
    description = _text("Factor", required=True, rows=3)
    grade = forms.TypedChoiceField(choices=Grade.choices, coerce=int, widget=forms.RadioSelect)


class RecommendationForm(forms.Form):
    record: Any = None  # the recommendation a change form edits
    text = _text("Recommendation", required=True)
    owner = forms.ModelChoiceField(
        queryset=Agency._base_manager.none(),
        required=False,
        label="Agency responsible",
        help_text="Left empty, the panel owns the action.",
    )
    due = _date("Due")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", Agency.objects.all())


class ReleaseForm(forms.Form):
    released_on = _date("Released on")


class TablesForm(forms.Form):
    year = forms.CharField(max_length=7, help_text="A financial year, for example 2025-26.")
    scope = forms.ChoiceField(
        choices=[("residents", "Our residents"), ("panel", "Every death our panels reviewed")],
        required=False,
    )
