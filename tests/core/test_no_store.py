"""Files downloaded from Safeboard, and every response about a restricted record, are not kept
by the browser or any cache on the way: `Cache-Control: no-store, private`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from safeboard.core import tenancy
from safeboard.core.caching import NoStoreMiddleware, no_store
from safeboard.partnership.models import Paper
from safeboard.planning import services as planning

from .. import factories as f
from ..conftest import consume
from ..planning.conftest import make_action

NO_STORE = "no-store, private"


def _cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.django_db
def test_downloads_are_not_stored(
    as_alice: Client, alpha: Any, police: Any, year_data: dict[str, Any]
) -> None:
    meeting = f.meeting(year_data["board"], date.today() - timedelta(days=1))
    as_alice.post(
        f"/p/alpha/meetings/{meeting.pk}/papers/",
        {
            "title": "Case review",
            "sensitivity": "restricted",
            "agency": "",
            "file": SimpleUploadedFile("review.txt", b"content"),
        },
    )
    action = make_action(alpha, police)
    with tenancy.partnership_scope(alpha):
        paper = Paper.objects.get()
        update = planning.record_completion(
            action,
            by=None,
            evidence_text="Done",
            evidence_file=SimpleUploadedFile("proof.txt", b"proof"),
            confirm=True,
        )
    downloads = [
        f"/p/alpha/papers/{paper.pk}/",
        f"/p/alpha/planning/evidence/{update.pk}/",
        "/p/alpha/audit/export.csv",
        "/p/alpha/attendance/export.csv?year=2016",
        "/p/alpha/attendance/export.xlsx?year=2016",
        "/p/alpha/performance/dataset/scorecard.csv",
        "/p/alpha/planning/actions/export/",
    ]
    for url in downloads:
        response = as_alice.get(url)
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"], url
        assert {"no-store", "private"} <= _cache_control(response), url
        consume(response)
    # An ordinary page may be kept (as the browser sees fit).
    assert "no-store" not in _cache_control(as_alice.get("/p/alpha/people/"))


def test_a_request_marked_no_store_is_not_stored_and_static_files_are() -> None:
    factory = RequestFactory()

    def marked(request: HttpRequest) -> HttpResponse:
        no_store(request)  # as a view of a restricted record does
        return HttpResponse("a restricted record")

    def plain(request: HttpRequest) -> HttpResponse:
        return HttpResponse("a page")

    def inline_file(request: HttpRequest) -> FileResponse:
        return FileResponse(iter([b"x"]), content_type="text/plain")

    def public_file(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=60"
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    assert NoStoreMiddleware(marked)(factory.get("/"))["Cache-Control"] == NO_STORE
    assert "Cache-Control" not in NoStoreMiddleware(plain)(factory.get("/"))
    assert NoStoreMiddleware(inline_file)(factory.get("/"))["Cache-Control"] == NO_STORE
    assert NoStoreMiddleware(public_file)(factory.get("/"))["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_report_builds_are_not_stored(
    as_alice: Client,
    alpha: Any,
    alice: Any,
    year_data: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from safeboard.reports import services as reports
    from safeboard.reports.models import ReportBuild

    with tenancy.partnership_scope(alpha):
        report = reports.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(
            f"/p/alpha/reports/{report.pk}/builds/", {"format": "html", "edition": "board"}
        )
    build = ReportBuild._base_manager.get(report=report)
    response = as_alice.get(f"/p/alpha/reports/{report.pk}/builds/{build.pk}/download/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE
    consume(response)
