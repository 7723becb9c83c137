"""API of the private fostering register: arrangements (list, one, create), a visit made, the
overdue visits, the annual figures. The same permissions as the pages; records only through
the register reader, so every read is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from safeboard.core.api_helpers import require
from safeboard.core.periods import PeriodError, parse_period
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.registers import RegisterReader

from . import selectors, services
from .models import REGISTER, Arrangement

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


class FosteringTableOut(Schema):
    name: str
    header: list[str]
    rows: list[list[Any]]


class FiguresOut(Schema):
    year: str
    public: bool
    tables: list[FosteringTableOut]


@router.get(P + "/figures", response=FiguresOut, summary="The year's figures (aggregate)")
def figures(request: PartnershipRequest, partnership: str, year: str) -> Any:
    require(request, "private_fostering.view_figures")
    try:
        period = parse_period(year)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if period.kind != "fy":
        raise HttpError(400, "Give a financial year, e.g. 2016-17")
    public = not request.member.may_open(REGISTER)
    found = selectors.files(period, timezone.localdate(), public)
    return FiguresOut(
        year=period.label,
        public=public,
        tables=[FosteringTableOut(name=n, header=h, rows=r) for n, (h, r) in found.items()],
    )


@router.get(P + "/{arrangement_id}", response=ArrangementOut, summary="One arrangement (logged)")
def get_arrangement(request: PartnershipRequest, partnership: str, arrangement_id: int) -> Any:
    """404 for anyone the register does not name: a record's existence is not confirmed."""
    return _out(_reader(request).get(REGISTER, Arrangement.objects.all(), pk=arrangement_id))


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
