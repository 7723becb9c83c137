"""Web views of the performance module: scorecards and the exception report, indicators,
imports, collection rounds and agencies' returns, corrections, national comparators. Thin:
forms validate, services write, selectors read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from safeboard.core import periods
from safeboard.core.errors import ServiceError
from safeboard.core.periods import Period, PeriodError
from safeboard.core.tables import (
    TableProblem,
    TableRow,
    file_response,
    read_table,
    require_columns,
)
from safeboard.partnership.access import MEMBER, PartnershipRequest, partnership_view

from . import charts, comparators, exports, selectors, services
from .forms import (
    STATUS_CHOICES,
    CorrectionForm,
    DefinitionChangeForm,
    IndicatorForm,
    OverrideForm,
    RoundForm,
    ScorecardFilterForm,
    TargetForm,
    TemplateUploadForm,
    UploadForm,
)
from .models import (
    RATIO_UNITS,
    AgencyReturn,
    CollectionRound,
    ComparatorImport,
    ComparatorPeriod,
    Indicator,
    Measure,
    RagOverride,
    ReturnStatus,
    RoundStatus,
    Theme,
    Value,
)
from .rag import RULE_SUMMARY
from .services import ValidationFailed
from .templatetags import performance as tags
from .validation import VALUE_COLUMNS, VALUE_EXTRA_COLUMNS, validate_values

VIEW = "performance.view"
MANAGE = "performance.manage"
ROUNDS = "performance.view_rounds"
INPUTS = {"value", "numerator", "denominator", "status", "note", "comment"}
RETURN_FIELDS = (
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "note",
    "comment",
)


def _url(name: str, request: PartnershipRequest, **kwargs: Any) -> str:
    return reverse(
        f"performance:{name}", kwargs={"partnership": request.partnership.slug, **kwargs}
    )


def _can(request: PartnershipRequest, perm: str, obj: Any = None) -> bool:
    return request.user.has_perm(perm, obj if obj is not None else request.partnership)


# --- scorecards ---------------------------------------------------------------------------


@partnership_view(perm=MEMBER)
def index(request: PartnershipRequest) -> HttpResponse:
    """The module's address: the scorecard for those who read it, returns for contributors."""
    if _can(request, VIEW):
        return redirect(_url("scorecard", request))
    if _can(request, ROUNDS):
        return redirect(_url("rounds", request))
    raise PermissionDenied


def _scorecard_request(
    request: PartnershipRequest,
) -> tuple[ScorecardFilterForm, Period, Theme | None, bool]:
    default = selectors.default_period()
    data = request.GET.copy()
    data.setdefault("period", default.label)
    form = ScorecardFilterForm(data)
    period, theme = default, None
    if form.is_valid():
        period, theme = form.cleaned_data["period"], form.cleaned_data["theme"]
    else:
        # A period typed into the address that is not in the list is still honoured.
        try:
            period = periods.parse_period(request.GET.get("period", default.label))
        except PeriodError:
            period = default
        theme = Theme.objects.filter(slug=request.GET.get("theme", "")).first()
    public = request.GET.get("public") == "1"
    return form, period, theme, public


def _spark_id(row: selectors.ScorecardRow) -> str:
    return f"spark-{row.indicator.pk}"


