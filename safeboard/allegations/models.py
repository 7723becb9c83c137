"""The LADO service's register: consultations and allegations against people who work with
children, the partnership's own lists of terms, and the quarterly audit of closed cases.

Every contact and audit record is restricted (register `allegations`): only the roles the
register names open them, through `partnership.registers.RegisterReader`. The lists of terms
hold no personal data: every member sees them, in the aggregate tables."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned

REGISTER = "allegations"


class TermList(models.TextChoices):
    EMPLOYER = "employer", "Employer types"
    REFERRER = "referrer", "Referring agencies"
    CATEGORY = "category", "Categories of harm"
    OUTCOME = "outcome", "Outcomes"


class OutcomeKind(models.TextChoices):
    DEFINITION = "definition", "National definition"
    ACTION = "action", "Action taken"
    OTHER = "other", "Other"


class Term(PartnershipOwned):
    """One term of one of the partnership's lists, in its place in the list. A retired term is
    offered for no new record; records that have it keep it, and the tables of years before it
    was retired (or of any year a record has it) still show it. A term added after a year's
    end is not in that year's tables unless a record of the year has it."""

    list = models.CharField(max_length=20, choices=TermList.choices)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    outcome_kind = models.CharField(
        max_length=20, choices=OutcomeKind.choices, blank=True, help_text="Outcomes only."
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="From this day the term is offered for no new record."
    )
    added_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The day the term was added to the list (none: a default term, or one added "
        "before this was recorded). A year that ended before it shows it only if a record of "
        "the year has it.",
    )

    class Meta:
        ordering = ["list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "list", "name"], name="allegations_term_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def retired_by(self, day: date) -> bool:
        return self.retired_on is not None and self.retired_on <= day


class Kind(models.TextChoices):
    ALLEGATION = "allegation", "Allegation (meets the harm threshold)"
    CONSULTATION = "consultation", "Consultation or low-level concern (advice given)"


# The four ways an allegation meets the harm threshold.
CRITERIA = {
    "harmed_child": "Behaved in a way that has harmed a child, or may have harmed a child",
    "offence": "Possibly committed a criminal offence against or related to a child",
    "risk_of_harm": "Behaved towards a child or children in a way that indicates they may pose "
    "a risk of harm to children",
    "unsuitable": "Behaved or may have behaved in a way that indicates they may not be suitable "
    "to work with children (including outside work)",
}


def matching_key(text: str) -> str:
    """A name as compared for repeats: lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


class Allegation(PartnershipOwned):
    """A contact with the LADO service: an allegation that meets the harm threshold or a
    consultation (advice given, below the threshold). The two are counted apart: only
    allegations are in the annual tables."""

    register = REGISTER

    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALLEGATION)
    received = models.DateField("Date received by the LADO")
    known = models.DateField(
        "Date the referrer knew", null=True, blank=True, help_text="Starts the referral clock."
    )
    referrer = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": TermList.REFERRER},
        verbose_name="Referring agency",
    )
    # The adult.
    adult_name = models.CharField("Adult's name", max_length=200, blank=True)
    adult_role = models.CharField("Adult's role", max_length=200, blank=True)
    employer_name = models.CharField("Employer or setting", max_length=200, blank=True)
    employer_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": TermList.EMPLOYER},
        verbose_name="Employer type",
    )
    regulated_setting = models.BooleanField("In a regulated setting", default=False)
    children = models.TextField(
        "The child or children", blank=True, help_text="Names, ages, one a line."
    )
    category = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": TermList.CATEGORY},
        verbose_name="Category of harm",
    )
    restraint = models.BooleanField("Followed the use of restraint", default=False)
    # The harm threshold (allegations): at least one of the four.
    harmed_child = models.BooleanField(CRITERIA["harmed_child"], default=False)
    offence = models.BooleanField(CRITERIA["offence"], default=False)
    risk_of_harm = models.BooleanField(CRITERIA["risk_of_harm"], default=False)
    unsuitable = models.BooleanField(CRITERIA["unsuitable"], default=False)
    advice = models.TextField("Advice given", blank=True)
    # The strands of the enquiry.
    police_started = models.DateField("Police strand started", null=True, blank=True)
    police_ended = models.DateField("Police strand ended", null=True, blank=True)
    childrens_services_started = models.DateField(
        "Children's services strand started", null=True, blank=True
    )
    childrens_services_ended = models.DateField(
        "Children's services strand ended", null=True, blank=True
    )
    employer_started = models.DateField("Employer strand started", null=True, blank=True)
    employer_ended = models.DateField("Employer strand ended", null=True, blank=True)
    outcomes = models.ManyToManyField(
        Term, blank=True, related_name="allegations", limit_choices_to={"list": TermList.OUTCOME}
    )
    concluded = models.DateField("Date concluded", null=True, blank=True)
    feedback_sent = models.DateField("Feedback form sent", null=True, blank=True)
    feedback_returned = models.DateField("Feedback form returned", null=True, blank=True)
    notes = models.TextField(blank=True)
    # Repeats, flagged when the record is saved: an earlier contact about the same adult or
    # the same setting.
    repeat_subject = models.BooleanField(default=False)
    repeat_setting = models.BooleanField(default=False)
    adult_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    setting_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-received", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="allegations_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(concluded__isnull=True) | Q(concluded__gte=models.F("received")),
                name="allegations_concluded_after_received",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "kind", "received"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display().split(' (')[0].lower()})"

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED

    @property
    def is_allegation(self) -> bool:
        return self.kind == Kind.ALLEGATION

    @property
    def criteria(self) -> list[str]:
        return [label for name, label in CRITERIA.items() if getattr(self, name)]

    def get_absolute_url(self) -> str:
        return reverse("allegations:detail", args=[self.partnership.slug, self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.adult_key = matching_key(self.adult_name)
        self.setting_key = matching_key(self.employer_name)
        super().save(*args, **kwargs)


class Rating(models.TextChoices):
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class AuditSample(PartnershipOwned):
    """A quarter's random sample of closed cases (allegations concluded in the quarter), for
    the service's audit; each case's findings are recorded on its item."""

    register = REGISTER

    quarter = models.CharField(max_length=20, help_text="e.g. 2016-17 Q1")
    drawn_on = models.DateField()
    drawn_by = models.CharField(max_length=200, blank=True)
    seed = models.BigIntegerField(help_text="Draws the same sample again from the same cases.")
    size = models.PositiveIntegerField()
    summary = models.TextField("What the audit found", blank=True)

    class Meta:
        ordering = ["-drawn_on", "-pk"]

    def __str__(self) -> str:
        return f"Audit sample {self.quarter}"

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED

    def get_absolute_url(self) -> str:
        return reverse("allegations:sample", args=[self.partnership.slug, self.pk])


class AuditItem(PartnershipOwned):
    register = REGISTER

    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="items")
    allegation = models.ForeignKey(Allegation, on_delete=models.PROTECT, related_name="audits")
    rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    findings = models.TextField(blank=True)
    audited_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "allegation__reference"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "allegation"], name="allegations_audit_once")
        ]

    def __str__(self) -> str:
        return f"{self.sample}: {self.allegation.reference}"

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED
