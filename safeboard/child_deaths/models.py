"""The child death register: notifications, agencies' reporting forms, the joint agency
response and child death review meetings, the panel's review, its contributory factors and
recommendations; and England's published percentages for comparison.

Every record but the national figures is in the restricted `child_deaths` register. A death
belongs to the partnership where the child normally lived (its `partnership`, decided by the
home area); the panel that reviews it (`panel`, a group of kind panel) may be a joint group
hosted by another partnership. The host of a panel sees the deaths it reviews, whoever's
residents they are; each partnership sees its own residents.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core import tenancy
from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned

from .apps import REGISTER
from .constants import (
    Category,
    Domain,
    Ethnicity,
    Grade,
    JarReason,
    Place,
    Sex,
    age_band,
    time_band,
)


class Restricted(PartnershipOwned):
    """A record of the child deaths register."""

    register = REGISTER

    class Meta:
        abstract = True

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED


class Status(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    GATHERING = "gathering", "Gathering information"
    AWAITING_PANEL = "awaiting_panel", "Ready for the panel"
    COMPLETED = "completed", "Review completed"


class ChildDeath(Restricted):
    """The notification of a child's death, and the case it opens."""

    reference = models.CharField(max_length=30)
    first_name = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    home_area = models.ForeignKey(
        "partnership.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The area where the child normally lived: it decides the partnership.",
    )
    date_of_death = models.DateField()
    place_of_death = models.CharField(max_length=20, choices=Place.choices, default=Place.NOT_KNOWN)
    notified_on = models.DateField(null=True, blank=True)
    notifier = models.CharField(
        "notified by",
        max_length=200,
        blank=True,
        help_text="Who notified the death, and their role.",
    )
    notifier_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expected = models.BooleanField("expected death", null=True, blank=True)
    jar_needed = models.BooleanField("joint agency response needed", default=False)
    jar_reasons = models.JSONField("why a joint agency response", default=list, blank=True)
    panel = models.ForeignKey(
        "partnership.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The child death overview panel that reviews the death.",
    )
    form_version = models.CharField(
        max_length=7, blank=True, help_text="The national forms' version (their year)."
    )
    imported = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_of_death", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="child_death_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__gte=models.F("date_of_birth")),
                name="child_death_after_birth",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "date_of_death"])]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def partnership_filter(cls, partnership: Any) -> Q:
        return Q(partnership=partnership) | Q(panel__partnership=partnership)

    def get_absolute_url(self) -> str:
        """Its page in the partnership in scope when that is the panel's host (the host's
        coordinator opens a shared partnership's resident's record through the host, e.g.
        from the clocks page), else in the child's partnership."""
        slug = self.partnership.slug
        current = tenancy.current_partnership()
        if (
            current is not None
            and current.pk != self.partnership_id
            and self.panel_id is not None
            and self.panel is not None
            and self.panel.partnership_id == current.pk
        ):
            slug = current.slug
        return reverse("child_deaths:death", kwargs={"partnership": slug, "pk": self.pk})

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.surname) if p) or "(name not recorded)"

    @property
    def jar_reason_labels(self) -> list[str]:
        return [JarReason(r).label for r in self.jar_reasons if r in JarReason.values]

    @property
    def age_band(self) -> str:
        return age_band(self.date_of_birth, self.date_of_death)

    def review_or_none(self) -> PanelReview | None:
        try:
            return self.review
        except PanelReview.DoesNotExist:
            return None

    @property
    def status(self) -> str:
        review = self.review_or_none()
        if review is not None and review.completed_on is not None:
            return Status.COMPLETED
        forms = list(self.forms.all())
        if forms and all(f.received_on is not None for f in forms):
            return Status.AWAITING_PANEL
        if forms or self.meetings.exists():
            return Status.GATHERING
        return Status.NOTIFIED

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def _shared(prefix: str) -> Any:
    def partnership_filter(cls: Any, partnership: Any) -> Q:
        return Q(partnership=partnership) | Q(**{f"{prefix}panel__partnership": partnership})

    return classmethod(partnership_filter)


