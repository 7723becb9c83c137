"""API of the private fostering register: arrangements (list, one, create), a visit made, the
overdue visits, the annual figures. The same permissions as the pages; records only through
the register reader, so every read is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from safeboard.core.api_helpers import TableOut, financial_year, require
from safeboard.core.tables import TableError
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.registers import RegisterReader

from . import selectors, services
from .models import REGISTER, Arrangement, AwarenessActivity

router = Router(tags=["Private fostering"])
P = "/partnerships/{partnership}/private-fostering"


class VisitOut(Schema):
    number: int
    due: dt.date
    visited: dt.date | None
    seen_alone: bool


class ArrangementOut(Schema):
    id: int
    reference: str
    notified: dt.date
    source: str
    start: dt.date | None
    child_age: int | None
    ended: dt.date | None
    end_reason: str
    visits: list[VisitOut]


def _out(a: Arrangement) -> ArrangementOut:
    return ArrangementOut(
        id=a.pk,
        reference=a.reference,
        notified=a.notified,
        source=a.source,
        start=a.start,
        child_age=a.child_age,
        ended=a.ended,
        end_reason=a.end_reason,
        visits=[
            VisitOut(number=v.number, due=v.due, visited=v.visited, seen_alone=v.seen_alone)
            for v in a.visits.all()
        ],
    )


class ArrangementIn(Schema):
    reference: str
    notified: dt.date
    source: str
    notified_by: str = ""
    start: dt.date | None = None
    child_name: str = ""
    child_age: int | None = None
    carer_name: str = ""


class VisitIn(Schema):
    visited: dt.date
    seen_alone: bool = False
    notes: str = ""


def _reader(request: PartnershipRequest) -> RegisterReader:
    if not request.member.may_open(REGISTER):
        raise HttpError(404, "Not found")
    return RegisterReader.for_request(request)


@router.get(P, response=list[ArrangementOut], summary="Arrangements (each listed is logged)")
def list_arrangements(request: PartnershipRequest, partnership: str) -> Any:
    require(request, "private_fostering.view")
    records = _reader(request).listing(REGISTER, Arrangement.objects.prefetch_related("visits"))
    return [_out(a) for a in records]


@router.post(P, response={201: ArrangementOut}, summary="Record a notification")
def create_arrangement(request: PartnershipRequest, partnership: str, body: ArrangementIn) -> Any:
    require(request, "private_fostering.manage")
    _reader(request)
    a = services.save_arrangement(Arrangement(**body.dict()), request.partnership)
    return Status(201, _out(a))


class OverdueOut(Schema):
    arrangement_id: int
    reference: str
    visit: int
    due: dt.date


@router.get(P + "/overdue", response=list[OverdueOut], summary="Overdue visits (logged)")
def overdue(request: PartnershipRequest, partnership: str) -> Any:
    require(request, "private_fostering.view")
    visits = _reader(request).listing(REGISTER, selectors.overdue_visits(timezone.localdate()))
    return [
        OverdueOut(
            arrangement_id=v.arrangement_id,
            reference=v.arrangement.reference,
            visit=v.number,
            due=v.due,
        )
        for v in visits
    ]


class FiguresOut(Schema):
    year: str
    public: bool
    tables: list[TableOut]


@router.get(P + "/figures", response=FiguresOut, summary="The year's figures (aggregate)")
def figures(request: PartnershipRequest, partnership: str, year: str) -> Any:
    require(request, "private_fostering.view_figures")
    period = financial_year(year)
    public = not request.member.may_open(REGISTER)
    found = selectors.files(period, timezone.localdate(), public)
    return FiguresOut(
        year=period.label,
        public=public,
        tables=[TableOut(name=n, header=h, rows=r) for n, (h, r) in found.items()],
    )


class AwarenessOut(Schema):
    id: int
    held_on: dt.date
    kind: str
    title: str
    audience: str
    reached: int | None


class AwarenessIn(Schema):
    held_on: dt.date
    kind: str
    title: str
    audience: str = ""
    reached: int | None = None


@router.get(
    P + "/awareness",
    response=list[AwarenessOut],
    summary="Awareness activity (campaigns, briefings), latest first; ?year= a financial year",
)
def list_activity(request: PartnershipRequest, partnership: str, year: str = "") -> Any:
    require(request, "private_fostering.view_figures")
    found = AwarenessActivity.objects.order_by("-held_on", "-pk")
    if year:
        period = financial_year(year)
        found = found.filter(held_on__gte=period.start, held_on__lte=period.end)
    return found


@router.post(P + "/awareness", response={201: AwarenessOut}, summary="Record awareness activity")
def add_activity(request: PartnershipRequest, partnership: str, body: AwarenessIn) -> Any:
    require(request, "private_fostering.manage")
    return Status(201, services.add_activity(request.partnership, **body.dict()))


class FosteringImportIn(Schema):
    csv: str
    dry_run: bool = False


class FosteringImportOut(Schema):
    ok: bool
    rows: int
    created: int
    updated: int
    visits: int
    summary: list[str]
    problems: list[str]


@router.post(
    P + "/import",
    response=FosteringImportOut,
    summary="Import arrangements and visits (the CSV format); a reference already there is updated",
)
def import_arrangements(
    request: PartnershipRequest, partnership: str, body: FosteringImportIn
) -> Any:
    require(request, "private_fostering.manage")
    _reader(request)
    try:
        report = services.import_arrangements(
            request.partnership, body.csv.encode("utf-8"), "import.csv", dry_run=body.dry_run
        )
    except TableError as exc:
        report = services.ImportReport(problems=exc.problems)
    return FosteringImportOut(
        ok=report.ok,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        visits=report.added,
        summary=report.lines() if report.ok else [],
        problems=[str(p) for p in report.problems],
    )


@router.get(P + "/{arrangement_id}", response=ArrangementOut, summary="One arrangement (logged)")
def get_arrangement(request: PartnershipRequest, partnership: str, arrangement_id: int) -> Any:
    """404 for anyone the register does not name: a record's existence is not confirmed."""
    return _out(_reader(request).get(REGISTER, Arrangement.objects.all(), pk=arrangement_id))


class EndIn(Schema):
    ended: dt.date
    reason: str


@router.post(
    P + "/{arrangement_id}/end",
    response=ArrangementOut,
    summary="The arrangement ended (a visit not yet due is dropped; one missed stays missed)",
)
def end_arrangement(
    request: PartnershipRequest, partnership: str, arrangement_id: int, body: EndIn
) -> Any:
    a = _reader(request).get(REGISTER, Arrangement.objects.all(), pk=arrangement_id)
    require(request, "private_fostering.manage")
    return _out(services.end_arrangement(a, ended=body.ended, reason=body.reason))


@router.post(P + "/{arrangement_id}/visits", response={201: VisitOut}, summary="A visit made")
def add_visit(
    request: PartnershipRequest, partnership: str, arrangement_id: int, body: VisitIn
) -> Any:
    a = _reader(request).get(REGISTER, Arrangement.objects.all(), pk=arrangement_id)
    require(request, "private_fostering.manage")
    v = services.record_visit(a, **body.dict())
    return Status(
        201, VisitOut(number=v.number, due=v.due, visited=v.visited, seen_alone=v.seen_alone)
    )
