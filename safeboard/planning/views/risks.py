"""The risk register: the heat map and list, a risk with its history of scores, reviews."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest, partnership_view

from .. import selectors, services
from ..forms import RiskForm, RiskReviewForm
from ..models import Risk, RiskBand, RiskStatus
from .common import MANAGE, VIEW, can, person, url


def _risks() -> object:
    return Risk.objects.select_related("owner_group", "owner_agency", "owner_person")


@partnership_view(perm=VIEW)
def risk_list(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    risks = list(Risk.objects.select_related("owner_group", "owner_agency", "owner_person"))
    open_risks = [r for r in risks if r.status == RiskStatus.OPEN]
    listed = open_risks if show != "all" else risks
    # The home panel's counts link to these: a band, above target, or past review date.
    band = request.GET.get("band", "")
    if band in RiskBand.values:
        listed = [r for r in listed if r.band == band]
    else:
        band = ""
    if show == "above_target":
        listed = [r for r in listed if r.above_target]
    elif show == "review":
        listed = [r for r in listed if r.review_overdue(today)]
    listed.sort(key=lambda r: (r.status != RiskStatus.OPEN, -r.score, r.reference))
    return render(
        request,
        "planning/risk_list.html",
        {
            "risks": listed,
            "show": show,
            "band": RiskBand(band).label if band else "",
            "heat": selectors.heat_map(open_risks),
            "today": today,
            "to_review": [r for r in open_risks if r.review_overdue(today)],
            "can_manage": can(request, MANAGE),
        },
    )


@partnership_view(perm=VIEW)
def risk_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(
        Risk.objects.select_related("owner_group", "owner_agency", "owner_person"), pk=pk
    )
    return render(
        request,
        "planning/risk_detail.html",
        {
            "risk": risk,
            "reviews": risk.reviews.select_related("reviewed_by"),
            "today": timezone.localdate(),
            "can_manage": can(request, MANAGE),
        },
    )


@partnership_view(perm=MANAGE)
def risk_new(request: PartnershipRequest) -> HttpResponse:
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            risk = services.create_risk(
                partnership=request.partnership,
                reference=data["reference"],
                title=data["title"],
                description=data["description"],
                controls=data["controls"],
                owner=data["owner"],
                likelihood=data["likelihood"],
                impact=data["impact"],
                target_score=data["target_score"],
                review_date=data["review_date"],
                by=person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Risk {risk.reference} has been added.")
            return redirect(url("risk", request, pk=risk.pk))
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": "Add a risk", "back": url("risks", request)},
    )


@partnership_view(perm=MANAGE)
def risk_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    form = RiskForm(request.POST or None, initial=RiskForm.initial_for(risk), risk=risk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_risk(
                risk,
                reference=data["reference"],
                title=data["title"],
                description=data["description"],
                controls=data["controls"],
                owner=data["owner"],
                target_score=data["target_score"],
                review_date=data["review_date"],
                status=data["status"],
                closed_on=data["closed_on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Risk {risk.reference} has been saved.")
            return redirect(url("risk", request, pk=risk.pk))
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Change risk {risk.reference}",
            "back": url("risk", request, pk=risk.pk),
        },
    )


@partnership_view(perm=MANAGE)
def risk_review(request: PartnershipRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    form = RiskReviewForm(request.POST or None, risk=risk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_risk(
                risk,
                likelihood=data["likelihood"],
                impact=data["impact"],
                note=data["note"],
                on=data["reviewed_on"],
                next_review=data["next_review"],
                by=person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The review of risk {risk.reference} has been recorded.")
            return redirect(url("risk", request, pk=risk.pk))
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Review risk {risk.reference}: {risk.title}",
            "back": url("risk", request, pk=risk.pk),
        },
    )
