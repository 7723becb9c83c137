"""Access expectations for the annual report (see tests/access/__init__.py)."""

from __future__ import annotations

from typing import Any

from safeboard.core import tenancy

from . import Check, expect, only

P = {"partnership": "northdale"}
# The report carries the scorecard: agency contributors (police, health) do not read it.
MEMBERS = expect(200, police=403, health=403)
WRITERS = only("admin", "analyst")
WRITERS_POST = only("admin", "analyst", ok=302)


def prepare(ctx: Any) -> None:
    """A comment and a finished build on the demo report, and an older published report."""
    from django.core.files.base import ContentFile

    from safeboard.reports import services as report_services
    from safeboard.reports.models import ReportBuild, ReportVersion, ReviewComment

    p = ctx.partnership
    with tenancy.partnership_scope(p):
        report = ctx.extra["report"]
        ctx.extra["report_comment"] = ReviewComment.objects.create(
            partnership=p, report=report, author=ctx.users["chair"], text="Add the budget."
        )
        build = ReportBuild(
            partnership=p,
            report=report,
            edition="public",
            format="html",
            status="done",
            progress=100,
        )
        build.file.save("report.html", ContentFile(b"<html></html>"), save=False)
        build.save()
        ctx.extra["report_build"] = build
        older = report_services.create_report(partnership=p, year=report.year - 1)
        doc = report_services.document(older).to_json()
        ReportVersion.objects.create(
            partnership=p, report=older, number=1, board_document=doc, public_document=doc
        )
        ctx.extra["published_report"] = older


def _report(ctx: Any) -> dict:
    return {**P, "pk": ctx.extra["report"].pk}


def _section(key: str) -> Any:
    def kwargs(ctx: Any) -> dict:
        report = ctx.extra["report"]
        with tenancy.partnership_scope(report.partnership):
            section = report.sections.get(key=key)
        return {**_report(ctx), "section_pk": section.pk}

    return kwargs


def _build(ctx: Any) -> dict:
    return {**_report(ctx), "build_pk": ctx.extra["report_build"].pk}


def _comment(ctx: Any) -> dict:
    return {**_report(ctx), "comment_pk": ctx.extra["report_comment"].pk}


def _version(ctx: Any) -> dict:
    return {**P, "pk": ctx.extra["published_report"].pk, "number": 1}


CHECKS = {
    "reports:list": Check(MEMBERS, P),
    "reports:create": Check(WRITERS_POST, P, method="post", data={"year": "2010"}),
    "reports:detail": Check(MEMBERS, _report),
    "reports:preview": Check(MEMBERS, _report, query="edition=public"),
    "reports:checks": Check(MEMBERS, _report),
    "reports:section-edit": Check(MEMBERS, _section("foreword")),
    # A generated section is not written by hand.
    "reports:section-edit#generated": Check(
        expect(404, police=403, health=403), _section("summary")
    ),
    "reports:section-preview": Check(
        MEMBERS, _section("foreword"), method="post", data={"text": "[[attendance.overall_rate]]"}
    ),
    "reports:section-move": Check(
        WRITERS_POST, _section("glossary"), method="post", data={"direction": "up"}
    ),
    "reports:section-toggle": Check(WRITERS_POST, _section("introduction"), method="post"),
    "reports:section-add": Check(
        WRITERS_POST, _report, method="post", data={"title": "Young people"}
    ),
    "reports:submit": Check(WRITERS_POST, _report, method="post"),
    "reports:reopen": Check(WRITERS_POST, _report, method="post"),
    "reports:approve": Check(only("chair", ok=302), _report, method="post"),
    "reports:publish": Check(only("admin", ok=302), _report, method="post"),
    "reports:correct": Check(only("admin", ok=302), _report, method="post"),
    "reports:comment-add": Check(
        only("admin", "analyst", "chair", "viewer", "healthlead", ok=302),
        _report,
        method="post",
        data={"text": "Hm"},
    ),
    "reports:section-reviewed": Check(
        only("admin", "analyst", "chair", "viewer", "healthlead", ok=302),
        _section("introduction"),
        method="post",
    ),
    "reports:comment-resolve": Check(
        WRITERS_POST, _comment, method="post", data={"reply": "Changed as suggested."}
    ),
    "reports:build-start": Check(
        expect(302, police=403, health=403),
        _report,
        method="post",
        data={"format": "html", "edition": "public"},
    ),
    "reports:build-status": Check(MEMBERS, _build),
    "reports:build-download": Check(MEMBERS, _build),
    "reports:version": Check(MEMBERS, _version),
}

API_MEMBERS = expect(200, anonymous=401, police=403, health=403)
API_CHECKS = {
    "GET /api/v1/partnerships/{partnership}/reports": Check(API_MEMBERS),
    "GET /api/v1/partnerships/{partnership}/reports/{report_id}": Check(
        API_MEMBERS, lambda c: {"report_id": c.extra["report"].pk}
    ),
    "GET /api/v1/partnerships/{partnership}/reports/{report_id}/checks": Check(
        API_MEMBERS, lambda c: {"report_id": c.extra["report"].pk}
    ),
    "GET /api/v1/partnerships/{partnership}/reports/{report_id}/document": Check(
        API_MEMBERS, lambda c: {"report_id": c.extra["report"].pk}, query="edition=public"
    ),
    "POST /api/v1/partnerships/{partnership}/reports/{report_id}/builds": Check(
        expect(202, anonymous=401, police=403, health=403),
        lambda c: {"report_id": c.extra["report"].pk},
        data={"format": "html", "edition": "public"},
    ),
    "GET /api/v1/partnerships/{partnership}/reports/{report_id}/builds/{build_id}": Check(
        API_MEMBERS,
        lambda c: {"report_id": c.extra["report"].pk, "build_id": c.extra["report_build"].pk},
    ),
}
