"""API for the dataset: indicators and their figures, scorecards, collection rounds and
agencies' returns (agency systems POST their figures here), and national rankings. Each
endpoint checks the same permissions as the web pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from safeboard.core import periods
from safeboard.core.api_helpers import Id, get_or_404, require
from safeboard.core.errors import ServiceError
from safeboard.core.periods import PeriodError
from safeboard.core.tables import TableRow
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.models import Agency

from . import comparators, selectors, services
from .models import (
    AgencyReturn,
    CollectionRound,
    Frequency,
    Indicator,
    Measure,
    PeriodKind,
    Polarity,
    Target,
    Theme,
    Unit,
    Value,
)
from .rag import TargetError, parse_target, parse_tolerance
from .rules import leads_agency
from .services import ValidationFailed
from .validation import CODE_PATTERN

router = Router(tags=["Performance"])
P = "/partnerships/{partnership}"
VIEW = "performance.view"
MANAGE = "performance.manage"
ROUNDS = "performance.view_rounds"


# --- schemas ------------------------------------------------------------------------------


class TargetOut(Schema):
    applies_from: str | None = Field(description="First financial year, or null: always")
    target: str | None = Field(description="A number (80) or a band (5-7.5); null: not set")
    tolerance: str = Field(description="In the unit (2) or a percentage of the target (10%)")

    @staticmethod
    def resolve_applies_from(obj: Target) -> str | None:
        return periods.fy_label(obj.from_year) if obj.from_year else None

    @staticmethod
    def resolve_target(obj: Target) -> str | None:
        return obj.label or None

    @staticmethod
    def resolve_tolerance(obj: Target) -> str:
        return obj.tolerance_label


class IndicatorOut(Schema):
    id: int
    code: str
    title: str
    definition: str
    numerator_definition: str
    denominator_definition: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    period_kind: str
    owner_id: int | None
    source: str
    themes: list[str]
    national_code: str
    change_threshold: float
    active: bool
    targets: list[TargetOut]

    @staticmethod
    def resolve_themes(obj: Indicator) -> list[str]:
        return [t.name for t in obj.themes.all()]

    @staticmethod
    def resolve_targets(obj: Indicator) -> list[Target]:
        return list(obj.targets.all())


class IndicatorIn(Schema):
    code: str = Field(min_length=1, max_length=20, pattern=CODE_PATTERN.pattern)
    title: str = Field(min_length=1, max_length=200)
    unit: Unit
    polarity: Polarity = Polarity.NONE
    decimals: int | None = Field(None, ge=0, le=4)
    frequency: Frequency = Frequency.QUARTERLY
    period_kind: PeriodKind = PeriodKind.FLOW
    owner_id: int | None = None
    source: str = Field("", max_length=200)
    themes: list[str] = Field(default_factory=list)
    national_code: str = Field("", max_length=80)
    definition: str = ""
    numerator_definition: str = ""
    denominator_definition: str = ""
    change_threshold: float = Field(25, gt=0, le=10000)
    target: str | None = Field(None, description="A number (80), a band (5-7.5) or null")
    tolerance: str | None = Field(None, description="2, or 10%; default 10%")


class TargetIn(Schema):
    applies_from: str | None = Field(None, description="A financial year, 2025-26; null: always")
    target: str | None = None
    tolerance: str | None = None
    note: str = Field("", max_length=200)


class ValueOut(Schema):
    indicator: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    note: str
    version: int
    released: bool
    agency_id: int | None

    @staticmethod
    def resolve_indicator(obj: Value) -> str:
        return obj.indicator.code


class ScorecardRowOut(Schema):
    indicator: str
    title: str
    unit: str
    period: str
    value: float | int | str = Field(description="As displayed (rounded), or the reason")
    raw_value: float | None
    status: str
    target: str | None
    rag: str | None
    rag_overridden: bool
    previous_period: str
    previous_value: float | int | str
    trend: str | None
    england: float | int | None
    region: float | int | None
    statistical_neighbours: float | int | None
    rank: int | None
    quartile: str | None


class ReturnSummaryOut(Schema):
    agency_id: int
    agency: str
    status: str
    expected: int | None = None
    given: int | None = None
    days_overdue: int | None = None


class RoundOut(Schema):
    id: int
    period: str
    due: dt.date
    status: str
    returns: list[ReturnSummaryOut]


class RoundIn(Schema):
    period: str = Field(min_length=1, max_length=30, description="2026-27 Q2, 2026-09, 2026-27")
    due: dt.date


class ReturnRowOut(Schema):
    indicator: str
    title: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    note: str
    comment: str
    given: bool
    released: bool
    query: str
    needs_comment: bool


class ReturnOut(Schema):
    round_id: int
    period: str
    agency_id: int
    agency: str
    status: str
    signed_off_by_business_unit: bool = Field(
        description="Signed off by the business unit in place of the agency's lead (it had none)"
    )
    rows: list[ReturnRowOut]


class ValueIn(Schema):
    indicator: str = Field(min_length=1, max_length=20)
    period: str = Field(min_length=1, max_length=30)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    status: str = Field(
        "",
        max_length=3,
        description="c, x, z, u or tbc when there is no figure; tbc or u beside a figure",
    )
    note: str = ""
    comment: str = Field("", description="Why the figure changed a lot, when it did")


class ReturnValuesIn(Schema):
    values: list[ValueIn] = Field(max_length=2000)


class ProblemOut(Schema):
    row: int | None
    field: str
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)


class RankedOut(Schema):
    rank: int
    la_number: int
    name: str
    value: float
    quartile: str | None


class RankingOut(Schema):
    measure: str
    name: str
    period: str
    polarity: str
    areas: list[RankedOut]


# --- helpers ------------------------------------------------------------------------------


def _indicators() -> Any:
    return Indicator.objects.prefetch_related("themes", "targets")


def _period(text: str) -> periods.Period:
    try:
        return periods.parse_period(text)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc


def _target_args(target: str | None, tolerance: str | None) -> dict[str, Any]:
    try:
        return {
            "target": parse_target(target) if target is not None else None,
            "tolerance": parse_tolerance(tolerance) if tolerance is not None else None,
        }
    except TargetError as exc:
        raise HttpError(400, str(exc)) from exc


def _round_out(request: PartnershipRequest, collection: CollectionRound) -> dict[str, Any]:
    member = request.member
    visible = {r.pk for r in selectors.visible_returns(member, collection)}
    if request.user.has_perm(MANAGE, request.partnership):
        returns = [
            {
                "agency_id": c.agency_return.agency_id,
                "agency": c.agency_return.agency.short_name,
                "status": c.agency_return.status,
                "expected": c.expected,
                "given": c.given,
                "days_overdue": c.days_overdue,
            }
            for c in selectors.completeness(collection)
        ]
    else:
        returns = [
            {"agency_id": r.agency_id, "agency": r.agency.short_name, "status": r.status}
            for r in collection.returns.select_related("agency")
            if r.pk in visible
        ]
    return {
        "id": collection.pk,
        "period": collection.period,
        "due": collection.due,
        "status": collection.status,
        "returns": returns,
    }


def _return(request: PartnershipRequest, round_id: Id, agency_id: Id) -> AgencyReturn:
    require(request, ROUNDS)
    agency_return = selectors.readable_return(request.member, round_id, agency_id)
    if agency_return is None:
        raise HttpError(404, "Not found")
    return agency_return


def _return_out(agency_return: AgencyReturn) -> dict[str, Any]:
    rows = []
    for row in selectors.return_rows(agency_return):
        value = row.value
        rows.append(
            {
                "indicator": row.indicator.code,
                "title": row.indicator.title,
                "period": row.period.label,
                "value": value.value if value else None,
                "numerator": value.numerator if value else None,
                "denominator": value.denominator if value else None,
                "status": value.status if value else "",
                "note": value.note if value else "",
                "comment": value.query_comment if value else "",
                "given": value is not None,
                "released": bool(value and value.released),
                "query": row.query,
                "needs_comment": row.needs_comment,
            }
        )
    return {
        "round_id": agency_return.round_id,
        "period": agency_return.round.period,
        "agency_id": agency_return.agency_id,
        "agency": agency_return.agency.short_name,
        "status": agency_return.status,
        "signed_off_by_business_unit": agency_return.signed_off_by_business_unit,
        "rows": rows,
    }


def _text(number: float | None) -> str:
    return "" if number is None else repr(number)


# --- endpoints ----------------------------------------------------------------------------


@router.get(P + "/indicators", response=list[IndicatorOut], summary="The dataset's indicators")
def indicator_list(request: PartnershipRequest, partnership: str, theme: str | None = None):
    require(request, VIEW)
    indicators = _indicators()
    if theme:
        indicators = indicators.filter(themes__slug=theme)
    return list(indicators)


@router.post(P + "/indicators", response={201: IndicatorOut}, summary="Add an indicator")
def indicator_create(request: PartnershipRequest, partnership: str, payload: IndicatorIn):
    require(request, MANAGE)
    data = payload.dict()
    owner = get_or_404(Agency.objects, pk=data.pop("owner_id")) if payload.owner_id else None
    target_args = _target_args(data.pop("target"), data.pop("tolerance"))
    if data["decimals"] is None:
        data.pop("decimals")
    indicator = services.create_indicator(
        request.partnership,
        code=data.pop("code"),
        title=data.pop("title"),
        unit=data.pop("unit"),
        user=request.user,
        themes=data.pop("themes"),
        owner=owner,
        **target_args,
        **data,
    )
    return Status(201, get_or_404(_indicators(), pk=indicator.pk))


@router.get(P + "/indicators/{indicator_id}", response=IndicatorOut)
def indicator_detail(request: PartnershipRequest, partnership: str, indicator_id: Id):
    require(request, VIEW)
    return get_or_404(_indicators(), pk=indicator_id)


@router.post(
    P + "/indicators/{indicator_id}/targets",
    response=TargetOut,
    summary="Set a target from a financial year",
)
def target_set(request: PartnershipRequest, partnership: str, indicator_id: Id, payload: TargetIn):
    indicator = get_or_404(Indicator.objects, pk=indicator_id)
    require(request, MANAGE)
    from_year = None
    if payload.applies_from:
        period = _period(payload.applies_from)
        if period.kind != "fy":
            raise HttpError(400, f"‘{payload.applies_from}’ is not a financial year: 2025-26")
        from_year = period.start.year
    args = _target_args(payload.target, payload.tolerance)
    if args["target"] is None:
        args["target"] = (None, None)
    return services.set_target(indicator, from_year=from_year, note=payload.note, **args)


@router.get(P + "/indicators/{indicator_id}/values", response=list[ValueOut])
def value_list(request: PartnershipRequest, partnership: str, indicator_id: Id):
    """Current figures, oldest first (released ones only, unless you manage the dataset)."""
    require(request, VIEW)
    indicator = get_or_404(Indicator.objects, pk=indicator_id)
    values = Value.objects.filter(indicator=indicator, current=True).select_related("indicator")
    if not request.user.has_perm(MANAGE, request.partnership):
        values = values.filter(released=True)
    return list(values.order_by("period_end"))


@router.get(
    P + "/scorecard",
    response=list[ScorecardRowOut],
    summary="The scorecard for a reporting period",
)
def scorecard(
    request: PartnershipRequest,
    partnership: str,
    period: str,
    theme: str | None = None,
    public: bool = False,
):
    """Each indicator's figure as at the end of `period` (such as 2026-27 Q2), with target,
    RAG, trend and national comparators. `public=true` applies disclosure control."""
    require(request, VIEW)
    found = _period(period)
    chosen = None
    if theme:
        chosen = get_or_404(Theme.objects, slug=theme)
    card = selectors.scorecard(request.partnership, found, chosen, public=public)
    return card.as_list()


@router.get(P + "/rounds", response=list[RoundOut], summary="Collection rounds")
def round_list(request: PartnershipRequest, partnership: str):
    require(request, ROUNDS)
    return [_round_out(request, r) for r in CollectionRound.objects.all()[:100]]


@router.post(P + "/rounds", response={201: RoundOut}, summary="Open a collection round")
def round_create(request: PartnershipRequest, partnership: str, payload: RoundIn):
    require(request, MANAGE)
    collection = services.open_round(
        request.partnership, period=payload.period, due=payload.due, user=request.user
    )
    return Status(201, _round_out(request, collection))


@router.get(P + "/rounds/{round_id}", response=RoundOut)
def round_detail(request: PartnershipRequest, partnership: str, round_id: Id):
    require(request, ROUNDS)
    return _round_out(request, get_or_404(CollectionRound.objects, pk=round_id))


@router.post(P + "/rounds/{round_id}/lock", response=RoundOut, summary="Lock a round")
def round_lock(request: PartnershipRequest, partnership: str, round_id: Id):
    collection = get_or_404(CollectionRound.objects, pk=round_id)
    require(request, MANAGE)
    return _round_out(request, services.lock_round(collection, user=request.user))


@router.get(P + "/rounds/{round_id}/returns/{agency_id}", response=ReturnOut)
def return_detail(request: PartnershipRequest, partnership: str, round_id: Id, agency_id: Id):
    return _return_out(_return(request, round_id, agency_id))


@router.post(
    P + "/rounds/{round_id}/returns/{agency_id}/values",
    response={200: ReturnOut, 400: ProblemsOut},
    summary="Give figures for an agency's return",
)
def return_values(
    request: PartnershipRequest,
    partnership: str,
    round_id: Id,
    agency_id: Id,
    payload: ReturnValuesIn,
):
    """All figures are checked before any is saved; problems name the item (row 1 is the
    first) and field."""
    agency_return = _return(request, round_id, agency_id)
    require(request, "performance.enter_return", agency_return)
    rows = [
        TableRow(
            number,
            {
                "indicator": item.indicator,
                "period": item.period,
                "value": _text(item.value),
                "numerator": _text(item.numerator),
                "denominator": _text(item.denominator),
                "status": item.status,
                "note": item.note,
                "comment": item.comment,
            },
        )
        for number, item in enumerate(payload.values, start=1)
    ]
    try:
        services.enter_return_values(agency_return, rows, user=request.user)
    except ValidationFailed as exc:
        return Status(
            400,
            {
                "detail": str(exc),
                "problems": [
                    {"row": p.row, "field": p.column, "message": p.message} for p in exc.problems
                ],
            },
        )
    return _return_out(agency_return)


@router.post(
    P + "/rounds/{round_id}/returns/{agency_id}/sign-off",
    response=ReturnOut,
    summary="Sign off an agency's return (its lead; the business unit for an agency with none)",
)
def return_sign_off(request: PartnershipRequest, partnership: str, round_id: Id, agency_id: Id):
    agency_return = _return(request, round_id, agency_id)
    require(request, "performance.sign_off", agency_return)
    services.sign_off_return(
        agency_return,
        user=request.user,
        by_business_unit=not leads_agency(request.user, agency_return),
    )
    return _return_out(agency_return)


@router.get(
    P + "/comparators/ranking",
    response=RankingOut,
    summary="Every local authority ranked on a national measure",
)
def ranking(request: PartnershipRequest, partnership: str, measure: str, period: str | None = None):
    require(request, VIEW)
    found = get_or_404(Measure.objects, code=measure)
    available = list(found.periods.order_by("-period_end").values_list("period", flat=True))
    if not available:
        raise HttpError(404, "No figures for this measure")
    chosen = period if period in available else None
    if period and chosen is None:
        raise ServiceError(f"{measure} has no figures for ‘{period}’: " + ", ".join(available))
    chosen = chosen or available[0]
    indicator = Indicator.objects.filter(national_code=measure).first()
    polarity = indicator.polarity if indicator else found.polarity
    return {
        "measure": found.code,
        "name": found.name,
        "period": chosen,
        "polarity": polarity,
        "areas": [
            {
                "rank": r.rank,
                "la_number": r.area.la_number,
                "name": r.area.name,
                "value": r.value,
                "quartile": r.quartile,
            }
            for r in comparators.ranking(found, chosen, polarity)
        ],
    }
