"""The case review pages. Case records are reached only through the register reader (the
case review officer); every other member sees the published reviews, their lessons and
recommendations, the themes and counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeboard.core.errors import ServiceError
from safeboard.partnership.access import PartnershipRequest, partnership_view
from safeboard.partnership.models import Person
from safeboard.partnership.registers import RegisterReader

from . import selectors, services
from .apps import CASE_REVIEWS
from .forms import (
    AssuranceForm,
    AssuranceResponseForm,
    DisseminationForm,
    DoneForm,
    LessonForm,
    LocalReviewForm,
    MilestoneForm,
    PanelMemberForm,
    ProcessForm,
    PublishForm,
    RapidReviewForm,
    RecategoriseForm,
    RecommendationForm,
    ReviewForm,
    ThemeForm,
)
from .models import (
    AssuranceRequest,
    CaseReview,
    Milestone,
    ParallelProcess,
    ProcessStatus,
    field_label,
)

VIEW = "learning.view"
MANAGE = "learning.manage"
MANAGE_THEMES = "learning.manage_themes"
PAGE_SIZE = 50


def url(name: str, request: PartnershipRequest, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs={"partnership": request.partnership.slug, **kwargs})


def person(request: PartnershipRequest) -> Person:
    return request.member.person


def opens(request: PartnershipRequest) -> bool:
    return request.member.may_open(CASE_REVIEWS)


def _review(request: PartnershipRequest, pk: int, purpose: str = "read") -> CaseReview:
    """A case record, through the register reader (404 for anyone who may not open it)."""
    return RegisterReader.for_request(request).get(
        CASE_REVIEWS, CaseReview.objects.all(), purpose, pk=pk
    )


def _form_page(
    request: PartnershipRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], Any],
    done: str | Callable[[Any], str],
    success: str,
    caption: str = "",
) -> HttpResponse:
    """A form that saves through a service: errors from the service are shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(done(saved) if callable(done) else done)
    return render(
        request,
        "learning/form.html",
        {"form": form, "title": title, "back": back, "caption": caption},
    )


# --- the list and one review --------------------------------------------------------------


