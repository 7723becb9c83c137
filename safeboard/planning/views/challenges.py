"""The challenge log: what the board challenged agencies about, their responses, escalation
and outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeboard.core.converters import parse_id
from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.models import Agency

from .. import selectors, services
from ..forms import ChallengeForm, EscalationForm, OutcomeForm, ResponseForm
from ..models import Challenge, ChallengeStatus
from .common import MANAGE, VIEW, can, person, require, url

RESPOND = "planning.respond_challenge"


def _challenge(pk: int) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("agency", "raised_by", "raised_by_group", "responded_by"),
        pk=pk,
    )


@partnership_view(perm=VIEW)
def challenge_list(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    challenges = list(Challenge.objects.select_related("agency", "raised_by", "raised_by_group"))
    show = request.GET.get("show", "open")
    agency_id = request.GET.get("agency", "")
    if (agency := parse_id(agency_id)) is not None:
        challenges = [c for c in challenges if c.agency_id == agency]
    if show == "to_answer":
        # The challenges waiting for the member's answer ("waiting for you" links here).
        mine = set(selectors.challenges_to_answer(request.member).values_list("pk", flat=True))
        challenges = [c for c in challenges if c.pk in mine]
    rows = [(c, c.status_on(today)) for c in challenges]
    if show == "overdue":
        rows = [(c, s) for c, s in rows if s == ChallengeStatus.OVERDUE]
    if show == "open":
        rows = [(c, s) for c, s in rows if s != ChallengeStatus.CLOSED]
    return render(
        request,
        "planning/challenge_list.html",
        {
            "rows": rows,
            "show": show,
            "agencies": Agency.objects.all(),
            "agency_id": agency_id,
            "overdue": sum(1 for c in challenges if c.needs_escalation(today)),
            "can_manage": can(request, MANAGE),
        },
    )


@partnership_view(perm=VIEW)
def challenge_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    challenge = _challenge(pk)
    today = timezone.localdate()
    status = challenge.status_on(today)
    is_open = challenge.closed_on is None
    return render(
        request,
        "planning/challenge_detail.html",
        {
            "challenge": challenge,
            "status": status,
            "today": today,
            "can_manage": can(request, MANAGE),
            "can_respond": is_open and can(request, RESPOND, challenge),
            "can_escalate": is_open and challenge.escalated_on is None and can(request, MANAGE),
            "can_close": is_open and can(request, MANAGE),
        },
    )


def _save(
    request: PartnershipRequest, form: ChallengeForm, challenge: Challenge | None
) -> Challenge | None:
    data = form.cleaned_data
    fields = {
        "agency": data["agency"],
        "subject": data["subject"],
        "detail": data["detail"],
        "raised_on": data["raised_on"],
        "response_due": data["response_due"],
        "raised_by": data["raised_by"],
        "raised_by_group": data["raised_by_group"],
    }
    try:
        if challenge is None:
            return services.raise_challenge(partnership=request.partnership, **fields)
        return services.change_challenge(challenge, **fields)
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None


@partnership_view(perm=MANAGE)
def challenge_new(request: PartnershipRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None, initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        challenge = _save(request, form, None)
        if challenge is not None:
            messages.success(request, f"Challenge {challenge.reference} has been logged.")
            return redirect(url("challenge", request, pk=challenge.pk))
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": "Log a challenge", "back": url("challenges", request)},
    )


@partnership_view(perm=MANAGE)
def challenge_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    challenge = _challenge(pk)
    form = ChallengeForm(request.POST or None, instance=challenge)
    if request.method == "POST" and form.is_valid() and _save(request, form, challenge):
        messages.success(request, f"Challenge {challenge.reference} has been saved.")
        return redirect(url("challenge", request, pk=challenge.pk))
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Change challenge {challenge.reference}",
            "back": url("challenge", request, pk=challenge.pk),
        },
    )


@partnership_view(perm=VIEW)
def challenge_respond(request: PartnershipRequest, pk: int) -> HttpResponse:
    challenge = _challenge(pk)
    require(request, RESPOND, challenge)
    form = ResponseForm(request.POST or None, initial={"response": challenge.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_response(
                challenge,
                response=form.cleaned_data["response"],
                on=form.cleaned_data["responded_on"],
                by=person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The response to {challenge.reference} has been recorded.")
            return redirect(url("challenge", request, pk=challenge.pk))
    return render(
        request,
        "planning/challenge_step.html",
        {
            "challenge": challenge,
            "form": form,
            "title": "Record the agency’s response",
            "button": "Record the response",
        },
    )


@partnership_view(perm=MANAGE)
def challenge_escalate(request: PartnershipRequest, pk: int) -> HttpResponse:
    challenge = _challenge(pk)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalate_challenge(
                challenge,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Challenge {challenge.reference} has been escalated.")
            return redirect(url("challenge", request, pk=challenge.pk))
    return render(
        request,
        "planning/challenge_step.html",
        {"challenge": challenge, "form": form, "title": "Escalate", "button": "Escalate"},
    )


@partnership_view(perm=MANAGE)
def challenge_close(request: PartnershipRequest, pk: int) -> HttpResponse:
    challenge = _challenge(pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_challenge(
                challenge,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Challenge {challenge.reference} is closed.")
            return redirect(url("challenge", request, pk=challenge.pk))
    return render(
        request,
        "planning/challenge_step.html",
        {
            "challenge": challenge,
            "form": form,
            "title": "Record the outcome and close",
            "button": "Close the challenge",
        },
    )
