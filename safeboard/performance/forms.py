"""Forms of the performance module. They validate input; services write."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from safeboard.core import periods
from safeboard.core.forms import checked_upload, limit_choices, set_choices
from safeboard.core.periods import PeriodError
from safeboard.core.statistics import Missing
from safeboard.partnership.models import Agency
from safeboard.reporting import registry

from . import selectors
from .models import DEFAULT_DECIMALS, Indicator, Theme, Unit
from .rag import TargetError, parse_target, parse_tolerance
from .validation import CODE_PATTERN

# Date inputs show and send dates as yyyy-mm-dd, whatever the display format.
ISO_DATE = forms.DateInput(format="%Y-%m-%d")


class ScorecardFilterForm(forms.Form):
    period = forms.ChoiceField(label="Reporting period")
    theme = forms.ChoiceField(label="Theme", required=False)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "period",
            [(p.label, f"{p.label} ({p.description})") for p in selectors.reporting_periods(today)],
        )
        set_choices(
            self, "theme", [("", "All themes"), *[(t.slug, t.name) for t in Theme.objects.all()]]
        )

    def clean_period(self) -> periods.Period:
        try:
            return periods.parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_theme(self) -> Theme | None:
        slug = self.cleaned_data.get("theme")
        return Theme.objects.filter(slug=slug).first() if slug else None


class IndicatorForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A theme has its own scorecard.",
    )
    new_themes = forms.CharField(
        label="New themes",
        required=False,
        help_text="Separate several with semicolons, for example: Neglect; Early help.",
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "unit",
            "decimals",
            "polarity",
            "frequency",
            "period_kind",
            "owner",
            "source",
            "themes",
            "national_code",
            "change_threshold",
            "order",
            "measure",
            "notes",
            "active",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "unit": forms.RadioSelect,
            "polarity": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "period_kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", Agency.objects.all())
        limit_choices(self, "themes", Theme.objects.all())
        set_choices(self, "unit", list(Unit.choices))  # no empty choice among the radios
        decimals = self.fields["decimals"]
        decimals.required = False
        decimals.help_text = (
            "How many to show, 0 to 4. Empty: 1 for percentages, rates and "
            "numbers, 0 for counts, days and money."
        )
        if not self.instance.pk:
            decimals.initial = None
        # Measures Safeboard computes itself (reporting.registry.measure), to link to.
        self.fields["measure"] = forms.ChoiceField(
            label="Also computed by Safeboard as",
            required=False,
            choices=[("", "Not computed by Safeboard"), *registry.measures().items()],
            help_text=Indicator._meta.get_field("measure").help_text,
        )
        if self.instance.pk:
            # A change of definition is recorded with its date (its own form).
            for name in ("definition", "numerator_definition", "denominator_definition"):
                del self.fields[name]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                "Use up to 20 letters, digits, dots, hyphens or underscores, such as CS2.3"
            )
        clash = Indicator.objects.filter(code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"There is already an indicator {code}")
        return code

    def clean_decimals(self) -> int:
        decimals = self.cleaned_data["decimals"]
        if decimals is None:
            unit = self.cleaned_data.get("unit") or Unit.COUNT
            return DEFAULT_DECIMALS[Unit(unit)]
        if decimals > 4:
            raise forms.ValidationError("Show at most 4 decimal places")
        return int(decimals)

    def theme_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("new_themes", "").split(";") if t.strip()]


class DefinitionChangeForm(forms.Form):
    effective_from = forms.DateField(
        label="Takes effect on",
        widget=ISO_DATE,
        help_text="Figures for periods ending on or after this date follow the new definition.",
    )
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    numerator_definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    denominator_definition = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(
        label="Why it changed",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: referral redefined locally from 1 April 2016.",
    )


def _year_choices(today: date | None = None) -> list[tuple[str, str]]:
    current = periods.current_financial_year(today).start.year
    return [("", "From the beginning")] + [
        (str(y), f"From {periods.fy_label(y)}") for y in range(current + 1, current - 9, -1)
    ]


class TargetForm(forms.Form):
    from_year = forms.ChoiceField(label="Applies", required=False)
    target = forms.CharField(
        label="Target",
        required=False,
        help_text="A number (80), a band (5-7.5), or leave empty for ‘not set’.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    tolerance = forms.CharField(
        label="Tolerance (the amber zone)",
        required=False,
        help_text="In the indicator’s unit (2) or a percentage of the target (10%). Empty: 10%.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    note = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "from_year", _year_choices(today))

    def clean_from_year(self) -> int | None:
        value = self.cleaned_data.get("from_year")
        return int(value) if value else None

    def clean_target(self) -> tuple[float | None, float | None]:
        try:
            return parse_target(self.cleaned_data.get("target", ""))
        except TargetError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_tolerance(self) -> tuple[float, bool]:
        try:
            return parse_tolerance(self.cleaned_data.get("tolerance", ""))
        except TargetError as exc:
            raise forms.ValidationError(str(exc)) from exc


class OverrideForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    rag = forms.ChoiceField(
        label="Rating",
        choices=[("R", "Red"), ("A", "Amber"), ("G", "Green")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why the computed rating is overridden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reason is shown to everyone who reads the scorecard.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="A .csv or .xlsx file whose first row names the columns.",
    )
    dry_run = forms.BooleanField(
        label="Check only: report problems without saving anything", required=False
    )

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data["file"], ".csv", ".xlsx", kinds="a CSV (.csv) or Excel (.xlsx) file"
        )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Completed template", help_text="The Excel file downloaded above, filled in."
    )

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data["file"],
            ".xlsx",
            ".csv",
            kinds="the Excel template (.xlsx) or a CSV file",
        )


def _next_due(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=21)


class RoundForm(forms.Form):
    period = forms.CharField(
        label="Period",
        help_text="A quarter (2026-27 Q2), a month (2026-09) or a financial year (2026-27).",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    due = forms.DateField(label="Returns are due on", widget=ISO_DATE)

    def __init__(
        self, *args: Any, today: date | None = None, taken: set[str] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", self.suggestion(today, taken or set()))
        super().__init__(*args, **kwargs)

    @staticmethod
    def suggestion(today: date | None, taken: set[str]) -> dict[str, Any]:
        """The last complete quarter, or the first quarter after it that has no round yet
        (`taken`: the periods that have one); nothing when the next few all have one."""
        today = today or date.today()
        quarter = periods.last_complete_quarter(today)
        for _ in range(4):
            if quarter.label not in taken:
                return {
                    "period": quarter.label,
                    "due": max(_next_due(today), quarter.end + timedelta(days=21)),
                }
            quarter = quarter.next()
        return {"due": _next_due(today)}


STATUS_CHOICES = [("", "A figure is given")] + [
    (m.value, f"{m.value}: {m.description}") for m in Missing
]


class CorrectionForm(forms.Form):
    value = forms.CharField(required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    numerator = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    denominator = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    status = forms.ChoiceField(
        label="Or the reason there is no figure", choices=STATUS_CHOICES, required=False
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Why the figure is corrected", widget=forms.Textarea(attrs={"rows": 2})
    )
