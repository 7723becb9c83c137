"""The multi-agency dataset: indicators and their definitions, targets and themes; collection
rounds, agencies' returns and the values they supply; RAG overrides; and the national
comparators (DfE LAIT data), which belong to the installation, not to one partnership."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core import periods
from safeboard.core.statistics import Missing
from safeboard.core.tenancy import PartnershipOwned

if TYPE_CHECKING:
    from safeboard.core.periods import Period


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000 children"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    DAYS = "days", "Days"
    NUMBER = "number", "Number"
    MONEY = "money", "Money (£)"


# Decimal places an indicator of each unit is shown with unless it says otherwise.
DEFAULT_DECIMALS = {
    Unit.COUNT: 0,
    Unit.PERCENT: 1,
    Unit.RATE_PER_10000: 1,
    Unit.RATE_PER_1000: 1,
    Unit.DAYS: 0,
    Unit.NUMBER: 1,
    Unit.MONEY: 0,
}
# Units computed as numerator / denominator x multiplier.
RATIO_UNITS = frozenset({Unit.PERCENT, Unit.RATE_PER_10000, Unit.RATE_PER_1000})


class Polarity(models.TextChoices):
    HIGH = "high", "High is good"
    LOW = "low", "Low is good"
    NONE = "none", "Neither high nor low is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (financial year)"


class PeriodKind(models.TextChoices):
    FLOW = "flow", "Over the period"
    SNAPSHOT = "snapshot", "At the end of the period"


class Theme(PartnershipOwned):
    """A theme with its own scorecard: CSE and missing, domestic abuse, early help ..."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="theme_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(PartnershipOwned):
    """A measure in the partnership's dataset, such as `CS2.3` Re-referrals within 12 months.

    The definition fields hold the current definition; `DefinitionVersion` keeps every change
    with the date it took effect.
    """

    code = models.CharField(
        max_length=20, help_text="Letters, digits, dots, hyphens and underscores, e.g. CS2.3."
    )
    title = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    decimals = models.PositiveSmallIntegerField(
        "decimal places", default=0, help_text="How many decimal places to show (0 to 4)."
    )
    polarity = models.CharField(
        "good performance is", max_length=10, choices=Polarity.choices, default=Polarity.NONE
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    period_kind = models.CharField(
        "each value counts", max_length=10, choices=PeriodKind.choices, default=PeriodKind.FLOW
    )
    owner = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The agency that supplies the figures.",
    )
    source = models.CharField("source system", max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="indicators")
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    national_code = models.CharField(
        "national measure code",
        max_length=80,
        blank=True,
        help_text="The DfE measure (LAIT ‘Short Desc’) to compare with, e.g. CPP_rate.",
    )
    change_threshold = models.FloatField(
        "query changes larger than (%)",
        default=25,
        help_text="A change from the previous period larger than this needs a comment.",
    )
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Position in the scorecard; empty: after those given one, in the order of "
        "the code’s numbers (3.2 before 3.10).",
    )
    measure = models.CharField(
        max_length=60,
        blank=True,
        help_text="The measure Safeboard also computes from its records that this indicator "
        "gives a value of (such as board attendance): the report refuses two different values "
        "of one measure.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("order").asc(nulls_last=True), "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_unique_code"),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="indicator_decimals_0_4"),
            models.CheckConstraint(
                condition=Q(change_threshold__gt=0), name="indicator_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "performance:indicator",
            kwargs={"partnership": self.partnership.slug, "pk": self.pk},
        )

    # --- periods --------------------------------------------------------------------------
    @property
    def frequency_kind(self) -> str:
        return FREQUENCY_KINDS[Frequency(self.frequency)]

    def period_of(self, base: Period) -> Period:
        """The value period for `base`, a period of the indicator's frequency: the period
        itself for a flow, the snapshot at its end for a snapshot indicator."""
        return base if self.period_kind == PeriodKind.FLOW else periods.Snapshot(base.end)

    def base_of(self, period: Period) -> Period:
        """The period of the indicator's frequency that `period` (a value period) stands for."""
        if period.kind == self.frequency_kind:
            return period
        return periods.period_of_kind_ending(self.frequency_kind, period.end)

    def latest_period(self, by: date) -> Period:
        """The indicator's last value period ending on or before `by`."""
        return self.period_of(periods.last_period_of_kind(self.frequency_kind, by))

    def previous_period(self, period: Period) -> Period:
        """The preceding period of the same kind: previous month, quarter, year or snapshot."""
        return self.period_of(self.base_of(period).previous())

    def recent_periods(self, period: Period, count: int) -> list[Period]:
        base = self.base_of(period)
        return [self.period_of(base.shift(-i)) for i in range(count - 1, -1, -1)]

    @property
    def multiplier(self) -> int | None:
        return {Unit.PERCENT: 100, Unit.RATE_PER_1000: 1000, Unit.RATE_PER_10000: 10000}.get(
            Unit(self.unit)
        )


FREQUENCY_KINDS = {
    Frequency.MONTHLY: "month",
    Frequency.QUARTERLY: "quarter",
    Frequency.ANNUAL: "fy",
}
# How many periods the small charts show.
RECENT = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 5}


