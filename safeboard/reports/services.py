"""Operations on reports: create from the template, arrange sections, write, review, approve,
publish (freezing the documents) and correct; and building files in the background."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from safeboard.core.errors import ServiceError
from safeboard.core.periods import FinancialYear
from safeboard.partnership import eras
from safeboard.partnership.models import Person, Role
from safeboard.partnership.notifications import notify, notify_all, people_with
from safeboard.reporting import registry
from safeboard.reporting.document import Document

from . import checks, disclosure
from .build import build_document
from .models import (
    BuildFormat,
    BuildStatus,
    Edition,
    Report,
    ReportBuild,
    ReportSection,
    ReportStatus,
    ReportVersion,
    ReviewComment,
    SectionReview,
)


def document(report: Report, edition: str = Edition.BOARD) -> Document:
    """The report's document as it stands, in `edition` (the public one with disclosure
    control applied)."""
    doc = build_document(report, edition)
    if edition == Edition.PUBLIC:
        disclosure.apply(doc)
    return doc


@transaction.atomic
def create_report(
    *, partnership: Any, year: int, title: str = "", as_at: date | None = None, by: Any = None
) -> Report:
    if Report.objects.filter(partnership=partnership, year=year).exists():
        raise ServiceError(f"There is already a report for {FinancialYear(year).label}")
    fy = FinancialYear(year)
    report = Report(
        partnership=partnership,
        year=year,
        title=title or f"{partnership.name}: annual report {fy.label}",
        as_at=as_at or _default_as_at(fy.end),
        created_by=by,
    )
    report.full_clean()
    report.save()
    for position, spec in enumerate((s for s in registry.sections() if s.in_template), start=1):
        ReportSection.objects.create(
            partnership=partnership,
            report=report,
            key=spec.key,
            title=spec.title,
            position=position * 10,
            required=spec.required,
            text=eras.fill(spec.default_text, eras.era_on(partnership, fy.end)),
        )
    return report


def _default_as_at(year_end: date) -> date:
    """Three months after the year ends (late returns are in), or today if sooner."""
    target = date(year_end.year, 6, 30)
    return min(target, date.today())


def _editable(report: Report) -> None:
    if report.status not in (ReportStatus.DRAFT, ReportStatus.IN_REVIEW):
        raise ServiceError("The report is approved: start a corrected edition to change it")


@transaction.atomic
def move_section(section: ReportSection, direction: int) -> None:
    _editable(section.report)
    siblings = list(section.report.sections.order_by("position", "pk"))
    index = siblings.index(section)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings, start=1):
        if row.position != position * 10:
            row.position = position * 10
            row.save(update_fields=["position"])


@transaction.atomic
def set_hidden(section: ReportSection, hidden: bool) -> None:
    _editable(section.report)
    section.hidden = hidden
    section.save(update_fields=["hidden"])


@transaction.atomic
def add_section(
    report: Report, *, title: str, key: str | None = None, after: ReportSection | None = None
) -> ReportSection:
    """Add a narrative section (or, with `key`, a registered section not in the report)."""
    _editable(report)
    if key:
        spec = registry.get_section(key)
        if spec is None:
            raise ServiceError(f"There is no section ‘{key}’")
        if report.sections.filter(key=key).exists():
            raise ServiceError(f"The report already has the section ‘{spec.title}’")
        title = title or spec.title
    else:
        key = f"custom.{(report.sections.count() + 1)}"
        while report.sections.filter(key=key).exists():
            key += "x"
    position = (
        (after.position + 5)
        if after
        else (report.sections.aggregate(m=Max("position"))["m"] or 0) + 10
    )
    section = ReportSection.objects.create(
        partnership=report.partnership,
        report=report,
        key=key,
        title=title,
        position=position,
        required=False,
    )
    move_section(section, 0)
    return section


@transaction.atomic
def save_text(
    section: ReportSection, *, title: str, text: str, board_only: bool | None = None
) -> ReportSection:
    _editable(section.report)
    section.title = title
    section.text = text
    if board_only is not None:
        section.board_only = board_only
    section.save(update_fields=["title", "text", "board_only", "updated_at"])
    return section


@transaction.atomic
def submit_for_review(report: Report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ServiceError("Only a draft can be sent for review")
    report.status = ReportStatus.IN_REVIEW
    report.save(update_fields=["status"])
    notify_all(
        [*people_with(Role.CHAIR), *people_with(Role.BOARD_MEMBER)],
        "report.in_review",
        text=f"{report.title} is in review: its sections wait for your comments",
        url=_report_url(report, "#sections"),
    )


def _report_url(report: Report, tail: str = "") -> str:
    return (
        reverse("reports:detail", kwargs={"partnership": report.partnership.slug, "pk": report.pk})
        + tail
    )


def _person(user: Any) -> Person | None:
    return Person.objects.filter(user=user).select_related("user", "partnership").first()


@transaction.atomic
def back_to_draft(report: Report) -> None:
    if report.status not in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED):
        raise ServiceError("The report is not in review or approved")
    report.status = ReportStatus.DRAFT
    report.approved_by, report.approved_at = None, None
    report.save(update_fields=["status", "approved_by", "approved_at"])


@transaction.atomic
def comment(
    report: Report, *, author: Any, text: str, section: ReportSection | None = None
) -> ReviewComment:
    if report.status != ReportStatus.IN_REVIEW:
        raise ServiceError("Comments are taken while the report is in review")
    if not text.strip():
        raise ServiceError("Write a comment")
    found = ReviewComment.objects.create(
        partnership=report.partnership,
        report=report,
        section=section,
        author=author,
        text=text.strip(),
    )
    writers = [
        p
        for p in [*people_with(Role.BUSINESS_UNIT_ADMIN), *people_with(Role.ANALYST)]
        if p.user_id != getattr(author, "pk", None)
    ]
    notify_all(
        writers,
        "report.comment",
        text=f"{author} commented on {report.title}"
        + (f" (‘{section.title}’)" if section is not None else "")
        + ": the comment waits for your reply",
        url=_report_url(report, "?comments=open#comments"),
    )
    return found


@transaction.atomic
def mark_reviewed(section: ReportSection, *, by: Any) -> SectionReview:
    """A reviewer has read the section as it stands."""
    if section.report.status != ReportStatus.IN_REVIEW:
        raise ServiceError("Sections are reviewed while the report is in review")
    review, _ = SectionReview.objects.update_or_create(
        section=section,
        user=by,
        defaults={"partnership": section.partnership, "reviewed_at": timezone.now()},
    )
    return review


def sections_to_review(report: Report, user: Any) -> Any:
    """The report's shown sections the user has not reviewed as they stand."""
    reviewed = SectionReview.objects.filter(
        section=OuterRef("pk"), user=user, reviewed_at__gte=OuterRef("updated_at")
    )
    return report.sections.filter(hidden=False).exclude(Exists(reviewed))


