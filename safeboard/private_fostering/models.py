"""The private fostering register: each notification and the arrangement it concerns (the
child, the carer, the assessment, the end and why), the statutory visits, and the service's
awareness activity.

Arrangements and visits are restricted (register `private_fostering`): only the roles the
register names open them, through `partnership.registers.RegisterReader`. Awareness activity
holds no personal data and is shown with the annual figures."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core.clocks import add_calendar_months
from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned

REGISTER = "private_fostering"


class Source(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Private foster carer"
    CHILD = "child", "The child"
    SCHOOL = "school", "School or college"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary organisation"
    OTHER_AGENCY = "other_agency", "Other agency"
    OTHER = "other", "Other"


# Notifications from partner agencies (what awareness raising among professionals aims at).
AGENCY_SOURCES = frozenset(
    {
        Source.SCHOOL,
        Source.HEALTH,
        Source.POLICE,
        Source.SOCIAL_CARE,
        Source.HOUSING,
        Source.VOLUNTARY,
        Source.OTHER_AGENCY,
    }
)


class EndReason(models.TextChoices):
    RETURNED_HOME = "returned_home", "Returned to a parent"
    LOOKED_AFTER = "looked_after", "Became looked after"
    ANOTHER_CARER = "another_carer", "Moved to another arrangement"
    AGE = "age", "Reached 16 (18 if disabled)"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship or other order"
    NOT_PRIVATE_FOSTERING = "not_private_fostering", "Found not to be private fostering"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    OTHER = "other", "Other"


class Assessment(models.TextChoices):
    PENDING = "", "Not yet assessed"
    SUITABLE = "suitable", "Arrangement suitable"
    SUITABLE_WITH_CONDITIONS = "conditions", "Suitable with requirements"
    UNSUITABLE = "unsuitable", "Arrangement unsuitable (prohibited or ended)"


class Arrangement(PartnershipOwned):
    """A notification of a private fostering arrangement and the arrangement itself."""

    register = REGISTER

    reference = models.CharField(max_length=40)
    notified = models.DateField("Date notified")
    source = models.CharField("Who notified", max_length=20, choices=Source.choices)
    notified_by = models.CharField("Notifier's name or service", max_length=200, blank=True)
    start = models.DateField(
        "Arrangement began", null=True, blank=True, help_text="Empty while it has not begun."
    )
    child_name = models.CharField("Child's name", max_length=200, blank=True)
    child_age = models.PositiveSmallIntegerField("Child's age at the start", null=True, blank=True)
    carer_name = models.CharField("Carer's name", max_length=200, blank=True)
    assessed = models.DateField("Assessment completed", null=True, blank=True)
    assessment = models.CharField(
        max_length=20, choices=Assessment.choices, blank=True, default=Assessment.PENDING
    )
    ended = models.DateField("Arrangement ended", null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-notified", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="private_fostering_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | ~Q(end_reason=""),
                name="private_fostering_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Private fostering {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("private_fostering:detail", args=[self.partnership.slug, self.pk])

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED

    @property
    def notified_before_start(self) -> bool | None:
        """Notified before the arrangement began (as the law asks), or after; None when it
        has not begun."""
        return None if self.start is None else self.notified <= self.start

    def first_year_ends(self) -> date | None:
        return add_calendar_months(self.start, 12) if self.start else None

    def is_open_on(self, day: date) -> bool:
        return (
            self.start is not None
            and self.start <= day
            and (self.ended is None or self.ended > day)
        )


class Visit(PartnershipOwned):
    """A statutory visit: due (from its clock) and, once made, when and whether the child was
    seen alone. The next visit is scheduled when one is made."""

    register = REGISTER

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="visits")
    number = models.PositiveSmallIntegerField()
    due = models.DateField(help_text="From the visit's statutory clock.")
    visited = models.DateField(null=True, blank=True)
    seen_alone = models.BooleanField("Child seen alone", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["arrangement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "number"], name="private_fostering_visit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.arrangement.reference}: visit {self.number}"

    def get_absolute_url(self) -> str:
        return self.arrangement.get_absolute_url()

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def on_time(self) -> bool | None:
        return None if self.visited is None else self.visited <= self.due


class ActivityKind(models.TextChoices):
    CAMPAIGN = "campaign", "Campaign or publicity"
    BRIEFING = "briefing", "Briefing to professionals"
    TRAINING = "training", "Training"
    EVENT = "event", "Community event"


class AwarenessActivity(PartnershipOwned):
    """Raising awareness of private fostering: a campaign, a briefing, training."""

    held_on = models.DateField("Date")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, blank=True)
    reached = models.PositiveIntegerField("People reached", null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name_plural = "awareness activities"

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"
