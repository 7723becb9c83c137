"""API for case reviews, with the permissions of the web pages (learning/rules.py): the case
review officer reads and writes case records (through the register reader, every read
logged); every other member reads the published reviews, their lessons and recommendations,
and the learning themes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from safeboard.core.api_helpers import Id, PatchSchema, get_or_404, require
from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.models import Agency
from safeboard.partnership.registers import RegisterReader

from . import selectors, services
from .apps import CASE_REVIEWS
from .models import (
    AssuranceRequest,
    CaseReview,
    LearningTheme,
    Lesson,
    Milestone,
    PanelMember,
    ParallelProcess,
    Recommendation,
)

router = Router(tags=["Case reviews"])
P = "/partnerships/{partnership}"
MANAGE = "learning.manage"
MANAGE_THEMES = "learning.manage_themes"


# --- schemas ------------------------------------------------------------------------------


class LessonOut(Schema):
    id: int
    text: str
    themes: list[str]


class RecommendationOut(Schema):
    number: int
    text: str
    agency: str
    action_id: int | None
    action_state: str | None


class PublishedOut(Schema):
    id: int
    child: str
    kind: str
    published_on: dt.date
    published_url: str
    in_national_repository: bool
    lessons: list[LessonOut]
    recommendations: list[RecommendationOut]


class CaseReviewClockOut(Schema):
    review: str
    clock: str
    starts: dt.date
    due: dt.date
    done: dt.date | None
    state: str
    working_days_left: int | None


class CaseReviewRecategorisationOut(Schema):
    on: dt.date
    from_kind: str
    to_kind: str
    reason: str


class CaseReviewPanelMemberOut(Schema):
    id: int
    agency: str
    agency_id: int
    name: str
    role: str


class CaseReviewMilestoneOut(Schema):
    id: int
    title: str
    due: dt.date
    done_on: dt.date | None


class ProcessOut(Schema):
    id: int
    kind: str
    description: str
    status: str
    concluded_on: dt.date | None


class CaseReviewDisseminationOut(Schema):
    training_updated_on: dt.date | None
    procedures_updated_on: dt.date | None
    website_on: dt.date | None
    briefing_on: dt.date | None
    learning_event_on: dt.date | None


class CaseReviewAssuranceOut(Schema):
    id: int
    agency: str
    agency_id: int
    requested_on: dt.date
    responded_on: dt.date | None
    response: str


class CaseReviewOut(Schema):
    id: int
    reference: str
    child: str
    kind: str
    stage: str
    incident_date: dt.date | None
    incident_known: dt.date | None
    harm: str
    age_group: str
    sex: str
    ethnicity: str
    disability: str
    looked_after: str
    child_protection_plan: str
    known_to: list[str]
    notified_on: dt.date | None
    notification_reference: str
    rapid_review_on: dt.date | None
    outcome: str
    no_lcspr_reason: str
    decided_on: dt.date | None
    panel_response_on: dt.date | None
    panel_response: str
    reviewer: str
    terms_of_reference: str
    scope_from: dt.date | None
    scope_to: dt.date | None
    family_involvement: str
    cost: Decimal | None = Field(
        description="What the review cost, in pounds (to be fed to the budget module, which "
        "does not exist yet)"
    )
    draft_on: dt.date | None
    final_on: dt.date | None
    published_on: dt.date | None
    published_url: str
    in_national_repository: bool
    recategorisations: list[CaseReviewRecategorisationOut]
    panel: list[CaseReviewPanelMemberOut]
    milestones: list[CaseReviewMilestoneOut]
    processes: list[ProcessOut]
    dissemination: CaseReviewDisseminationOut
    assurance: list[CaseReviewAssuranceOut]
    clocks: list[CaseReviewClockOut]
    lessons: list[LessonOut]
    recommendations: list[RecommendationOut]


class CaseReviewIn(Schema):
    reference: str
    child: str
    kind: str = "rapid_review"
    incident_date: dt.date | None = None
    incident_known: dt.date | None = None
    harm: str = ""
    age_group: str = ""
    sex: str = ""
    ethnicity: str = ""
    disability: str = ""
    looked_after: str = ""
    child_protection_plan: str = ""
    known_to: list[int] = []
    notified_on: dt.date | None = None
    notification_reference: str = ""


class RapidReviewIn(Schema):
    held_on: dt.date
    agencies_present: list[int] = []
    outcome: str = ""
    no_lcspr_reason: str = ""
    decided_on: dt.date | None = None
    panel_response_on: dt.date | None = None
    panel_response: str = ""


class PublishIn(Schema):
    on: dt.date
    url: str = ""
    in_national_repository: bool = False


class ProcessIn(Schema):
    kind: str
    description: str = ""


class ConcludeIn(Schema):
    on: dt.date


class CaseReviewPatch(PatchSchema):
    """Any of the case's fields: the incident and its notification, the local review, the
    dissemination checklist (the date each step was done). Null clears a date or the cost."""

    nullable = frozenset(
        {
            "incident_date", "incident_known", "notified_on", "scope_from", "scope_to", "cost",
            "draft_on", "final_on", "training_updated_on", "procedures_updated_on",
            "website_on", "briefing_on", "learning_event_on",
        }
    )  # fmt: skip

    reference: str | None = Field(None, max_length=30)
    child: str | None = Field(None, max_length=20)
    incident_date: dt.date | None = None
    incident_known: dt.date | None = None
    harm: str | None = None
    age_group: str | None = None
    sex: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    looked_after: str | None = None
    child_protection_plan: str | None = None
    known_to: list[int] | None = None
    notified_on: dt.date | None = None
    notification_reference: str | None = Field(None, max_length=40)
    reviewer: str | None = Field(None, max_length=200)
    terms_of_reference: str | None = None
    scope_from: dt.date | None = None
    scope_to: dt.date | None = None
    family_involvement: str | None = None
    cost: Decimal | None = Field(None, max_digits=10, decimal_places=2)
    draft_on: dt.date | None = None
    final_on: dt.date | None = None
    training_updated_on: dt.date | None = None
    procedures_updated_on: dt.date | None = None
    website_on: dt.date | None = None
    briefing_on: dt.date | None = None
    learning_event_on: dt.date | None = None


class CaseReviewRecategoriseIn(Schema):
    to_kind: str
    on: dt.date
    reason: str = Field(min_length=1)


class CaseReviewPanelMemberIn(Schema):
    agency_id: int
    name: str = Field(min_length=1, max_length=200)
    role: str = Field("", max_length=200)


class CaseReviewMilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due: dt.date
    done_on: dt.date | None = None


class CaseReviewAssuranceIn(Schema):
    agency_id: int
    requested_on: dt.date


class CaseReviewAssuranceResponseIn(Schema):
    response: str = Field(min_length=1)
    on: dt.date


class LessonIn(Schema):
    text: str
    theme_ids: list[int] = []


class RecommendationIn(Schema):
    text: str
    agency_id: int
    due: dt.date


class LearningThemeIn(Schema):
    name: str
    description: str = ""


class LearningThemeOut(Schema):
    id: int
    name: str
    description: str
    lessons: int | str
    reviews: int | str
    by_year: dict[str, int | str]


# --- helpers ------------------------------------------------------------------------------


def _agencies(ids: list[int]) -> list[Agency]:
    found = list(Agency.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ServiceError("An agency named is not one of this partnership")
    return found


def _related() -> list[Any]:
    """What a case as given holds, fetched for many cases at once (built per call: a
    partnership's querysets run only in its scope)."""
    return [
        "known_to",
        "recategorisations",
        "milestones",
        "processes",
        Prefetch("panel", queryset=PanelMember.objects.select_related("agency")),
        Prefetch("assurance", queryset=AssuranceRequest.objects.select_related("agency")),
        Prefetch("lessons", queryset=Lesson.objects.prefetch_related("themes")),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("agency", "action"),
        ),
    ]


