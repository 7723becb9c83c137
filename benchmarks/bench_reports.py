"""The annual report of the demo partnership (about 55 pages, 45 charts): the HTML edition
built from the records, and the PDF and Word files, each cold (no chart converted yet) and
warm (charts converted by an earlier build, as for every build after the first).

Targets (issue 5): HTML at most 2 s, PDF at most 15 s, DOCX at most 5 s.
Runs in a throw-away test database, with a throw-away chart cache."""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
from typing import Any

from django.test import override_settings


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> list[str]:
    from django.db import connection
    from pypdf import PdfReader

    from safeboard.core import demo, tenancy
    from safeboard.reporting.document import Chart
    from safeboard.reports import charts, render, services

    media = tempfile.mkdtemp(prefix="sb-bench-media-")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    lines: list[str] = []
    try:
        with override_settings(MEDIA_ROOT=media):
            ctx = demo.load(password=secrets.token_urlsafe(16))
            report = ctx.extra["report"]
            with tenancy.partnership_scope(ctx.partnership):
                seconds, doc = _timed(lambda: services.document(report))
                count = sum(1 for s in doc.sections for b in s.blocks if isinstance(b, Chart))
                html_s, _ = _timed(lambda: render.html_fragment(doc))
                lines.append(
                    f"document from the records: {seconds:.2f} s; HTML edition "
                    f"{seconds + html_s:.2f} s in all (target 2 s); {count} charts, "
                    f"{len(doc.figures)} figures"
                )

                def clear(disk: bool) -> None:
                    charts._svg.cache_clear()
                    charts._png.cache_clear()
                    if disk:
                        shutil.rmtree(charts._cache_dir(), ignore_errors=True)

                for label in ("cold", "warm"):
                    clear(disk=label == "cold")
                    pdf_s, pdf = _timed(lambda: render.pdf(doc))
                    clear(disk=label == "cold")
                    docx_s, _ = _timed(lambda: render.docx(doc))
                    pages = len(PdfReader(io.BytesIO(pdf)).pages)
                    lines.append(
                        f"{label}: PDF {pdf_s:.1f} s for {pages} pages (target 15 s); "
                        f"Word {docx_s:.1f} s (target 5 s)"
                    )
                clear(disk=False)
                standalone_s, _ = _timed(lambda: render.standalone_html(doc))
                lines.append(f"accessible HTML file (charts as SVG, warm): {standalone_s:.1f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)
    return lines
