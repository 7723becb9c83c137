"""Core's own records: the statutory clocks every module starts and stops, and each
partnership's lengths for them (see `core.clocks`)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .clocks import ClockState, Length, Unit, days_left, state_of
from .tenancy import PartnershipOwned


class ClockSetting(PartnershipOwned):
    """A partnership's own length for a kind of clock, instead of the national default. It
    applies to clocks started after it was set."""

    kind = models.CharField(max_length=80)
    count = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why the partnership uses its own length."
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="clock_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.length}"

    @property
    def length(self) -> Length:
        return Length(self.count, self.unit)


class Clock(PartnershipOwned):
    """One statutory clock on one record: when it started, the length it runs for (kept as it
    was when it started), its due date and when it was done."""

    kind = models.CharField(max_length=80)
    label = models.CharField(
        max_length=200, help_text="What is due, for people: ‘Child N: rapid review’."
    )
    register = models.CharField(
        max_length=40,
        blank=True,
        help_text="The restricted register of its record: only those who may open it see it.",
    )
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    start = models.DateField()
    count = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    due = models.DateField()
    done = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "kind"], name="clock_once_per_record"
            ),
            models.CheckConstraint(
                condition=Q(due__gte=models.F("start")), name="clock_due_after_start"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "done", "due"], name="clock_running")]

    def __str__(self) -> str:
        return f"{self.label}: due {self.due}"

    @property
    def length(self) -> Length:
        return Length(self.count, self.unit)

    def state(self, today: date) -> ClockState:
        return state_of(self.due, self.done, today)

    def days_left(self, today: date) -> int:
        return days_left(self.due, today, self.unit)

    @property
    def sensitivity(self) -> str:
        return "restricted" if self.register else "partnership"
