"""Pages of the private fostering register. Arrangements and visits only through the register
reader (every read logged); the annual figures and awareness activity for every member, with
disclosure control outside the service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeboard.core.errors import ServiceError
from safeboard.core.imports import import_page
from safeboard.core.periods import FinancialYear, current_financial_year, financial_year_or
from safeboard.core.tables import table_response
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.registers import EXPORTED, RegisterReader

from . import selectors, services
from .forms import ActivityForm, ArrangementForm, VisitForm
from .models import REGISTER, Arrangement, AwarenessActivity

VIEW, MANAGE, FIGURES = (
    "private_fostering.view",
    "private_fostering.manage",
    "private_fostering.view_figures",
)
EXPORT_COLUMNS = [
    "reference",
    "notified",
    "source",
    "start",
    "child_age",
    "ended",
    "end_reason",
    "visits",
]


def _url(request: PartnershipRequest, name: str, *args: Any) -> str:
    return reverse(f"private_fostering:{name}", args=[request.partnership.slug, *args])


def _reader(request: PartnershipRequest) -> RegisterReader:
    return RegisterReader.for_request(request)


@partnership_view(perm=VIEW)
def index(request: PartnershipRequest) -> HttpResponse:
    reader = _reader(request)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    qs = Arrangement.objects.all()
    if show == "open":
        qs = qs.filter(ended__isnull=True)
    elif show == "unassessed":
        qs = selectors.awaiting_assessment()
    records = reader.listing(REGISTER, qs.order_by("-notified", "-pk"))
    overdue = reader.listing(REGISTER, selectors.overdue_visits(today))
    return render(
        request,
        "private_fostering/index.html",
        {"records": records, "overdue": overdue, "show": show, "today": today},
    )


@partnership_view(perm=VIEW)
def overdue(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    soon = request.GET.get("when") == "soon"
    found = selectors.visits_due_soon(today) if soon else selectors.overdue_visits(today)
    visits = _reader(request).listing(REGISTER, found)
    return render(
        request,
        "private_fostering/overdue.html",
        {"visits": visits, "today": today, "soon": soon, "days": selectors.SOON_WORKING_DAYS},
    )


@partnership_view(perm=VIEW)
def detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    reader = _reader(request)
    a = reader.get(REGISTER, Arrangement.objects.all(), pk=pk)
    visits = reader.listing(REGISTER, a.visits.all())
    return render(
        request,
        "private_fostering/detail.html",
        {
            "a": a,
            "visits": visits,
            "pending": services.pending_visit(a),
            "form": VisitForm(initial={"visited": timezone.localdate()}),
            "today": timezone.localdate(),
        },
    )


def _edit(request: PartnershipRequest, a: Arrangement, title: str) -> HttpResponseBase:
    form = ArrangementForm(request.POST or None, instance=a)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_arrangement(form.save(commit=False), request.partnership)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {saved.reference}.")
            return redirect(saved.get_absolute_url())
    back = a.get_absolute_url() if a.pk else _url(request, "index")
    return render(
        request, "private_fostering/form.html", {"form": form, "title": title, "back": back}
    )


@partnership_view(perm=MANAGE)
def create(request: PartnershipRequest) -> HttpResponseBase:
    _reader(request).require(REGISTER)
    return _edit(request, Arrangement(notified=timezone.localdate()), "Record a notification")


@partnership_view(perm=MANAGE)
def edit(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    a = _reader(request).get(REGISTER, Arrangement.objects.all(), pk=pk)
    return _edit(request, a, f"Change {a.reference}")


@partnership_view(perm=MANAGE)
def visit(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    a = _reader(request).get(REGISTER, Arrangement.objects.all(), pk=pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_visit(a, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Recorded the visit; the next one is scheduled.")
    elif request.method == "POST":
        messages.error(request, "Give the date of the visit.")
    return redirect(a.get_absolute_url())


def export_rows(records: list[Arrangement]) -> list[list[Any]]:
    rows = []
    for a in records:
        visits = "; ".join(
            f"{v.visited.isoformat()}{' alone' if v.seen_alone else ''}"
            for v in a.visits.all()
            if v.visited
        )
        rows.append(
            [a.reference, a.notified, a.source, a.start, a.child_age, a.ended, a.end_reason, visits]
        )
    return rows


@partnership_view(perm=VIEW)
def export(request: PartnershipRequest) -> HttpResponse:
    records = _reader(request).listing(
        REGISTER, Arrangement.objects.prefetch_related("visits"), EXPORTED
    )
    fmt = request.GET.get("format", "csv")
    return table_response(EXPORT_COLUMNS, export_rows(records), fmt, "private-fostering")


@partnership_view(perm=MANAGE)
def import_file(request: PartnershipRequest) -> HttpResponseBase:
    _reader(request).require(REGISTER)
    p = request.partnership
    return import_page(
        request,
        "private_fostering/import.html",
        lambda data, name, dry_run: services.import_arrangements(p, data, name, dry_run=dry_run),
        done_url=_url(request, "index"),
    )


# --- the annual figures and awareness activity (every member) -----------------------------


def _year(request: PartnershipRequest) -> Any:
    last = current_financial_year(timezone.localdate()).previous()
    return financial_year_or(request.GET.get("year", ""), last)


@partnership_view(perm=FIGURES)
def figures(request: PartnershipRequest) -> HttpResponse:
    year = _year(request)
    public = not request.member.may_open(REGISTER)
    today = timezone.localdate()
    first = selectors.first_year() or year.start.year
    return render(
        request,
        "private_fostering/figures.html",
        {
            "year": year,
            "years": [
                FinancialYear(y)
                for y in range(current_financial_year(today).start.year, first - 1, -1)
            ],
            "public": public,
            "files": selectors.files(year, today, public),
            "activities": AwarenessActivity.objects.all()[:50],
        },
    )


@partnership_view(perm=FIGURES)
def figures_download(request: PartnershipRequest) -> HttpResponse:
    year = _year(request)
    public = not request.member.may_open(REGISTER) or request.GET.get("public") == "1"
    found = selectors.files(year, timezone.localdate(), public)
    name = request.GET.get("file", selectors.FIGURES)
    if name not in found:
        name = selectors.FIGURES
    header, rows = found[name]
    return table_response(header, rows, "csv", f"private-fostering-{year.label}-{name[:-4]}")


@partnership_view(perm=MANAGE)
def activity_create(request: PartnershipRequest) -> HttpResponseBase:
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_activity(request.partnership, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Recorded the activity.")
            return redirect(_url(request, "figures"))
    return render(
        request,
        "private_fostering/form.html",
        {"form": form, "title": "Record awareness activity", "back": _url(request, "figures")},
    )
