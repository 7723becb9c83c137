"""The PDF, Word and HTML files say what the records say: checked by reading them back."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from docx import Document as WordDocument
from pypdf import PdfReader

from safeboard.core import tenancy
from safeboard.reporting import figures
from safeboard.reports import disclosure, render, services
from safeboard.reports.models import BuildStatus, ReportBuild

from ..conftest import consume
from .conftest import write


def _doc(report: Any, edition: str = "board") -> Any:
    with tenancy.partnership_scope(report.partnership):
        return services.document(report, edition)


@pytest.mark.django_db
def test_the_pdf_has_contents_headings_and_the_figures(report: Any) -> None:
    doc = _doc(report)
    reader = PdfReader(io.BytesIO(render.pdf(doc)))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "Contents" in pages[1]
    for number, section in enumerate(doc.sections, start=1):
        assert f"{number}. {section.title}" in text
    assert "Board attendance by agency, 2016-17" in text
    assert "92,800" in text and "67%" in text
    assert "Page 3 of" in text  # page numbers in the running footer
    assert reader.metadata.title == doc.title
    # Charts are vector drawings, not pictures.
    images = sum(len(page.images) for page in reader.pages)
    assert images == 0


@pytest.mark.django_db
def test_the_word_file_uses_headings_and_real_tables(report: Any) -> None:
    doc = _doc(report)
    word = WordDocument(io.BytesIO(render.docx(doc)))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Contents"
    assert headings[1 : len(doc.sections) + 1] == [
        f"{n}. {s.title}" for n, s in enumerate(doc.sections, start=1)
    ]
    attendance = next(
        t
        for t in word.tables
        if t.rows[0].cells[0].text == "Agency"
        and t.rows[0].cells[1].text == "Meetings with a place"
    )
    rows = [[c.text for c in row.cells] for row in attendance.rows[1:]]
    assert ["Overall", "9", "6", "67%"] in rows
    assert ["Alpha Police", "3", "2", "67%"] in rows
    assert len(word.inline_shapes) >= 2  # the charts, as images with a description
    assert word.inline_shapes[0]._inline.docPr.get("descr")


@pytest.mark.django_db
def test_the_accessible_html_is_self_contained(report: Any) -> None:
    html = render.standalone_html(_doc(report))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert "<svg" in html and "<script" not in html
    assert 'href="#source-' in html and "Sources of figures" in html


@pytest.mark.django_db
def test_the_public_edition_suppresses_small_counts_of_people_only(report: Any) -> None:
    write(report, "foreword", "The board met [[attendance.meetings]] times.")
    board, public = _doc(report), _doc(report, "public")
    assert board.figures["attendance.meetings"].text == "3"
    # Three meetings identify nobody: a count of things is published as it is.
    assert public.figures["attendance.meetings"].text == "3"
    assert public.figures["population.children"].text == "92,800"
    # A count of people from 1 to 5, or a rate resting on one, is not.
    children = figures.count("t.children", "Children", 3, "test")
    meetings = figures.count("t.meetings", "Meetings", 3, "test", people=False)
    rate = figures.percent("t.rate", "Rate", 60.0, "test", basis=3)
    for figure in (children, meetings, rate):
        disclosure.suppress_figure(figure)
    assert (children.text, meetings.text, rate.text) == ("c", "3", "c")
    html = render.standalone_html(public)
    assert "The board met" in html and "Public edition" in html


@pytest.mark.django_db
def test_files_are_built_in_the_background_with_progress(
    as_alice: Client, report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    base = f"/p/alpha/reports/{report.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            f"{base}/builds/", {"format": "docx", "edition": "public"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    build = ReportBuild.objects.filter(report=report).model._base_manager.get()
    assert build.status == BuildStatus.DONE and build.progress == 100
    status = as_alice.get(f"{base}/builds/{build.pk}/").content.decode()
    assert "Download" in status
    download = as_alice.get(f"{base}/builds/{build.pk}/download/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    word = WordDocument(io.BytesIO(consume(download)))
    assert any(p.text.startswith("1. The year on a page") for p in word.paragraphs)


@pytest.mark.django_db
def test_report_build_refuses_a_report_with_problems(report: Any, tmp_path: Path) -> None:
    write(report, "foreword", "Approved by the board on INSERT DATE.")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "report",
            "build",
            "--partnership",
            "alpha",
            "--year",
            "2016-17",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            stderr=err,
        )
    assert "Foreword: ‘INSERT DATE’ is a placeholder" in err.getvalue()
    assert not list(tmp_path.iterdir())
    out = io.StringIO()
    call_command(
        "report",
        "build",
        "--partnership",
        "alpha",
        "--year",
        "2016-17",
        "--format",
        "html,pdf,docx",
        "--out",
        str(tmp_path),
        "--draft",
        stdout=out,
        stderr=io.StringIO(),
    )
    # MEDIA_ROOT is tmp_path/media (tests/conftest.py): the chart cache may be written there.
    built = [p.suffix for p in tmp_path.iterdir() if p.name != "media"]
    assert sorted(built) == [".docx", ".html", ".pdf"]


def test_report_build_exits_non_zero_from_the_shell(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    run = [sys.executable, "-m", "safeboard"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        [
            *run,
            "report",
            "build",
            "--partnership",
            "nowhere",
            "--year",
            "2016-17",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1
    assert "There is no partnership with the slug ‘nowhere’" in result.stderr


@pytest.mark.django_db
def test_opening_the_report_prepares_its_charts_for_print(
    as_alice: Client, report: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from django.core.cache import cache

    from safeboard.reports import charts

    cache.clear()  # the ten-minute guard is per report, and report ids repeat across tests
    charts._svg.cache_clear()
    charts._png.cache_clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        as_alice.get(f"/p/alpha/reports/{report.pk}/")
    assert len(callbacks) == 1
    cached = list(charts._cache_dir().glob("*"))
    assert any(p.suffix == ".svg" for p in cached) and any(p.suffix == ".png" for p in cached)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        as_alice.get(f"/p/alpha/reports/{report.pk}/")
    assert callbacks == []  # not again within ten minutes
