"""The planning overview, business plans and their themes, import, export and year-end."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeboard.core.converters import parse_id
from safeboard.core.errors import ServiceError
from safeboard.core.tables import CONTENT_TYPES, file_response
from safeboard.partnership.access import PartnershipRequest, partnership_view

from .. import importer, selectors, services
from ..forms import CloseForm, ImportForm, PlanChangeForm, PlanForm, ThemeForm
from ..models import Action, Challenge, Plan, Risk, RiskStatus, Theme
from .common import MANAGE, VIEW, can, person, url


@partnership_view(perm=VIEW)
def index(request: PartnershipRequest) -> HttpResponse:
    today = timezone.localdate()
    plans = list(Plan.objects.all())
    current = selectors.current_plan(today)
    risks = list(Risk.objects.filter(status=RiskStatus.OPEN))
    challenges = list(Challenge.objects.filter(closed_on__isnull=True))
    return render(
        request,
        "planning/index.html",
        {
            "plans": plans,
            "current": current,
            "indicators": selectors.plan_indicators(current, today) if current else None,
            "counts": selectors.tracker_counts(request.member, today),
            "heat": selectors.heat_map(risks),
            "risks_to_review": sum(1 for r in risks if r.review_overdue(today)),
            "challenges_open": len(challenges),
            "challenges_overdue": sum(1 for c in challenges if c.needs_escalation(today)),
            "can_manage": can(request, MANAGE),
        },
    )


@partnership_view(perm=MANAGE)
def plan_new(request: PartnershipRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        first, last = form.cleaned_data["years"]
        try:
            plan = services.create_plan(
                partnership=request.partnership,
                first_year=first,
                last_year=last,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except ServiceError as exc:
            form.add_error("years", str(exc))
        else:
            messages.success(request, f"{plan} has been created.")
            return redirect(url("plan", request, pk=plan.pk))
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": "Add a business plan", "back": url("index", request)},
    )


@partnership_view(perm=VIEW)
def plan_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("next_plan", "closed_by"), pk=pk)
    today = timezone.localdate()
    themes = list(Theme.objects.filter(plan=plan).select_related("lead_group"))
    actions = selectors.sort_actions(
        Action.objects.filter(plan=plan).select_related(
            "plan", "theme", "owner_group", "owner_agency", "owner_person"
        )
    )
    by_theme: dict[int | None, list[Action]] = {}
    for action in actions:
        by_theme.setdefault(action.theme_id, []).append(action)
    sections: list[tuple[Theme | None, list[Action]]] = [
        (t, by_theme.get(t.pk, [])) for t in themes
    ]
    if None in by_theme:
        sections.append((None, by_theme[None]))
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "indicators": selectors.plan_indicators(plan, today),
            "sections": sections,
            "today": today,
            "previous": plan.previous_plans.all(),
            "can_manage": can(request, MANAGE),
        },
    )


@partnership_view(perm=MANAGE)
def plan_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanChangeForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.change_plan(
            plan, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"]
        )
        messages.success(request, f"{plan} has been saved.")
        return redirect(url("plan", request, pk=plan.pk))
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": f"Change {plan}", "back": url("plan", request, pk=plan.pk)},
    )


@partnership_view(perm=MANAGE)
def theme_new(request: PartnershipRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.add_theme(
                plan=plan,
                title=form.cleaned_data["title"],
                lead_group=form.cleaned_data["lead_group"],
            )
        except ServiceError as exc:
            form.add_error("title", str(exc))
        else:
            messages.success(request, f"Theme {theme.number} has been added: {theme.title}.")
            return redirect(url("plan", request, pk=plan.pk) + f"#theme-{theme.number}")
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Add a theme to {plan}",
            "back": url("plan", request, pk=plan.pk),
        },
    )


@partnership_view(perm=MANAGE)
def theme_edit(request: PartnershipRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme.objects.select_related("plan"), pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_theme(
                theme, title=form.cleaned_data["title"], lead_group=form.cleaned_data["lead_group"]
            )
        except ServiceError as exc:
            form.add_error("title", str(exc))
        else:
            messages.success(request, f"Theme {theme.number} has been saved.")
            return redirect(url("plan", request, pk=theme.plan_id) + f"#theme-{theme.number}")
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Change theme {theme.number}",
            "back": url("plan", request, pk=theme.plan_id),
        },
    )


@partnership_view(perm=MANAGE)
def plan_import(request: PartnershipRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importer.import_plan(
            plan,
            upload.read(),
            upload.name,
            dry_run=form.cleaned_data["dry_run"],
            by=person(request),
        )
        if report.written:
            messages.success(request, report.lines()[-1])
            return redirect(url("plan", request, pk=plan.pk))
    return render(
        request,
        "planning/plan_import.html",
        {"plan": plan, "form": form, "report": report, "columns": importer.COLUMNS},
    )


@partnership_view(perm=VIEW)
def plan_export(request: PartnershipRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    fmt = request.GET.get("format", "csv")
    fmt = fmt if fmt in CONTENT_TYPES else "csv"
    return file_response(importer.export_table(plan, fmt), f"business-plan-{plan.label}.{fmt}")


@partnership_view(perm=MANAGE)
def plan_close(request: PartnershipRequest, pk: int) -> HttpResponse:
    """Year-end: preview which actions carry forward, then close the plan in one step."""
    plan = get_object_or_404(Plan, pk=pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = CloseForm(data, plan=plan)
    preview = None
    if form.is_bound and form.is_valid():
        next_plan = form.cleaned_data["next_plan"]
        preview = services.preview_close(plan, next_plan)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            carry = (parse_id(v) for v in request.POST.getlist("carry"))
            expected = [action_id for action_id in carry if action_id is not None]
            try:
                carried = services.close_plan(
                    plan, next_plan=next_plan, by=person(request), expected=expected
                )
            except ServiceError as exc:
                messages.error(request, str(exc))
                preview = services.preview_close(plan, next_plan)
            else:
                count = len(carried)
                messages.success(
                    request,
                    f"{plan} is closed. {count} action{'s' if count != 1 else ''} carried "
                    f"forward into {next_plan}.",
                )
                return redirect(url("plan", request, pk=next_plan.pk))
    elif plan.is_closed:
        preview = services.preview_close(plan, None)
    return render(
        request, "planning/plan_close.html", {"plan": plan, "form": form, "preview": preview}
    )