@dataclass(frozen=True)
class ScorecardLine:
    """One scorecard row, its pieces of markup made once in Python: a board's scorecard has
    a hundred rows, and the page must stay quick."""

    row: selectors.ScorecardRow
    href: str
    value: SafeString
    target: SafeString
    rag: SafeString
    trend: SafeString
    spark: SafeString
    national: SafeString


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _scorecard_lines(request: PartnershipRequest, card: selectors.Scorecard) -> list[ScorecardLine]:
    """Each row's markup, built with f-strings: every value is escaped (`escape`) or comes
    from the tags' constants. format_html is several times slower, and there are many rows."""
    base = _url("indicator", request, pk=0).removesuffix("0/")
    lines = []
    for row in card.rows:
        indicator = row.indicator
        previous = ""
        if row.previous_raw is not None or row.previous_status:
            previous = (
                '<span class="govuk-body-s sb-muted sb-nowrap"><br>'
                f"{escape(row.previous_period.label)}: "
                f"{tags.figure(row.previous_raw, indicator, row.previous_status)}</span>"
            )
        spark = ""
        if any(v is not None for _, v in row.recent):
            label = (
                f"Recent values of {indicator.code}, {row.recent[0][0].label} to "
                f"{row.recent[-1][0].label}"
            )
            spec = charts.sparkline(
                [charts.Point(p.end, p.label, v) for p, v in row.recent], label=label
            )
            spark_id = _spark_id(row)
            data = json.dumps(spec, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
            spark = (
                f'<script id="{spark_id}" type="application/json">{data}</script>'
                f'<div class="sb-chart sb-chart--spark" data-vega-spec="{spark_id}" '
                f'role="img" aria-label="{escape(label)}"></div>'
            )
        value = (
            f'<span data-testid="value">{tags.figure(row.raw, indicator, row.status)}</span>'
            f'<span class="govuk-body-s sb-muted sb-nowrap"><br>{escape(row.period.label)}'
            "</span>"
        )
        target = (
            escape(row.target_text) if row.target else '<span class="sb-missing">Not set</span>'
        )
        lines.append(
            ScorecardLine(
                row=row,
                href=f"{base}{indicator.pk}/",
                value=mark_safe(value),  # noqa: S308 (escaped)
                target=mark_safe(target),  # noqa: S308 (escaped)
                rag=_rag(row),
                trend=mark_safe(f"{tags.trend_tag(row.trend)}{previous}"),  # noqa: S308
                spark=mark_safe(spark),  # noqa: S308 (escaped JSON in a data block)
                national=_national(row),
            )
        )
    return lines


def _rag(row: selectors.ScorecardRow) -> SafeString:
    """The rating, and for one a person overrode, why: the reason is shown to every reader."""
    tag = tags.rag_tag(row.rag, row.override is not None)
    if row.override is None:
        return tag
    return mark_safe(  # noqa: S308 (escaped)
        f'{tag}<details class="govuk-details govuk-!-margin-bottom-0 govuk-!-margin-top-1">'
        '<summary class="govuk-details__summary"><span class="govuk-details__summary-text '
        'govuk-body-s">Why</span></summary><div class="govuk-details__text govuk-body-s">'
        f"{escape(row.override.reason)}</div></details>"
    )


def _national(row: selectors.ScorecardRow) -> SafeString:
    c = row.comparison
    if c is None:
        text = "No national figures yet" if row.indicator.national_code else "Local measure"
        return mark_safe(f'<span class="govuk-body-s sb-muted">{text}</span>')  # noqa: S308
    rank = ""
    if c.rank:
        band = f", quartile {c.quartile}" if c.quartile else ""
        rank = f"<dt>Rank</dt> <dd>{tags.ordinal_rank(c.rank)} of {c.rank_of}{band}</dd> "
    return mark_safe(  # noqa: S308 (escaped)
        '<dl class="govuk-body-s govuk-!-margin-0">'
        f"<dt>England</dt> <dd>{escape(row.comparator('england') or 'x')}</dd> "
        f"<dt>{escape(c.region_name or 'Region')}</dt> "
        f"<dd>{escape(row.comparator('region') or 'x')}</dd> "
        f"<dt>Neighbours</dt> <dd>{escape(row.comparator('sn_average') or 'x')}</dd> "
        f"{rank}<dt>National figures for</dt> <dd>{escape(c.period)}</dd></dl>"
    )


@partnership_view(perm=VIEW)
def scorecard(request: PartnershipRequest) -> HttpResponse:
    form, period, theme, public = _scorecard_request(request)
    card = selectors.scorecard(request.partnership, period, theme, public=public)
    counts = card.counts()
    # ?rag=R: only the red lines (the home panel's counts link here).
    rag = request.GET.get("rag", "")
    if rag in ("R", "A", "G"):
        card.rows = [row for row in card.rows if row.rag == rag]
    else:
        rag = ""
    return render(
        request,
        "performance/scorecard.html",
        {
            "form": form,
            "card": card,
            "rag": {"R": "red", "A": "amber", "G": "green"}.get(rag, ""),
            "lines": _scorecard_lines(request, card),
            "counts": counts,
            "themes": Theme.objects.annotate(n=Count("indicators"))
            .filter(n__gt=0)
            .order_by("name"),
            "query": request.GET.urlencode(),
            "can_manage": _can(request, MANAGE),
            "rule_summary": RULE_SUMMARY,
        },
    )


@partnership_view(perm=VIEW)
def scorecard_export(request: PartnershipRequest, fmt: str) -> HttpResponse:
    _, period, theme, public = _scorecard_request(request)
    card = selectors.scorecard(request.partnership, period, theme, public=public)
    stem = f"scorecard-{request.partnership.slug}-{period.label.replace(' ', '-')}"
    if theme:
        stem += f"-{theme.slug}"
    if public:
        stem += "-public"
    if fmt == "xlsx":
        return file_response(exports.scorecard_xlsx(card), f"{stem}.xlsx")
    return file_response(exports.scorecard_csv(card), f"{stem}.csv")


@partnership_view(perm=VIEW)
def exception_report(request: PartnershipRequest) -> HttpResponse:
    form, period, theme, _ = _scorecard_request(request)
    card = selectors.scorecard(request.partnership, period, theme)
    return render(
        request,
        "performance/exceptions.html",
        {
            "form": form,
            "card": card,
            "lines": selectors.exception_lines(card, request.member),
            "query": request.GET.urlencode(),
        },
    )


@partnership_view(perm=VIEW)
def exception_export(request: PartnershipRequest, fmt: str) -> HttpResponse:
    """The exception report as CSV or Excel (core.tables: nothing written runs as a formula)."""
    _, period, theme, _ = _scorecard_request(request)
    card = selectors.scorecard(request.partnership, period, theme)
    lines = selectors.exception_lines(card, request.member)
    stem = f"exceptions-{request.partnership.slug}-{period.label.replace(' ', '-')}"
    if theme:
        stem += f"-{theme.slug}"
    site = settings.SITE_URL.rstrip("/")
    if fmt == "xlsx":
        return file_response(exports.exceptions_xlsx(card, lines, site), f"{stem}.xlsx")
    return file_response(exports.exceptions_csv(card, lines, site), f"{stem}.csv")


# --- indicators ---------------------------------------------------------------------------


@partnership_view(perm=VIEW)
def indicator_list(request: PartnershipRequest) -> HttpResponse:
    indicators = Indicator.objects.select_related("owner").prefetch_related("themes")
    theme = Theme.objects.filter(slug=request.GET.get("theme", "")).first()
    if theme is not None:
        indicators = indicators.filter(themes=theme)
    if request.GET.get("show") != "all":
        indicators = indicators.filter(active=True)
    return render(
        request,
        "performance/indicator_list.html",
        {
            "indicators": indicators,
            "themes": Theme.objects.all(),
            "theme": theme,
            "show": request.GET.get("show", "active"),
            "can_manage": _can(request, MANAGE),
        },
    )


@partnership_view(perm=VIEW)
def indicator_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related("owner").prefetch_related("themes", "targets"), pk=pk
    )
    can_manage = _can(request, MANAGE)
    history = selectors.indicator_history(indicator, released_only=not can_manage)
    area = selectors.primary_area(request.partnership)
    latest = None
    if indicator.national_code and history:
        card = selectors.scorecard(request.partnership, history[0].period, indicators=[indicator])
        latest = card.rows[0] if card.rows else None
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "history": history,
            "chart": charts.history_chart(indicator, history, area.la_number if area else None),
            "versions": indicator.versions.select_related("recorded_by"),
            "targets": indicator.targets.all(),
            "measure": Measure.objects.filter(code=indicator.national_code).first()
            if indicator.national_code
            else None,
            "latest": latest,
            "can_manage": can_manage,
            "can_correct": request.user.has_perm(
                "performance.correct_value", Value(agency_id=indicator.owner_id)
            ),
        },
    )