def _lessons(review: CaseReview) -> list[LessonOut]:
    prefetch_related_objects(
        [review], Prefetch("lessons", Lesson.objects.prefetch_related("themes"))
    )
    return [
        LessonOut(id=lesson.pk, text=lesson.text, themes=[t.name for t in lesson.themes.all()])
        for lesson in review.lessons.all()
    ]


def _recommendations(review: CaseReview) -> list[RecommendationOut]:
    prefetch_related_objects(
        [review],
        Prefetch("recommendations", Recommendation.objects.select_related("agency", "action")),
    )
    return [
        RecommendationOut(
            number=r.number,
            text=r.text,
            agency=r.agency.name,
            action_id=r.action_id,
            action_state=r.action.state if r.action else None,
        )
        for r in review.recommendations.all()
    ]


def _published(review: CaseReview) -> PublishedOut:
    assert review.published_on is not None
    return PublishedOut(
        id=review.pk,
        child=review.child,
        kind=review.kind,
        published_on=review.published_on,
        published_url=review.published_url,
        in_national_repository=review.in_national_repository,
        lessons=_lessons(review),
        recommendations=_recommendations(review),
    )


def _full(review: CaseReview, clocks: list[selectors.ClockLine] | None = None) -> CaseReviewOut:
    """The whole case: its fields, parts, clocks (`clocks`, when worked out for many cases
    at once), lessons and recommendations."""
    names = {
        "incident_date", "incident_known", "harm", "sex", "ethnicity", "disability",
        "looked_after", "child_protection_plan", "notified_on", "notification_reference",
        "rapid_review_on", "outcome", "no_lcspr_reason", "decided_on", "panel_response_on",
        "panel_response", "published_on", "published_url", "in_national_repository",
        "reference", "child", "kind", *services.LOCAL_REVIEW_FIELDS,
    }  # fmt: skip
    if clocks is None:
        clocks = selectors.clock_lines(timezone.localdate(), [review])
    prefetch_related_objects([review], *_related())
    return CaseReviewOut(
        id=review.pk,
        stage=review.stage,
        age_group=review.age_band,
        known_to=[a.short_name for a in review.known_to.all()],
        recategorisations=[
            CaseReviewRecategorisationOut(
                on=c.on, from_kind=c.from_kind, to_kind=c.to_kind, reason=c.reason
            )
            for c in review.recategorisations.all()
        ],
        panel=[_panel_member(m) for m in review.panel.all()],
        milestones=[CaseReviewMilestoneOut.from_orm(m) for m in review.milestones.all()],
        processes=[ProcessOut.from_orm(p) for p in review.processes.all()],
        dissemination=CaseReviewDisseminationOut(
            **{name: getattr(review, name) for name in services.DISSEMINATION_FIELDS}
        ),
        assurance=[_assurance(a) for a in review.assurance.all()],
        clocks=[CaseReviewClockOut(**line.as_dict()) for line in clocks],
        lessons=_lessons(review),
        recommendations=_recommendations(review),
        **{name: getattr(review, name) for name in names},
    )


