from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeboard.core.navigation import Waiting, register_nav, register_panel, register_waiting


def _panel(request: Any) -> dict[str, Any] | None:
    from .models import Report, ReportStatus

    report = Report.objects.order_by("-year").first()
    if report is None:
        return None
    return {"report": report, "published": report.status == ReportStatus.PUBLISHED}


def _waiting(request: Any) -> list[Waiting]:
    """The annual report's part of "waiting for you": a report in review has its sections to
    review (reviewers) and to approve (the chair); its unanswered comments wait for the writers
    (the business unit and analysts), who reply to resolve each."""
    from .models import Report, ReportStatus, ReviewComment

    found = []
    partnership = request.partnership
    for report in Report.objects.filter(status=ReportStatus.IN_REVIEW):
        url = reverse("reports:detail", kwargs={"partnership": partnership.slug, "pk": report.pk})
        if request.user.has_perm("reports.comment", partnership):
            from .services import sections_to_review

            sections = sections_to_review(report, request.user).count()
            found.append(
                Waiting(
                    f"Sections of {report.title} to review",
                    sections,
                    url + "#sections",
                    one=f"Section of {report.title} to review",
                )
            )
        if request.user.has_perm("reports.approve", partnership):
            found.append(
                Waiting(
                    f"{report.title} to approve",
                    1,
                    url + "#approve",
                    one=f"{report.title} to approve",
                )
            )
    if request.user.has_perm("reports.edit", partnership):
        open_comments = ReviewComment.objects.filter(
            resolved_at__isnull=True, report__status=ReportStatus.IN_REVIEW
        )
        for report in Report.objects.filter(status=ReportStatus.IN_REVIEW):
            count = open_comments.filter(report=report).count()
            url = reverse(
                "reports:detail", kwargs={"partnership": partnership.slug, "pk": report.pk}
            )
            found.append(
                Waiting(
                    f"Review comments on {report.title} to answer",
                    count,
                    url + "?comments=open#comments",
                    one=f"Review comment on {report.title} to answer",
                )
            )
    return found


def register() -> None:
    register_nav("Annual report", "reports:list", perm="reports.view", order=80)
    register_panel("reports/panel.html", _panel, perm="reports.view", order=70)
    register_waiting(_waiting, perm="reports.view", order=30)
