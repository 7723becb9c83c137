"""API for planning: business plans and their themes, import and export, the year-end close;
the action tracker and each step of an action's life; a meeting's actions; the risk register;
the challenge log. The same permissions as the web pages (planning/rules.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from safeboard.core.api_helpers import PatchSchema, get_or_404, require
from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest
from safeboard.partnership.models import Agency, Group, Meeting, Person
from safeboard.partnership.registers import RegisterReader

from . import importer, selectors, services
from .models import (
    Action,
    Challenge,
    Outcome,
    Plan,
    Progress,
    ProgressUpdate,
    Risk,
    RiskStatus,
    Source,
    Theme,
)

router = Router(tags=["Planning"])
P = "/partnerships/{partnership}"
MANAGE = "planning.manage"
UPDATE = "planning.update_action"
CONFIRM = "planning.confirm_action"

OwnerKind = Literal["group", "agency", "person"]
When = Literal["open", "overdue", "due_soon", "awaiting", "complete", "all"]


# --- schemas ------------------------------------------------------------------------------


class OwnerRef(Schema):
    kind: OwnerKind
    id: int


class OwnerOut(Schema):
    kind: str
    id: int
    name: str


def _owner_out(obj: Any) -> OwnerOut | None:
    owner = obj.owner
    if owner is None:
        return None
    return OwnerOut(kind=obj.owner_kind, id=owner.pk, name=owner.name)


def _kind(owner: Group | Agency | Person) -> str:
    return (
        "group" if isinstance(owner, Group) else "agency" if isinstance(owner, Agency) else "person"
    )


def _owners(refs: list[OwnerRef]) -> list[Group | Agency | Person]:
    found = [_owner(ref) for ref in refs]
    return [o for o in found if o is not None]


def _owner(ref: OwnerRef | None) -> Group | Agency | Person | None:
    if ref is None:
        return None
    model = {"group": Group, "agency": Agency, "person": Person}[ref.kind]
    owner = model.objects.filter(pk=ref.id).first()
    if owner is None:
        raise ServiceError(f"There is no {ref.kind} {ref.id} in this partnership")
    return owner


def _get(model: Any, pk: int | None, what: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ServiceError(f"There is no {what} {pk} in this partnership")
    return obj


class ThemeOut(Schema):
    id: int
    number: int
    title: str
    lead_group_id: int | None


class PlanOut(Schema):
    id: int
    label: str = Field(description="Its years, e.g. 2016-19 (April 2016 to March 2019)")
    first_financial_year: str = Field(description="e.g. 2016-17")
    last_financial_year: str = Field(description="e.g. 2018-19")
    title: str
    summary: str
    status: str
    closed_on: dt.date | None
    next_plan_id: int | None


class CompletionOut(Schema):
    period: str
    due: int
    completed_in_time: int
    completed_late: int
    not_completed: int
    percent: float | None


def _completion(c: selectors.CompletionInTime) -> CompletionOut:
    return CompletionOut(
        period=c.period.label,
        due=c.due,
        completed_in_time=c.in_time,
        completed_late=c.late,
        not_completed=c.not_completed,
        percent=round(c.percent, 1) if c.percent is not None else None,
    )


class ThemeRagOut(Schema):
    theme_id: int | None
    theme: str
    not_started: int
    red: int
    amber: int
    green: int
    complete: int
    awaiting_confirmation: int
    carried_forward: int


class IndicatorsOut(Schema):
    as_at: dt.date
    completion_in_time: list[CompletionOut]
    completion_in_time_whole_plan: CompletionOut
    overdue: int
    reviews_overdue: int
    no_update_last_quarter: int
    rag_by_theme: list[ThemeRagOut]


class PlanDetailOut(PlanOut):
    themes: list[ThemeOut]
    indicators: IndicatorsOut


def _plan_detail(plan: Plan) -> dict[str, Any]:
    ind = selectors.plan_indicators(plan, timezone.localdate())
    return {
        **{name: getattr(plan, name) for name in PlanOut.model_fields},
        "themes": list(Theme.objects.filter(plan=plan)),
        "indicators": IndicatorsOut(
            as_at=ind.as_at,
            completion_in_time=[_completion(y) for y in ind.years],
            completion_in_time_whole_plan=_completion(ind.whole),
            overdue=len(ind.overdue),
            reviews_overdue=len(ind.reviews_overdue),
            no_update_last_quarter=len(ind.stale),
            rag_by_theme=[
                ThemeRagOut(
                    theme_id=row.theme.pk if row.theme else None,
                    theme=row.theme.title if row.theme else "",
                    awaiting_confirmation=row.awaiting,
                    carried_forward=row.carried,
                    **row.counts,
                )
                for row in ind.rag
            ],
        ),
    }


class PlanIn(Schema):
    years: str = Field(min_length=4, max_length=20, description="e.g. 2016-19 or 2016-17")
    title: str = Field("", max_length=200)
    summary: str = ""


class ThemeIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    lead_group_id: int | None = None


class ImportIn(Schema):
    rows: list[dict[str, str]] = Field(
        description="One object per action with the keys theme, ref, action, owner, due, aim, "
        "update, status, links (as in the plan file)",
        max_length=5000,
    )
    dry_run: bool = False


class ImportOut(Schema):
    written: bool
    actions: int
    new_themes: list[str]
    problems: list[str]
    report: list[str]


class CarryOut(Schema):
    action_id: int
    reference: str
    new_reference: str
    theme: str


class ClosePreviewOut(Schema):
    next_plan_id: int | None
    carry_forward: list[CarryOut]
    complete: int
    new_themes: list[str]
    problems: list[str]
    can_close: bool


class CloseIn(Schema):
    next_plan_id: int
    expected_action_ids: list[int] | None = Field(
        None, description="The ids of the actions the preview said would carry forward"
    )


class UpdateOut(Schema):
    id: int
    kind: str
    date: dt.date
    status: str
    text: str
    by: str
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(obj: ProgressUpdate) -> bool:
        return bool(obj.evidence)


class DueChangeOut(Schema):
    previous: dt.date | None
    new: dt.date
    reason: str
    changed_on: dt.date


class ActionOut(Schema):
    id: int
    label: str
    reference: str
    source: str
    source_label: str
    plan_id: int | None
    theme_id: int | None
    text: str
    aim: str
    owner: OwnerOut | None
    supporting: list[OwnerOut] = Field(
        description="The groups, agencies and people who support the lead owner"
    )
    group_id: int | None
    ongoing: bool
    due: dt.date | None
    original_due: dt.date | None
    review_date: dt.date | None
    slippage_days: int
    report_to_id: int | None
    status: str
    state: str
    last_update_on: dt.date | None
    completed_on: dt.date | None
    completed_in_time: bool | None
    impact: str
    link_ids: list[int]
    carried_from_id: int | None

    @staticmethod
    def resolve_owner(obj: Action) -> OwnerOut | None:
        return _owner_out(obj)

    @staticmethod
    def resolve_supporting(obj: Action) -> list[OwnerOut]:
        return [OwnerOut(kind=_kind(o), id=o.pk, name=o.name) for o in obj.supporting]

    @staticmethod
    def resolve_link_ids(obj: Action) -> list[int]:
        return sorted(a.pk for a in obj.links.all())


class ActionDetailOut(ActionOut):
    updates: list[UpdateOut]
    due_changes: list[DueChangeOut]

    @staticmethod
    def resolve_updates(obj: Action) -> list[ProgressUpdate]:
        return list(obj.updates.select_related("author"))

    @staticmethod
    def resolve_due_changes(obj: Action) -> list[Any]:
        return list(obj.due_changes.all())


class ActionIn(Schema):
    text: str = Field(min_length=1)
    owner: OwnerRef
    supporting: list[OwnerRef] = Field([], description="Owners who support the lead owner")
    plan_id: int | None = None
    theme_id: int | None = None
    reference: str = Field("", max_length=20)
    source: str = Field(Source.OTHER, max_length=30)
    source_label: str = Field("", max_length=200)
    aim: str = ""
    group_id: int | None = None
    ongoing: bool = False
    due: dt.date | None = None
    review_date: dt.date | None = None
    report_to_id: int | None = None
    link_ids: list[int] = []


class ActionPatch(PatchSchema):
    nullable = frozenset({"theme_id", "group_id", "due", "review_date", "report_to_id"})

    text: str | None = Field(None, min_length=1)
    owner: OwnerRef | None = None
    supporting: list[OwnerRef] | None = Field(
        None, description="Replaces the supporting owners ([] removes them)"
    )
    theme_id: int | None = None
    reference: str | None = Field(None, max_length=20)
    source_label: str | None = Field(None, max_length=200)
    aim: str | None = None
    group_id: int | None = None
    ongoing: bool | None = None
    due: dt.date | None = None
    due_reason: str = ""
    review_date: dt.date | None = None
    report_to_id: int | None = None
    link_ids: list[int] | None = None


ProgressStatus = Literal["not_started", "red", "amber", "green"]


class UpdateIn(Schema):
    status: ProgressStatus
    text: str = Field(min_length=1)
    date: dt.date | None = None
    new_due: dt.date | None = None
    due_reason: str = ""
    new_review_date: dt.date | None = None


class CompletionIn(Schema):
    evidence: str = Field(min_length=1)
    completed_on: dt.date | None = None


class ConfirmationIn(Schema):
    decision: Literal["confirm", "return"]
    reason: str = ""


class ImpactIn(Schema):
    impact: str = Field(min_length=1)
    date: dt.date | None = None


class MeetingActionIn(Schema):
    text: str = Field(min_length=1)
    owner: OwnerRef
    aim: str = ""
    ongoing: bool = False
    due: dt.date | None = None
    review_date: dt.date | None = None
    report_to_id: int | None = None


class MeetingActionsOut(Schema):
    from_meeting: list[ActionOut]
    pack: list[ActionOut]


class RiskReviewOut(Schema):
    reviewed_on: dt.date
    likelihood: int
    impact: int
    score: int
    note: str


class RiskOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    controls: str
    owner: OwnerOut | None
    likelihood: int
    impact: int
    score: int
    band: str
    target_score: int
    last_reviewed: dt.date | None
    review_date: dt.date
    status: str
    closed_on: dt.date | None = Field(description="The day a closed risk was closed")

    @staticmethod
    def resolve_owner(obj: Risk) -> OwnerOut | None:
        return _owner_out(obj)

    @staticmethod
    def resolve_band(obj: Risk) -> str:
        return obj.band.value


class RiskDetailOut(RiskOut):
    reviews: list[RiskReviewOut]

    @staticmethod
    def resolve_reviews(obj: Risk) -> list[Any]:
        return list(obj.reviews.all())


class RiskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    reference: str = Field("", max_length=20)
    description: str = ""
    controls: str = ""
    owner: OwnerRef | None = None
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    target_score: int = Field(ge=1, le=25)
    review_date: dt.date | None = None


class RiskPatch(PatchSchema):
    nullable = frozenset({"owner"})

    title: str | None = Field(None, min_length=1, max_length=200)
    reference: str | None = Field(None, min_length=1, max_length=20)
    description: str | None = None
    controls: str | None = None
    owner: OwnerRef | None = None
    target_score: int | None = Field(None, ge=1, le=25)
    review_date: dt.date | None = None
    status: RiskStatus | None = None
    closed_on: dt.date | None = Field(
        None, description="With status closed: the day it was closed (by default today)"
    )


class RiskReviewIn(Schema):
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    note: str = ""
    date: dt.date | None = None
    next_review: dt.date | None = None


class ChallengeOut(Schema):
    id: int
    reference: str
    agency_id: int
    agency: str
    subject: str
    detail: str
    raised_by_id: int | None
    raised_by_group_id: int | None
    raised_on: dt.date
    response_due: dt.date
    response: str
    responded_on: dt.date | None
    escalated_on: dt.date | None
    escalated_to: str
    escalation_note: str
    outcome: str
    outcome_note: str
    closed_on: dt.date | None
    status: str

    @staticmethod
    def resolve_agency(obj: Challenge) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_status(obj: Challenge) -> str:
        return obj.status_on(timezone.localdate()).value


class ChallengeIn(Schema):
    agency_id: int
    subject: str = Field(min_length=1, max_length=200)
    detail: str = Field(min_length=1)
    raised_by_id: int | None = None
    raised_by_group_id: int | None = None
    raised_on: dt.date
    response_due: dt.date
    reference: str = Field("", max_length=20)


class ChallengePatch(PatchSchema):
    nullable = frozenset({"raised_by_id", "raised_by_group_id"})

    agency_id: int | None = None
    subject: str | None = Field(None, min_length=1, max_length=200)
    detail: str | None = Field(None, min_length=1)
    raised_by_id: int | None = None
    raised_by_group_id: int | None = None
    raised_on: dt.date | None = None
    response_due: dt.date | None = None


class ResponseIn(Schema):
    response: str = Field(min_length=1)
    date: dt.date | None = None


class EscalationIn(Schema):
    to: str = Field(min_length=1, max_length=200)
    note: str = ""
    date: dt.date | None = None


class OutcomeIn(Schema):
    outcome: Outcome
    note: str = ""
    date: dt.date | None = None


# --- plans --------------------------------------------------------------------------------


def _me(request: PartnershipRequest) -> Person:
    return request.member.person


@router.get(P + "/plans", response=list[PlanOut], summary="Business plans")
def plan_list(request: PartnershipRequest, partnership: str) -> list[Plan]:
    return list(Plan.objects.all())


@router.post(P + "/plans", response={201: PlanOut}, summary="Add a business plan")
def plan_create(request: PartnershipRequest, partnership: str, payload: PlanIn) -> Any:
    require(request, MANAGE)
    first, last = services.plan_years(payload.years)
    plan = services.create_plan(
        partnership=request.partnership,
        first_year=first,
        last_year=last,
        title=payload.title,
        summary=payload.summary,
    )
    return Status(201, plan)


@router.get(
    P + "/plans/{plan_id}", response=PlanDetailOut, summary="A plan, its themes and indicators"
)
def plan_detail(request: PartnershipRequest, partnership: str, plan_id: int) -> Any:
    return _plan_detail(get_or_404(Plan.objects, pk=plan_id))


@router.post(P + "/plans/{plan_id}/themes", response={201: ThemeOut}, summary="Add a theme")
def theme_create(
    request: PartnershipRequest, partnership: str, plan_id: int, payload: ThemeIn
) -> Any:
    plan = get_or_404(Plan.objects, pk=plan_id)
    require(request, MANAGE)
    theme = services.add_theme(
        plan=plan, title=payload.title, lead_group=_get(Group, payload.lead_group_id, "group")
    )
    return Status(201, theme)


@router.post(
    P + "/plans/{plan_id}/import",
    response=ImportOut,
    summary="Import actions (the plan file's rows, as JSON)",
    description="Every row is checked first; if any is wrong nothing is written and every "
    "problem is listed with its row (the first object is row 2, as in a file). With dry_run, "
    "nothing is written either way.",
)
def plan_import(
    request: PartnershipRequest, partnership: str, plan_id: int, payload: ImportIn
) -> Any:
    plan = get_or_404(Plan.objects, pk=plan_id)
    require(request, MANAGE)
    header = list(importer.COLUMNS)
    rows = [[row.get(column, "") for column in header] for row in payload.rows]
    report = importer.import_rows(plan, header, rows, dry_run=payload.dry_run, by=_me(request))
    return ImportOut(
        written=report.written,
        actions=len(report.rows),
        new_themes=report.new_themes,
        problems=[str(p) for p in report.problems],
        report=report.lines(),
    )


@router.get(
    P + "/plans/{plan_id}/export",
    response=list[dict[str, str]],
    summary="The plan in its import format",
)
def plan_export(request: PartnershipRequest, partnership: str, plan_id: int) -> Any:
    plan = get_or_404(Plan.objects, pk=plan_id)
    return [dict(zip(importer.COLUMNS, row, strict=True)) for row in importer.export_rows(plan)]


def _preview_out(preview: services.ClosePreview) -> ClosePreviewOut:
    return ClosePreviewOut(
        next_plan_id=preview.next_plan.pk if preview.next_plan else None,
        carry_forward=[
            CarryOut(
                action_id=item.action.pk,
                reference=item.action.reference,
                new_reference=item.reference,
                theme=item.theme_title,
            )
            for item in preview.carry
        ],
        complete=len(preview.complete),
        new_themes=preview.new_themes,
        problems=preview.problems,
        can_close=preview.can_close,
    )


@router.get(
    P + "/plans/{plan_id}/close",
    response=ClosePreviewOut,
    summary="Preview the year-end close",
)
def plan_close_preview(
    request: PartnershipRequest, partnership: str, plan_id: int, next_plan_id: int | None = None
) -> Any:
    plan = get_or_404(Plan.objects, pk=plan_id)
    require(request, MANAGE)
    next_plan = Plan.objects.filter(pk=next_plan_id).first() if next_plan_id else None
    return _preview_out(services.preview_close(plan, next_plan))


@router.post(
    P + "/plans/{plan_id}/close",
    response=PlanOut,
    summary="Close the plan at year-end, carrying unfinished actions forward",
)
def plan_close(
    request: PartnershipRequest, partnership: str, plan_id: int, payload: CloseIn
) -> Any:
    plan = get_or_404(Plan.objects, pk=plan_id)
    require(request, MANAGE)
    next_plan = _get(Plan, payload.next_plan_id, "plan")
    services.close_plan(
        plan, next_plan=next_plan, by=_me(request), expected=payload.expected_action_ids
    )
    plan.refresh_from_db()
    return plan


# --- actions ------------------------------------------------------------------------------


def _actions() -> Any:
    return Action.objects.select_related(
        "owner_group", "owner_agency", "owner_person"
    ).prefetch_related("links")


def _linkable(request: PartnershipRequest, action_id: int) -> Action:
    """An action to link to: only one the member may see (a link shows its text)."""
    found = Action.objects.filter(selectors.readable(request.member), pk=action_id).first()
    if found is None:
        raise ServiceError(f"There is no action {action_id} in this partnership")
    return found


def _open_action(request: PartnershipRequest, action_id: int) -> Action:
    """The action through the register reader (404 for an action of a register the member
    may not open; the read is logged)."""
    return RegisterReader.for_request(request).open(get_or_404(_actions(), pk=action_id))


@router.get(P + "/actions", response=list[ActionOut], summary="The action tracker")
def action_list(
    request: PartnershipRequest,
    partnership: str,
    who: Literal["mine", "agency"] | None = None,
    when: When | None = None,
    status: Progress | None = None,
    source: str | None = None,
    plan_id: int | None = None,
    theme_id: int | None = None,
    group_id: int | None = None,
    agency_id: int | None = None,
    q: str = "",
) -> Any:
    chosen = selectors.ActionFilter(
        who=who or "",
        when=when or "",
        status=status or "",
        source=source or "",
        plan=Plan.objects.filter(pk=plan_id).first() if plan_id else None,
        theme=Theme.objects.filter(pk=theme_id).first() if theme_id else None,
        group=Group.objects.filter(pk=group_id).first() if group_id else None,
        agency=Agency.objects.filter(pk=agency_id).first() if agency_id else None,
        q=q.strip(),
    )
    if (
        (plan_id and chosen.plan is None)
        or (theme_id and chosen.theme is None)
        or (group_id and chosen.group is None)
        or (agency_id and chosen.agency is None)
    ):
        return []
    actions = selectors.filter_actions(request.member, chosen).prefetch_related("links")
    return RegisterReader.for_request(request).visible(actions)


@router.post(P + "/actions", response={201: ActionDetailOut}, summary="Add an action")
def action_create(request: PartnershipRequest, partnership: str, payload: ActionIn) -> Any:
    require(request, MANAGE)
    plan = _get(Plan, payload.plan_id, "plan")
    action = services.create_action(
        partnership=request.partnership,
        plan=plan,
        theme=_get(Theme, payload.theme_id, "theme"),
        reference=payload.reference,
        source=Source.BUSINESS_PLAN if plan else payload.source,
        source_label=payload.source_label,
        text=payload.text,
        aim=payload.aim,
        owner=_owner(payload.owner),
        group=_get(Group, payload.group_id, "group"),
        ongoing=payload.ongoing,
        due=payload.due,
        review_date=payload.review_date,
        report_to=_get(Meeting, payload.report_to_id, "meeting"),
        links=[_linkable(request, pk) for pk in payload.link_ids],
        supporting=_owners(payload.supporting),
        by=_me(request),
    )
    return Status(201, action)


@router.get(P + "/actions/{action_id}", response=ActionDetailOut, summary="An action")
def action_detail(request: PartnershipRequest, partnership: str, action_id: int) -> Any:
    return _open_action(request, action_id)


@router.patch(P + "/actions/{action_id}", response=ActionDetailOut, summary="Change an action")
def action_update(
    request: PartnershipRequest, partnership: str, action_id: int, payload: ActionPatch
) -> Any:
    action = _open_action(request, action_id)
    require(request, MANAGE)
    data = payload.dict(exclude_unset=True)
    ongoing = data.get("ongoing", action.ongoing)
    services.change_action(
        action,
        by=_me(request),
        text=data.get("text") or action.text,
        owner=_owner(payload.owner) if "owner" in data and payload.owner else action.owner,
        aim=data["aim"] if data.get("aim") is not None else action.aim,
        theme=_get(Theme, data["theme_id"], "theme") if "theme_id" in data else action.theme,
        reference=data.get("reference"),
        group=_get(Group, data["group_id"], "group") if "group_id" in data else action.group,
        source_label=data.get("source_label"),
        ongoing=ongoing,
        due=data.get("due", action.due),
        review_date=data.get("review_date", action.review_date),
        due_reason=payload.due_reason,
        report_to=_get(Meeting, data["report_to_id"], "meeting")
        if "report_to_id" in data
        else action.report_to,
        links=selectors.links_kept(
            action, request.member, [_linkable(request, pk) for pk in payload.link_ids]
        )
        if payload.link_ids is not None
        else None,
        supporting=_owners(payload.supporting) if payload.supporting is not None else None,
    )
    return _open_action(request, action.pk)


@router.post(
    P + "/actions/{action_id}/updates",
    response={201: UpdateOut},
    summary="Record progress (may move the due date, with a reason)",
)
def action_progress(
    request: PartnershipRequest, partnership: str, action_id: int, payload: UpdateIn
) -> Any:
    action = _open_action(request, action_id)
    require(request, UPDATE, action)
    update = services.record_update(
        action,
        by=_me(request),
        status=payload.status,
        text=payload.text,
        on=payload.date,
        new_due=payload.new_due,
        due_reason=payload.due_reason,
        new_review_date=payload.new_review_date,
    )
    return Status(201, update)


@router.post(
    P + "/actions/{action_id}/completion",
    response={201: UpdateOut},
    summary="Report completion, with its evidence",
)
def action_completion(
    request: PartnershipRequest, partnership: str, action_id: int, payload: CompletionIn
) -> Any:
    action = _open_action(request, action_id)
    require(request, UPDATE, action)
    update = services.record_completion(
        action,
        by=_me(request),
        evidence_text=payload.evidence,
        completed_on=payload.completed_on,
        confirm=request.user.has_perm(CONFIRM, action),
    )
    return Status(201, update)


@router.post(
    P + "/actions/{action_id}/confirmation",
    response=ActionDetailOut,
    summary="Confirm a completion, or return it to the owner",
)
def action_confirmation(
    request: PartnershipRequest, partnership: str, action_id: int, payload: ConfirmationIn
) -> Any:
    action = _open_action(request, action_id)
    require(request, CONFIRM, action)
    if payload.decision == "confirm":
        services.confirm_completion(action, by=_me(request))
    else:
        services.return_completion(action, by=_me(request), reason=payload.reason)
    return _open_action(request, action.pk)


@router.post(P + "/actions/{action_id}/impact", response=ActionDetailOut, summary="Record impact")
def action_impact(
    request: PartnershipRequest, partnership: str, action_id: int, payload: ImpactIn
) -> Any:
    action = _open_action(request, action_id)
    require(request, CONFIRM, action)
    services.record_impact(action, by=_me(request), text=payload.impact, on=payload.date)
    return _open_action(request, action.pk)


@router.get(
    P + "/meetings/{meeting_id}/actions",
    response=MeetingActionsOut,
    summary="Actions agreed at a meeting, and those due to it (its pack)",
)
def meeting_actions(request: PartnershipRequest, partnership: str, meeting_id: int) -> Any:
    meeting = get_or_404(Meeting.objects, pk=meeting_id)
    reader = RegisterReader.for_request(request)
    return {
        "from_meeting": reader.visible(
            selectors.actions_from_meeting(meeting, request.member).prefetch_related("links")
        ),
        "pack": reader.visible(selectors.actions_due_to_meeting(meeting, request.member)),
    }


@router.post(
    P + "/meetings/{meeting_id}/actions",
    response={201: ActionDetailOut},
    summary="Add an action agreed at a meeting",
)
def meeting_action_create(
    request: PartnershipRequest, partnership: str, meeting_id: int, payload: MeetingActionIn
) -> Any:
    meeting = get_or_404(Meeting.objects.select_related("group"), pk=meeting_id)
    require(request, "planning.add_meeting_action", meeting)
    action = services.create_action(
        partnership=request.partnership,
        source=Source.MEETING,
        source_record=meeting,
        source_label=str(meeting),
        text=payload.text,
        aim=payload.aim,
        owner=_owner(payload.owner),
        group=meeting.group,
        ongoing=payload.ongoing,
        due=payload.due,
        review_date=payload.review_date,
        report_to=_get(Meeting, payload.report_to_id, "meeting"),
        by=_me(request),
    )
    return Status(201, action)


# --- risks --------------------------------------------------------------------------------


def _risks() -> Any:
    return Risk.objects.select_related("owner_group", "owner_agency", "owner_person")


@router.get(P + "/risks", response=list[RiskOut], summary="The risk register")
def risk_list(
    request: PartnershipRequest, partnership: str, status: RiskStatus | None = None
) -> Any:
    risks = _risks()
    if status is not None:
        risks = risks.filter(status=status)
    return list(risks)


@router.post(P + "/risks", response={201: RiskDetailOut}, summary="Add a risk")
def risk_create(request: PartnershipRequest, partnership: str, payload: RiskIn) -> Any:
    require(request, MANAGE)
    risk = services.create_risk(
        partnership=request.partnership,
        reference=payload.reference,
        title=payload.title,
        description=payload.description,
        controls=payload.controls,
        owner=_owner(payload.owner),
        likelihood=payload.likelihood,
        impact=payload.impact,
        target_score=payload.target_score,
        review_date=payload.review_date,
        by=_me(request),
    )
    return Status(201, risk)


@router.get(P + "/risks/{risk_id}", response=RiskDetailOut, summary="A risk and its history")
def risk_detail(request: PartnershipRequest, partnership: str, risk_id: int) -> Any:
    return get_or_404(_risks(), pk=risk_id)


@router.patch(P + "/risks/{risk_id}", response=RiskDetailOut, summary="Change a risk")
def risk_update(
    request: PartnershipRequest, partnership: str, risk_id: int, payload: RiskPatch
) -> Any:
    risk = get_or_404(_risks(), pk=risk_id)
    require(request, MANAGE)
    data = payload.dict(exclude_unset=True)
    services.change_risk(
        risk,
        reference=data.get("reference") or risk.reference,
        title=data.get("title") or risk.title,
        description=data["description"]
        if data.get("description") is not None
        else risk.description,
        controls=data["controls"] if data.get("controls") is not None else risk.controls,
        target_score=data.get("target_score") or risk.target_score,
        owner=_owner(payload.owner) if "owner" in data else risk.owner,
        review_date=data.get("review_date") or risk.review_date,
        status=data.get("status") or risk.status,
        closed_on=data.get("closed_on"),
    )
    return get_or_404(_risks(), pk=risk.pk)


@router.post(
    P + "/risks/{risk_id}/reviews", response={201: RiskReviewOut}, summary="Record a review"
)
def risk_review(
    request: PartnershipRequest, partnership: str, risk_id: int, payload: RiskReviewIn
) -> Any:
    risk = get_or_404(_risks(), pk=risk_id)
    require(request, MANAGE)
    review = services.review_risk(
        risk,
        likelihood=payload.likelihood,
        impact=payload.impact,
        note=payload.note,
        on=payload.date,
        next_review=payload.next_review,
        by=_me(request),
    )
    return Status(201, review)


# --- challenge log ------------------------------------------------------------------------


def _challenges() -> Any:
    return Challenge.objects.select_related("agency")


@router.get(P + "/challenges", response=list[ChallengeOut], summary="The challenge log")
def challenge_list(
    request: PartnershipRequest, partnership: str, agency_id: int | None = None
) -> Any:
    challenges = _challenges()
    if agency_id is not None:
        challenges = challenges.filter(agency_id=agency_id)
    return list(challenges)


@router.post(P + "/challenges", response={201: ChallengeOut}, summary="Log a challenge")
def challenge_create(request: PartnershipRequest, partnership: str, payload: ChallengeIn) -> Any:
    require(request, MANAGE)
    challenge = services.raise_challenge(
        partnership=request.partnership,
        agency=_get(Agency, payload.agency_id, "agency"),
        subject=payload.subject,
        detail=payload.detail,
        raised_on=payload.raised_on,
        response_due=payload.response_due,
        raised_by=_get(Person, payload.raised_by_id, "person"),
        raised_by_group=_get(Group, payload.raised_by_group_id, "group"),
        reference=payload.reference,
    )
    return Status(201, challenge)


@router.get(P + "/challenges/{challenge_id}", response=ChallengeOut, summary="A challenge")
def challenge_detail(request: PartnershipRequest, partnership: str, challenge_id: int) -> Any:
    return get_or_404(_challenges(), pk=challenge_id)


@router.patch(P + "/challenges/{challenge_id}", response=ChallengeOut, summary="Change a challenge")
def challenge_update(
    request: PartnershipRequest, partnership: str, challenge_id: int, payload: ChallengePatch
) -> Any:
    challenge = get_or_404(_challenges(), pk=challenge_id)
    require(request, MANAGE)
    data = payload.dict(exclude_unset=True)
    services.change_challenge(
        challenge,
        agency=_get(Agency, data["agency_id"], "agency")
        if data.get("agency_id")
        else challenge.agency,
        subject=data.get("subject") or challenge.subject,
        detail=data.get("detail") or challenge.detail,
        raised_on=data.get("raised_on") or challenge.raised_on,
        response_due=data.get("response_due") or challenge.response_due,
        raised_by=_get(Person, data["raised_by_id"], "person")
        if "raised_by_id" in data
        else challenge.raised_by,
        raised_by_group=_get(Group, data["raised_by_group_id"], "group")
        if "raised_by_group_id" in data
        else challenge.raised_by_group,
    )
    return get_or_404(_challenges(), pk=challenge.pk)


@router.post(
    P + "/challenges/{challenge_id}/response",
    response=ChallengeOut,
    summary="Record the agency's response",
)
def challenge_response(
    request: PartnershipRequest, partnership: str, challenge_id: int, payload: ResponseIn
) -> Any:
    challenge = get_or_404(_challenges(), pk=challenge_id)
    require(request, "planning.respond_challenge", challenge)
    return services.record_response(
        challenge, response=payload.response, on=payload.date, by=_me(request)
    )


@router.post(P + "/challenges/{challenge_id}/escalation", response=ChallengeOut, summary="Escalate")
def challenge_escalation(
    request: PartnershipRequest, partnership: str, challenge_id: int, payload: EscalationIn
) -> Any:
    challenge = get_or_404(_challenges(), pk=challenge_id)
    require(request, MANAGE)
    return services.escalate_challenge(challenge, to=payload.to, note=payload.note, on=payload.date)


@router.post(
    P + "/challenges/{challenge_id}/outcome",
    response=ChallengeOut,
    summary="Record the outcome and close",
)
def challenge_outcome(
    request: PartnershipRequest, partnership: str, challenge_id: int, payload: OutcomeIn
) -> Any:
    challenge = get_or_404(_challenges(), pk=challenge_id)
    require(request, MANAGE)
    return services.close_challenge(
        challenge, outcome=payload.outcome, note=payload.note, on=payload.date
    )
