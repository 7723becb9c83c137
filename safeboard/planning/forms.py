"""Forms of the planning pages. They validate what people type; services do the writing.
Choice querysets are built in __init__, inside the request's partnership scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from safeboard.core.converters import parse_id
from safeboard.core.errors import ServiceError
from safeboard.core.forms import checked_upload, limit_choices, set_choices
from safeboard.core.modules import action_sources
from safeboard.core.periods import FinancialYear
from safeboard.partnership.access import Membership
from safeboard.partnership.models import Agency, Group, Meeting, Person

from . import services
from .models import (
    Action,
    Challenge,
    Outcome,
    Plan,
    Progress,
    Risk,
    RiskStatus,
    Source,
    Theme,
    source_choices,
)
from .selectors import (
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    TIMESCALE_CHOICES,
    WHEN_CHOICES,
    natural_key,
    readable,
)

LIKELIHOOD = [(n, f"{n} – {word}") for n, word in LIKELIHOOD_WORDS.items()]
IMPACT = [(n, f"{n} – {word}") for n, word in IMPACT_WORDS.items()]
PROGRESS_CHOICES = [(v, label) for v, label in Progress.choices if v != Progress.COMPLETE]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%Y-%m-%d"),
    )


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 4) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _not_future(value: date | None, what: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"{what} must be today or in the past")
    return value


# --- owners: one choice among groups, agencies and people ---------------------------------


def manual_sources() -> list[tuple[str, str]]:
    """Sources people may pick for an action they add by hand (the others come with their
    record: a meeting, a case review …)."""
    return [(key, source.label) for key, source in action_sources().items() if source.manual]


def any_source() -> list[tuple[str, str]]:
    return [("", "Any source"), *source_choices()]


def owner_choices() -> list[tuple[str, Any]]:
    groups = [(f"group:{g.pk}", g.name) for g in Group.objects.filter(ended__isnull=True)]
    agencies = [
        (f"agency:{a.pk}", a.name)
        for a in Agency.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate())
        )
    ]
    people = [
        (f"person:{p.pk}", f"{p.name}" + (f" ({p.agency.short_name})" if p.agency else ""))
        for p in Person.objects.filter(active=True).select_related("agency")
    ]
    return [
        ("", "Choose the owner"),
        ("Groups", groups),
        ("Agencies", agencies),
        ("People", people),
    ]


def owner_value(owner: Any) -> str:
    if owner is None:
        return ""
    kind = (
        "group" if isinstance(owner, Group) else "agency" if isinstance(owner, Agency) else "person"
    )
    return f"{kind}:{owner.pk}"


def resolve_owner(value: str) -> Group | Agency | Person | None:
    kind, _, text = (value or "").partition(":")
    pk = parse_id(text)
    if pk is None:
        return None
    model = {"group": Group, "agency": Agency, "person": Person}.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=pk).first()


def _label(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """How a choice field names each record in its list."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.label_from_instance = label  # type: ignore[method-assign,assignment]


def _owner_field(label: str = "Owner", required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text="The group, agency or person responsible.",
        error_messages={
            "required": "Choose who owns it: a group, an agency or a person",
            "invalid_choice": "Choose an owner from the list",
        },
    )


class OwnerMixin:
    """Turns the owner choice into the group, agency or person."""

    def clean_owner(self) -> Any:
        value = self.cleaned_data.get("owner")  # type: ignore[attr-defined]
        if not value:
            return None
        owner = resolve_owner(value)
        if owner is None:
            raise ValidationError("Choose an owner from the list")
        return owner


# --- plans --------------------------------------------------------------------------------


class PlanForm(forms.Form):
    years = forms.CharField(
        label="Years",
        max_length=20,
        help_text="The financial years it covers: 2016-19 for April 2016 to March 2019, or "
        "2016-17 for one year.",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="For example ‘Keeping children safe in Northdale’.",
    )
    summary = _text("Summary", required=False, help_text="What the plan sets out to achieve.")

    def clean_years(self) -> tuple[int, int]:
        try:
            return services.plan_years(self.cleaned_data["years"])
        except ServiceError as exc:
            raise ValidationError(str(exc)) from exc


class PlanChangeForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["title", "lead_group"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "lead_group", Group.objects.filter(ended__isnull=True))


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Plan file",
        help_text="A CSV file or an Excel workbook (.xlsx) with the columns theme, ref, action, "
        "owner, due, aim, update, status and links.",
    )
    dry_run = forms.BooleanField(
        label="Check the file only: do not import",
        required=False,
    )

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data["file"],
            ".csv",
            ".xlsx",
            kinds="a CSV file (.csv) or an Excel workbook (.xlsx)",
        )