def _panel_member(member: Any) -> CaseReviewPanelMemberOut:
    return CaseReviewPanelMemberOut(
        id=member.pk,
        agency=member.agency.name,
        agency_id=member.agency_id,
        name=member.name,
        role=member.role,
    )


def _assurance(asked: AssuranceRequest) -> CaseReviewAssuranceOut:
    return CaseReviewAssuranceOut(
        id=asked.pk,
        agency=asked.agency.name,
        agency_id=asked.agency_id,
        requested_on=asked.requested_on,
        responded_on=asked.responded_on,
        response=asked.response,
    )


def _part_review(request: PartnershipRequest, part: Any) -> CaseReview:
    """The case a part (a milestone, a process, a request for assurance) belongs to, through
    the register reader: 404 unless the member may open it; the read is logged."""
    return _review(request, part.review_id)


def _review(request: PartnershipRequest, review_id: int) -> CaseReview:
    """A case record through the register reader: 404 unless the member may open it."""
    return RegisterReader.for_request(request).get(
        CASE_REVIEWS, CaseReview.objects.all(), pk=review_id
    )


# --- endpoints ----------------------------------------------------------------------------


@router.get(
    P + "/reviews",
    response=list[CaseReviewOut] | list[PublishedOut],
    summary="Case reviews: every case for the case review officer, published ones for others",
)
def review_list(request: PartnershipRequest, partnership: str) -> Any:
    if request.member.may_open(CASE_REVIEWS):
        reviews = RegisterReader.for_request(request).listing(
            CASE_REVIEWS, CaseReview.objects.prefetch_related(*_related())
        )
        by_review: dict[str, list[selectors.ClockLine]] = defaultdict(list)
        for line in selectors.clock_lines(timezone.localdate(), reviews):
            by_review[line.review].append(line)
        return [_full(r, by_review[r.reference]) for r in reviews]
    published = selectors.published_reviews().prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.prefetch_related("themes")),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("agency", "action"),
        ),
    )
    return [_published(r) for r in published]


