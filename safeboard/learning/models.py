"""Learning from case reviews: the case record (a serious incident, its notification to the
national Panel, the rapid review and its decision), the local review that may follow (its
reviewer, panel, terms of reference, milestones, the parallel processes that hold
publication), lessons tagged with the partnership's learning themes, recommendations that
become actions in the one tracker, and the dissemination checklist with each agency's
assurance.

Case records belong to the restricted register `case_reviews`: only the case review officer
opens them (through `partnership.registers.RegisterReader`). Other members see what was
published: the pseudonym, the kind of review, when and where it was published, its lessons
and recommendations (`selectors.published_reviews`). Children are named by pseudonym only
(`Child N`), everywhere.

The model's name `learning.CaseReview` is stable: other modules (child deaths) refer to a
case review of the same child by it, without importing this module.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned
from safeboard.partnership.models import Agency, Person

from .apps import CASE_REVIEWS

PSEUDONYM = re.compile(r"^Child [A-Z0-9]{1,4}$")
# The steps of the dissemination checklist: the date each was done (fields of `CaseReview`).
DISSEMINATION_FIELDS = (
    "training_updated_on",
    "procedures_updated_on",
    "website_on",
    "briefing_on",
    "learning_event_on",
)


class Kind(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    PRACTICE = "practice", "Practice or learning review (below the threshold)"
    SCR = "scr", "Serious case review (before 2018)"
    IMR = "imr", "Internal management review"


# Kinds that follow a serious incident notification, and so run the statutory clocks.
NOTIFIABLE = (Kind.RAPID_REVIEW, Kind.LCSPR)


class Harm(models.TextChoices):
    DEATH = "death", "Death"
    SERIOUS_HARM = "serious_harm", "Serious harm"


class AgeBand(models.TextChoices):
    """The age groups of the DfE's serious incident notification statistics."""

    UNDER_1 = "under_1", "Under 1"
    AGE_1_5 = "1_5", "1 to 5"
    AGE_6_10 = "6_10", "6 to 10"
    AGE_11_15 = "11_15", "11 to 15"
    AGE_16_PLUS = "16_plus", "16 and over"
    UNKNOWN = "unknown", "Not known"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    """The DfE's major ethnic groups."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    UNKNOWN = "unknown", "Not known"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Outcome(models.TextChoices):
    """What the rapid review decided."""

    LCSPR = "lcspr", "A local child safeguarding practice review"
    NO_LCSPR = "no_lcspr", "No local review"
    NATIONAL = "national", "The national Panel to review"


class CaseReview(PartnershipOwned):
    """One case: the incident, its notification, the rapid review and its decision, and the
    review that followed, up to its publication and dissemination."""

    reference = models.CharField(max_length=30, help_text="The partnership’s own: CR-2026-01.")
    child = models.CharField(
        "pseudonym", max_length=20, help_text="Child N: never the child’s name or initials."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RAPID_REVIEW)
    # The incident, with the fields the DfE's notification statistics break down by.
    incident_date = models.DateField(null=True, blank=True)
    incident_known = models.DateField(
        "incident known", null=True, blank=True, help_text="When the local authority knew of it."
    )
    harm = models.CharField(
        "death or serious harm", max_length=20, choices=Harm.choices, blank=True
    )
    age_band = models.CharField("age group", max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    looked_after = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    child_protection_plan = models.CharField(
        "on a child protection plan", max_length=10, choices=YesNo.choices, blank=True
    )
    known_to = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="known to agencies"
    )
    # The notification to the national Panel.
    notified_on = models.DateField("notified", null=True, blank=True)
    notification_reference = models.CharField(max_length=40, blank=True)
    # The rapid review and its decision.
    rapid_review_on = models.DateField("rapid review held", null=True, blank=True)
    agencies_present = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name="agencies at the rapid review"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    no_lcspr_reason = models.TextField("why no local review", blank=True)
    decided_on = models.DateField("decided", null=True, blank=True)
    panel_response_on = models.DateField("Panel responded", null=True, blank=True)
    panel_response = models.TextField("the Panel’s response", blank=True)
    # The local review.
    reviewer = models.CharField("lead reviewer", max_length=200, blank=True)
    terms_of_reference = models.TextField(blank=True)
    scope_from = models.DateField("scope period from", null=True, blank=True)
    scope_to = models.DateField("scope period to", null=True, blank=True)
    family_involvement = models.TextField(blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    draft_on = models.DateField("draft report", null=True, blank=True)
    final_on = models.DateField("final report", null=True, blank=True)
    # Publication.
    published_on = models.DateField("published", null=True, blank=True)
    published_url = models.URLField("published at", max_length=300, blank=True)
    in_national_repository = models.BooleanField(
        "in the national case review repository", default=False
    )
    # Dissemination checklist.
    training_updated_on = models.DateField("training updated", null=True, blank=True)
    procedures_updated_on = models.DateField("procedures updated", null=True, blank=True)
    website_on = models.DateField("on the website", null=True, blank=True)
    briefing_on = models.DateField("briefing issued", null=True, blank=True)
    learning_event_on = models.DateField("learning event held", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incident_known", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="case_review_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True)
                | Q(incident_known__isnull=True)
                | Q(notified_on__gte=models.F("incident_known")),
                name="case_review_notified_after_known",
            ),
            models.CheckConstraint(
                condition=Q(scope_to__isnull=True)
                | Q(scope_from__isnull=True)
                | Q(scope_to__gte=models.F("scope_from")),
                name="case_review_scope_in_order",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "published_on"], name="case_review_pub")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.child}"

    def get_absolute_url(self) -> str:
        return reverse(
            "learning:review", kwargs={"partnership": self.partnership.slug, "pk": self.pk}
        )

    @property
    def register(self) -> str:
        return CASE_REVIEWS

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def notifiable(self) -> bool:
        """A serious incident notified to the national Panel (its clocks run)."""
        return self.kind in NOTIFIABLE or self.notified_on is not None

    @property
    def stage(self) -> str:
        """Where the case is, for people."""
        if self.published_on:
            return "Published"
        if self.final_on:
            return "Final report, awaiting publication"
        if self.kind == Kind.LCSPR:
            return "Local review under way"
        if self.kind not in NOTIFIABLE:
            return "Review under way"
        if self.outcome:
            return f"Decided: {self.get_outcome_display().lower()}"
        if self.rapid_review_on:
            return "Rapid review held, decision awaited"
        if self.notified_on:
            return "Notified, rapid review due"
        if self.kind in NOTIFIABLE:
            return "Notification due"
        return "Recorded"


def field_label(name: str) -> str:
    """The verbose name of a field of `CaseReview`, for messages."""
    return str(getattr(CaseReview._meta.get_field(name), "verbose_name", name))


class CaseReviewPart(PartnershipOwned):
    """A record that belongs to a case review, and so to its register."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def register(self) -> str:
        return CASE_REVIEWS

    @property
    def sensitivity(self) -> str:
        return Sensitivity.RESTRICTED