@partnership_view(perm=MANAGE)
def indicator_edit(request: PartnershipRequest, pk: int | None = None) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        themes = list(data.pop("themes", []))
        new_themes = [services.theme_named(request.partnership, n) for n in form.theme_names()]
        data.pop("new_themes", None)
        try:
            if indicator is None:
                code, title, unit = data.pop("code"), data.pop("title"), data.pop("unit")
                saved = services.create_indicator(
                    request.partnership,
                    code=code,
                    title=title,
                    unit=unit,
                    user=request.user,
                    **data,
                )
                saved.themes.set([*themes, *new_themes])
            else:
                saved = services.update_indicator(indicator, themes=[*themes, *new_themes], **data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{saved.code} {saved.title} has been saved.")
            return redirect(_url("indicator", request, pk=saved.pk))
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Change {indicator.code}" if indicator else "Add an indicator",
            "back": _url("indicator", request, pk=indicator.pk)
            if indicator
            else _url("indicators", request),
        },
    )


@partnership_view(perm=MANAGE)
def definition_change(request: PartnershipRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form = DefinitionChangeForm(
        request.POST or None,
        initial={
            "definition": indicator.definition,
            "numerator_definition": indicator.numerator_definition,
            "denominator_definition": indicator.denominator_definition,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_definition(indicator, user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The new definition of {indicator.code} takes effect on "
                f"{form.cleaned_data['effective_from']:%d %B %Y}.",
            )
            return redirect(_url("indicator", request, pk=indicator.pk) + "#definition")
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Record a change to the definition of {indicator.code}",
            "intro": "The old definition is kept. Charts mark the date the new one took effect, "
            "so figures on either side are not compared as if they counted the same thing.",
            "back": _url("indicator", request, pk=indicator.pk),
        },
    )


@partnership_view(perm=MANAGE)
def target_set(request: PartnershipRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = services.set_target(
                indicator,
                from_year=data["from_year"],
                target=data["target"],
                tolerance=data["tolerance"],
                note=data["note"],
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The target of {indicator.code} from {target.applies_from} is "
                f"{target.label or 'not set'}.",
            )
            return redirect(_url("indicator", request, pk=indicator.pk) + "#targets")
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Set a target for {indicator.code}",
            "intro": "A target applies from a financial year until a later one replaces it. "
            "RAG ratings follow the rule on the scorecard page.",
            "back": _url("indicator", request, pk=indicator.pk),
        },
    )


