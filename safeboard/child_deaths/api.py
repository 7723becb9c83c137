"""API of the child death register. Only the register's roles get in (others: 403 on the
lists, 404 on a record); every record handed out is in the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from safeboard.core.api_helpers import PatchSchema, require
from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.models import Agency, Area
from safeboard.partnership.registers import EXPORTED, RegisterReader

from . import ncmd, selectors, services
from .apps import REGISTER
from .models import AgencyForm, ChildDeath, Factor, Recommendation

router = Router(tags=["Child death reviews"])
P = "/partnerships/{partnership}/child-deaths"
VIEW = "child_deaths.view"
MANAGE = "child_deaths.manage"


class FormOut(Schema):
    id: int
    agency_id: int
    agency: str
    requested_on: dt.date
    due: dt.date
    received_on: dt.date | None
    complete: bool | None
    form_version: str


class DeathMeetingOut(Schema):
    id: int
    kind: str
    held_on: dt.date
    agency_ids: list[int]
    attendance: str


class DeathReviewOut(Schema):
    panel_date: dt.date | None
    completed_on: dt.date | None
    category: int | None
    modifiable: bool | None
    modifiable_factors: str
    learning: str
    time_band: str | None
    released_on: dt.date | None
    case_review_id: int | None
    form_version: str


class DeathOut(Schema):
    id: int
    reference: str
    partnership: str
    first_name: str
    surname: str
    nhs_number: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    home_area_id: int | None
    date_of_death: dt.date
    age_band: str
    place_of_death: str
    notified_on: dt.date | None
    notifier: str
    expected: bool | None
    jar_needed: bool
    jar_reasons: list[str]
    panel_id: int | None
    status: str
    form_version: str


class DeathFactorOut(Schema):
    id: int
    domain: str
    description: str
    grade: int


class DeathRecommendationOut(Schema):
    id: int
    text: str
    action_id: int | None
    released: bool


class DeathDetailOut(DeathOut):
    forms: list[FormOut]
    meetings: list[DeathMeetingOut]
    review: DeathReviewOut | None
    factors: list[DeathFactorOut]
    recommendations: list[DeathRecommendationOut]


class DeathIn(Schema):
    panel_id: int | None = None
    home_area_id: int
    reference: str = ""
    first_name: str = ""
    surname: str = ""
    nhs_number: str = ""
    date_of_birth: dt.date
    sex: str = "unknown"
    ethnicity: str = "not_known"
    date_of_death: dt.date
    place_of_death: str = "not_known"
    notified_on: dt.date | None = None
    notifier: str = ""
    expected: bool | None = None
    jar_needed: bool = False
    jar_reasons: list[str] = []


class DeathPatch(PatchSchema):
    """The notification's details (the panel and home area, which decide who holds the
    record, are fixed once it is made)."""

    nullable: ClassVar[frozenset[str]] = frozenset(
        {"notified_on", "expected", "notifier_agency_id"}
    )

    first_name: str | None = None
    surname: str | None = None
    nhs_number: str | None = None
    date_of_birth: dt.date | None = None
    sex: str | None = None
    ethnicity: str | None = None
    date_of_death: dt.date | None = None
    place_of_death: str | None = None
    notified_on: dt.date | None = None
    notifier: str | None = None
    notifier_agency_id: int | None = None
    expected: bool | None = None
    jar_needed: bool | None = None
    jar_reasons: list[str] | None = None


class DeathMeetingIn(Schema):
    kind: str
    held_on: dt.date
    agency_ids: list[int] = []
    attendance: str = ""


class ReleaseIn(Schema):
    released_on: dt.date


class ReleaseOut(Schema):
    released_on: dt.date
    released: int


class FormsIn(Schema):
    agency_ids: list[int]
    requested_on: dt.date


class ReceiptIn(Schema):
    received_on: dt.date | None
    complete: bool | None = None


class DeathReviewIn(Schema):
    panel_date: dt.date | None = None
    completed_on: dt.date | None = None
    category: int | None = None
    modifiable: bool | None = None
    modifiable_factors: str = ""
    learning: str = ""
    case_review_id: int | None = None


class DeathFactorIn(Schema):
    domain: str
    description: str
    grade: int


class DeathRecommendationIn(Schema):
    text: str
    owner_agency_id: int | None = None
    due: dt.date


class AgencyFormsOut(Schema):
    agency_id: int
    agency: str
    outstanding: int
    late: int
    returned: int
    returned_on_time: int
    incomplete: int
    late_form_ids: list[int]


class TableRowOut(Schema):
    row: str
    number: int
    percent: int | None
    england_percent: float | None


class DeathTableOut(Schema):
    table: str
    title: str
    year: str
    total: int
    rows: list[TableRowOut]


def _death_out(death: ChildDeath) -> dict[str, Any]:
    return {
        **{name: getattr(death, name) for name in DeathOut.model_fields if hasattr(death, name)},
        "partnership": death.partnership.slug,
        "status": death.status,
    }


def _detail(death: ChildDeath) -> dict[str, Any]:
    review = death.review_or_none()
    return {
        **_death_out(death),
        "forms": [
            {
                **{n: getattr(f, n) for n in FormOut.model_fields if hasattr(f, n)},
                "agency": f.agency.name,
            }
            for f in death.forms.select_related("agency")
        ],
        "meetings": [
            {
                "id": m.pk,
                "kind": m.kind,
                "held_on": m.held_on,
                "agency_ids": [a.pk for a in m.agencies.all()],
                "attendance": m.attendance,
            }
            for m in death.meetings.all()
        ],
        "review": None
        if review is None
        else {n: getattr(review, n) for n in DeathReviewOut.model_fields},
        "factors": [] if review is None else [_factor_out(f) for f in review.factors.all()],
        "recommendations": []
        if review is None
        else [_recommendation_out(r) for r in review.recommendations.select_related("review")],
    }


def _factor_out(factor: Factor) -> dict[str, Any]:
    return {n: getattr(factor, n) for n in DeathFactorOut.model_fields}


def _recommendation_out(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "id": recommendation.pk,
        "text": recommendation.text,
        "action_id": recommendation.action_id,
        "released": recommendation.review.released_on is not None,
    }


def _death(request: PartnershipRequest, death_id: int, purpose: str = "read") -> ChildDeath:
    return RegisterReader.for_request(request).get(
        REGISTER, selectors.deaths(), purpose, pk=death_id
    )


def _managed(request: PartnershipRequest, death_id: int) -> ChildDeath:
    death = _death(request, death_id)
    require(request, MANAGE)
    return death


@router.get(P + "/deaths", response=list[DeathOut], summary="Child deaths (the register)")
def death_list(request: PartnershipRequest, partnership: str) -> Any:
    require(request, VIEW)
    found = RegisterReader.for_request(request).listing(REGISTER, selectors.deaths())
    return [_death_out(d) for d in found]


@router.post(P + "/deaths", response={201: DeathDetailOut}, summary="Notify a death")
def death_create(request: PartnershipRequest, partnership: str, payload: DeathIn) -> Any:
    require(request, MANAGE)
    data = payload.dict()
    panel_id, area_id = data.pop("panel_id"), data.pop("home_area_id")
    panel = services.panels().filter(pk=panel_id).first() if panel_id else None
    if panel_id and panel is None:
        raise ServiceError(f"There is no panel {panel_id} in this partnership")
    area = Area._base_manager.filter(
        pk=area_id,
        partnership_id__in=services.panel_partnerships(panel, request.partnership),
    ).first()
    if area is None:
        raise ServiceError(f"Area {area_id} is not one the panel serves")
    death = services.notify(partnership=request.partnership, panel=panel, home_area=area, **data)
    return Status(201, _detail(_death(request, death.pk)))


@router.get(P + "/deaths/{death_id}", response=DeathDetailOut, summary="A death and its review")
def death_detail(request: PartnershipRequest, partnership: str, death_id: int) -> Any:
    return _detail(_death(request, death_id))


@router.patch(
    P + "/deaths/{death_id}",
    response=DeathDetailOut,
    summary="Change the notification's details",
)
def death_update(
    request: PartnershipRequest, partnership: str, death_id: int, payload: DeathPatch
) -> Any:
    death = _managed(request, death_id)
    data = payload.dict(exclude_unset=True)
    if "notifier_agency_id" in data:
        agency_id = data.pop("notifier_agency_id")
        agency = None
        if agency_id is not None:
            agency = Agency.objects.filter(pk=agency_id).first()
            if agency is None:
                raise ServiceError(f"There is no agency {agency_id} in this partnership")
        data["notifier_agency"] = agency
    services.change_notification(death, **data)
    return _detail(_death(request, death_id))


@router.post(
    P + "/deaths/{death_id}/meetings",
    response={201: DeathMeetingOut},
    summary="Record a joint agency response or child death review meeting",
)
def meeting_create(
    request: PartnershipRequest, partnership: str, death_id: int, payload: DeathMeetingIn
) -> Any:
    death = _managed(request, death_id)
    allowed = {a.pk: a for a in services.involved_agencies(death)}
    missing = [i for i in payload.agency_ids if i not in allowed]
    if missing:
        raise ServiceError(f"Not agencies of the child’s partnership or panel: {missing}")
    meeting = services.record_meeting(
        death,
        kind=payload.kind,
        held_on=payload.held_on,
        agencies=[allowed[i] for i in payload.agency_ids],
        attendance=payload.attendance,
    )
    return Status(
        201,
        {
            "id": meeting.pk,
            "kind": meeting.kind,
            "held_on": meeting.held_on,
            "agency_ids": payload.agency_ids,
            "attendance": meeting.attendance,
        },
    )


@router.post(
    P + "/deaths/{death_id}/review/release",
    response=ReleaseOut,
    summary="The panel releases the review's recommendations: their actions leave the register",
)
def review_release(
    request: PartnershipRequest, partnership: str, death_id: int, payload: ReleaseIn
) -> Any:
    review = _review(request, death_id)
    count = services.release_recommendations(review, on=payload.released_on)
    return {"released_on": payload.released_on, "released": count}


@router.post(
    P + "/deaths/{death_id}/forms",
    response={201: list[FormOut]},
    summary="Ask agencies for their reporting forms",
)
def forms_request(
    request: PartnershipRequest, partnership: str, death_id: int, payload: FormsIn
) -> Any:
    death = _managed(request, death_id)
    allowed = {a.pk: a for a in services.involved_agencies(death)}
    missing = [i for i in payload.agency_ids if i not in allowed]
    if missing:
        raise ServiceError(f"Not agencies of the child’s partnership or panel: {missing}")
    made = services.request_forms(
        death, agencies=[allowed[i] for i in payload.agency_ids], requested_on=payload.requested_on
    )
    return Status(201, [{**f.__dict__, "agency": f.agency.name} for f in made])


@router.post(
    P + "/forms/{form_id}/receipt", response=FormOut, summary="Record an agency form's return"
)
def form_receipt(
    request: PartnershipRequest, partnership: str, form_id: int, payload: ReceiptIn
) -> Any:
    form = RegisterReader.for_request(request).get(
        REGISTER, AgencyForm.objects.select_related("agency"), pk=form_id
    )
    require(request, MANAGE)
    services.receive_form(form, received_on=payload.received_on, complete=payload.complete)
    return {**form.__dict__, "agency": form.agency.name}


@router.put(P + "/deaths/{death_id}/review", response=DeathReviewOut, summary="The panel's review")
def review_put(
    request: PartnershipRequest, partnership: str, death_id: int, payload: DeathReviewIn
) -> Any:
    death = _managed(request, death_id)
    review = services.record_review(death, **payload.dict())
    return {n: getattr(review, n) for n in DeathReviewOut.model_fields}


def _review(request: PartnershipRequest, death_id: int) -> Any:
    review = _managed(request, death_id).review_or_none()
    if review is None:
        raise ServiceError("Record the panel's review first")
    return review


def _managed_record(request: PartnershipRequest, queryset: Any, pk: int) -> Any:
    found = RegisterReader.for_request(request).get(REGISTER, queryset, pk=pk)
    require(request, MANAGE)
    return found


def _owner(request: PartnershipRequest, death: ChildDeath, agency_id: int | None) -> Any:
    if agency_id is None:
        if death.panel is None:
            raise ServiceError("Name the agency responsible: the death has no panel")
        return death.panel
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise ServiceError(f"There is no agency {agency_id} in this partnership")
    return agency


@router.post(
    P + "/deaths/{death_id}/review/factors",
    response={201: DeathFactorOut},
    summary="Add a contributory factor to the panel's review",
)
def factor_create(
    request: PartnershipRequest, partnership: str, death_id: int, payload: DeathFactorIn
) -> Any:
    factor = services.add_factor(_review(request, death_id), **payload.dict())
    return Status(201, _factor_out(factor))


@router.put(P + "/factors/{factor_id}", response=DeathFactorOut, summary="Correct a factor")
def factor_update(
    request: PartnershipRequest, partnership: str, factor_id: int, payload: DeathFactorIn
) -> Any:
    factor = _managed_record(request, Factor.objects.all(), factor_id)
    return _factor_out(services.change_factor(factor, **payload.dict()))


@router.delete(P + "/factors/{factor_id}", response={204: None}, summary="Remove a factor")
def factor_delete(request: PartnershipRequest, partnership: str, factor_id: int) -> Any:
    services.remove_factor(_managed_record(request, Factor.objects.all(), factor_id))
    return Status(204, None)


@router.post(
    P + "/deaths/{death_id}/review/recommendations",
    response={201: DeathRecommendationOut},
    summary="Add a recommendation of the panel (an action in the tracker, restricted until "
    "released)",
)
def recommendation_create(
    request: PartnershipRequest, partnership: str, death_id: int, payload: DeathRecommendationIn
) -> Any:
    review = _review(request, death_id)
    recommendation = services.add_recommendation(
        review,
        partnership=request.partnership,
        text=payload.text,
        owner=_owner(request, review.death, payload.owner_agency_id),
        due=payload.due,
        by=request.member.person,
    )
    return Status(201, _recommendation_out(recommendation))


def _recommendation(request: PartnershipRequest, pk: int) -> Recommendation:
    return _managed_record(
        request, Recommendation.objects.select_related("review__death", "action"), pk
    )


@router.put(
    P + "/recommendations/{recommendation_id}",
    response=DeathRecommendationOut,
    summary="Correct a recommendation not yet released, and its action",
)
def recommendation_update(
    request: PartnershipRequest,
    partnership: str,
    recommendation_id: int,
    payload: DeathRecommendationIn,
) -> Any:
    recommendation = _recommendation(request, recommendation_id)
    services.change_recommendation(
        recommendation,
        text=payload.text,
        owner=_owner(request, recommendation.review.death, payload.owner_agency_id),
        due=payload.due,
        by=request.member.person,
    )
    return _recommendation_out(recommendation)


@router.delete(
    P + "/recommendations/{recommendation_id}",
    response={204: None},
    summary="Remove a recommendation not yet released, and its action",
)
def recommendation_delete(
    request: PartnershipRequest, partnership: str, recommendation_id: int
) -> Any:
    services.remove_recommendation(_recommendation(request, recommendation_id))
    return Status(204, None)


@router.delete(
    P + "/forms/{form_id}",
    response={204: None},
    summary="Withdraw a form request made in error (not once received)",
)
def form_withdraw(request: PartnershipRequest, partnership: str, form_id: int) -> Any:
    services.withdraw_form(_managed_record(request, AgencyForm.objects.all(), form_id))
    return Status(204, None)


@router.get(
    P + "/deaths/{death_id}/ncmd",
    response=list[dict[str, str]],
    summary="A completed review in the fields of the NCMD analysis form",
)
def ncmd_fields(request: PartnershipRequest, partnership: str, death_id: int) -> Any:
    death = _death(request, death_id, EXPORTED)
    try:
        rows = ncmd.rows(death)
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    return [{"section": s, "field": f, "value": "" if v is None else str(v)} for s, f, v in rows]


@router.get(
    P + "/agency-forms",
    response=list[AgencyFormsOut],
    summary="Each agency's outstanding and late reporting forms",
)
def agency_forms(request: PartnershipRequest, partnership: str) -> Any:
    require(request, VIEW)
    found = RegisterReader.for_request(request).listing(
        REGISTER, AgencyForm.objects.select_related("agency")
    )
    today = timezone.localdate()
    return [
        {
            "agency_id": e.agency.pk,
            "agency": e.agency.name,
            "outstanding": len(e.outstanding),
            "late": len(e.late),
            "returned": e.returned,
            "returned_on_time": e.returned_on_time,
            "incomplete": e.incomplete,
            "late_form_ids": [f.pk for f in e.late],
        }
        for e in selectors.forms_by_agency(found, today)
    ]


class TablesQuery(Schema):
    year: str
    panel: bool = False


@router.get(
    P + "/tables",
    response=list[DeathTableOut],
    summary="The year's tables of completed reviews (internal: not suppressed)",
)
def tables(request: PartnershipRequest, partnership: str, query: Query[TablesQuery]) -> Any:
    require(request, VIEW)
    try:
        year = selectors.year_period(query.year).label
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    found = selectors.tables_for(year, partnership=request.partnership, panel=query.panel)
    return [
        {
            "table": t.key,
            "title": t.title,
            "year": t.year,
            "total": t.total,
            "rows": [
                {
                    "row": label,
                    "number": n,
                    "percent": share,
                    "england_percent": float(t.england[label]) if label in t.england else None,
                }
                for label, n, share in t.rows
            ],
        }
        for t in found.values()
    ]