@transaction.atomic
def resolve_comment(comment_: ReviewComment, *, by: Any, reply: str) -> None:
    """Resolve a reviewer's comment with the writer's answer: what was done, or why not. A
    comment is never closed without one."""
    if comment_.resolved_at is not None:
        raise ServiceError("The comment is already resolved")
    if not reply.strip():
        raise ServiceError("Say what was done about the comment (or why nothing was)")
    comment_.resolved_at = timezone.now()
    comment_.resolved_by = by
    comment_.reply = reply.strip()
    comment_.save(update_fields=["resolved_at", "resolved_by", "reply"])
    if comment_.author is not None and comment_.author != by:
        notify(
            _person(comment_.author),
            "report.comment_answered",
            text=f"{by} answered your comment on {comment_.report.title}",
            url=_report_url(comment_.report, f"#comment-{comment_.pk}"),
        )


def problems(report: Report) -> tuple[Document, list[checks.Problem]]:
    """The board edition and every problem the checks find (public edition included)."""
    board = document(report, Edition.BOARD)
    public = document(report, Edition.PUBLIC)
    found = list(board.problems)
    seen = {(p.section, p.message) for p in found}
    for problem in public.problems:
        if (problem.section, problem.message) not in seen:
            found.append(problem)
    return board, found


@transaction.atomic
def approve(report: Report, *, by: Any) -> None:
    if report.status != ReportStatus.IN_REVIEW:
        raise ServiceError("The report must be in review before it is approved")
    _, found = problems(report)
    errors = checks.blocking(found)
    if errors:
        raise ServiceError(
            f"The report cannot be approved: {len(errors)} problem"
            f"{'s' if len(errors) != 1 else ''} to resolve first (see the checks)"
        )
    if report.comments.filter(resolved_at__isnull=True).exists():
        raise ServiceError("Resolve the reviewers’ comments before approving")
    report.status = ReportStatus.APPROVED
    report.approved_by, report.approved_at = by, timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at"])