class Target(PartnershipOwned):
    """An indicator's target from a financial year onwards: a number (`low` = `high`), a band
    (`low` < `high`, such as 5 to 7.5) or not set (both empty), with a tolerance that makes
    the amber zone: absolute in the indicator's unit, or a percentage of the target."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    from_year = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Start year of the first financial year it applies to (2025 for 2025-26); "
        "empty: from the beginning.",
    )
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(default=10)
    tolerance_is_percent = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        # The standing target (no first year) first, on every database.
        ordering = ["indicator", models.F("from_year").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "from_year"], name="target_unique_year"),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(from_year__isnull=True),
                name="target_unique_standing",
            ),
            models.CheckConstraint(
                condition=(Q(low__isnull=True) & Q(high__isnull=True))
                | (Q(low__isnull=False) & Q(high__isnull=False) & Q(high__gte=models.F("low"))),
                name="target_low_high",
            ),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="target_tolerance"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.label or 'not set'}"

    @property
    def label(self) -> str:
        from .rag import target_label

        return target_label(self.low, self.high, self.indicator.decimals)

    @property
    def tolerance_label(self) -> str:
        from .rag import tolerance_label

        return tolerance_label(self.tolerance, self.tolerance_is_percent)

    @property
    def applies_from(self) -> str:
        return periods.fy_label(self.from_year) if self.from_year else "the beginning"


class DefinitionVersion(PartnershipOwned):
    """A definition of an indicator and the date it took effect. The first has no date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(null=True, blank=True)
    definition = models.TextField(blank=True)
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The original definition (no date) first, on every database.
        ordering = ["indicator", models.F("effective_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "effective_from"], name="version_unique_date"
            )
        ]

    def __str__(self) -> str:
        when = f"from {self.effective_from:%d %B %Y}" if self.effective_from else "original"
        return f"{self.indicator.code} definition {when}"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"


