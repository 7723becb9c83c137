"""Pages of the LADO register. Records are reached only through the register reader (it
refuses anyone the register does not name and logs every read); the aggregate tables are for
every member, with disclosure control for those outside the LADO service."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeboard.core.clocks import clock_kinds
from safeboard.core.errors import ServiceError
from safeboard.core.forms import TableUploadForm
from safeboard.core.imports import import_page
from safeboard.core.models import Clock
from safeboard.core.periods import FinancialYear, financial_year_or
from safeboard.core.tables import TableError, file_response, table_response, write_csv
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.registers import EXPORTED, RegisterReader

from . import selectors, services
from .forms import (
    AllegationForm,
    FindingForm,
    RenameForm,
    RetireForm,
    SampleForm,
    SummaryForm,
    TermForm,
)
from .models import REGISTER, Allegation, AuditItem, AuditSample, Kind, Term, TermList

VIEW, MANAGE, TERMS, TABLES = (
    "allegations.view",
    "allegations.manage",
    "allegations.manage_terms",
    "allegations.view_tables",
)
EXPORT_COLUMNS = [
    "reference",
    "kind",
    "received",
    "known",
    "referrer",
    "adult_name",
    "adult_role",
    "employer_name",
    "employer",
    "regulated_setting",
    "category",
    "restraint",
    "outcomes",
    "concluded",
    "repeat_subject",
    "repeat_setting",
]


def _url(request: PartnershipRequest, name: str, *args: Any) -> str:
    return reverse(f"allegations:{name}", args=[request.partnership.slug, *args])


def _clocks(record: Any) -> list[Clock]:
    from safeboard.core.clocks import clocks_of

    return [c for c in clocks_of(record) if isinstance(c, Clock)]


def _reader(request: PartnershipRequest) -> RegisterReader:
    return RegisterReader.for_request(request)


@partnership_view(perm=VIEW)
def index(request: PartnershipRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    flagged = request.GET.get("flagged") == "1"
    open_only = request.GET.get("open") == "1"
    page = Paginator(selectors.listing(kind, flagged, open_only), 50).get_page(
        request.GET.get("page")
    )
    records = _reader(request).listing(REGISTER, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "allegations/index.html",
        {
            "page": page,
            "records": records,
            "kind": kind,
            "flagged": flagged,
            "open_only": open_only,
            "kinds": Kind.choices,
            "query": query.urlencode(),
        },
    )


@partnership_view(perm=VIEW)
def detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    reader = _reader(request)
    allegation = reader.get(REGISTER, Allegation.objects.all(), pk=pk)
    matches = services.earlier_matches(allegation)
    reader.listing(REGISTER, {*matches["subject"], *matches["setting"]})
    kinds, today = clock_kinds(), timezone.localdate()
    return render(
        request,
        "allegations/detail.html",
        {
            "a": allegation,
            "matches": matches,
            "clocks": [
                (c, kinds.get(c.kind), c.state(today), c.days_left(today), -c.days_left(today))
                for c in _clocks(allegation)
            ],
        },
    )


def _edit(request: PartnershipRequest, allegation: Allegation, title: str) -> HttpResponseBase:
    form = AllegationForm(request.POST or None, instance=allegation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_allegation(
                form.save(commit=False), request.partnership, form.cleaned_data["outcomes"]
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {saved.reference}.")
            return redirect(saved.get_absolute_url())
    back = allegation.get_absolute_url() if allegation.pk else _url(request, "index")
    return render(request, "allegations/form.html", {"form": form, "title": title, "back": back})


@partnership_view(perm=MANAGE)
def create(request: PartnershipRequest) -> HttpResponseBase:
    _reader(request).require(REGISTER)
    services.ensure_default_terms(request.partnership)
    initial = Allegation(received=timezone.localdate())
    return _edit(request, initial, "Record a contact")


@partnership_view(perm=MANAGE)
def edit(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    allegation = _reader(request).get(REGISTER, Allegation.objects.all(), pk=pk)
    return _edit(request, allegation, f"Change {allegation.reference}")


def export_rows(records: list[Allegation]) -> list[list[Any]]:
    return [
        [
            a.reference,
            a.kind,
            a.received,
            a.known,
            a.referrer.name if a.referrer else "",
            a.adult_name,
            a.adult_role,
            a.employer_name,
            a.employer_type.name if a.employer_type else "",
            a.regulated_setting,
            a.category.name if a.category else "",
            a.restraint,
            "; ".join(o.name for o in a.outcomes.all()),
            a.concluded,
            a.repeat_subject,
            a.repeat_setting,
        ]
        for a in records
    ]


@partnership_view(perm=VIEW)
def export(request: PartnershipRequest) -> HttpResponse:
    qs = selectors.listing(request.GET.get("kind", "")).prefetch_related("outcomes")
    records = _reader(request).listing(REGISTER, qs, EXPORTED)
    fmt = request.GET.get("format", "csv")
    return table_response(EXPORT_COLUMNS, export_rows(records), fmt, "allegations")


# --- the aggregate tables (every member) ------------------------------------------------


def _year(request: PartnershipRequest) -> Any:
    last = FinancialYear(selectors.today_year(timezone.localdate()) - 1)
    return financial_year_or(request.GET.get("year", ""), last)


@partnership_view(perm=TABLES)
def tables(request: PartnershipRequest) -> HttpResponse:
    year = _year(request)
    public = not request.member.may_open(REGISTER)
    found = selectors.year_tables(year)
    years = sorted({*selectors.years_with_allegations(), year.start.year}, reverse=True)
    return render(
        request,
        "allegations/tables.html",
        {
            "year": year,
            "years": [FinancialYear(y) for y in years],
            "public": public,
            "files": found.files(public),
            "consultations": found.consultations,
            "restraint": found.restraint,
            "allegations": found.allegations,
        },
    )


def tables_zip(files: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (header, rows) in files.items():
            archive.writestr(name, write_csv(header, rows))
    return out.getvalue()


@partnership_view(perm=TABLES)
def tables_download(request: PartnershipRequest) -> HttpResponse:
    year = _year(request)
    public = not request.member.may_open(REGISTER) or request.GET.get("public") == "1"
    files = selectors.year_tables(year).files(public)
    name = request.GET.get("file", "")
    if name in files:
        header, rows = files[name]
        return table_response(header, rows, "csv", f"{year.label}-{name.removesuffix('.csv')}")
    if name:
        raise Http404("No such table")
    response = file_response(tables_zip(files), f"allegations-{year.label}.zip")
    response["Content-Type"] = "application/zip"
    return response


# --- the lists of terms ---------------------------------------------------------------


@partnership_view(perm=TERMS)
def term_list(request: PartnershipRequest) -> HttpResponseBase:
    services.ensure_default_terms(request.partnership)
    upload = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "file" in request.FILES:
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                added, kept = services.import_terms(request.partnership, file.read(), file.name)
            except TableError as exc:
                for problem in exc.problems:
                    upload.add_error("file", str(problem))
            else:
                messages.success(request, f"Added {added} terms; {kept} were already there.")
                return redirect(_url(request, "terms"))
        form = TermForm()
    else:
        form = TermForm(request.POST or None)
        upload = TableUploadForm()
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            term, created = services.add_term(
                request.partnership, form.cleaned_data["list"], form.cleaned_data["name"]
            )
        except ServiceError as exc:
            form.add_error("name", str(exc))
        else:
            if created:
                messages.success(request, f"Added ‘{term.name}’.")
            else:
                messages.info(request, f"‘{term.name}’ is already in the list.")
            return redirect(_url(request, "terms"))
    lists = [(TermList(key).label, key, services.terms(key)) for key in TermList.values]
    return render(
        request, "allegations/terms.html", {"lists": lists, "form": form, "upload": upload}
    )


@partnership_view(perm=TERMS)
def term_edit(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    term = get_object_or_404(Term.objects.all(), pk=pk)
    rename = RenameForm(
        request.POST if "name" in request.POST else None, initial={"name": term.name}
    )
    retire = RetireForm(
        request.POST if "retired_on" in request.POST else None,
        initial={"retired_on": term.retired_on},
    )
    if request.method == "POST":
        try:
            if "move" in request.POST:
                services.move_term(term, -1 if request.POST["move"] == "up" else 1)
                return redirect(_url(request, "terms") + f"#list-{term.list}")
            if rename.is_bound and rename.is_valid():
                services.rename_term(term, rename.cleaned_data["name"])
                messages.success(request, f"Renamed to ‘{term.name}’.")
                return redirect(_url(request, "terms"))
            if retire.is_bound and retire.is_valid():
                services.retire_term(term, retire.cleaned_data["retired_on"])
                messages.success(request, f"Saved ‘{term.name}’.")
                return redirect(_url(request, "terms"))
        except ServiceError as exc:
            rename.add_error(None, str(exc))
    return render(
        request, "allegations/term.html", {"term": term, "rename": rename, "retire": retire}
    )


# --- import ---------------------------------------------------------------------------


@partnership_view(perm=MANAGE)
def import_file(request: PartnershipRequest) -> HttpResponseBase:
    _reader(request).require(REGISTER)
    p = request.partnership
    return import_page(
        request,
        "allegations/import.html",
        lambda data, name, dry_run: services.import_allegations(p, data, name, dry_run=dry_run),
        done_url=_url(request, "index"),
    )


# --- the quarterly audit --------------------------------------------------------------


@partnership_view(perm=MANAGE)
def samples(request: PartnershipRequest) -> HttpResponseBase:
    reader = _reader(request)
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reader.require(REGISTER)
        try:
            sample = services.draw_audit_sample(
                request.partnership,
                quarter=form.cleaned_data["quarter"],
                size=form.cleaned_data["size"],
                on=timezone.localdate(),
                by=request.member.person.name,
            )
        except ServiceError as exc:
            form.add_error("quarter", str(exc))
        else:
            return redirect(sample.get_absolute_url())
    to_audit = request.GET.get("show") == "to_audit"
    qs = selectors.samples_to_audit() if to_audit else AuditSample.objects.all()
    found = reader.listing(REGISTER, qs)
    return render(
        request,
        "allegations/samples.html",
        {"samples": found, "form": form, "to_audit": to_audit},
    )


@partnership_view(perm=MANAGE)
def sample(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    reader = _reader(request)
    found = reader.get(REGISTER, AuditSample.objects.all(), pk=pk)
    summary = SummaryForm(request.POST or None, initial={"summary": found.summary})
    if request.method == "POST" and "summary" in request.POST and summary.is_valid():
        found.summary = summary.cleaned_data["summary"]
        found.save(update_fields=["summary"])
        messages.success(request, "Saved what the audit found.")
        return redirect(found.get_absolute_url())
    items = reader.listing(REGISTER, found.items.select_related("allegation"))
    rows = [
        (
            item,
            FindingForm(
                initial={
                    "rating": item.rating,
                    "findings": item.findings,
                    "audited_on": item.audited_on or timezone.localdate(),
                },
                prefix=f"item{item.pk}",
            ),
        )
        for item in items
    ]
    return render(
        request, "allegations/sample.html", {"sample": found, "rows": rows, "summary": summary}
    )


@partnership_view(perm=MANAGE)
def finding(request: PartnershipRequest, pk: int) -> HttpResponseBase:
    item = _reader(request).get(REGISTER, AuditItem.objects.all(), pk=pk)
    form = FindingForm(request.POST or None, prefix=f"item{item.pk}")
    if request.method == "POST" and form.is_valid():
        services.record_finding(item, **form.cleaned_data)
        messages.success(request, f"Recorded the findings on {item.allegation.reference}.")
    elif request.method == "POST":
        messages.error(request, "Give the date the case was audited.")
    return redirect(item.sample.get_absolute_url())