@partnership_view(perm=VIEW)
def index(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    if opens(request):
        # `?show=` one of the lists waiting for the officer (the home page's counts link here).
        shown = selectors.WAITING_KEYS.get(request.GET.get("show", ""))
        cases = selectors.waiting(shown.key, today) if shown else CaseReview.objects.all()
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        reviews = RegisterReader.for_request(request).listing(CASE_REVIEWS, page.object_list)
        return render(
            request,
            "learning/index.html",
            {
                "reviews": reviews,
                "page": page,
                "shown": shown,
                "waiting": selectors.WAITING,
                "clocks": selectors.clocks_by_review(reviews, today),
                "counts": selectors.counts(),
                "today": today,
            },
        )
    published = list(selectors.published_reviews())
    return render(
        request,
        "learning/published_list.html",
        {
            "reviews": published,
            # Published reviews are public documents, each listed here: their number is not
            # a count to suppress.
            "count": len(published),
        },
    )


@partnership_view(perm=VIEW)
def review_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    if not opens(request):
        review = get_object_or_404(selectors.published_reviews(), pk=pk)
        return render(
            request,
            "learning/published_detail.html",
            {
                "review": review,
                "lessons": review.lessons.prefetch_related("themes"),
                "recommendations": review.recommendations.select_related("agency", "action"),
            },
        )
    review = _review(request, pk)
    return render(
        request,
        "learning/review_detail.html",
        {
            "review": review,
            "clocks": selectors.clocks_by_review([review], today).get(review.pk, []),
            "today": today,
            "known_to": review.known_to.all(),
            "agencies_present": review.agencies_present.all(),
            "recategorisations": review.recategorisations.select_related("by"),
            "panel": review.panel.select_related("agency"),
            "milestones": review.milestones.all(),
            "processes": review.processes.all(),
            "lessons": review.lessons.prefetch_related("themes"),
            "recommendations": review.recommendations.select_related("agency", "action"),
            "assurance": review.assurance.select_related("agency"),
            "holding": review.processes.filter(status=ProcessStatus.OPEN).exists(),
            "steps": [
                (field_label(name).capitalize(), getattr(review, name))
                for name in DisseminationForm.FIELDS
            ],
        },
    )


@partnership_view(perm=MANAGE)
def review_new(request: PartnershipRequest) -> HttpResponse:
    form = ReviewForm(request.POST or None, initial={"child": "Child "})

    def save(data: dict[str, Any]) -> CaseReview:
        fields = {k: data[k] for k in ReviewForm.FIELDS if k not in ("reference", "child", "kind")}
        return services.create_review(
            partnership=request.partnership,
            reference=data["reference"],
            child=data["child"],
            kind=data["kind"],
            known_to=data["known_to"],
            **fields,
        )

    return _form_page(
        request,
        form,
        title="Record a case",
        back=url("index", request),
        save=save,
        done=lambda review: review.get_absolute_url(),
        success="The case has been recorded.",
    )


@partnership_view(perm=MANAGE)
def review_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = ReviewForm(request.POST or None, initial=ReviewForm.initial_for(review), editing=True)

    def save(data: dict[str, Any]) -> CaseReview:
        fields = {k: data[k] for k in ReviewForm.FIELDS if k not in ("reference", "child", "kind")}
        return services.change_review(
            review,
            reference=data["reference"],
            child=data["child"],
            known_to=data["known_to"],
            **fields,
        )

    return _form_page(
        request,
        form,
        title="Change the incident and notification",
        caption=str(review),
        back=review.get_absolute_url(),
        save=save,
        done=review.get_absolute_url(),
        success="The case has been saved.",
    )


# --- the pages of a case that save one form through one service ----------------------------


@dataclass(frozen=True)
class CaseForm:
    """A page of a case (or of one of its parts: a milestone, a parallel process, a request
    for assurance) that shows one form and saves it through one service. The record is
    reached through the register reader (404 for anyone who may not open the register; the
    read is logged), the page links back to the case, and the service's errors are shown on
    the form.

    - `save(request, record, data)` calls the service (`record` is the case, or the part);
    - `title` and `initial` may depend on the record; `caption` on the case;
    - `anchor`: where on the case's page to return to;
    - `part`: the model of the part whose id the URL carries, if it is not the case's."""

    form: type[forms.Form]
    title: str | Callable[[Any], str]
    save: Callable[[PartnershipRequest, Any, dict[str, Any]], Any]
    success: str
    anchor: str = ""
    initial: Callable[[Any], dict[str, Any]] | None = None
    caption: Callable[[CaseReview], str] = str
    part: type[models.Model] | None = None


def case_form(page: CaseForm) -> Callable[..., HttpResponse]:
    """The view of a `CaseForm` page: the case review officer's only (`learning.manage`)."""

    @partnership_view(perm=MANAGE)
    def view(request: PartnershipRequest, pk: int) -> HttpResponse:
        record: Any
        if page.part is None:
            record = review = _review(request, pk)
        else:
            record = get_object_or_404(page.part, pk=pk)
            review = record.review = _review(request, record.review_id)
        initial = page.initial(record) if page.initial else None
        return _form_page(
            request,
            page.form(request.POST or None, initial=initial),
            title=page.title(record) if callable(page.title) else page.title,
            caption=page.caption(review),
            back=review.get_absolute_url(),
            save=lambda data: page.save(request, record, data),
            done=review.get_absolute_url() + page.anchor,
            success=page.success,
        )

    return view


def _today(record: Any) -> dict[str, Any]:
    return {"on": timezone.localdate()}


rapid_review = case_form(
    CaseForm(
        RapidReviewForm,
        "The rapid review and its decision",
        initial=RapidReviewForm.initial_for,
        save=lambda request, review, data: services.record_rapid_review(
            review, by=person(request), **data
        ),
        success="The rapid review has been saved.",
    )
)
recategorise = case_form(
    CaseForm(
        RecategoriseForm,
        "Re-categorise the review",
        caption=lambda review: f"{review}: {review.get_kind_display()}",
        save=lambda request, review, data: services.recategorise(
            review, by=person(request), **data
        ),
        success="The review has been re-categorised.",
    )
)
local_review = case_form(
    CaseForm(
        LocalReviewForm,
        "The review: reviewer, scope and reports",
        initial=lambda review: {name: getattr(review, name) for name in LocalReviewForm.FIELDS},
        save=lambda request, review, data: services.change_local_review(review, **data),
        success="The review has been saved.",
    )
)
panel_new = case_form(
    CaseForm(
        PanelMemberForm,
        "Add a panel member",
        anchor="#panel",
        save=lambda request, review, data: services.add_panel_member(review, **data),
        success="The panel member has been added.",
    )
)
milestone_new = case_form(
    CaseForm(
        MilestoneForm,
        "Add a milestone",
        anchor="#milestones",
        save=lambda request, review, data: services.add_milestone(review, **data),
        success="The milestone has been added.",
    )
)
milestone_done = case_form(
    CaseForm(
        DoneForm,
        lambda milestone: f"Milestone reached: {milestone.title}",
        part=Milestone,
        anchor="#milestones",
        initial=_today,
        save=lambda request, milestone, data: services.complete_milestone(milestone, **data),
        success="The milestone has been recorded as reached.",
    )
)
process_new = case_form(
    CaseForm(
        ProcessForm,
        "Add a parallel process that holds publication",
        anchor="#publication",
        save=lambda request, review, data: services.add_process(review, **data),
        success="The process has been added: the review cannot be published while it is open.",
    )
)
process_conclude = case_form(
    CaseForm(
        DoneForm,
        lambda process: f"{process.get_kind_display()} concluded",
        part=ParallelProcess,
        anchor="#publication",
        initial=_today,
        save=lambda request, process, data: services.conclude_process(
            process, by=person(request), **data
        ),
        success="The process has been recorded as concluded.",
    )
)
publish = case_form(
    CaseForm(
        PublishForm,
        "Publish the review",
        initial=lambda review: {
            "on": review.published_on or timezone.localdate(),
            "url": review.published_url,
            "in_national_repository": review.in_national_repository,
        },
        save=lambda request, review, data: services.publish(review, **data),
        success="The review is published: its lessons and recommendations are open to every "
        "member.",
    )
)

# Lessons, recommendations, dissemination.
lesson_new = case_form(
    CaseForm(
        LessonForm,
        "Add a lesson",
        anchor="#lessons",
        save=lambda request, review, data: services.add_lesson(review, **data),
        success="The lesson has been added.",
    )
)
recommendation_new = case_form(
    CaseForm(
        RecommendationForm,
        "Add a recommendation",
        caption=lambda review: (
            f"{review}: it becomes an action in the tracker, owned by the agency"
        ),
        anchor="#recommendations",
        save=lambda request, review, data: services.add_recommendation(
            review, by=person(request), **data
        ),
        success="The recommendation has been added, with its action in the tracker.",
    )
)
dissemination = case_form(
    CaseForm(
        DisseminationForm,
        "Dissemination checklist",
        caption=lambda review: f"{review}: the date each step was done",
        anchor="#dissemination",
        initial=lambda review: {name: getattr(review, name) for name in DisseminationForm.FIELDS},
        save=lambda request, review, data: services.record_dissemination(review, **data),
        success="The dissemination checklist has been saved.",
    )
)
assurance_new = case_form(
    CaseForm(
        AssuranceForm,
        "Seek assurance from an agency",
        anchor="#dissemination",
        initial=lambda review: {"requested_on": timezone.localdate()},
        save=lambda request, review, data: services.seek_assurance(review, **data),
        success="The request for assurance has been recorded.",
    )
)
assurance_response = case_form(
    CaseForm(
        AssuranceResponseForm,
        lambda asked: f"Assurance from {asked.agency.name}",
        part=AssuranceRequest,
        anchor="#dissemination",
        initial=_today,
        save=lambda request, asked, data: services.record_assurance(
            asked, by=person(request), **data
        ),
        success="The agency’s response has been recorded.",
    )
)


# --- themes -----------------------------------------------------------------------------


@partnership_view(perm=VIEW)
def themes(request: PartnershipRequest) -> HttpResponse:
    restricted = opens(request)
    rows, years = selectors.theme_recurrence(published_only=not restricted)
    table = [
        {
            "theme": row.theme,
            "years": [
                selectors.shown_count(row.by_year.get(y, 0), restricted=restricted) for y in years
            ],
            "reviews": selectors.shown_count(row.review_count, restricted=restricted),
            "lessons": selectors.shown_count(row.lessons, restricted=restricted),
            "recurs": row.recurs,
        }
        for row in rows
    ]
    return render(
        request,
        "learning/themes.html",
        {
            "table": table,
            "years": years,
            "restricted": restricted,
            "can_manage": request.user.has_perm(MANAGE_THEMES, request.partnership),
        },
    )


@partnership_view(perm=MANAGE_THEMES)
def theme_new(request: PartnershipRequest) -> HttpResponse:
    return _form_page(
        request,
        ThemeForm(request.POST or None),
        title="Add a learning theme",
        back=url("themes", request),
        save=lambda data: services.add_theme(partnership=request.partnership, **data),
        done=url("themes", request),
        success="The theme has been added.",
    )