class Recategorisation(CaseReviewPart):
    """A change of a review's kind (a serious case review that became a practice review)."""

    review = models.ForeignKey(
        CaseReview, on_delete=models.CASCADE, related_name="recategorisations"
    )
    on = models.DateField()
    from_kind = models.CharField(max_length=20, choices=Kind.choices)
    to_kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        kinds = f"{self.get_from_kind_display()} to {self.get_to_kind_display()}"
        return f"{self.review.reference}: {kinds}"


class PanelMember(CaseReviewPart):
    """A member of a local review's panel, for an agency."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="panel")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.short_name})"


class Milestone(CaseReviewPart):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: date) -> bool:
        return self.done_on is None and self.due < today


class ProcessKind(models.TextChoices):
    CRIMINAL_TRIAL = "criminal_trial", "Criminal trial"
    INQUEST = "inquest", "Inquest"
    POLICE_COMPLAINT = "police_complaint", "Police complaint investigation"
    OTHER = "other", "Other"


class ProcessStatus(models.TextChoices):
    OPEN = "open", "Open: holds publication"
    CONCLUDED = "concluded", "Concluded"


class ParallelProcess(CaseReviewPart):
    """A process running alongside the review (a trial, an inquest): while one is open the
    review cannot be published."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="processes")
    kind = models.CharField(max_length=20, choices=ProcessKind.choices)
    description = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=ProcessStatus.choices, default="open")
    concluded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "parallel processes"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(concluded_on__isnull=False),
                name="parallel_process_concluded_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().split(':')[0].lower()})"


class LearningTheme(PartnershipOwned):
    """A learning theme of the partnership's vocabulary (neglect, voice of the child …)."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="learning_theme_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PublishedPart(CaseReviewPart):
    """A part of a review that is published with it (a lesson, a recommendation): restricted
    until the review is published."""

    class Meta:
        abstract = True

    @property
    def sensitivity(self) -> str:
        return Sensitivity.PUBLIC if self.review.published_on else Sensitivity.RESTRICTED

    @property
    def register(self) -> str:
        return "" if self.review.published_on else CASE_REVIEWS


class Lesson(PublishedPart):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField("lesson")
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="lessons")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(PublishedPart):
    """A recommendation of a review: it becomes an action in the one tracker (source: the
    review), owned by an agency, inheriting the review's register until publication."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("recommendation")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    action = models.OneToOneField(
        "planning.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.review.reference}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url() + f"#recommendation-{self.number}"


class AssuranceRequest(PublishedPart):
    """Assurance sought from an agency that a review's learning changed its practice, and
    its response."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="assurance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="assurance_once_per_agency"),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""),
                name="assurance_response_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Assurance from {self.agency.short_name}"

    @property
    def answered(self) -> bool:
        return self.responded_on is not None
