"""Pages of the child death register. Every record is reached through the register reader
(it lets in only the register's roles, 404 for anyone else, and logs each read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeboard.core import clocks
from safeboard.core.errors import ServiceError
from safeboard.core.periods import FinancialYear
from safeboard.core.tables import table_response
from safeboard.partnership.access import MEMBER, PartnershipRequest, partnership_view
from safeboard.partnership.registers import EXPORTED, LISTED, RegisterReader

from . import forms, ncmd, selectors, services
from .apps import REGISTER
from .constants import form_version
from .models import AgencyForm, ChildDeath, Factor, Recommendation, Status

VIEW = "child_deaths.view"
MANAGE = "child_deaths.manage"


def url(name: str, request: PartnershipRequest, **kwargs: Any) -> str:
    return reverse(
        f"child_deaths:{name}", kwargs={"partnership": request.partnership.slug, **kwargs}
    )


def _death(request: PartnershipRequest, pk: int, purpose: str = "read") -> ChildDeath:
    return RegisterReader.for_request(request).get(REGISTER, selectors.deaths(), purpose, pk=pk)


def _person(request: PartnershipRequest) -> Any:
    return request.member.person


def _form_page(
    request: PartnershipRequest, form: Any, title: str, back: str, **extra: Any
) -> HttpResponse:
    return render(
        request, "child_deaths/form.html", {"form": form, "title": title, "back": back, **extra}
    )


@partnership_view(perm=VIEW)
def index(request: PartnershipRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    reader = RegisterReader.for_request(request)
    everything = list(selectors.deaths().prefetch_related("forms"))
    if status == "open":
        shown = [d for d in everything if d.status != Status.COMPLETED]
    elif status == selectors.TO_RELEASE:
        ids = set(selectors.to_release().values_list("pk", flat=True))
        shown = [d for d in everything if d.pk in ids]
    elif status in Status.values:
        shown = [d for d in everything if d.status == status]
    else:
        shown = everything
    reader.listing(REGISTER, shown)
    counts = {s: sum(1 for d in everything if d.status == s) for s in Status.values}
    return render(
        request,
        "child_deaths/index.html",
        {
            "deaths": shown,
            "status": status,
            "statuses": Status.choices,
            "counts": counts,
            "to_release": selectors.to_release().count(),
            "today": timezone.localdate(),
        },
    )


@partnership_view(perm=MANAGE)
def death_new(request: PartnershipRequest) -> HttpResponse:
    form = forms.NotificationForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        try:
            death = services.notify(partnership=request.partnership, **data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The death has been recorded as {death.reference}.")
            RegisterReader.for_request(request).get(REGISTER, selectors.deaths(), pk=death.pk)
            return redirect(url("death", request, pk=death.pk))
    return _form_page(request, form, "Notify a child’s death", url("index", request))


@partnership_view(perm=MEMBER)
def death_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _death(request, pk)
    review = death.review_or_none()
    forms_ = list(death.forms.select_related("agency"))
    today = timezone.localdate()
    recommendations = list(review.recommendations.select_related("action")) if review else []
    return render(
        request,
        "child_deaths/death_detail.html",
        {
            "death": death,
            "review": review,
            "forms": forms_,
            "meetings": list(death.meetings.prefetch_related("agencies")),
            "factors": list(review.factors.all()) if review else [],
            "recommendations": recommendations,
            "case_review": _case_review(request, review),
            "clocks": clocks.clocks_of(death),
            "today": today,
            "can_manage": request.user.has_perm(MANAGE, request.partnership),
            "held_here": death.partnership_id == request.partnership.pk,
        },
    )


def _case_review(request: PartnershipRequest, review: Any) -> Any:
    """The linked case review (a record of the case reviews register), for a member who may
    open that register, its read logged; None for anyone else, who sees its number only and
    not whether it exists."""
    found = review.case_review if review is not None else None
    reader = RegisterReader.for_request(request)
    if found is None or not reader.may_read(found):
        return None
    return reader.open(found, LISTED)


@partnership_view(perm=MEMBER)
def death_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _death(request, pk)
    if not request.user.has_perm(MANAGE, request.partnership):
        raise Http404
    form = forms.ChangeNotificationForm(
        request.POST or None,
        partnership=request.partnership,
        initial=forms.NotificationForm.initial_for(death),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_notification(death, **form.data_for_service())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The notification has been changed.")
            return redirect(url("death", request, pk=death.pk))
    return _form_page(request, form, f"Change {death.reference}", url("death", request, pk=pk))


def _managed_death(request: PartnershipRequest, pk: int) -> ChildDeath:
    death = _death(request, pk)
    if not request.user.has_perm(MANAGE, request.partnership):
        raise Http404
    return death


@partnership_view(perm=MEMBER)
def forms_request(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _managed_death(request, pk)
    form = forms.RequestFormsForm(
        request.POST or None, death=death, initial={"requested_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_forms(
                death,
                agencies=form.cleaned_data["agencies"],
                requested_on=form.cleaned_data["requested_on"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Asked {len(made)} agenc{'y' if len(made) == 1 else 'ies'} for their reporting "
                f"forms (version {form_version(form.cleaned_data['requested_on'])}).",
            )
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request,
        form,
        f"{death.reference}: request agency reporting forms",
        url("death", request, pk=pk),
    )


@partnership_view(perm=MEMBER)
def form_receive(request: PartnershipRequest, pk: int) -> HttpResponse:
    reader = RegisterReader.for_request(request)
    agency_form: AgencyForm = reader.get(
        REGISTER, AgencyForm.objects.select_related("death", "agency"), pk=pk
    )
    if not request.user.has_perm(MANAGE, request.partnership):
        raise Http404
    back = url("death", request, pk=agency_form.death_id)
    form = forms.ReceiveForm(
        request.POST or None,
        initial={"received_on": agency_form.received_on or timezone.localdate(), "complete": "yes"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.receive_form(
                agency_form,
                received_on=form.cleaned_data["received_on"],
                complete=forms.yes_no(form.cleaned_data["complete"]),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{agency_form.agency.short_name}’s form has been received.")
            return redirect(back)
    return _form_page(request, form, f"{agency_form}: received", back)


@partnership_view(perm=MEMBER)
def meeting_new(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _managed_death(request, pk)
    form = forms.MeetingForm(request.POST or None, death=death)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(death, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting has been recorded.")
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request, form, f"{death.reference}: record a meeting", url("death", request, pk=pk)
    )


@partnership_view(perm=MEMBER)
def review_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _managed_death(request, pk)
    review = death.review_or_none()
    initial: dict[str, Any] = {}
    if review is not None:
        initial = {
            "panel_date": review.panel_date,
            "completed_on": review.completed_on,
            "category": review.category,
            "modifiable": forms.yes_no_initial(review.modifiable),
            "modifiable_factors": review.modifiable_factors,
            "learning": review.learning,
            "case_review_id": review.case_review_id,
        }
    form = forms.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["modifiable"] = forms.yes_no(data["modifiable"] or "")
        try:
            services.record_review(death, **data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The panel’s review has been saved.")
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request, form, f"{death.reference}: the panel’s review", url("death", request, pk=pk)
    )


def _review_of(request: PartnershipRequest, pk: int) -> Any:
    death = _managed_death(request, pk)
    review = death.review_or_none()
    if review is None:
        raise Http404("No review yet")
    return death, review


@partnership_view(perm=MEMBER)
def factor_new(request: PartnershipRequest, pk: int) -> HttpResponse:
    death, review = _review_of(request, pk)
    form = forms.FactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_factor(review, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The factor has been added.")
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request, form, f"{death.reference}: add a contributory factor", url("death", request, pk=pk)
    )


@partnership_view(perm=MEMBER)
def recommendation_new(request: PartnershipRequest, pk: int) -> HttpResponse:
    death, review = _review_of(request, pk)
    form = forms.RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"] or death.panel
        try:
            if owner is None:
                raise ServiceError("Choose the agency responsible: the death has no panel")
            services.add_recommendation(
                review,
                partnership=request.partnership,
                text=data["text"],
                owner=owner,
                due=data["due"],
                by=_person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "The recommendation has been added to the action tracker"
                + ("." if review.released_on else ", seen only in this register until released."),
            )
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request, form, f"{death.reference}: add a recommendation", url("death", request, pk=pk)
    )


def _managed_record(request: PartnershipRequest, queryset: Any, pk: int) -> Any:
    """A record of the register the member keeps, its read logged (404 for anyone else)."""
    found = RegisterReader.for_request(request).get(REGISTER, queryset, pk=pk)
    if not request.user.has_perm(MANAGE, request.partnership):
        raise Http404
    return found


def _confirm_page(
    request: PartnershipRequest, *, title: str, what: str, lead: str, button: str, back: str
) -> HttpResponse:
    return render(
        request,
        "child_deaths/confirm.html",
        {"title": title, "what": what, "lead": lead, "button": button, "back": back},
    )


@partnership_view(perm=MEMBER)
def factor_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    factor: Factor = _managed_record(request, Factor.objects.select_related("review__death"), pk)
    death = factor.review.death
    back = url("death", request, pk=death.pk)
    form = forms.FactorForm(
        request.POST or None,
        initial={"domain": factor.domain, "description": factor.description, "grade": factor.grade},
    )
    form.record = factor
    if request.method == "POST" and form.is_valid():
        try:
            services.change_factor(factor, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The factor has been changed.")
            return redirect(back + "#factors")
    return _form_page(
        request,
        form,
        f"{death.reference}: change a contributory factor",
        back,
        remove=url("factor-remove", request, pk=factor.pk),
    )


@partnership_view(perm=MEMBER)
def factor_remove(request: PartnershipRequest, pk: int) -> HttpResponse:
    factor: Factor = _managed_record(request, Factor.objects.select_related("review__death"), pk)
    death = factor.review.death
    back = url("death", request, pk=death.pk)
    if request.method == "POST":
        services.remove_factor(factor)
        messages.success(request, "The factor has been removed.")
        return redirect(back + "#factors")
    return _confirm_page(
        request,
        title=f"{death.reference}: remove a contributory factor",
        what=f"{factor.get_domain_display()}, grade {factor.grade}: {factor.description}",
        lead="The factor is removed from the panel’s review. The audit trail keeps what it said.",
        button="Remove the factor",
        back=back,
    )


def _recommendation(request: PartnershipRequest, pk: int) -> Recommendation:
    return _managed_record(
        request, Recommendation.objects.select_related("review__death", "action"), pk
    )


@partnership_view(perm=MEMBER)
def recommendation_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    review = recommendation.review
    death = review.death
    back = url("death", request, pk=death.pk)
    if review.released_on is not None:
        messages.error(
            request,
            "The panel has released its recommendations: change the action in the tracker.",
        )
        return redirect(back + "#recommendations")
    action: Any = recommendation.action
    form = forms.RecommendationForm(
        request.POST or None,
        initial={
            "text": recommendation.text,
            "owner": action.owner_agency_id if action is not None else None,
            "due": action.due if action is not None else None,
        },
    )
    form.record = recommendation
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"] or death.panel
        try:
            if owner is None:
                raise ServiceError("Choose the agency responsible: the death has no panel")
            services.change_recommendation(
                recommendation,
                text=data["text"],
                owner=owner,
                due=data["due"],
                by=_person(request),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The recommendation and its action have been changed.")
            return redirect(back + "#recommendations")
    return _form_page(
        request,
        form,
        f"{death.reference}: change a recommendation",
        back,
        remove=url("recommendation-remove", request, pk=recommendation.pk),
    )


@partnership_view(perm=MEMBER)
def recommendation_remove(request: PartnershipRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    death = recommendation.review.death
    back = url("death", request, pk=death.pk)
    if recommendation.review.released_on is not None:
        messages.error(
            request,
            "The panel has released its recommendations: close the action in the tracker.",
        )
        return redirect(back + "#recommendations")
    if request.method == "POST":
        services.remove_recommendation(recommendation)
        messages.success(request, "The recommendation and its action have been removed.")
        return redirect(back + "#recommendations")
    return _confirm_page(
        request,
        title=f"{death.reference}: remove a recommendation",
        what=recommendation.text,
        lead="The recommendation and its action in the tracker are removed (nobody outside "
        "this register has seen them). The audit trail keeps them.",
        button="Remove the recommendation",
        back=back,
    )


@partnership_view(perm=MEMBER)
def form_withdraw(request: PartnershipRequest, pk: int) -> HttpResponse:
    agency_form: AgencyForm = _managed_record(
        request, AgencyForm.objects.select_related("death", "agency"), pk
    )
    back = url("death", request, pk=agency_form.death_id)
    if agency_form.received_on is not None:
        messages.error(
            request, "The form has been received: correct its receipt instead of withdrawing it."
        )
        return redirect(back + "#forms")
    if request.method == "POST":
        try:
            services.withdraw_form(agency_form)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"The request for {agency_form.agency.short_name}’s form is withdrawn."
            )
        return redirect(back + "#forms")
    return _confirm_page(
        request,
        title=f"{agency_form.death.reference}: withdraw a form request",
        what=f"{agency_form.agency.name}: requested {agency_form.requested_on:%d %B %Y}, "
        f"due {agency_form.due:%d %B %Y}",
        lead="Withdraw the request when the agency was asked in error. Its clock stops "
        "counting and it no longer shows as outstanding; the audit trail keeps the request.",
        button="Withdraw the request",
        back=back,
    )


@partnership_view(perm=MEMBER)
def review_release(request: PartnershipRequest, pk: int) -> HttpResponse:
    death, review = _review_of(request, pk)
    form = forms.ReleaseForm(request.POST or None, initial={"released_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.release_recommendations(review, on=form.cleaned_data["released_on"])
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Released {count} recommendation{'s' if count != 1 else ''} to the tracker.",
            )
            return redirect(url("death", request, pk=death.pk))
    return _form_page(
        request,
        form,
        f"{death.reference}: release the recommendations",
        url("death", request, pk=pk),
        lead="Their actions leave the register: everyone in the partnership will see them in "
        "the tracker.",
    )


@partnership_view(perm=MEMBER)
def ncmd_export(request: PartnershipRequest, pk: int) -> HttpResponse:
    death = _death(request, pk, EXPORTED)
    try:
        found = ncmd.rows(death)
    except ValueError:
        raise Http404("The review is not completed") from None
    return table_response(ncmd.COLUMNS, found, "csv", f"{death.reference}-ncmd-analysis")


@partnership_view(perm=VIEW)
def agency_forms(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    reader = RegisterReader.for_request(request)
    forms_ = AgencyForm.objects.select_related("agency", "death").order_by("due", "pk")
    late_only = request.GET.get("show") == "late"
    if late_only:
        forms_ = forms_.filter(received_on__isnull=True, due__lt=today)
    found = reader.listing(REGISTER, forms_)
    return render(
        request,
        "child_deaths/agency_forms.html",
        {
            "agencies": selectors.forms_by_agency(found, today),
            "today": today,
            "late_only": late_only,
        },
    )


def _tables_args(request: PartnershipRequest) -> tuple[str, bool]:
    today = timezone.localdate()
    default = FinancialYear(today.year if today.month >= 4 else today.year - 1).previous().label
    year = request.GET.get("year") or default
    try:
        year = selectors.year_period(year).label
    except ValueError:
        year = default
    return year, request.GET.get("scope") == "panel"


@partnership_view(perm=VIEW)
def tables(request: PartnershipRequest) -> HttpResponse:
    year, panel = _tables_args(request)
    years = selectors.years_beside(year, partnership=request.partnership, panel=panel)
    current = years[-1]
    shown = []
    for key, heading, title in selectors.TABLES:
        table = current[key]
        rows = []
        for label, number, share in table.rows:
            rows.append(
                {
                    "label": label,
                    "number": number,
                    "percent": share,
                    "before": [y[key].counts[label] for y in years[:-1]],
                    "england": table.england.get(label),
                }
            )
        shown.append(
            {
                "key": key,
                "title": title,
                "heading": heading,
                "rows": rows,
                "total": table.total,
                "totals_before": [y[key].total for y in years[:-1]],
            }
        )
    return render(
        request,
        "child_deaths/tables.html",
        {
            "year": year,
            "panel": panel,
            "tables": shown,
            "before": [y["sex"].year for y in years[:-1]],
        },
    )


@partnership_view(perm=VIEW)
def table_csv(request: PartnershipRequest, table: str) -> HttpResponse:
    if table not in selectors.ROWS:
        raise Http404("No such table")
    year, panel = _tables_args(request)
    found = selectors.tables_for(year, partnership=request.partnership, panel=panel)[table]
    return table_response(
        [found.heading, "Number", "Percent"], found.csv_rows(), "csv", f"{table}-{year}"
    )