@router.post(P + "/reviews", response={201: CaseReviewOut}, summary="Record a case")
def review_create(request: PartnershipRequest, partnership: str, payload: CaseReviewIn) -> Any:
    require(request, MANAGE)
    data = payload.dict()
    review = services.create_review(
        partnership=request.partnership,
        reference=data.pop("reference"),
        child=data.pop("child"),
        kind=data.pop("kind"),
        known_to=_agencies(data.pop("known_to")),
        age_band=data.pop("age_group"),
        **data,
    )
    # The answer hands out the whole record: through the reader, so the read is logged.
    return Status(201, _full(_review(request, review.pk)))


@router.get(
    P + "/reviews/clocks",
    response=list[CaseReviewClockOut],
    summary="Every statutory clock of every review (the case review officer)",
)
def review_clocks(request: PartnershipRequest, partnership: str) -> Any:
    reader = RegisterReader.for_request(request)
    if not request.member.may_open(CASE_REVIEWS):
        raise HttpError(404, "Not found")
    reviews = reader.listing(CASE_REVIEWS, CaseReview.objects.all())
    return [line.as_dict() for line in selectors.clock_lines(timezone.localdate(), reviews)]


@router.get(
    P + "/reviews/{review_id}",
    response=CaseReviewOut | PublishedOut,
    summary="A case (the case review officer) or a published review (every member)",
)
def review_detail(request: PartnershipRequest, partnership: str, review_id: Id) -> Any:
    if request.member.may_open(CASE_REVIEWS):
        return _full(_review(request, review_id))
    return _published(get_or_404(selectors.published_reviews(), pk=review_id))