class CloseForm(forms.Form):
    next_plan = forms.ModelChoiceField(
        queryset=Plan._base_manager.none(),
        label="Carry unfinished actions forward into",
        empty_label="Choose a plan",
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "next_plan",
            Plan.objects.filter(status="active", first_year__gt=plan.first_year).order_by(
                "first_year"
            ),
        )


# --- actions ------------------------------------------------------------------------------


def _supporting_choices(form: forms.Form, action: Action | None) -> None:
    """Current groups, agencies and people, and those the action already names (kept when
    it is saved unchanged, even if they have since ended)."""
    kept: dict[str, Q] = {"groups": Q(pk__in=[]), "agencies": Q(pk__in=[]), "people": Q(pk__in=[])}
    if action is not None and action.pk:
        kept = {
            "groups": Q(pk__in=action.supporting_groups.values("pk")),
            "agencies": Q(pk__in=action.supporting_agencies.values("pk")),
            "people": Q(pk__in=action.supporting_people.values("pk")),
        }
    today = timezone.localdate()
    limit_choices(
        form, "supporting_groups", Group.objects.filter(Q(ended__isnull=True) | kept["groups"])
    )
    limit_choices(
        form,
        "supporting_agencies",
        Agency.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today) | kept["agencies"]),
    )
    limit_choices(
        form,
        "supporting_people",
        Person.objects.filter(Q(active=True) | kept["people"]).select_related("agency"),
    )
    _label(
        form,
        "supporting_people",
        lambda p: p.name + (f" ({p.agency.short_name})" if p.agency else ""),
    )