class AgencyForm(Restricted):
    """A reporting form asked of an agency involved with the child."""

    death = models.ForeignKey(ChildDeath, on_delete=models.CASCADE, related_name="forms")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    due = models.DateField(editable=False)
    received_on = models.DateField(null=True, blank=True)
    complete = models.BooleanField(null=True, blank=True, help_text="Every section answered.")
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    reminders = models.PositiveIntegerField(default=0, editable=False)
    form_version = models.CharField(max_length=7, blank=True)

    partnership_filter = _shared("death__")

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["death", "agency"], name="agency_form_once"),
        ]

    def __str__(self) -> str:
        return f"{self.death.reference}: {self.agency.short_name} form"

    def get_absolute_url(self) -> str:
        return self.death.get_absolute_url()

    def is_late(self, today: date) -> bool:
        """Late as it stood on `today`: a form received after `today` was outstanding then."""
        received = self.received_on
        if received is None or received > today:
            received = today
        return received > self.due

    @property
    def on_time(self) -> bool | None:
        return None if self.received_on is None else self.received_on <= self.due


class MeetingKind(models.TextChoices):
    JAR = "jar", "Joint agency response meeting"
    CDRM = "cdrm", "Child death review meeting"


class CaseMeeting(Restricted):
    """A joint agency response meeting or the child death review meeting of one death."""

    death = models.ForeignKey(ChildDeath, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField()
    agencies = models.ManyToManyField(
        "partnership.Agency", blank=True, related_name="+", verbose_name="agencies present"
    )
    attendance = models.TextField(
        "who attended", blank=True, help_text="One person a line: name, role and agency."
    )

    partnership_filter = _shared("death__")

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.death.reference}: {self.get_kind_display()} {self.held_on:%d %b %Y}"


class PanelReview(Restricted):
    """The panel's review of one death: its analysis, learning and recommendations."""

    death = models.OneToOneField(ChildDeath, on_delete=models.CASCADE, related_name="review")
    panel_date = models.DateField("date of the panel", null=True, blank=True)
    completed_on = models.DateField("review completed", null=True, blank=True)
    category = models.PositiveSmallIntegerField(
        "category of death", choices=Category.choices, null=True, blank=True
    )
    modifiable = models.BooleanField("modifiable factors identified", null=True, blank=True)
    modifiable_factors = models.TextField(
        "which modifiable factors", blank=True, help_text="Say which factors could be modified."
    )
    learning = models.TextField(blank=True)
    released_on = models.DateField(
        "recommendations released", null=True, blank=True, editable=False
    )
    form_version = models.CharField(max_length=7, blank=True)
    # The case review of the same child, in the `learning` module when it is installed (see
    # `case_review`); kept as an id so that this module does not import that one.
    case_review_id = models.PositiveBigIntegerField(null=True, blank=True)

    partnership_filter = _shared("death__")

    class Meta:
        ordering = ["-completed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.death.reference}: panel review"

    @property
    def time_band(self) -> str | None:
        if self.completed_on is None:
            return None
        return time_band(self.death.date_of_death, self.completed_on)

    @property
    def case_review(self) -> Any:
        """The linked case review (`learning.CaseReview`), or None when there is none or the
        learning module is not installed."""
        if self.case_review_id is None or not apps.is_installed("safeboard.learning"):
            return None
        try:
            model = apps.get_model("learning", "CaseReview")
        except LookupError:
            return None
        return model._base_manager.filter(
            pk=self.case_review_id, partnership_id=self.partnership_id
        ).first()


class Factor(Restricted):
    """A contributory factor in one domain, graded 0 to 2."""

    review = models.ForeignKey(PanelReview, on_delete=models.CASCADE, related_name="factors")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    description = models.TextField()
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)

    partnership_filter = _shared("review__death__")

    class Meta:
        ordering = ["domain", "-grade", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__lte=2), name="factor_grade_0_to_2")
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: grade {self.grade}"


class Recommendation(Restricted):
    """A recommendation of the panel. It becomes an action in the one tracker, restricted to
    the register until the panel releases it."""

    review = models.ForeignKey(
        PanelReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    action = models.ForeignKey(
        "planning.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    partnership_filter = _shared("review__death__")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.review.death.reference}: recommendation {self.pk}"

    def get_absolute_url(self) -> str:
        return self.review.death.get_absolute_url()


class NationalFigure(models.Model):
    """England's published percentage for one row of one annual table (NCMD / DfE child
    death review statistics), loaded by `child-deaths national import`."""

    year = models.CharField(max_length=7, help_text="The financial year, for example 2016-17.")
    table = models.CharField(max_length=20)
    row = models.CharField(max_length=80)
    percent = models.DecimalField(max_digits=6, decimal_places=2)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year", "table", "row"]
        constraints = [
            models.UniqueConstraint(fields=["year", "table", "row"], name="national_once")
        ]

    def __str__(self) -> str:
        return f"England {self.year} {self.table} {self.row}: {self.percent}%"
