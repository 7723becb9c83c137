from __future__ import annotations

from typing import Any

from django import forms

from safeboard.core.forms import checked_upload, limit_choices, set_choices
from safeboard.core.periods import FinancialYear, current_financial_year

from .models import (
    AGENCY_ROLES,
    Agency,
    Area,
    AttendanceStatus,
    Group,
    GroupMembership,
    Meeting,
    MemberRole,
    Objective,
    Paper,
    Partnership,
    Person,
    Role,
)


class PartnershipFormMixin:
    """Forms whose choices come from the partnership in scope. Querysets are built in
    __init__ (inside the request's scope), never at import."""

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)


class AgencyForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "sector", "status", "valid_from", "valid_to", "replaces"]
        widgets = {"replaces": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Agency.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        limit_choices(self, "replaces", others)

    def clean_short_name(self) -> str:
        short = self.cleaned_data["short_name"].strip()
        clash = Agency.objects.filter(partnership=self.partnership, short_name__iexact=short)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another agency already has the short name ‘{short}’")
        return short


class AreaForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "la_number", "ons_code", "region"]


class PopulationForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    children = forms.IntegerField(label="Children aged 0 to 17", min_value=1)
    source = forms.CharField(
        max_length=200, required=False, help_text="For example: ONS mid-2016 population estimate."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = current_financial_year().start.year
        set_choices(
            self,
            "year",
            [(y, FinancialYear(y).label) for y in range(this_year, this_year - 15, -1)],
        )


class PersonForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "agency", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())


class RoleForm(PartnershipFormMixin, forms.Form):
    # No role is chosen until the giver chooses one: a default would hand it out unawares.
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Choose the role to give"},
    )
    agency = forms.ModelChoiceField(
        queryset=Agency._base_manager.none(),
        required=False,
        help_text="Only for agency contributors and leads: the agency they act for.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") in AGENCY_ROLES and not data.get("agency"):
            self.add_error("agency", "Choose the agency this person acts for")
        return data


class GroupForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Group
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "purpose",
            "tor_approved",
            "tor_review_due",
            "established",
            "ended",
            "shared_with",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "shared_with": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Group.objects.filter(partnership=self.partnership)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        limit_choices(self, "parent", parents)
        limit_choices(self, "shared_with", Partnership.objects.exclude(pk=self.partnership.pk))
        if not Partnership.objects.exclude(pk=self.partnership.pk).exists():
            del self.fields["shared_with"]


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class MembershipForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = GroupMembership
        fields = ["person", "agency", "role", "start", "end"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "person", Person.objects.filter(active=True))
        limit_choices(self, "agency", Agency.objects.all())
        self.fields["agency"].help_text = (
            "Leave empty to use the person’s own agency. Choose only an agency for a seat the "
            "agency fills with whoever is available."
        )
        self.fields["role"].initial = MemberRole.MEMBER

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("agency"):
            self.add_error("person", "Choose a person, an agency, or both")
        return data


class MeetingForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["group", "date", "start_time", "location", "status", "decisions"]
        widgets = {"decisions": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The partnership's own groups: a joint group's meetings are arranged by its host.
        limit_choices(self, "group", Group.objects.filter(partnership=self.partnership))


class PaperForm(PartnershipFormMixin, forms.ModelForm):
    class Meta:
        model = Paper
        fields = ["title", "file", "sensitivity", "agency"]
        widgets = {"sensitivity": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data["file"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sensitivity") == "agency" and not data.get("agency"):
            self.add_error("agency", "Choose the agency whose paper this is")
        return data


ATTENDANCE_CHOICES = AttendanceStatus.choices


class AttendanceFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    group = forms.ModelChoiceField(
        queryset=Group._base_manager.none(), required=False, empty_label="Board (default)"
    )
    by = forms.ChoiceField(
        label="Count attendance by",
        choices=[("agency", "Agency"), ("seat", "Seat")],
        initial="agency",
        required=False,
        widget=forms.RadioSelect,
        help_text="By agency: an agency counts once a meeting. By seat: each member's seat is "
        "its own row. People who hold no agency are each their own row either way.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = current_financial_year().start.year
        set_choices(
            self,
            "year",
            [(y, FinancialYear(y).label) for y in range(this_year, this_year - 15, -1)],
        )
        limit_choices(self, "group", Group.objects.all())