class ActionForm(OwnerMixin, forms.Form):
    """Add or change an action (the business unit)."""

    plan = forms.ModelChoiceField(
        queryset=Plan._base_manager.none(),
        required=False,
        empty_label="Not a business plan action",
        help_text="Leave empty for an action from another source.",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme._base_manager.none(), required=False, empty_label="No theme"
    )
    reference = forms.CharField(
        max_length=20, required=False, help_text="Needed for a plan action, for example 1.3."
    )
    source = forms.ChoiceField(
        choices=manual_sources,
        initial=Source.OTHER,
        required=False,
        help_text="Where an action outside the plan comes from.",
    )
    source_label = forms.CharField(
        label="Source details",
        max_length=200,
        required=False,
        help_text="For example ‘Ofsted inspection, March 2026, recommendation 3’.",
    )
    text = _text("Action", rows=3)
    aim = _text("What we are trying to achieve", required=False, rows=3)
    owner = _owner_field()
    supporting_groups = forms.ModelMultipleChoiceField(
        label="Supporting groups",
        queryset=Group._base_manager.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Groups that support the owner (the owner is not repeated here).",
    )
    supporting_agencies = forms.ModelMultipleChoiceField(
        label="Supporting agencies",
        queryset=Agency._base_manager.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supporting_people = forms.ModelMultipleChoiceField(
        label="Supporting people",
        queryset=Person._base_manager.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ModelChoiceField(
        label="Overseen by",
        queryset=Group._base_manager.none(),
        required=False,
        empty_label="The owning group, or the theme’s lead group",
        help_text="The group whose chair confirms completion.",
    )
    ongoing = forms.BooleanField(
        label="Ongoing or recurring: it has a review date instead of a due date", required=False
    )
    due = _date("Due date", required=False)
    review_date = _date("Review date", required=False, help_text="For ongoing actions.")
    due_reason = _text(
        "Reason for changing the due date",
        required=False,
        rows=2,
        help_text="Needed when the due date changes: it is kept as the record of slippage.",
    )
    report_to = forms.ModelChoiceField(
        label="Report back to",
        queryset=Meeting._base_manager.none(),
        required=False,
        empty_label="No meeting",
        help_text="The meeting whose pack lists this action.",
    )
    links = forms.CharField(
        label="Related actions",
        max_length=500,
        required=False,
        help_text="References of related actions in the same plan, or tracker numbers (A12), "
        "separated by commas.",
    )

    def __init__(
        self,
        *args: Any,
        action: Action | None = None,
        member: Membership | None = None,
        **kwargs: Any,
    ) -> None:
        self.member = member
        self.action = action
        self.record = action  # the record this form edits (tests/test_forms_round_trip.py)
        super().__init__(*args, **kwargs)
        limit_choices(self, "plan", Plan.objects.filter(status="active"))
        limit_choices(
            self, "theme", Theme.objects.filter(plan__status="active").select_related("plan")
        )
        _label(self, "theme", lambda t: f"{t.plan.label}: {t.number}. {t.title}")
        set_choices(self, "owner", owner_choices())
        _supporting_choices(self, action)
        limit_choices(self, "group", Group.objects.filter(ended__isnull=True))
        meetings = Meeting.objects.filter(date__gte=timezone.localdate()).exclude(
            status="cancelled"
        )
        if action is not None and action.report_to_id:
            meetings = Meeting.objects.filter(
                Q(pk__in=meetings.values("pk")) | Q(pk=action.report_to_id)
            )
        limit_choices(self, "report_to", meetings.select_related("group").order_by("date"))
        if action is not None:
            if action.plan is not None and action.plan.is_closed:
                limit_choices(self, "plan", Plan.objects.filter(pk=action.plan.pk))
                limit_choices(self, "theme", Theme.objects.filter(plan=action.plan))
            self.fields["plan"].disabled = True
        else:
            del self.fields["due_reason"]

    @classmethod
    def initial_for(cls, action: Action, member: Membership) -> dict[str, Any]:
        """The form as the action stands. Links to restricted actions the member may not
        open are not shown (they are kept when the form is saved)."""
        links = action.links.filter(readable(member))
        return {
            "plan": action.plan_id,
            "theme": action.theme_id,
            "reference": action.reference,
            "source": action.source,
            "source_label": action.source_label,
            "text": action.text,
            "aim": action.aim,
            "owner": owner_value(action.owner),
            "supporting_groups": [g.pk for g in action.supporting_groups.all()],
            "supporting_agencies": [a.pk for a in action.supporting_agencies.all()],
            "supporting_people": [p.pk for p in action.supporting_people.all()],
            "group": action.group_id,
            "ongoing": action.ongoing,
            "due": action.due,
            "review_date": action.review_date,
            "report_to": action.report_to_id,
            "links": ", ".join(sorted((a.label for a in links), key=natural_key)),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan = data.get("plan")
        theme = data.get("theme")
        if theme is not None and (plan is None or theme.plan_id != plan.pk):
            self.add_error("theme", "Choose a theme of the chosen plan")
        if plan is not None and not (data.get("reference") or "").strip():
            self.add_error("reference", "Give the action’s reference in the plan, for example 1.3")
        if data.get("ongoing"):
            if not data.get("review_date"):
                self.add_error("review_date", "Give the date an ongoing action is next reviewed")
        elif not data.get("due"):
            self.add_error("due", "Give the date the action is due")
        if (
            self.action is not None
            and not data.get("ongoing")
            and self.action.due is not None
            and data.get("due")
            and data["due"] != self.action.due
            and not (data.get("due_reason") or "").strip()
        ):
            self.add_error("due_reason", "Give the reason the due date is changing")
        data["link_actions"] = self._links(data.get("links", ""), plan)
        data["supporting"] = [
            *data.get("supporting_groups", []),
            *data.get("supporting_agencies", []),
            *data.get("supporting_people", []),
        ]
        return data

    def _links(self, text: str, plan: Plan | None) -> list[Action]:
        found: list[Action] = []
        # Only actions the member may see can be linked: a link shows the action's text.
        actions = Action.objects.filter(readable(self.member)) if self.member else Action.objects
        for ref in [r for r in text.replace(";", ",").split(",") if r.strip()]:
            ref = ref.strip()
            action = None
            if plan is not None:
                action = actions.filter(plan=plan, reference__iexact=ref).first()
            if action is None and ref[:1] in "Aa" and ref[1:].isdigit():
                action = actions.filter(pk=int(ref[1:])).first()
            if action is None:
                self.add_error("links", f"There is no action {ref}")
            else:
                found.append(action)
        return found


class MeetingActionForm(OwnerMixin, forms.Form):
    """An action agreed at a meeting."""

    text = _text("Action", rows=3)
    owner = _owner_field()
    ongoing = forms.BooleanField(
        label="Ongoing or recurring: it has a review date instead of a due date", required=False
    )
    due = _date("Due date", required=False)
    review_date = _date("Review date", required=False)
    aim = _text("What we are trying to achieve", required=False, rows=2)
    report_to = forms.ModelChoiceField(
        label="Report back to",
        queryset=Meeting._base_manager.none(),
        required=False,
        empty_label="No meeting",
        help_text="A later meeting of the group, whose pack will list the action.",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", owner_choices())
        limit_choices(
            self,
            "report_to",
            Meeting.objects.filter(group=meeting.group, date__gt=meeting.date)
            .exclude(status="cancelled")
            .order_by("date"),
        )
        _label(self, "report_to", lambda m: f"{m.date:%-d %B %Y}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ongoing"):
            if not data.get("review_date"):
                self.add_error("review_date", "Give the date an ongoing action is next reviewed")
        elif not data.get("due"):
            self.add_error("due", "Give the date the action is due")
        return data


class UpdateForm(forms.Form):
    """A progress update, which may move the due date with a reason."""

    status = forms.ChoiceField(choices=PROGRESS_CHOICES, widget=forms.RadioSelect, label="Status")
    text = _text("Progress", help_text="What has been done since the last update.")
    on = _date("Date of the update")
    new_due = _date(
        "New due date",
        required=False,
        help_text="Only if the action will not be done by its current due date.",
    )
    due_reason = _text("Reason for the change", required=False, rows=2)
    new_review_date = _date("Next review date", required=False)

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        self.action = action
        kwargs.setdefault("initial", {}).update(
            {
                "on": timezone.localdate(),
                "status": action.status if action.status != Progress.COMPLETE else Progress.AMBER,
            }
        )
        super().__init__(*args, **kwargs)
        if action.ongoing:
            del self.fields["new_due"]
            del self.fields["due_reason"]
        else:
            del self.fields["new_review_date"]

    def clean_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("on"), "The date of the update")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new_due = data.get("new_due")
        if new_due is not None:
            if new_due == self.action.due:
                self.add_error("new_due", "The new due date is the same as the current one")
            elif not (data.get("due_reason") or "").strip():
                self.add_error("due_reason", "Give the reason the due date is changing")
        return data


class CompletionForm(forms.Form):
    evidence = _text(
        "Evidence of completion",
        help_text="What shows the action is done: a report, a procedure, an audit result, "
        "training figures …",
    )
    completed_on = _date("Date completed")
    file = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text=f"A document or image, up to {settings.MAX_UPLOAD_MB} MB.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_completed_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("completed_on"), "The completion date")

    def clean_file(self) -> Any:
        return checked_upload(self.cleaned_data.get("file"))


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is the action complete?",
        choices=[
            ("confirm", "Yes: the evidence shows it is complete"),
            ("return", "No: return it to the owner"),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(
        "Why it is not confirmed",
        required=False,
        rows=3,
        help_text="Needed when you return it: what is missing.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the completion is not confirmed")
        return data


class ImpactForm(forms.Form):
    impact = _text(
        "Impact",
        help_text="What difference it made, and how you know: for example ‘tested through the "
        "neglect audit in March: thresholds applied consistently in 9 of 10 cases’.",
    )
    on = _date("Date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("on"), "The date")


class TrackerFilterForm(forms.Form):
    """The tracker's filters. Everything is optional and combines."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    who = forms.ChoiceField(
        label="Whose",
        required=False,
        choices=[
            ("", "Everyone’s"),
            ("mine", "Mine"),
            ("agency", "My agency’s"),
            ("confirm", "Mine to confirm (groups I chair)"),
        ],
    )
    when = forms.ChoiceField(label="Show", required=False, choices=WHEN_CHOICES)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Progress.choices]
    )
    source = forms.ChoiceField(label="Source", required=False, choices=any_source)
    plan = forms.ModelChoiceField(
        queryset=Plan._base_manager.none(), required=False, empty_label="Any plan"
    )
    theme = forms.ModelChoiceField(
        queryset=Theme._base_manager.none(), required=False, empty_label="Any theme"
    )
    group = forms.ModelChoiceField(
        queryset=Group._base_manager.none(), required=False, empty_label="Any group"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency._base_manager.none(), required=False, empty_label="Any agency"
    )
    year = forms.TypedChoiceField(
        label="Originally due in",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any year")],
    )
    timescale = forms.ChoiceField(
        label="Timescale",
        required=False,
        choices=[("", "Any"), *TIMESCALE_CHOICES],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "plan", Plan.objects.all())
        # The financial years of the partnership's plans, the latest first.
        years: set[int] = set()
        for first, last in Plan.objects.values_list("first_year", "last_year"):
            years.update(range(first, last + 1))
        set_choices(
            self,
            "year",
            [("", "Any year"), *((y, FinancialYear(y).label) for y in sorted(years, reverse=True))],
        )
        limit_choices(
            self,
            "theme",
            Theme.objects.select_related("plan").order_by("-plan__first_year", "number"),
        )
        _label(self, "theme", lambda t: f"{t.plan.label}: {t.number}. {t.title}")
        limit_choices(self, "group", Group.objects.all())
        limit_choices(self, "agency", Agency.objects.all())
        for name, field in self.fields.items():
            css = "govuk-input" if name == "q" else "govuk-select"
            field.widget.attrs["class"] = f"{css} govuk-!-width-full"


# --- risks --------------------------------------------------------------------------------


class RiskForm(OwnerMixin, forms.Form):
    reference = forms.CharField(
        max_length=20, required=False, help_text="Left empty, the next number is given (R13)."
    )
    title = forms.CharField(max_length=200)
    description = _text("Description", required=False, rows=3)
    owner = _owner_field(required=False)
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD, coerce=int, widget=forms.RadioSelect)
    impact = forms.TypedChoiceField(choices=IMPACT, coerce=int, widget=forms.RadioSelect)
    controls = _text("Controls", required=False, rows=3)
    target_score = forms.IntegerField(
        min_value=1,
        max_value=25,
        help_text="The score (likelihood × impact) the controls should bring it to.",
    )
    review_date = _date("Next review", required=False, help_text="Left empty: in six months.")
    status = forms.ChoiceField(choices=RiskStatus.choices, widget=forms.RadioSelect)
    closed_on = _date(
        "Closed on",
        required=False,
        help_text="For a closed risk: the day it was closed. Left empty: today. The year's "
        "report counts a risk closed after the year's end as open at the end of the year.",
    )

    def __init__(self, *args: Any, risk: Risk | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record = risk  # the record this form edits (tests/test_forms_round_trip.py)
        set_choices(self, "owner", owner_choices())
        if risk is not None:
            # Scores change by a review, so the history is kept.
            del self.fields["likelihood"]
            del self.fields["impact"]
            self.fields["review_date"].required = True
            self.fields["review_date"].help_text = ""
            self.fields["reference"].required = True
            self.fields["reference"].help_text = ""
        else:
            del self.fields["status"]
            del self.fields["closed_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("closed_on") and data.get("status") == RiskStatus.OPEN:
            self.add_error(
                "closed_on",
                "An open risk has no closing date: choose ‘Closed’, or leave the date empty",
            )
        return data

    @classmethod
    def initial_for(cls, risk: Risk) -> dict[str, Any]:
        return {
            "reference": risk.reference,
            "title": risk.title,
            "description": risk.description,
            "owner": owner_value(risk.owner),
            "controls": risk.controls,
            "target_score": risk.target_score,
            "review_date": risk.review_date,
            "status": risk.status,
            "closed_on": risk.closed_on,
        }


class RiskReviewForm(forms.Form):
    reviewed_on = _date("Date of the review")
    likelihood = forms.TypedChoiceField(choices=LIKELIHOOD, coerce=int, widget=forms.RadioSelect)
    impact = forms.TypedChoiceField(choices=IMPACT, coerce=int, widget=forms.RadioSelect)
    note = _text("Notes", required=False, rows=3, help_text="What changed, and why.")
    next_review = _date("Next review", required=False, help_text="Left empty: in six months.")

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(
            {
                "reviewed_on": timezone.localdate(),
                "likelihood": risk.likelihood,
                "impact": risk.impact,
            }
        )
        super().__init__(*args, **kwargs)

    def clean_reviewed_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("reviewed_on"), "The date of the review")


# --- challenge log ------------------------------------------------------------------------


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = [
            "agency",
            "subject",
            "detail",
            "raised_by",
            "raised_by_group",
            "raised_on",
            "response_due",
        ]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 4}),
            "raised_on": forms.DateInput(format="%Y-%m-%d"),
            "response_due": forms.DateInput(format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "agency", Agency.objects.all())
        limit_choices(self, "raised_by", Person.objects.filter(active=True))
        limit_choices(self, "raised_by_group", Group.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raised, due = data.get("raised_on"), data.get("response_due")
        if raised and due and due < raised:
            self.add_error("response_due", "The response cannot be due before it was raised")
        if raised:
            try:
                _not_future(raised, "The date it was raised")
            except ValidationError as exc:
                self.add_error("raised_on", exc)
        return data

    def _post_clean(self) -> None:
        # The service writes the record; the model's own checks run there.
        pass


class ResponseForm(forms.Form):
    response = _text("The agency’s response")
    responded_on = _date("Date of the response")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"responded_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_responded_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("responded_on"), "The date of the response")


class EscalationForm(forms.Form):
    to = forms.CharField(
        label="Escalated to",
        max_length=200,
        help_text="For example ‘Executive Group’ or ‘Chief Constable’.",
    )
    note = _text("Why it is escalated", required=False, rows=3)
    on = _date("Date escalated")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("on"), "The date escalated")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    note = _text("What was agreed", required=False, rows=3)
    on = _date("Date closed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update({"on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("on"), "The date closed")