@router.patch(
    P + "/reviews/{review_id}",
    response=CaseReviewOut,
    summary="Change a case: the incident and notification, the local review (reviewer, "
    "terms of reference, scope, family involvement, cost, report dates), the dissemination "
    "checklist",
)
def review_update(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: CaseReviewPatch
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    data = payload.dict(exclude_unset=True)
    if "age_group" in data:
        data["age_band"] = data.pop("age_group")
    known_to = data.pop("known_to", None)
    services.update_review(
        review, known_to=None if known_to is None else _agencies(known_to), **data
    )
    return _full(review)


@router.post(
    P + "/reviews/{review_id}/recategorise",
    response={201: CaseReviewRecategorisationOut},
    summary="Re-categorise a review (its kind changes; the date and reason are kept)",
)
def review_recategorise(
    request: PartnershipRequest,
    partnership: str,
    review_id: Id,
    payload: CaseReviewRecategoriseIn,
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    change = services.recategorise(review, by=request.member.person, **payload.dict())
    return Status(201, change)


@router.post(
    P + "/reviews/{review_id}/panel",
    response={201: CaseReviewPanelMemberOut},
    summary="Add a member of the review's panel, for an agency",
)
def panel_member_create(
    request: PartnershipRequest,
    partnership: str,
    review_id: Id,
    payload: CaseReviewPanelMemberIn,
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    (agency,) = _agencies([payload.agency_id])
    member = services.add_panel_member(review, agency=agency, name=payload.name, role=payload.role)
    return Status(201, _panel_member(member))


@router.post(
    P + "/reviews/{review_id}/milestones",
    response={201: CaseReviewMilestoneOut},
    summary="Add a milestone of the review",
)
def milestone_create(
    request: PartnershipRequest,
    partnership: str,
    review_id: Id,
    payload: CaseReviewMilestoneIn,
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    return Status(201, services.add_milestone(review, **payload.dict()))


@router.post(
    P + "/milestones/{milestone_id}/done",
    response=CaseReviewMilestoneOut,
    summary="A milestone reached",
)
def milestone_done(
    request: PartnershipRequest, partnership: str, milestone_id: Id, payload: ConcludeIn
) -> Any:
    require(request, MANAGE)
    milestone = get_or_404(Milestone.objects, pk=milestone_id)
    _part_review(request, milestone)
    return services.complete_milestone(milestone, on=payload.on)


@router.post(
    P + "/reviews/{review_id}/assurance",
    response={201: CaseReviewAssuranceOut},
    summary="Seek assurance from an agency that the learning changed its practice",
)
def assurance_create(
    request: PartnershipRequest,
    partnership: str,
    review_id: Id,
    payload: CaseReviewAssuranceIn,
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    (agency,) = _agencies([payload.agency_id])
    asked = services.seek_assurance(review, agency=agency, requested_on=payload.requested_on)
    return Status(201, _assurance(asked))


@router.post(
    P + "/assurance/{assurance_id}/response",
    response=CaseReviewAssuranceOut,
    summary="The agency's response to a request for assurance",
)
def assurance_respond(
    request: PartnershipRequest,
    partnership: str,
    assurance_id: Id,
    payload: CaseReviewAssuranceResponseIn,
) -> Any:
    require(request, MANAGE)
    asked = get_or_404(AssuranceRequest.objects.select_related("agency"), pk=assurance_id)
    asked.review = _part_review(request, asked)
    services.record_assurance(
        asked, response=payload.response, on=payload.on, by=request.member.person
    )
    return _assurance(asked)


@router.post(
    P + "/reviews/{review_id}/rapid-review",
    response=CaseReviewOut,
    summary="The rapid review and its decision",
)
def review_rapid(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: RapidReviewIn
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    data = payload.dict()
    services.record_rapid_review(
        review,
        agencies_present=_agencies(data.pop("agencies_present")),
        by=request.member.person,
        **data,
    )
    return _full(review)


@router.post(
    P + "/reviews/{review_id}/processes",
    response={201: ProcessOut},
    summary="A parallel process that holds publication",
)
def process_create(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: ProcessIn
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    return Status(201, services.add_process(review, **payload.dict()))


@router.post(
    P + "/processes/{process_id}/conclude", response=ProcessOut, summary="A process concluded"
)
def process_conclude(
    request: PartnershipRequest, partnership: str, process_id: Id, payload: ConcludeIn
) -> Any:
    require(request, MANAGE)
    process = get_or_404(ParallelProcess.objects, pk=process_id)
    process.review = _part_review(request, process)
    return services.conclude_process(process, on=payload.on, by=request.member.person)


@router.post(
    P + "/reviews/{review_id}/publish",
    response=CaseReviewOut,
    summary="Publish a review (refused while a parallel process is open)",
)
def review_publish(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: PublishIn
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    services.publish(review, **payload.dict())
    return _full(review)


@router.post(P + "/reviews/{review_id}/lessons", response={201: LessonOut}, summary="A lesson")
def lesson_create(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: LessonIn
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    themes = list(LearningTheme.objects.filter(pk__in=payload.theme_ids))
    if len(themes) != len(set(payload.theme_ids)):
        raise ServiceError("A theme named is not one of this partnership")
    lesson = services.add_lesson(review, text=payload.text, themes=themes)
    return Status(201, LessonOut(id=lesson.pk, text=lesson.text, themes=[t.name for t in themes]))


@router.post(
    P + "/reviews/{review_id}/recommendations",
    response={201: RecommendationOut},
    summary="A recommendation, and its action in the tracker",
)
def recommendation_create(
    request: PartnershipRequest, partnership: str, review_id: Id, payload: RecommendationIn
) -> Any:
    require(request, MANAGE)
    review = _review(request, review_id)
    (agency,) = _agencies([payload.agency_id])
    rec = services.add_recommendation(
        review, text=payload.text, agency=agency, due=payload.due, by=request.member.person
    )
    return Status(
        201,
        RecommendationOut(
            number=rec.number,
            text=rec.text,
            agency=agency.name,
            action_id=rec.action_id,
            action_state=rec.action.state if rec.action else None,
        ),
    )


@router.get(
    P + "/learning-themes",
    response=list[LearningThemeOut],
    summary="Learning themes and how often each recurs (published reviews, for most members)",
)
def theme_list(request: PartnershipRequest, partnership: str) -> Any:
    restricted = request.member.may_open(CASE_REVIEWS)
    rows, years = selectors.theme_recurrence(published_only=not restricted)

    def shown(n: int) -> int | str:
        text = selectors.shown_count(n, restricted=restricted)
        return int(text) if text.isdigit() else text

    return [
        LearningThemeOut(
            id=row.theme.pk,
            name=row.theme.name,
            description=row.theme.description,
            lessons=shown(row.lessons),
            reviews=shown(row.review_count),
            by_year={str(y): shown(row.by_year.get(y, 0)) for y in years},
        )
        for row in rows
    ]


@router.post(
    P + "/learning-themes", response={201: LearningThemeOut}, summary="Add a learning theme"
)
def theme_create(request: PartnershipRequest, partnership: str, payload: LearningThemeIn) -> Any:
    require(request, MANAGE_THEMES)
    theme = services.add_theme(partnership=request.partnership, **payload.dict())
    return Status(
        201,
        LearningThemeOut(
            id=theme.pk,
            name=theme.name,
            description=theme.description,
            lessons=0,
            reviews=0,
            by_year={},
        ),
    )