@partnership_view(perm=MANAGE)
def rag_override(request: PartnershipRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    period = request.POST.get("period") or request.GET.get("period", "")
    existing = RagOverride.objects.filter(indicator=indicator, period=period).first()
    if request.method == "POST" and request.POST.get("remove") and existing is not None:
        services.remove_override(existing)
        messages.success(
            request, f"The rating of {indicator.code} for {period} follows the rule again."
        )
        return redirect(_url("indicator", request, pk=indicator.pk) + "#values")
    form = OverrideForm(
        request.POST or None,
        initial={
            "period": period,
            "rag": existing.rag if existing else None,
            "reason": existing.reason if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.override_rag(indicator, user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The rating of {indicator.code} for {period} is overridden.")
            return redirect(_url("indicator", request, pk=indicator.pk) + "#values")
    return render(
        request,
        "performance/override.html",
        {"form": form, "indicator": indicator, "period": period, "existing": existing},
    )


def _import(request: PartnershipRequest, *, kind: str, title: str, back: str) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[TableProblem] = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            table = read_table(upload, upload.name)
            run = services.import_indicators if kind == "indicators" else services.import_values
            result = run(
                request.partnership,
                table.header,
                table.rows,
                user=request.user,
                source=upload.name,
                dry_run=dry_run,
            )
        except ValidationFailed as exc:
            problems = exc.problems
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            if not dry_run:
                messages.success(request, f"{upload.name}: {result.summary()}.")
                return redirect(back)
    return render(
        request,
        "performance/import.html",
        {
            "form": form,
            "title": title,
            "kind": kind,
            "problems": problems,
            "result": result,
            "back": back,
        },
    )


@partnership_view(perm=MANAGE)
def indicator_import(request: PartnershipRequest) -> HttpResponse:
    return _import(
        request,
        kind="indicators",
        title="Import indicators",
        back=_url("indicators", request),
    )


@partnership_view(perm=MANAGE)
def value_import(request: PartnershipRequest) -> HttpResponse:
    return _import(request, kind="values", title="Import values", back=_url("scorecard", request))


def _correction_back(request: PartnershipRequest, value: Value) -> str:
    """Where a correction returns to: the indicator's page, or (for a contributor, who does
    not read indicator pages) the return the figure came in."""
    if _can(request, VIEW):
        return _url("indicator", request, pk=value.indicator_id) + "#values"
    if value.agency_return is not None:
        return _url(
            "return", request, pk=value.agency_return.round_id, agency=value.agency_return.agency_id
        )
    return _url("rounds", request)


@partnership_view(perm=ROUNDS)
def value_correct(request: PartnershipRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(
        Value.objects.select_related("indicator", "agency", "agency_return__round"),
        pk=pk,
        current=True,
    )
    if not value.released:
        # A draft is changed in its return; until released it is the agency's (agency tier).
        raise Http404("No such figure to correct")
    if not request.user.has_perm("performance.correct_value", value):
        raise PermissionDenied
    indicator = value.indicator
    form = CorrectionForm(
        request.POST or None,
        initial={
            "value": "" if value.value is None else f"{value.value:g}",
            "numerator": "" if value.numerator is None else f"{value.numerator:g}",
            "denominator": ""
            if value.denominator is None or value.population_year
            else f"{value.denominator:g}",
            "status": value.status,
            "note": value.note,
        },
    )
    problems: list[TableProblem] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = TableRow(
            1,
            {
                name: data.get(name, "") or ""
                for name in ("value", "numerator", "denominator", "status", "note")
            },
        )
        try:
            services.correct_value(value, row, reason=data["reason"], user=request.user)
        except ValidationFailed as exc:
            problems = exc.problems
            for problem in problems:
                target = problem.column if problem.column in form.fields else None
                form.add_error(target, problem.message)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{indicator.code} for {value.period} has been corrected.")
            return redirect(_correction_back(request, value))
    return render(
        request,
        "performance/correct.html",
        {
            "form": form,
            "value": value,
            "indicator": indicator,
            "is_ratio": indicator.unit in RATIO_UNITS,
            "back": _correction_back(request, value),
            "shown": selectors.display(value.value, indicator)
            if value.value is not None
            else value.status,
        },
    )


# --- rounds and returns -------------------------------------------------------------------


@partnership_view(perm=ROUNDS)
def round_list(request: PartnershipRequest) -> HttpResponse:
    rounds = CollectionRound.objects.annotate(
        total=Count("returns"),
        signed=Count("returns", filter=Q(returns__status=ReturnStatus.SIGNED_OFF)),
    ).order_by("-period_end")  # an aggregate drops the model's ordering
    member = request.member
    mine: dict[int, list[AgencyReturn]] = {}
    if not member.sees_all_agencies:
        for agency_return in AgencyReturn.objects.filter(
            agency_id__in=member.agency_ids
        ).select_related("agency"):
            mine.setdefault(agency_return.round_id, []).append(agency_return)
    return render(
        request,
        "performance/round_list.html",
        {
            "rounds": rounds,
            "mine": mine,
            "can_manage": _can(request, MANAGE),
            "today": date.today(),
        },
    )


@partnership_view(perm=MANAGE)
def round_new(request: PartnershipRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.open_round(
                request.partnership,
                period=form.cleaned_data["period"],
                due=form.cleaned_data["due"],
                user=request.user,
            )
        except ServiceError as exc:
            form.add_error("period", str(exc))
        else:
            messages.success(
                request,
                f"The {collection.period} round is open: "
                f"{collection.returns.count()} agencies have a return to make.",
            )
            return redirect(_url("round", request, pk=collection.pk))
    return render(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": "Open a collection round",
            "intro": "Each agency that owns indicators gets a return listing the figures due "
            "for the period: for a quarter, its monthly, quarterly and (in Q4) annual figures.",
            "back": _url("rounds", request),
            "submit": "Open the round",
        },
    )


@partnership_view(perm=ROUNDS)
def round_detail(request: PartnershipRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    can_manage = _can(request, MANAGE)
    report = selectors.completeness(collection) if can_manage else None
    returns = selectors.visible_returns(request.member, collection)
    # ?status=ready: the returns waiting for sign-off ("waiting for you" links here).
    status = request.GET.get("status", "")
    if status in (*ReturnStatus.values, "unsigned"):

        def shown(r: AgencyReturn) -> bool:
            if status == "unsigned":
                return r.status != ReturnStatus.SIGNED_OFF
            return r.status == status

        returns = [r for r in returns if shown(r)]
        if report is not None:
            report = [c for c in report if shown(c.agency_return)]
    else:
        status = ""
    return render(
        request,
        "performance/round_detail.html",
        {
            "round": collection,
            "report": report,
            "returns": returns,
            "status": status,
            "statuses": [*ReturnStatus.choices, ("unsigned", "Not signed off")],
            "can_manage": can_manage,
            "unsigned": collection.returns.exclude(status=ReturnStatus.SIGNED_OFF).count(),
        },
    )


@require_POST
@partnership_view(perm=MANAGE)
def round_lock(request: PartnershipRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    try:
        services.lock_round(collection, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The {collection.period} round is locked. Later changes are corrections, kept "
            "as new versions with their reasons.",
        )
    return redirect(_url("round", request, pk=collection.pk))


@require_POST
@partnership_view(perm=MANAGE)
def round_remind(request: PartnershipRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(CollectionRound, pk=pk)
    try:
        count, unreachable = services.request_reminders(collection)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if count:
            messages.success(
                request,
                f"Reminders are on their way to the contributors and leads of {count} "
                f"agenc{'y' if count == 1 else 'ies'}.",
            )
        if unreachable:
            messages.warning(
                request,
                "Nobody who acts for "
                + ", ".join(unreachable)
                + " has an email address: give their contributors one to remind them.",
            )
    return redirect(_url("round", request, pk=collection.pk))


def _return(request: PartnershipRequest, pk: int, agency: int) -> AgencyReturn:
    """The return, if the member may see it: their own agency's, every agency's for the
    business unit, and another agency's only once signed off (before that it is the agency's
    draft, and a 404)."""
    if not _can(request, ROUNDS):
        raise PermissionDenied
    agency_return = selectors.readable_return(request.member, pk, agency)
    if agency_return is None:
        raise Http404("No such return")
    return agency_return


def _posted_rows(request: PartnershipRequest, count: int) -> list[TableRow | None]:
    """The form's rows, by position; None for a row the form did not send."""
    rows: list[TableRow | None] = []
    for n in range(1, count + 1):
        if f"r{n}-indicator" not in request.POST:
            rows.append(None)
            continue
        fields = {name: request.POST.get(f"r{n}-{name}", "") for name in RETURN_FIELDS}
        rows.append(TableRow(n, fields))
    return rows


def _blank(row: TableRow) -> bool:
    return not any(row.get(name) for name in ("value", "numerator", "denominator", "status"))


def _editable(request: PartnershipRequest, agency_return: AgencyReturn) -> bool:
    return (
        agency_return.round.status == RoundStatus.OPEN
        and agency_return.status != ReturnStatus.SIGNED_OFF
        and request.user.has_perm("performance.enter_return", agency_return)
    )


def _return_context(
    request: PartnershipRequest,
    agency_return: AgencyReturn,
    *,
    rows: list[selectors.ReturnRow] | None = None,
    posted: list[TableRow | None] | None = None,
    problems: list[TableProblem] | None = None,
    upload_form: TemplateUploadForm | None = None,
    upload_problems: list[TableProblem] | None = None,
) -> dict[str, Any]:
    rows = rows if rows is not None else selectors.return_rows(agency_return)
    errors: dict[int, dict[str, str]] = {}
    for problem in problems or []:
        if problem.row is not None:
            errors.setdefault(problem.row, {}).setdefault(problem.column, problem.message)
    entries = []
    for n, row in enumerate(rows, start=1):
        sent = posted[n - 1] if posted else None
        data = sent.fields if sent is not None else _initial(row)
        entries.append(
            {
                "n": n,
                "row": row,
                "data": data,
                "errors": errors.get(n, {}),
                "is_ratio": row.indicator.unit in RATIO_UNITS,
            }
        )
    today = date.today()
    collection = agency_return.round
    overdue = (
        (today - collection.due).days
        if today > collection.due and not agency_return.is_signed_off
        else 0
    )
    return {
        "agency_return": agency_return,
        "round": collection,
        "entries": entries,
        # Each message links to its field, or to its row for the fixed ones.
        "summary_errors": [
            (f"r{p.row}-{p.column}" if p.column in INPUTS else f"row-{p.row}", p.message)
            for p in problems or []
            if p.row is not None
        ],
        "given": sum(1 for r in rows if r.given),
        "expected": len(rows),
        "open_queries": sum(1 for r in rows if r.needs_comment),
        "editable": _editable(request, agency_return),
        "can_sign_off": request.user.has_perm("performance.sign_off", agency_return)
        and _editable_by_lead(agency_return),
        "can_correct": request.user.has_perm("performance.correct_value", agency_return),
        "upload_form": upload_form or TemplateUploadForm(),
        "upload_problems": upload_problems or [],
        "overdue": overdue,
        "status_choices": STATUS_CHOICES,
    }


def _editable_by_lead(agency_return: AgencyReturn) -> bool:
    return agency_return.round.status == RoundStatus.OPEN and not agency_return.is_signed_off


def _initial(row: selectors.ReturnRow) -> dict[str, str]:
    value = row.value
    data = {"indicator": row.indicator.code, "period": row.period.label}
    if value is None:
        return data
    derived = (
        row.indicator.unit in RATIO_UNITS
        and value.numerator is not None
        and (value.denominator is not None or value.population_year is not None)
    )
    data.update(
        {
            "value": "" if value.value is None or derived else f"{value.value:g}",
            "numerator": "" if value.numerator is None else f"{value.numerator:g}",
            "denominator": ""
            if value.denominator is None or value.population_year
            else f"{value.denominator:g}",
            "status": value.status,
            "note": value.note,
            "comment": value.query_comment,
        }
    )
    return data


@partnership_view(perm=ROUNDS)
def return_form(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    agency_return = _return(request, pk, agency)
    if request.method != "POST":
        return render(request, "performance/return.html", _return_context(request, agency_return))
    if not _editable(request, agency_return):
        raise PermissionDenied
    rows = selectors.return_rows(agency_return)
    posted = _posted_rows(request, len(rows))
    given = [r for r in posted if r is not None and not _blank(r)]
    # A row emptied in the form removes its draft figure.
    cleared = [
        (rows[r.number - 1].indicator, rows[r.number - 1].period)
        for r in posted
        if r is not None and _blank(r) and rows[r.number - 1].value is not None
    ]
    try:
        result = services.enter_return_values(agency_return, given, user=request.user)
        removed = services.clear_return_values(agency_return, cleared)
    except ValidationFailed as exc:
        context = _return_context(
            request, agency_return, rows=rows, posted=posted, problems=exc.problems
        )
        return render(request, "performance/return.html", context, status=400)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(_url("return", request, pk=pk, agency=agency))
    if request.POST.get("action") == "submit":
        try:
            services.submit_return(agency_return, user=request.user)
        except ServiceError as exc:
            messages.error(request, f"Your figures are saved, but the return is not ready: {exc}")
        else:
            messages.success(
                request, "Your figures are saved and the return is ready for sign-off."
            )
        return redirect(_url("return", request, pk=pk, agency=agency))
    saved = len(result.created) + len(result.updated) + len(result.versioned) + removed
    messages.success(
        request,
        f"{saved} figure{'s' if saved != 1 else ''} saved." if saved else "Nothing had changed.",
    )
    return redirect(_url("return", request, pk=pk, agency=agency))


@require_POST
@partnership_view(perm=ROUNDS)
def return_check(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    """Check one row of the return as it is typed (htmx): what will be saved, what is wrong,
    and whether the change from the previous period needs a comment. Writes nothing."""
    agency_return = _return(request, pk, agency)
    if not _editable(request, agency_return):
        raise PermissionDenied
    rows = selectors.return_rows(agency_return)
    try:
        n = int(request.POST.get("row", ""))
        expected = rows[n - 1]
    except (ValueError, IndexError) as exc:
        raise Http404("No such row") from exc
    fields = {name: request.POST.get(f"r{n}-{name}", "") for name in RETURN_FIELDS}
    row = TableRow(n, fields)
    context: dict[str, Any] = {"n": n, "row": expected, "problems": [], "clean": None}
    if not _blank(row):
        rules = services.value_rules(
            request.partnership, agency=agency_return.agency, collection=agency_return.round
        )
        clean, problems = validate_values([row], rules)
        context["problems"] = problems
        if clean:
            item = clean[0]
            context["clean"] = item
            context["shown"] = (
                selectors.display(item.value, item.indicator)
                if item.value is not None
                else item.status
            )
            context["query"] = selectors.change_query(item.indicator, item.value, expected.previous)
            context["needs_comment"] = bool(context["query"]) and not item.comment.strip()
    return render(request, "performance/_return_check.html", context)


@partnership_view(perm=ROUNDS)
def return_template(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    agency_return = _return(request, pk, agency)
    name = f"return-{agency_return.agency.short_name}-{agency_return.round.period}"
    return file_response(exports.return_template(agency_return), f"{name}.xlsx")


@require_POST
@partnership_view(perm=ROUNDS)
def return_upload(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    agency_return = _return(request, pk, agency)
    if not _editable(request, agency_return):
        raise PermissionDenied
    form = TemplateUploadForm(request.POST, request.FILES)
    problems: list[TableProblem] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
            require_columns(
                table.header, ["indicator", "period"], VALUE_COLUMNS + VALUE_EXTRA_COLUMNS
            )
            result = services.enter_return_values(
                agency_return, [r for r in table.rows if not _blank(r)], user=request.user
            )
        except ValidationFailed as exc:
            problems = exc.problems
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"{upload.name}: {result.summary()}.")
            return redirect(_url("return", request, pk=pk, agency=agency))
    context = _return_context(request, agency_return, upload_form=form, upload_problems=problems)
    return render(request, "performance/return.html", context, status=400)


@require_POST
@partnership_view(perm=ROUNDS)
def return_submit(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    agency_return = _return(request, pk, agency)
    if not _editable(request, agency_return):
        raise PermissionDenied
    try:
        services.submit_return(agency_return, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The return is ready for sign-off.")
    return redirect(_url("return", request, pk=pk, agency=agency))


@require_POST
@partnership_view(perm=ROUNDS)
def return_sign_off(request: PartnershipRequest, pk: int, agency: int) -> HttpResponse:
    agency_return = _return(request, pk, agency)
    if not request.user.has_perm("performance.sign_off", agency_return):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Confirm that the figures are accurate before signing off.")
        return redirect(_url("return", request, pk=pk, agency=agency) + "#sign-off")
    try:
        services.sign_off_return(agency_return, user=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{agency_return.agency.short_name}’s return for {agency_return.round.period} is "
            "signed off: its figures are now on the scorecard.",
        )
    return redirect(_url("return", request, pk=pk, agency=agency))


# --- national comparators -----------------------------------------------------------------


@partnership_view(perm=VIEW)
def comparator_list(request: PartnershipRequest) -> HttpResponse:
    used = (
        Indicator.objects.exclude(national_code="")
        .values_list("national_code", "code", "title")
        .order_by("national_code")
    )
    by_code: dict[str, list[tuple[str, str]]] = {}
    for national, code, title in used:
        by_code.setdefault(national, []).append((code, title))
    measures = {m.code: m for m in Measure.objects.filter(code__in=list(by_code))}
    return render(
        request,
        "performance/comparators.html",
        {
            "latest": ComparatorImport.objects.first(),
            "measure_count": Measure.objects.count(),
            "used": [(code, measures.get(code), ours) for code, ours in by_code.items()],
            "area": selectors.primary_area(request.partnership),
        },
    )


@partnership_view(perm=VIEW)
def comparator_ranking(request: PartnershipRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure, code=code)
    available = list(ComparatorPeriod.objects.filter(measure=measure).order_by("-period_end"))
    if not available:
        raise Http404("No figures for this measure")
    labels = [p.period for p in available]
    period = request.GET.get("period") or labels[0]
    if period not in labels:
        period = labels[0]
    indicator = Indicator.objects.filter(national_code=code).first()
    polarity = indicator.polarity if indicator else measure.polarity
    area = selectors.primary_area(request.partnership)
    return render(
        request,
        "performance/ranking.html",
        {
            "measure": measure,
            "period": period,
            "periods": labels,
            "ranking": comparators.ranking(measure, period, polarity),
            "polarity": polarity,
            "indicator": indicator,
            "own": area.la_number if area else None,
            "decimals": indicator.decimals if indicator else (measure.decimals or 1),
        },
    )
