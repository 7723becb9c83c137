"""The audit trail and the restricted-record access log, for business unit administrators."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from safeboard.core.tables import file_response, write_csv
from safeboard.partnership import registers
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.registers import RegisterReader

from . import selectors
from .forms import AuditFilterForm

PERM = "partnership.view_audit"


def _filtered(request: PartnershipRequest, access_only: bool):
    partnership = request.partnership
    form = AuditFilterForm(request.GET or None, models=selectors.model_choices(partnership))
    closed = RegisterReader.for_request(request).closed_registers()
    return form, selectors.entries(
        partnership, form.filter(), access_only=access_only, closed_registers=closed
    )


def _page(request: PartnershipRequest, access_only: bool, template: str) -> HttpResponse:
    form, qs = _filtered(request, access_only)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # Entries naming restricted records: masked for registers the viewer may not open,
    # and logged as listed for the others.
    reader = RegisterReader.for_request(request)
    shown = reader.audit_entries(page.object_list)
    names = selectors.RecordNames(shown, reader, registers.LISTED)
    rows = [
        (entry, [] if entry.sb_masked else selectors.describe_changes(entry, names))
        for entry in shown
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "access_only": access_only,
        },
    )


@partnership_view(perm=PERM)
def trail(request: PartnershipRequest) -> HttpResponse:
    return _page(request, False, "audit/trail.html")


@partnership_view(perm=PERM)
def access_log(request: PartnershipRequest) -> HttpResponse:
    return _page(request, True, "audit/trail.html")


EXPORT_COLUMNS = [
    "timestamp",
    "actor",
    "action",
    "record_type",
    "record_id",
    "record",
    "field",
    "before",
    "after",
    "remote_addr",
    "detail",
]


def _export(request: PartnershipRequest, access_only: bool) -> HttpResponse:
    _, qs = _filtered(request, access_only)
    name = "access-log" if access_only else "audit-trail"
    reader = RegisterReader.for_request(request)
    entries = reader.audit_entries(qs.iterator(chunk_size=2000), registers.EXPORTED)
    names = selectors.RecordNames(entries, reader, registers.EXPORTED)

    def rows() -> Iterator[list[object]]:
        for entry in entries:
            base = [
                entry.timestamp.isoformat(),
                entry.actor.username if entry.actor else "",
                entry.get_action_display(),
                entry.content_type.name,
                entry.object_pk,
                selectors.MASKED if entry.sb_masked else entry.object_repr,
            ]
            tail = [entry.remote_addr or "", (entry.additional_data or {}).get("detail", "")]
            changes = (
                [] if entry.sb_masked else selectors.describe_changes(entry, names, labels=False)
            )
            if not changes:
                yield [*base, "", "", "", *tail]
            for field, before, after in changes:
                yield [*base, field, before, after, *tail]

    # core.tables: a record's name or a changed value people typed never runs as a formula.
    return file_response(write_csv(EXPORT_COLUMNS, rows()), f"{name}.csv")


@partnership_view(perm=PERM)
def trail_export(request: PartnershipRequest) -> HttpResponse:
    return _export(request, False)


@partnership_view(perm=PERM)
def access_export(request: PartnershipRequest) -> HttpResponse:
    return _export(request, True)
