"""The annual report's pages: list, create, arrange and write sections, preview, checks,
review, approval, publication, corrected editions and file builds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeboard.core.errors import ServiceError
from safeboard.core.forms import errors_text
from safeboard.core.http import is_htmx
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.reporting import registry
from safeboard.reporting.document import Document, Section

from . import checks, narrative, services
from . import render as output
from .forms import AddSectionForm, BuildForm, CommentForm, PublishForm, ReportForm, SectionTextForm
from .models import BuildStatus, Edition, Report, ReportBuild, ReportSection, ReportStatus

VIEW, EDIT, COMMENT = "reports.view", "reports.edit", "reports.comment"


def _url(name: str, request: PartnershipRequest, **kwargs: object) -> str:
    return reverse(f"reports:{name}", kwargs={"partnership": request.partnership.slug, **kwargs})


def _can(request: PartnershipRequest, perm: str) -> bool:
    return request.user.has_perm(perm, request.partnership)


def _require(request: PartnershipRequest, perm: str) -> None:
    if not _can(request, perm):
        raise PermissionDenied


def _edition(request: PartnershipRequest) -> str:
    edition = request.GET.get("edition", Edition.BOARD)
    return edition if edition in Edition.values else Edition.BOARD


@partnership_view(perm=VIEW)
def report_list(request: PartnershipRequest) -> HttpResponse:
    can_edit = _can(request, EDIT)
    return render(
        request,
        "reports/list.html",
        {
            "reports": Report.objects.all(),
            "can_edit": can_edit,
            "form": ReportForm() if can_edit else None,
        },
    )


@require_POST
@partnership_view(perm=EDIT)
def report_create(request: PartnershipRequest) -> HttpResponse:
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.create_report(
                partnership=request.partnership,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                as_at=form.cleaned_data["as_at"],
                by=request.user,
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"‘{report.title}’ has been created from the template.")
            return redirect(_url("detail", request, pk=report.pk))
    else:
        messages.error(request, errors_text(form))
    return redirect(_url("list", request))


def _generated(spec: registry.SectionSpec | None) -> bool:
    return spec is not None and spec.builder is not None


def _report(pk: int) -> Report:
    return get_object_or_404(Report, pk=pk)


@partnership_view(perm=VIEW)
def report_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    services.prepare_charts_later(report)
    rows = list(report.sections.order_by("position", "pk"))
    board, found = services.problems(report)
    by_section: dict[str, int] = {}
    for problem in found:
        if problem.severity != "note":  # a note says what a check did: not a problem
            by_section[problem.section] = by_section.get(problem.section, 0) + 1
    specs = {row.key: registry.get_section(row.key) for row in rows}
    reviewing = _can(request, COMMENT) and report.status == ReportStatus.IN_REVIEW
    to_review = (
        set(services.sections_to_review(report, request.user).values_list("pk", flat=True))
        if reviewing
        else set()
    )
    sections = [
        {
            "row": row,
            "generated": _generated(specs[row.key]),
            "problems": by_section.get(row.key, 0),
            "to_review": row.pk in to_review,
        }
        for row in rows
    ]
    comments = report.comments.select_related("author", "section", "resolved_by")
    # ?comments=open: the comments still to answer ("waiting for you" links here).
    open_only = request.GET.get("comments") == "open"
    if open_only:
        comments = comments.filter(resolved_at__isnull=True)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "sections": sections,
            "reviewing": reviewing,
            "errors": checks.blocking(found),
            "warnings": [p for p in found if p.severity == "warning"],
            "figures": len(board.figures),
            "can_edit": _can(request, EDIT)
            and report.status in (ReportStatus.DRAFT, ReportStatus.IN_REVIEW),
            "can_comment": _can(request, COMMENT) and report.status == ReportStatus.IN_REVIEW,
            "can_submit": _can(request, EDIT) and report.status == ReportStatus.DRAFT,
            "can_reopen": _can(request, EDIT)
            and report.status in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED),
            "can_approve": _can(request, "reports.approve")
            and report.status == ReportStatus.IN_REVIEW,
            "can_publish": _can(request, "reports.publish")
            and report.status == ReportStatus.APPROVED,
            "can_correct": _can(request, "reports.publish")
            and report.status == ReportStatus.PUBLISHED,
            "add_form": AddSectionForm(present={r.key for r in rows}),
            "comment_form": CommentForm(sections=rows),
            "publish_form": PublishForm(),
            "build_form": BuildForm(),
            "comments": comments,
            "open_only": open_only,
            "versions": report.versions.all(),
            "builds": report.builds.select_related("version")[:8],
        },
    )


@partnership_view(perm=VIEW)
def preview(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    edition = _edition(request)
    doc = services.document(report, edition)
    return render(
        request,
        "reports/preview.html",
        {
            "report": report,
            "doc": doc,
            "edition": edition,
            "body": output.html_fragment(doc),
            "published": None,
        },
    )


@partnership_view(perm=VIEW)
def check(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    _, found = services.problems(report)
    rows = {r.key: r for r in report.sections.all()}
    items = []
    for problem in found:
        row = rows.get(problem.section)
        fix = None
        if row is not None:
            spec = registry.get_section(row.key)
            fix = (
                _url("section-edit", request, pk=report.pk, section_pk=row.pk)
                if spec is None or spec.builder is None
                else _url("preview", request, pk=report.pk) + "#" + Section(row.key, "").anchor
            )
        items.append({"problem": problem, "section": row, "fix": fix})
    return render(
        request,
        "reports/checks.html",
        {"report": report, "items": items, "errors": checks.blocking(found)},
    )


@partnership_view(perm=VIEW)
def section_edit(request: PartnershipRequest, pk: int, section_pk: int) -> HttpResponse:
    report = _report(pk)
    section = get_object_or_404(ReportSection, pk=section_pk, report=report)
    spec = registry.get_section(section.key)
    if spec is not None and spec.builder is not None:
        raise Http404("Generated sections are not written by hand")
    editable = _can(request, EDIT) and report.status in (ReportStatus.DRAFT, ReportStatus.IN_REVIEW)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = SectionTextForm(request.POST, instance=section)
        if form.is_valid():
            services.save_text(
                section,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                board_only=form.cleaned_data["board_only"],
            )
            messages.success(request, f"‘{section.title}’ has been saved.")
            return redirect(_url("detail", request, pk=report.pk))
    else:
        form = SectionTextForm(instance=section)
    return render(
        request,
        "reports/section_edit.html",
        {
            "report": report,
            "section": section,
            "form": form,
            "editable": editable,
            "hint": spec.hint if spec else "",
            "catalogue": registry.figure_catalogue(),
            "preview": _preview_fragment(report, section.title, section.text),
        },
    )


def _preview_fragment(report: Report, title: str, text: str) -> dict[str, object]:
    """The section as it will read, with its figures filled in, and the problems in it."""
    from safeboard.core.periods import FinancialYear
    from safeboard.reporting.context import ReportContext

    from .build import _narrative

    ctx = ReportContext(
        partnership=report.partnership, year=FinancialYear(report.year), as_at=report.as_at
    )
    doc = Document(
        title=report.title,
        partnership=report.partnership.name,
        year=ctx.year.label,
        edition="board",
        as_at=str(report.as_at),
    )
    section = Section(key="preview", title=title, narrative=True)
    _narrative(ctx, doc, section, text, required=False)
    doc.sections.append(section)
    found = checks.run(doc)
    html = output.HtmlRenderer(doc).section(1, section)["html"]
    return {
        "html": html,
        "problems": found,
        "figures": list(doc.figures.values()),
        "typed": narrative.typed_numbers(text),
    }


@require_POST
@partnership_view(perm=VIEW)
def section_preview(request: PartnershipRequest, pk: int, section_pk: int) -> HttpResponse:
    report = _report(pk)
    section = get_object_or_404(ReportSection, pk=section_pk, report=report)
    text = request.POST.get("text", "")
    return render(
        request,
        "reports/_section_preview.html",
        {"preview": _preview_fragment(report, request.POST.get("title", section.title), text)},
    )


@require_POST
@partnership_view(perm=EDIT)
def section_move(request: PartnershipRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(ReportSection, pk=section_pk, report_id=pk)
    try:
        services.move_section(section, -1 if request.POST.get("direction") == "up" else 1)
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(_url("detail", request, pk=pk) + "#sections")


@require_POST
@partnership_view(perm=COMMENT)
def section_reviewed(request: PartnershipRequest, pk: int, section_pk: int) -> HttpResponse:
    """A reviewer marks a section as read ("waiting for you" counts the others)."""
    section = get_object_or_404(ReportSection, pk=section_pk, report_id=pk)
    try:
        services.mark_reviewed(section, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"‘{section.title}’ is marked as reviewed by you.")
    return redirect(_url("detail", request, pk=pk) + "#sections")


@require_POST
@partnership_view(perm=EDIT)
def section_toggle(request: PartnershipRequest, pk: int, section_pk: int) -> HttpResponse:
    section = get_object_or_404(ReportSection, pk=section_pk, report_id=pk)
    try:
        services.set_hidden(section, not section.hidden)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"‘{section.title}’ is now {'hidden' if section.hidden else 'shown'}."
        )
    return redirect(_url("detail", request, pk=pk) + "#sections")


@require_POST
@partnership_view(perm=EDIT)
def section_add(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    form = AddSectionForm(request.POST, present=set(report.sections.values_list("key", flat=True)))
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(_url("detail", request, pk=pk) + "#sections")
    try:
        section = services.add_section(
            report, title=form.cleaned_data["title"].strip(), key=form.cleaned_data["key"] or None
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(_url("detail", request, pk=pk) + "#sections")
    messages.success(request, f"‘{section.title}’ has been added at the end.")
    spec = registry.get_section(section.key)
    if spec is None:
        return redirect(_url("section-edit", request, pk=pk, section_pk=section.pk))
    return redirect(_url("detail", request, pk=pk) + "#sections")


def _workflow(request: PartnershipRequest, pk: int, perm: str, action: str) -> HttpResponse:
    _require(request, perm)
    report = _report(pk)
    try:
        if action == "submit":
            services.submit_for_review(report)
            messages.success(request, "The report has been sent for review.")
        elif action == "reopen":
            services.back_to_draft(report)
            messages.success(request, "The report is a draft again.")
        elif action == "approve":
            services.approve(report, by=request.user)
            messages.success(request, "The report has been approved.")
        elif action == "correct":
            services.start_correction(report)
            messages.success(
                request,
                f"Version {report.version} has been started as a draft, "
                "with the records as they are today.",
            )
        elif action == "publish":
            form = PublishForm(request.POST)
            form.is_valid()
            version = services.publish(
                report, by=request.user, note=form.cleaned_data.get("note", "")
            )
            messages.success(request, f"Version {version.number} has been published.")
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(_url("detail", request, pk=pk))


@require_POST
@partnership_view(perm=VIEW)
def submit(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, EDIT, "submit")


@require_POST
@partnership_view(perm=VIEW)
def reopen(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, EDIT, "reopen")


@require_POST
@partnership_view(perm=VIEW)
def approve(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "reports.approve", "approve")


@require_POST
@partnership_view(perm=VIEW)
def publish(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "reports.publish", "publish")


@require_POST
@partnership_view(perm=VIEW)
def correct(request: PartnershipRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "reports.publish", "correct")


@require_POST
@partnership_view(perm=COMMENT)
def comment_add(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    form = CommentForm(request.POST, sections=list(report.sections.all()))
    if form.is_valid():
        section = (
            report.sections.filter(pk=form.cleaned_data["section"]).first()
            if form.cleaned_data["section"]
            else None
        )
        try:
            services.comment(
                report, author=request.user, text=form.cleaned_data["text"], section=section
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your comment has been added.")
    else:
        messages.error(request, errors_text(form))
    return redirect(_url("detail", request, pk=pk) + "#comments")


@require_POST
@partnership_view(perm=EDIT)
def comment_resolve(request: PartnershipRequest, pk: int, comment_pk: int) -> HttpResponse:
    report = _report(pk)
    found = get_object_or_404(report.comments.all(), pk=comment_pk)
    try:
        services.resolve_comment(found, by=request.user, reply=request.POST.get("reply", ""))
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(_url("detail", request, pk=pk) + f"#comment-{found.pk}")
    messages.success(request, "The comment has been resolved with your reply.")
    return redirect(_url("detail", request, pk=pk) + "#comments")


@require_POST
@partnership_view(perm=VIEW)
def build_start(request: PartnershipRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    form = BuildForm(request.POST)
    version = None
    if request.POST.get("version"):
        version = get_object_or_404(report.versions.all(), number=request.POST["version"])
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(_url("detail", request, pk=pk))
    build = services.request_build(
        report,
        fmt=form.cleaned_data["format"],
        edition=form.cleaned_data["edition"],
        by=request.user,
        version=version,
    )
    if is_htmx(request):
        return render(request, "reports/_build.html", {"build": build, "report": report})
    return redirect(_url("detail", request, pk=pk) + "#builds")


@partnership_view(perm=VIEW)
def build_status(request: PartnershipRequest, pk: int, build_pk: int) -> HttpResponse:
    build = get_object_or_404(
        ReportBuild.objects.select_related("version"), pk=build_pk, report_id=pk
    )
    response = render(request, "reports/_build.html", {"build": build, "report": build.report})
    if build.status in (BuildStatus.DONE, BuildStatus.FAILED):
        response["HX-Trigger"] = "build-finished"
    return response


@partnership_view(perm=VIEW)
def build_download(request: PartnershipRequest, pk: int, build_pk: int) -> FileResponse:
    build = get_object_or_404(ReportBuild, pk=build_pk, report_id=pk, status=BuildStatus.DONE)
    if not build.file:
        raise Http404("The file is missing")
    content_types = {
        "pdf": "application/pdf",
        "html": "text/html; charset=utf-8",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    return FileResponse(
        build.file.open("rb"),
        as_attachment=True,
        filename=build.file.name.rsplit("/", 1)[-1],
        content_type=content_types[build.format],
    )


@partnership_view(perm=VIEW)
def version_view(request: PartnershipRequest, pk: int, number: int) -> HttpResponse:
    report = _report(pk)
    version = get_object_or_404(report.versions.all(), number=number)
    edition = _edition(request)
    doc = services.stored_document(version, edition)
    return render(
        request,
        "reports/preview.html",
        {
            "report": report,
            "doc": doc,
            "edition": edition,
            "published": version,
            "body": output.html_fragment(doc),
        },
    )