@transaction.atomic
def publish(report: Report, *, by: Any, note: str = "") -> ReportVersion:
    """Freeze both editions as they stand: later corrections to the records never change a
    published version."""
    if report.status != ReportStatus.APPROVED:
        raise ServiceError("Only an approved report can be published")
    if report.version > 1 and not note.strip():
        raise ServiceError("Say what changed from the previous version")
    board = document(report, Edition.BOARD)
    public = document(report, Edition.PUBLIC)
    if report.version > 1:  # the corrected edition itself says what changed
        board.correction = public.correction = note.strip()
    if checks.blocking(board.problems) or checks.blocking(public.problems):
        raise ServiceError(
            "The records changed since approval and the checks now fail: "
            "send the report back to draft"
        )
    version = ReportVersion.objects.create(
        partnership=report.partnership,
        report=report,
        number=report.version,
        published_by=by,
        note=note.strip() or "First edition.",
        board_document=board.to_json(),
        public_document=public.to_json(),
    )
    report.status = ReportStatus.PUBLISHED
    report.save(update_fields=["status"])
    return version


@transaction.atomic
def start_correction(report: Report) -> None:
    """Begin a corrected edition: a new version, drafted from the records as they are now."""
    if report.status != ReportStatus.PUBLISHED:
        raise ServiceError("Only a published report can be corrected")
    report.version += 1
    report.status = ReportStatus.DRAFT
    report.as_at = date.today()
    report.approved_by, report.approved_at = None, None
    report.save(update_fields=["version", "status", "as_at", "approved_by", "approved_at"])


def stored_document(version: ReportVersion, edition: str) -> Document:
    data = version.public_document if edition == Edition.PUBLIC else version.board_document
    return Document.from_json(data)


@transaction.atomic
def request_build(
    report: Report, *, fmt: str, edition: str, by: Any, version: ReportVersion | None = None
) -> ReportBuild:
    """Queue a build of the report as a PDF, Word or HTML file (run by the task worker)."""
    from .tasks import build_report_file

    if fmt not in BuildFormat.values or edition not in Edition.values:
        raise ServiceError("Choose a format and an edition")
    build = ReportBuild.objects.create(
        partnership=report.partnership,
        report=report,
        version=version,
        edition=edition,
        format=fmt,
        requested_by=by,
        stage="Waiting for the builder",
    )
    transaction.on_commit(lambda: build_report_file.enqueue(build.pk))
    return build


def prepare_charts_later(report: Report) -> None:
    """Queue the conversion of the report's charts for print, at most once every ten minutes
    per report: whoever opens the report page has them ready before asking for a file."""
    from django.core.cache import cache

    from .tasks import prepare_report_charts

    if cache.add(f"report-charts-{report.pk}", True, timeout=600):
        transaction.on_commit(lambda: prepare_report_charts.enqueue(report.pk))


def run_build(build: ReportBuild) -> ReportBuild:
    """Build the file for `build`, recording progress as it goes."""
    from . import render

    started = time.perf_counter()

    def progress(percent: int, stage: str) -> None:
        ReportBuild.objects.filter(pk=build.pk).update(
            progress=percent, stage=stage, status=BuildStatus.RUNNING
        )

    try:
        progress(2, "Collecting the figures")
        doc = (
            stored_document(build.version, build.edition)
            if build.version
            else document(build.report, build.edition)
        )
        if build.format == BuildFormat.PDF:
            content = render.pdf(doc, progress)
        elif build.format == BuildFormat.DOCX:
            content = render.docx(doc, progress)
        else:
            content = render.standalone_html(doc, progress).encode()
        name = render.file_name(doc, build.format)
        build.file.save(name, ContentFile(content), save=False)
        build.status, build.progress, build.stage = BuildStatus.DONE, 100, "Ready"
    except Exception as exc:
        build.status, build.stage, build.error = BuildStatus.FAILED, "Failed", str(exc)
        raise
    finally:
        build.seconds = time.perf_counter() - started
        build.save()
    return build