class CollectionRound(PartnershipOwned):
    """A round of data collection for one period: agencies supply the values of their
    indicators whose periods end within it; the business unit locks it when done."""

    period = models.CharField(max_length=30, help_text="For example 2026-27 Q2.")
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    due = models.DateField(help_text="When agencies’ returns are due.")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period"], name="round_unique_period")
        ]

    def __str__(self) -> str:
        return f"Round {self.period}"

    @cached_property
    def period_obj(self) -> Period:
        return periods.parse_period(self.period)

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    READY = "ready", "Ready for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class AgencyReturn(PartnershipOwned):
    """One agency's return in a round. Until its lead signs it off it is the agency's draft
    (agency tier): only that agency's people and the business unit may see it."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="returns"
    )
    status = models.CharField(
        max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by_business_unit = models.BooleanField(
        default=False,
        help_text="Signed off by the business unit in place of an agency lead, as the agency "
        "had none.",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="return_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} return for {self.round.period}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == ReturnStatus.SIGNED_OFF

    @cached_property
    def is_started(self) -> bool:
        """Anything has happened to it: a figure given, or it was sent or signed off."""
        return (
            self.status != ReturnStatus.DRAFT
            or self.submitted_at is not None
            or self.values.exists()
        )


class Value(PartnershipOwned):
    """An indicator's figure for one period: a number, or the reason it is absent.

    Stored at full precision; rounded only to display. `current` marks the version in force:
    a correction after a round is locked adds a version with its reason and keeps the old.
    `released` values (signed off, locked, or entered by the business unit) are the ones
    scorecards show.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    status = models.CharField(
        "reason there is no value",
        max_length=3,
        blank=True,
        choices=[(m.value, f"{m.value}: {m.description}") for m in Missing],
    )
    note = models.TextField(blank=True, help_text="Context from the agency.")
    query_comment = models.TextField(
        blank=True, help_text="Why the figure changed so much from the previous period."
    )
    population_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="Child population used as the denominator (FY start)."
    )
    agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency_return = models.ForeignKey(
        AgencyReturn, on_delete=models.SET_NULL, null=True, blank=True, related_name="values"
    )
    version = models.PositiveSmallIntegerField(default=1)
    current = models.BooleanField(default=True)
    released = models.BooleanField(default=False)
    correction_reason = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "period_end", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(current=True),
                name="value_one_current",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "version"], name="value_unique_version"
            ),
            models.CheckConstraint(
                # A figure (provisional, tbc, or of low reliability, u), or the reason for
                # its absence.
                condition=(Q(value__isnull=False) & Q(status__in=["", "tbc", "u"]))
                | (Q(value__isnull=True) & ~Q(status="")),
                name="value_number_or_reason",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "current", "period_end"])]

    def __str__(self) -> str:
        shown = self.status if self.value is None else f"{self.value:g}"
        return f"{self.indicator.code} {self.period}: {shown}"

    @property
    def population_label(self) -> str:
        """The financial year whose child population was the denominator, e.g. 2026-27."""
        return periods.fy_label(self.population_year) if self.population_year else ""


class RagOverride(PartnershipOwned):
    """A person's RAG rating for an indicator and period in place of the computed one, with
    the reason. The scorecard shows it as overridden."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="overrides")
    period = models.CharField(max_length=30)
    rag = models.CharField(max_length=1, choices=[("R", "Red"), ("A", "Amber"), ("G", "Green")])
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="override_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.rag} (overridden)"


# --- national comparators: the installation's, shared by every partnership ----------------


class AreaKind(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    LA = "la", "Local authority"


class ComparatorArea(models.Model):
    """England, a region or a local authority in the national data, by DfE LA number."""

    la_number = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    region = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    class Meta:
        ordering = ["la_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.la_number})"


class Measure(models.Model):
    """A national measure (LAIT `Short Desc`), with what the data dictionary says of it."""

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=400, blank=True)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NONE)
    unit = models.CharField(max_length=120, blank=True)
    decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    year_type = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ComparatorPeriod(models.Model):
    """A period a measure has figures for, with every LA's value sorted (for fast ranks)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="periods")
    period = models.CharField(max_length=30)
    period_end = models.DateField()
    la_values = models.JSONField(default=list, help_text="LA values, ascending.")

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [models.UniqueConstraint(fields=["measure", "period"], name="cperiod_unique")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period}"


class ComparatorValue(models.Model):
    """One area's figure for a measure and period; `value` is empty where DfE shows `-`.

    The key is (measure, period, area): its index serves every query, and having no other
    index or counter keeps the national import fast.
    """

    pk = models.CompositePrimaryKey("measure", "period", "area")
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    area = models.ForeignKey(
        ComparatorArea, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    period = models.CharField(max_length=30)
    period_end = models.DateField()
    value = models.FloatField(null=True, blank=True)
    revision = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["measure", "period_end", "area"]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period} {self.area.name}: {self.value}"


class StatisticalNeighbour(models.Model):
    """One of an LA's ten statistical neighbours (DfE model), nearest first."""

    area = models.ForeignKey(ComparatorArea, on_delete=models.CASCADE, related_name="neighbours")
    neighbour = models.ForeignKey(ComparatorArea, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "position"], name="neighbour_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.area.name} neighbour {self.position}: {self.neighbour.name}"


class ComparatorImport(models.Model):
    """A record of each import of national data: what, when, how much."""

    source = models.CharField(max_length=300)
    neighbour_model = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField(default=0)
    values = models.PositiveIntegerField(default=0)
    measures = models.PositiveIntegerField(default=0)
    areas = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported_at:%d %B %Y})"
