"""The annual report: its sections, review comments, published versions and document builds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeboard.core.periods import FinancialYear
from safeboard.core.tenancy import PartnershipOwned


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Edition(models.TextChoices):
    BOARD = "board", "Board edition (all figures)"
    PUBLIC = "public", "Public edition (disclosure control)"


class Report(PartnershipOwned):
    year = models.PositiveIntegerField(help_text="Start year of the financial year reported on.")
    title = models.CharField(max_length=200)
    as_at = models.DateField(
        "data as at", help_text="Figures are taken from the records as they stood on this date."
    )
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The version being prepared: 1 for the first edition, 2 for its first correction ...
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="report_one_per_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        return FinancialYear(self.year).label


class ReportSection(PartnershipOwned):
    """A section of a report: generated (its key is a registered section) or narrative."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    text = models.TextField(blank=True, help_text="Markdown. Embed figures as [[key]].")
    required = models.BooleanField(default=False)
    board_only = models.BooleanField(
        "Board edition only",
        default=False,
        help_text="Leave this section out of the public edition: restricted or sensitive "
        "material the board may read and the public may not.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class SectionReview(PartnershipOwned):
    """A reviewer's mark that they have read a section of a report in review. A section
    changed since waits for them again ("waiting for you")."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="section_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.section} reviewed by {self.user}"


class ReviewComment(PartnershipOwned):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        ReportSection, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(
        blank=True, help_text="The writer's answer, given when the comment is resolved."
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportVersion(PartnershipOwned):
    """A published version, frozen: its documents never change when records are corrected."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True, help_text="What changed from the previous version.")
    board_document = models.JSONField()
    public_document = models.JSONField()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"


class BuildFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    HTML = "html", "Accessible HTML"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def build_upload_to(instance: ReportBuild, filename: str) -> str:
    return f"reports/{instance.partnership_id}/{instance.report_id}/{filename}"


class ReportBuild(PartnershipOwned):
    """A PDF, Word or HTML file of a report, built in the background."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="builds")
    version = models.ForeignKey(
        ReportVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="builds",
        help_text="Empty for a draft built from the current records.",
    )
    edition = models.CharField(max_length=10, choices=Edition.choices)
    format = models.CharField(max_length=10, choices=BuildFormat.choices)
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=build_upload_to, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_format_display()}, {self.get_edition_display()})"
