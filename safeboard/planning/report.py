"""The planning module's part of the annual report: progress on the business plan (with the
completion-within-timescale indicator), the risks to the partnership's work, and the board's
challenges to agencies."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeboard.core import words
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Chart, Document, Figure, Paragraph, Table
from safeboard.reporting.registry import headline

from . import selectors
from .models import Action, Challenge, Plan, Progress, Risk, RiskStatus, State

STATUS_ORDER = [
    Progress.NOT_STARTED,
    Progress.RED,
    Progress.AMBER,
    Progress.GREEN,
    Progress.COMPLETE,
]
STATUS_COLOURS = ["#b1b4b6", "#d4351c", "#f47738", "#00703c", "#1d70b8"]


def _plan(ctx: ReportContext) -> Plan | None:
    def find() -> Plan | None:
        year = ctx.year.start.year
        return (
            Plan.objects.filter(first_year__lte=year, last_year__gte=year)
            .order_by("-first_year")
            .first()
        )

    return ctx.memo("plan", find)


def _indicators(ctx: ReportContext) -> selectors.PlanIndicators:
    plan = _plan(ctx)
    if plan is None:
        raise LookupError(f"there is no business plan covering {ctx.year.label}")
    # The indicators as they stood at the end of the year (or at the report's date, if sooner).
    return ctx.memo(
        "plan-indicators",
        lambda: selectors.plan_indicators(plan, ctx.day),
    )


def _year_completion(ctx: ReportContext) -> selectors.CompletionInTime:
    indicators = _indicators(ctx)
    for year in indicators.years:
        if year.period == ctx.year:
            return year
    raise LookupError(f"the plan {indicators.plan.label} does not cover {ctx.year.label}")


COMPLETED_IN_TIME = registry.measure(
    "plan_completed_in_time",
    "Business plan actions completed within timescale",
    figure="plan.completed_in_time",
)
OVERDUE = registry.measure("plan_overdue", "Business plan actions overdue at the end of the year")


@registry.figure(
    "plan.completed_in_time",
    "Business plan actions due in the year that were completed within timescale",
)
def completed_in_time(ctx: ReportContext, *args: str) -> Figure:
    completion = _year_completion(ctx)
    plan = _indicators(ctx).plan
    return figures.percent(
        "plan.completed_in_time",
        f"Business plan actions completed within timescale, {ctx.year.label}",
        completion.percent,
        f"Business plan {plan.label}: of {words.plural(completion.due, 'action')} whose "
        f"original due date fell in {ctx.year.label} and had passed by "
        f"{words.day(completion.as_at)}, {completion.in_time} "
        f"{words.noun(completion.in_time, 'was', 'were')} completed on time, "
        f"{completion.late} late and {completion.not_completed} not yet",
        people=False,
        measure=COMPLETED_IN_TIME,
    )


@registry.figure("plan.actions", "Actions in the business plan")
def actions_count(ctx: ReportContext, *args: str) -> Figure:
    indicators = _indicators(ctx)
    return figures.count(
        "plan.actions",
        f"Actions in the business plan {indicators.plan.label}",
        indicators.total,
        f"Business plan {indicators.plan.label}, as at {indicators.as_at}",
        people=False,
    )


@registry.figure("plan.overdue", "Business plan actions overdue at the end of the year")
def overdue_count(ctx: ReportContext, *args: str) -> Figure:
    indicators = _indicators(ctx)
    return figures.count(
        "plan.overdue",
        "Business plan actions overdue",
        len(indicators.overdue),
        f"Actions of {indicators.plan.label} past their due date and not reported complete "
        f"on {indicators.as_at}, as they stood then",
        people=False,
        measure=OVERDUE,
    )


headline("plan.completed_in_time", order=40)
headline("plan.overdue", order=41)


@registry.section("planning.plan", "Progress on the business plan", order=600, part="planning")
def plan_section(ctx: ReportContext, doc: Document) -> list[Block]:
    try:
        indicators = _indicators(ctx)
    except LookupError as exc:
        return [Paragraph(f"No business plan: {exc}.")]
    plan = indicators.plan
    for resolver in (actions_count, overdue_count):
        doc.add_figure(resolver(ctx), "planning.plan")
    blocks: list[Block] = []
    as_at = (
        f"These figures are the plan as it stood on {words.day(ctx.day)}: the plan’s page in "
        "Safeboard shows it as it stands today, so an action completed, or a due date moved, "
        "since then makes that page differ from this report."
    )
    actions = figures.counted(
        doc.figures.get("plan.actions"), "plan.actions", "action", public=ctx.public
    )
    late = figures.agreeing(doc.figures.get("plan.overdue"), public=ctx.public)
    overdue = f"[[plan.overdue]] {words.noun(late, 'action was', 'actions were')} overdue"
    try:
        doc.add_figure(completed_in_time(ctx), "planning.plan")
        blocks.append(
            Paragraph(
                f"The business plan {plan.label} has {actions}. Of those due "
                f"in {ctx.year.label}, [[plan.completed_in_time]] were completed within their "
                "original timescale: moving a due date does not move the timescale. At the end "
                f"of the year {overdue}. {as_at}"
            )
        )
    except LookupError:
        blocks.append(
            Paragraph(
                f"The business plan {plan.label} has {actions}; {overdue} at the end of the year. "
                f"{as_at}"
            )
        )
    rows = []
    totals = dict.fromkeys(STATUS_ORDER, 0)
    chart_rows = []
    for theme_rag in indicators.rag:
        name = theme_rag.theme.title if theme_rag.theme else "No theme"
        counts = [theme_rag.counts.get(status, 0) for status in STATUS_ORDER]
        for status, count in zip(STATUS_ORDER, counts, strict=True):
            totals[status] += count
            chart_rows.append({"theme": name, "status": Progress(status).label, "count": count})
        rows.append(
            [
                Cell(name),
                *[Cell(str(c), numeric=True, value=c) for c in counts],
                Cell(str(sum(counts)), numeric=True, value=sum(counts)),
            ]
        )
    total = sum(totals.values())
    rows.append(
        [
            Cell("Total"),
            *[Cell(str(totals[s]), numeric=True, value=totals[s]) for s in STATUS_ORDER],
            Cell(str(total), numeric=True, value=total),
        ]
    )
    blocks.append(
        Table(
            f"Actions by theme and status, {plan.label}",
            ["Theme", *[Progress(s).label for s in STATUS_ORDER], "All"],
            rows,
            total_row=True,
            total_column=True,
        )
    )
    blocks.append(
        Chart(
            f"Actions by theme and status, {plan.label}",
            _status_spec(chart_rows),
            f"Stacked bar chart of the {words.plural(total, 'action')} of the plan by theme, "
            "coloured "
            "by status: "
            + ", ".join(f"{Progress(s).label.lower()} {totals[s]}" for s in STATUS_ORDER)
            + ".",
        )
    )
    blocks.append(_action_table(ctx, plan))
    return blocks


def _status_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 460,
        "height": {"step": 20},
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "theme", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "count", "type": "quantitative", "title": "Actions", "stack": True},
            "color": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [Progress(s).label for s in STATUS_ORDER],
                    "range": STATUS_COLOURS,
                },
            },
            "order": {"field": "status", "sort": "ascending"},
            "tooltip": [{"field": "theme"}, {"field": "status"}, {"field": "count"}],
        },
    }


def _action_table(ctx: ReportContext, plan: Plan) -> Table:
    day = ctx.day
    actions = selectors.sort_actions(
        a
        for a in Action.objects.filter(plan=plan)
        .select_related("theme", "owner_group", "owner_agency", "owner_person")
        .prefetch_related(
            "due_changes",
            "updates",
            "supporting_groups",
            "supporting_agencies",
            "supporting_people",
        )
        if not a.carried_forward_by(day)
    )
    rows = []
    for action in actions:
        # Due date and status as they stood on the report's date (see Action.due_on).
        due_then = action.due_on(day)
        due = due_then.strftime("%b %Y") if due_then else "Ongoing"
        if due_then and action.original_due and due_then != action.original_due:
            due += f" (was {action.original_due:%b %Y})"
        if action.completed_by(day):
            status = "Complete" if action.state == State.COMPLETE else "Complete, to confirm"
        else:
            status = Progress(action.status_on(day)).label
        rows.append(
            [
                Cell(action.reference),
                Cell(action.text),
                Cell(action.owners_label),
                Cell(due),
                Cell(status),
            ]
        )
    return Table(
        f"The actions of the plan {plan.label} and their status",
        ["Ref", "Action", "Owner", "Due", "Status"],
        rows,
    )


@registry.section(
    "planning.risks", "Risks to the partnership’s work", order=620, part="planning", public=False
)
def risks_section(ctx: ReportContext, doc: Document) -> list[Block]:
    # The register as it stood at the end of the year: risks added by then and not closed by
    # then (a risk closed after the year's end was open at it), scored by their latest review
    # by then (Risk.open_on, Risk.scores_on).
    risks = []
    for risk in Risk.objects.prefetch_related("reviews"):
        scores = risk.scores_on(ctx.day)
        if scores is not None and risk.open_on(ctx.day):
            risk.likelihood, risk.impact = scores  # as they stood then; not saved
            risks.append(risk)
    risks.sort(key=lambda r: r.reference)
    # Risks closed in the year (a risk with no closing day is in no year: docs/planning.md).
    closed = Risk.objects.filter(
        status=RiskStatus.CLOSED, closed_on__gte=ctx.year.start, closed_on__lte=ctx.day
    ).order_by("closed_on", "reference")
    closed_text = "; ".join(
        f"{r.reference} ({r.title}), closed on {words.day(r.closed_on)}"
        for r in closed
        if r.closed_on is not None
    )
    closed_blocks: list[Block] = (
        [Paragraph(f"Closed during {ctx.year.label}: {closed_text}.")] if closed_text else []
    )
    if not risks:
        return [
            Paragraph(f"The risk register had no open risks on {words.day(ctx.day)}."),
            *closed_blocks,
        ]
    heat = selectors.heat_map(risks)
    blocks: list[Block] = [
        Paragraph(
            "The board reviews its risk register twice a year. On "
            f"{words.day(ctx.day)} it held {words.plural(len(risks), 'open risk')}, "
            "each scored for likelihood and impact from 1 to 5; the score is their product."
        )
    ]
    rows = []
    for impact, word, cells in heat.rows:
        rows.append(
            [Cell(f"{impact} {word}")]
            + [Cell(str(len(c.risks)), numeric=True, value=len(c.risks)) for c in cells]
        )
    blocks.append(
        Table(
            "Open risks by impact (rows) and likelihood (columns)",
            ["Impact", *[f"{n} {w}" for n, w in heat.columns]],
            rows,
        )
    )
    top = sorted(risks, key=lambda r: (-r.score, r.reference))[:8]
    blocks.append(
        Table(
            "The highest risks",
            ["Ref", "Risk", "Score", "Target", "Controls"],
            [
                [
                    Cell(r.reference),
                    Cell(r.title),
                    Cell(f"{r.score} ({r.band.label})", numeric=True),
                    Cell(str(r.target_score or "–"), numeric=True),
                    Cell(r.controls[:300]),
                ]
                for r in top
            ],
        )
    )
    return [*blocks, *closed_blocks]


@registry.section("planning.challenges", "Challenge and escalation", order=630, part="planning")
def challenges_section(ctx: ReportContext, doc: Document) -> list[Block]:
    challenges = list(
        Challenge.objects.filter(raised_on__lte=ctx.year.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=ctx.year.start))
        .select_related("agency")
        .order_by("raised_on")
    )
    if not challenges:
        return [Paragraph(f"The board raised no formal challenges in {ctx.year.label}.")]
    rows = []
    for challenge in challenges:
        status = challenge.status_on(ctx.day)
        outcome = challenge.get_outcome_display() if challenge.outcome else status.label
        rows.append(
            [
                Cell(challenge.reference),
                Cell(challenge.agency.name),
                Cell(challenge.subject),
                Cell(f"{challenge.raised_on:%d %b %Y}"),
                Cell(outcome),
            ]
        )
    return [
        Paragraph(
            "What the board challenged agencies about, and what came of it. A challenge "
            "not answered by its due date is escalated."
        ),
        Table(
            f"Challenges, {ctx.year.label}",
            ["Ref", "Agency", "Challenge", "Raised", "Outcome"],
            rows,
        ),
    ]
