"""API of the LADO register: contacts (list, one, create), import, the year's tables and the
lists of terms. The same permissions as the web pages; records only through the register
reader, so every read is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.db import transaction
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from safeboard.core.api_helpers import PatchSchema, TableOut, financial_year, get_or_404, require
from safeboard.core.errors import ServiceError
from safeboard.core.tables import TableError
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.registers import RegisterReader

from . import selectors, services
from .models import REGISTER, Allegation, Kind, Term, TermList

router = Router(tags=["Allegations (LADO)"])
P = "/partnerships/{partnership}/allegations"


class ContactOut(Schema):
    id: int
    reference: str
    kind: str
    received: dt.date
    known: dt.date | None
    referrer: str
    adult_name: str
    adult_role: str
    employer_name: str
    employer_type: str
    regulated_setting: bool
    category: str
    restraint: bool
    criteria: list[str]
    outcomes: list[str]
    concluded: dt.date | None
    repeat_subject: bool
    repeat_setting: bool


def _out(a: Allegation) -> ContactOut:
    return ContactOut(
        id=a.pk,
        reference=a.reference,
        kind=a.kind,
        received=a.received,
        known=a.known,
        referrer=a.referrer.name if a.referrer else "",
        adult_name=a.adult_name,
        adult_role=a.adult_role,
        employer_name=a.employer_name,
        employer_type=a.employer_type.name if a.employer_type else "",
        regulated_setting=a.regulated_setting,
        category=a.category.name if a.category else "",
        restraint=a.restraint,
        criteria=a.criteria,
        outcomes=[o.name for o in a.outcomes.all()],
        concluded=a.concluded,
        repeat_subject=a.repeat_subject,
        repeat_setting=a.repeat_setting,
    )


class ContactIn(Schema):
    reference: str
    kind: str = Kind.ALLEGATION
    received: dt.date
    known: dt.date | None = None
    referrer: str = ""
    adult_name: str = ""
    adult_role: str = ""
    employer_name: str = ""
    employer_type: str = ""
    regulated_setting: bool = False
    children: str = ""
    category: str = ""
    restraint: bool = False
    harmed_child: bool = False
    offence: bool = False
    risk_of_harm: bool = False
    unsuitable: bool = False
    advice: str = ""
    outcomes: list[str] = []
    concluded: dt.date | None = None


def _term(list_name: str, name: str) -> Term | None:
    if not name:
        return None
    found = Term.objects.filter(list=list_name, name__iexact=name.strip()).first()
    if found is None:
        raise ServiceError(f"‘{name}’ is not in the partnership's list ({list_name})")
    return found


def _reader(request: PartnershipRequest) -> RegisterReader:
    reader = RegisterReader.for_request(request)
    if not request.member.may_open(REGISTER):
        raise HttpError(404, "Not found")
    return reader


@router.get(P, response=list[ContactOut], summary="Contacts (every one listed is logged)")
def list_contacts(request: PartnershipRequest, partnership: str, kind: str = "") -> Any:
    require(request, "allegations.view")
    reader = _reader(request)
    qs = selectors.listing(kind).prefetch_related("outcomes")
    return [_out(a) for a in reader.listing(REGISTER, qs)]


@router.post(P, response={201: ContactOut}, summary="Record a contact")
def create_contact(request: PartnershipRequest, partnership: str, body: ContactIn) -> Any:
    require(request, "allegations.manage")
    _reader(request)
    data = body.dict()
    outcomes = [t for t in (_term(TermList.OUTCOME, n) for n in data.pop("outcomes")) if t]
    a = Allegation(
        **{k: v for k, v in data.items() if k not in {"referrer", "employer_type", "category"}},
        referrer=_term(TermList.REFERRER, data["referrer"]),
        employer_type=_term(TermList.EMPLOYER, data["employer_type"]),
        category=_term(TermList.CATEGORY, data["category"]),
    )
    saved = services.save_allegation(a, request.partnership, outcomes)
    return Status(201, _out(saved))


class AllegationsImportIn(Schema):
    csv: str
    dry_run: bool = False


class AllegationsImportOut(Schema):
    ok: bool
    rows: int
    created: int
    updated: int
    problems: list[str]


@router.post(
    P + "/import", response=AllegationsImportOut, summary="Import contacts (the CSV format)"
)
def import_contacts(
    request: PartnershipRequest, partnership: str, body: AllegationsImportIn
) -> Any:
    require(request, "allegations.manage")
    _reader(request)
    try:
        report = services.import_allegations(
            request.partnership, body.csv.encode("utf-8"), "import.csv", dry_run=body.dry_run
        )
    except TableError as exc:
        report = services.ImportReport(problems=exc.problems)
    return AllegationsImportOut(
        ok=report.ok,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        problems=[str(p) for p in report.problems],
    )


class TablesOut(Schema):
    year: str
    public: bool
    allegations: Any
    consultations: Any
    tables: list[TableOut]


@router.get(P + "/tables", response=TablesOut, summary="The year's tables (aggregate)")
def tables(request: PartnershipRequest, partnership: str, year: str) -> Any:
    require(request, "allegations.view_tables")
    period = financial_year(year)
    public = not request.member.may_open(REGISTER)
    found = selectors.year_tables(period)
    small = public and 0 < found.allegations < 6
    return TablesOut(
        year=period.label,
        public=public,
        allegations="c" if small else found.allegations,
        consultations="c" if public and 0 < found.consultations < 6 else found.consultations,
        tables=[
            TableOut(name=name, header=header, rows=rows)
            for name, (header, rows) in found.files(public).items()
        ],
    )


class TermOut(Schema):
    id: int
    list: str
    name: str
    position: int
    outcome_kind: str
    retired_on: dt.date | None


class TermIn(Schema):
    list: str
    name: str


class TermChangeIn(PatchSchema):
    """Rename a term, move it up or down its list, retire it from a day (null brings it
    back): each may be left out."""

    nullable: ClassVar[frozenset[str]] = frozenset({"retired_on"})
    name: str | None = None
    move: Literal["up", "down"] | None = None
    retired_on: dt.date | None = None


class TermsImportIn(Schema):
    csv: str


class TermsImportOut(Schema):
    ok: bool
    added: int
    kept: int
    problems: list[str]


@router.get(P + "/terms", response=list[TermOut], summary="The partnership's lists of terms")
def list_terms(
    request: PartnershipRequest, partnership: str, which: str = Query("", alias="list")
) -> Any:
    require(request, "allegations.view_tables")
    services.ensure_default_terms(request.partnership)
    found = Term.objects.order_by("list", "position", "pk")
    return found.filter(list=which) if which else found


@router.post(P + "/terms", response={201: TermOut, 200: TermOut}, summary="Add a term")
def add_term(request: PartnershipRequest, partnership: str, body: TermIn) -> Any:
    require(request, "allegations.manage_terms")
    services.ensure_default_terms(request.partnership)
    term, created = services.add_term(request.partnership, body.list, body.name)
    return Status(201 if created else 200, term)


@router.post(
    P + "/terms/import",
    response=TermsImportOut,
    summary="Add terms from a CSV (columns list,term), in file order",
)
def import_terms(request: PartnershipRequest, partnership: str, body: TermsImportIn) -> Any:
    require(request, "allegations.manage_terms")
    try:
        added, kept = services.import_terms(
            request.partnership, body.csv.encode("utf-8"), "terms.csv"
        )
    except TableError as exc:
        return TermsImportOut(ok=False, added=0, kept=0, problems=[str(p) for p in exc.problems])
    return TermsImportOut(ok=True, added=added, kept=kept, problems=[])


@router.patch(P + "/terms/{term_id}", response=TermOut, summary="Rename, reorder or retire a term")
def change_term(
    request: PartnershipRequest, partnership: str, term_id: int, payload: TermChangeIn
) -> Any:
    term = get_or_404(Term.objects.all(), pk=term_id)
    require(request, "allegations.manage_terms")
    data = payload.dict(exclude_unset=True)
    with transaction.atomic():
        if "name" in data:
            services.rename_term(term, data["name"])
        if "move" in data:
            services.move_term(term, -1 if data["move"] == "up" else 1)
        if "retired_on" in data:
            services.retire_term(term, data["retired_on"])
    term.refresh_from_db()
    return term


@router.get(P + "/{contact_id}", response=ContactOut, summary="One contact (logged)")
def get_contact(request: PartnershipRequest, partnership: str, contact_id: int) -> Any:
    """404 for anyone the register does not name: a record's existence is not confirmed."""
    return _out(_reader(request).get(REGISTER, Allegation.objects.all(), pk=contact_id))
