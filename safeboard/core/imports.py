"""The page of an import of records, the same for every register that has one: the upload
(a CSV file or Excel workbook, and "check only"), every problem of a refused file in the error
summary, what a dry run would do, and back to the list once imported.

    return import_page(
        request,
        "mymodule/import.html",
        lambda data, name, dry_run: services.import_things(p, data, name, dry_run=dry_run),
        done_url=reverse("mymodule:index", args=[p.slug]),
    )

The template extends `core/import.html` and fills its blocks (title, caption, nav, what the
file holds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render

from .forms import ImportUploadForm
from .tables import ImportReport, TableError

Run = Callable[[bytes, str, bool], ImportReport]


def import_page(
    request: HttpRequest,
    template: str,
    run: Run,
    *,
    done_url: str,
    context: dict[str, Any] | None = None,
) -> HttpResponseBase:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run(upload.read(), upload.name, form.cleaned_data["dry_run"])
        except TableError as exc:
            report = ImportReport(problems=exc.problems)
        if report.ok and not report.dry_run:
            messages.success(request, report.lines()[0])
            return redirect(done_url)
        if report.ok:
            # Checked: the file is to be chosen again (a browser never keeps it), to import.
            form = ImportUploadForm()
    return render(request, template, {"form": form, "report": report, **(context or {})})
