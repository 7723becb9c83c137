"""The action tracker: the list with its filters and exports, an action's page, and the steps
of its life (progress, completion with evidence, confirmation, impact); a meeting's actions."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeboard.core.converters import parse_id
from safeboard.core.errors import ServiceError
from safeboard.core.forms import errors_text, set_choices
from safeboard.core.http import is_htmx
from safeboard.core.modules import action_sources
from safeboard.partnership import registers
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.models import Meeting
from safeboard.partnership.registers import RegisterReader

from .. import selectors, services
from ..forms import (
    ActionForm,
    CompletionForm,
    ConfirmForm,
    ImpactForm,
    MeetingActionForm,
    TrackerFilterForm,
    UpdateForm,
)
from ..models import Action, Plan, ProgressUpdate, Source, State
from .common import MANAGE, VIEW, can, person, require, spreadsheet, url

UPDATE = "planning.update_action"
CONFIRM = "planning.confirm_action"
PER_PAGE = 50

EXPORT_COLUMNS = [
    "reference",
    "plan",
    "theme",
    "source",
    "source_details",
    "action",
    "aim",
    "owner",
    "overseen_by",
    "ongoing",
    "due",
    "original_due",
    "slippage_days",
    "review_date",
    "status",
    "state",
    "last_update",
    "latest_update",
    "completed_on",
    "completed_in_time",
    "impact",
]


def _action(request: PartnershipRequest, pk: int) -> Action:
    """The action, through the register reader: an action from a restricted record opens
    only to those who may open its register (404 for others), and the read is logged."""
    action = get_object_or_404(
        Action.objects.select_related(
            "plan",
            "theme",
            "group",
            "owner_group",
            "owner_agency",
            "owner_person",
            "owner_person__agency",
            "report_to",
            "report_to__group",
            "confirmed_by",
            "impact_by",
            "carried_from",
            "carried_from__plan",
            "completion_update",
        ),
        pk=pk,
    )
    return RegisterReader.for_request(request).open(action)


def _filters(request: PartnershipRequest) -> tuple[TrackerFilterForm, selectors.ActionFilter]:
    form = TrackerFilterForm(request.GET or None)
    chosen = selectors.ActionFilter()
    if form.is_bound:
        # The filters that are understood apply; the others are named on the page (errors).
        form.is_valid()
        data = form.cleaned_data
        chosen = selectors.ActionFilter(
            who=data.get("who") or "",
            group=data.get("group"),
            agency=data.get("agency"),
            source=data.get("source") or "",
            plan=data.get("plan"),
            theme=data.get("theme"),
            status=data.get("status") or "",
            when=data.get("when") or "",
            q=(data.get("q") or "").strip(),
            record=parse_id(request.GET.get("record")),
            year=data.get("year"),
            timescale=data.get("timescale") or "",
        )
    else:
        form = TrackerFilterForm(initial={"when": "open"})
    return form, chosen


@partnership_view(perm=VIEW)
def tracker(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    form, chosen = _filters(request)
    actions = selectors.filter_actions(request.member, chosen, today)
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    # The page's restricted actions the member may open are logged as listed.
    page.object_list = RegisterReader.for_request(request).visible(page.object_list)
    # Actions from registers the member may not open: they learn that some exist, no more.
    # Counted without the text search, which would make the count an oracle on their text.
    unsearched = dataclasses.replace(chosen, q="")
    hidden = selectors.filter_actions(request.member, unsearched, today, closed=True).count()
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "filter_errors": errors_text(form) if form.is_bound else "",
        "page": page,
        "actions": page.object_list,
        "today": today,
        "query": query.urlencode(),
        "counts": selectors.tracker_counts(request.member, today),
        "hidden": hidden,
        "can_manage": can(request, MANAGE),
        "has_agency": bool(request.member.agency_ids),
        "more_filters": any(
            request.GET.get(name)
            for name in (
                "status",
                "source",
                "plan",
                "theme",
                "group",
                "agency",
                "year",
                "timescale",
            )
        ),
    }
    template = "planning/_tracker_results.html" if is_htmx(request) else "planning/tracker.html"
    return render(request, template, context)


def _export_row(action: Action) -> list[Any]:
    latest = (
        max(action.updates.all(), key=lambda u: (u.date, u.recorded_at, u.pk))
        if action.updates.all()
        else None
    )
    in_time = action.completed_in_time
    return [
        action.label,
        action.plan.label if action.plan else "",
        action.theme.title if action.theme else "",
        action.get_source_display(),
        action.source_label,
        action.text,
        action.aim,
        action.owner_name,
        action.group.name if action.group else "",
        "yes" if action.ongoing else "no",
        action.due,
        action.original_due,
        action.slippage_days if action.slipped else "",
        action.review_date,
        action.get_status_display(),
        action.get_state_display(),
        latest.date if latest else "",
        latest.text if latest else "",
        action.completed_on,
        "" if in_time is None else ("yes" if in_time else "no"),
        action.impact,
    ]


@partnership_view(perm=VIEW)
def tracker_export(request: PartnershipRequest) -> HttpResponse:
    _, chosen = _filters(request)
    actions = selectors.filter_actions(request.member, chosen).prefetch_related("updates")
    reader = RegisterReader.for_request(request)
    rows = [_export_row(a) for a in reader.visible(actions, registers.EXPORTED)]
    return spreadsheet(EXPORT_COLUMNS, rows, request.GET.get("format", "csv"), "actions")


def _save_action_form(
    request: PartnershipRequest,
    form: ActionForm,
    action: Action | None,
    source_record: Any = None,
) -> Action | None:
    data = form.cleaned_data
    try:
        if action is None:
            plan = data["plan"]
            return services.create_action(
                partnership=request.partnership,
                plan=plan,
                theme=data["theme"],
                reference=data["reference"],
                source=Source.BUSINESS_PLAN if plan else (data["source"] or Source.OTHER),
                source_record=None if plan else source_record,
                source_label=data["source_label"],
                text=data["text"],
                aim=data["aim"],
                owner=data["owner"],
                group=data["group"],
                ongoing=data["ongoing"],
                due=data["due"],
                review_date=data["review_date"],
                report_to=data["report_to"],
                links=data["link_actions"],
                supporting=data["supporting"],
                by=person(request),
            )
        return services.change_action(
            action,
            by=person(request),
            text=data["text"],
            aim=data["aim"],
            owner=data["owner"],
            theme=data["theme"],
            reference=data["reference"] if action.plan_id else None,
            group=data["group"],
            source_label=data["source_label"],
            ongoing=data["ongoing"],
            due=data["due"],
            review_date=data["review_date"],
            due_reason=data.get("due_reason", ""),
            report_to=data["report_to"],
            links=selectors.links_kept(action, request.member, data["link_actions"]),
            supporting=data["supporting"],
        )
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None


@partnership_view(perm=MANAGE)
def action_new(request: PartnershipRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    plan_id = parse_id(request.GET.get("plan"))
    back = url("actions", request)
    if plan_id is not None:
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is not None:
            initial["plan"] = plan.pk
            back = url("plan", request, pk=plan.pk)
    theme_id = parse_id(request.GET.get("theme"))
    if theme_id is not None:
        initial["theme"] = theme_id
    # ?source=indicator&record=7: an action on a record of another module (its page links
    # here); the record is fetched in the partnership's scope (another's is a 404).
    source_key, source_record = _source_record(request)
    if source_record is not None:
        initial.update({"source": source_key, "source_label": str(source_record)})
    form = ActionForm(request.POST or None, initial=initial, member=request.member)
    if source_record is not None:
        set_choices(form, "source", [(source_key, action_sources()[source_key].label)])
    if request.method == "POST" and form.is_valid():
        action = _save_action_form(request, form, None, source_record)
        if action is not None:
            messages.success(request, f"Action {action.label} has been added.")
            return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_form.html",
        {"form": form, "title": "Add an action", "back": back},
    )


def _source_record(request: PartnershipRequest) -> tuple[str, Any]:
    key = request.GET.get("source", "")
    record_id = parse_id(request.GET.get("record"))
    definition = action_sources().get(key)
    # Only records of sources without a register: a restricted record is never fetched here.
    if record_id is None or definition is None or not definition.model or definition.register:
        return key, None
    model = django_apps.get_model(definition.model)
    return key, get_object_or_404(model._default_manager.all(), pk=record_id)


@partnership_view(perm=VIEW)
def action_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    today = timezone.localdate()
    successor = Action.objects.filter(carried_from=action).select_related("plan").first()
    return render(
        request,
        "planning/action_detail.html",
        {
            "action": action,
            "today": today,
            "updates": action.updates.select_related("author", "author__agency"),
            "due_changes": action.due_changes.select_related("changed_by"),
            "links": RegisterReader.for_request(request).visible(
                selectors.sort_actions(
                    action.links.filter(selectors.readable(request.member)).select_related(
                        "plan", "theme"
                    )
                )
            ),
            "successor": successor,
            "source_record": action.source_record if action.source_id else None,
            "can_manage": can(request, MANAGE),
            "can_update": action.state == State.OPEN and can(request, UPDATE, action),
            "can_confirm": action.state == State.AWAITING_CONFIRMATION
            and can(request, CONFIRM, action),
            "can_impact": action.state == State.COMPLETE and can(request, CONFIRM, action),
        },
    )


@partnership_view(perm=MANAGE)
def action_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    form = ActionForm(
        request.POST or None,
        initial=ActionForm.initial_for(action, request.member),
        action=action,
        member=request.member,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_action_form(request, form, action) is not None
    ):
        messages.success(request, f"Action {action.label} has been saved.")
        return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_form.html",
        {
            "form": form,
            "action": action,
            "title": f"Change action {action.label}",
            "back": url("action", request, pk=action.pk),
        },
    )


@partnership_view(perm=VIEW)
def action_update(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    require(request, UPDATE, action)
    form = UpdateForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_update(
                action,
                by=person(request),
                status=data["status"],
                text=data["text"],
                on=data["on"],
                new_due=data.get("new_due"),
                due_reason=data.get("due_reason") or "",
                new_review_date=data.get("new_review_date"),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The update to action {action.label} has been recorded.")
            return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_step.html",
        {
            "action": action,
            "form": form,
            "title": "Record progress",
            "button": "Record the update",
            "back": url("action", request, pk=action.pk),
        },
    )


@partnership_view(perm=VIEW)
def action_complete(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    require(request, UPDATE, action)
    form = CompletionForm(request.POST or None, request.FILES or None)
    confirms = can(request, CONFIRM, action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_completion(
                action,
                by=person(request),
                evidence_text=data["evidence"],
                completed_on=data["completed_on"],
                evidence_file=data.get("file"),
                confirm=confirms,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if confirms:
                messages.success(request, f"Action {action.label} is complete.")
            else:
                messages.success(
                    request,
                    f"Action {action.label} has been reported complete. The group’s chair or "
                    "the business unit will confirm it.",
                )
            return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_step.html",
        {
            "action": action,
            "form": form,
            "title": "Report completion",
            "button": "Report completion" if not confirms else "Record completion",
            "back": url("action", request, pk=action.pk),
            "multipart": True,
            "confirms": confirms,
        },
    )


@partnership_view(perm=VIEW)
def action_confirm(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    require(request, CONFIRM, action)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "confirm":
                services.confirm_completion(action, by=person(request))
                messages.success(request, f"The completion of action {action.label} is confirmed.")
            else:
                services.return_completion(
                    action, by=person(request), reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"Action {action.label} has been returned to its owner.")
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_step.html",
        {
            "action": action,
            "form": form,
            "title": "Confirm completion",
            "button": "Save decision",
            "back": url("action", request, pk=action.pk),
            "show_evidence": True,
        },
    )


@partnership_view(perm=VIEW)
def action_impact(request: PartnershipRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    require(request, CONFIRM, action)
    form = ImpactForm(request.POST or None, initial={"impact": action.impact})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_impact(
                action,
                by=person(request),
                text=form.cleaned_data["impact"],
                on=form.cleaned_data["on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The impact of action {action.label} has been recorded.")
            return redirect(url("action", request, pk=action.pk))
    return render(
        request,
        "planning/action_step.html",
        {
            "action": action,
            "form": form,
            "title": "Record impact",
            "button": "Record impact",
            "back": url("action", request, pk=action.pk),
        },
    )


@partnership_view(perm=VIEW)
def evidence(request: PartnershipRequest, pk: int) -> FileResponse:
    update = get_object_or_404(ProgressUpdate.objects.select_related("action"), pk=pk)
    RegisterReader.for_request(request).open(update.action, registers.DOWNLOADED)
    if not update.evidence:
        raise Http404("No evidence file")
    try:
        handle = update.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=update.evidence_name)


# --- meetings -----------------------------------------------------------------------------


@partnership_view(perm=VIEW)
def meeting_actions(request: PartnershipRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    reader = RegisterReader.for_request(request)
    return render(
        request,
        "planning/meeting_actions.html",
        {
            "meeting": meeting,
            "from_meeting": reader.visible(
                selectors.sort_actions(selectors.actions_from_meeting(meeting, request.member))
            ),
            "pack": reader.visible(selectors.actions_due_to_meeting(meeting, request.member)),
            "today": timezone.localdate(),
            "can_add": can(request, "planning.add_meeting_action", meeting),
        },
    )


@partnership_view(perm=VIEW)
def meeting_action_new(request: PartnershipRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    require(request, "planning.add_meeting_action", meeting)
    form = MeetingActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                partnership=request.partnership,
                source=Source.MEETING,
                source_record=meeting,
                source_label=str(meeting),
                text=data["text"],
                aim=data["aim"],
                owner=data["owner"],
                group=meeting.group,
                ongoing=data["ongoing"],
                due=data["due"],
                review_date=data["review_date"],
                report_to=data["report_to"],
                by=person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Action {action.label} has been added to the meeting.")
            if request.POST.get("another") == "yes":
                return redirect(url("meeting-action-new", request, pk=meeting.pk))
            return redirect(url("meeting-actions", request, pk=meeting.pk))
    return render(
        request,
        "planning/meeting_action_form.html",
        {"meeting": meeting, "form": form, "back": url("meeting-actions", request, pk=meeting.pk)},
    )
