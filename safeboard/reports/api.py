"""API for the annual report: reports, their checks, documents with every figure's source,
and file builds."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema, Status

from safeboard.core.api_helpers import get_or_404, require
from safeboard.partnership.access import PartnershipRequest

from . import services
from .models import BuildFormat, Edition, Report, ReportBuild

router = Router(tags=["Annual report"])
P = "/partnerships/{partnership}/reports"


class SectionOut(Schema):
    key: str
    title: str
    hidden: bool
    position: int


class ReportOut(Schema):
    id: int
    year: str
    title: str
    status: str
    version: int
    as_at: date
    sections: list[SectionOut]

    @staticmethod
    def resolve_year(obj: Report) -> str:
        return obj.year_label

    @staticmethod
    def resolve_sections(obj: Report) -> list[Any]:
        return list(obj.sections.order_by("position", "pk"))


class ReportProblemOut(Schema):
    severity: str
    message: str
    section: str


class FigureOut(Schema):
    key: str
    label: str
    value: float | None
    text: str
    unit: str
    source: str


class DocumentOut(Schema):
    title: str
    partnership: str
    year: str
    edition: str
    as_at: str
    sections: list[str]
    figures: list[FigureOut]
    problems: list[ReportProblemOut]


class BuildIn(Schema):
    format: BuildFormat
    edition: Edition = Edition.BOARD


class BuildOut(Schema):
    id: int
    format: str
    edition: str
    status: str
    progress: int
    stage: str
    error: str


def _report(request: PartnershipRequest, report_id: int) -> Report:
    require(request, "reports.view")
    return get_or_404(Report.objects, pk=report_id)


@router.get(P, response=list[ReportOut])
def report_list(request: PartnershipRequest, partnership: str) -> list[Report]:
    require(request, "reports.view")
    return list(Report.objects.all())


@router.get(P + "/{report_id}", response=ReportOut)
def report_detail(request: PartnershipRequest, partnership: str, report_id: int) -> Report:
    return _report(request, report_id)


@router.get(
    P + "/{report_id}/checks",
    response=list[ReportProblemOut],
    summary="Problems that block approval, and warnings",
)
def report_checks(request: PartnershipRequest, partnership: str, report_id: int) -> list[Any]:
    report = _report(request, report_id)
    _, found = services.problems(report)
    return found


@router.get(
    P + "/{report_id}/document",
    response=DocumentOut,
    summary="The report's figures, each with its source",
)
def report_document(
    request: PartnershipRequest, partnership: str, report_id: int, edition: Edition = Edition.BOARD
) -> dict[str, Any]:
    report = _report(request, report_id)
    doc = services.document(report, edition)
    return {
        "title": doc.title,
        "partnership": doc.partnership,
        "year": doc.year,
        "edition": doc.edition,
        "as_at": doc.as_at,
        "sections": [s.title for s in doc.sections],
        "figures": [
            {
                **f.__dict__,
                "value": float(f.value)
                if isinstance(f.value, int | float) and not f.suppressed
                else None,
            }
            for f in doc.figures.values()
        ],
        "problems": doc.problems,
    }


@router.post(
    P + "/{report_id}/builds",
    response={202: BuildOut},
    summary="Build a PDF, Word or HTML file in the background",
)
def build_start(
    request: PartnershipRequest, partnership: str, report_id: int, payload: BuildIn
) -> Status:
    report = _report(request, report_id)
    build = services.request_build(
        report, fmt=payload.format, edition=payload.edition, by=request.user
    )
    build.refresh_from_db()
    return Status(202, build)


@router.get(P + "/{report_id}/builds/{build_id}", response=BuildOut)
def build_detail(
    request: PartnershipRequest, partnership: str, report_id: int, build_id: int
) -> ReportBuild:
    _report(request, report_id)
    return get_or_404(ReportBuild.objects, pk=build_id, report_id=report_id)
