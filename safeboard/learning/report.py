"""The case reviews' part of the annual report: serious incidents notified and decided in the
year and the statutory clocks met; the reviews published; lessons by learning theme with
their recurrence; recommendations, their progress and impact; dissemination.

Every figure is computed from the records for the year the report covers. Counts of children
(notifications, reviews) are figures about people, so the public edition suppresses the small
ones; the public edition names published reviews only, and counts lessons, recommendations
and dissemination of published reviews only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects

from safeboard.core import words
from safeboard.core.clocks import ClockState, state_of
from safeboard.core.models import Clock
from safeboard.planning.models import Progress
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Document, Figure, Paragraph, Table

from . import selectors, services
from .models import CaseReview, Harm, Lesson, Outcome, Recommendation, field_label

SOURCE = "Case reviews register"


def _in_year(ctx: ReportContext, day: date | None) -> bool:
    return day is not None and ctx.year.start <= day <= min(ctx.year.end, ctx.as_at)


def _reviews(ctx: ReportContext) -> list[CaseReview]:
    return ctx.memo("learning-reviews", lambda: list(CaseReview.objects.all()))


def _shown(ctx: ReportContext) -> list[CaseReview]:
    """The reviews whose lessons and recommendations the edition may describe."""
    reviews = _reviews(ctx)
    if ctx.public:
        return [r for r in reviews if r.published_on and r.published_on <= ctx.as_at]
    return reviews


def _count(ctx: ReportContext, key: str, label: str, value: int, source: str) -> Figure:
    return figures.count(key, label, value, f"{SOURCE}: {source}, {ctx.year.label}")


@registry.figure("reviews.notified", "Serious incidents notified to the national Panel in the year")
def notified(ctx: ReportContext, *args: str) -> Figure:
    value = sum(1 for r in _reviews(ctx) if _in_year(ctx, r.notified_on))
    return _count(ctx, "reviews.notified", "Serious incidents notified", value, "notified")


@registry.figure("reviews.rapid_reviews", "Rapid reviews held in the year")
def rapid_reviews(ctx: ReportContext, *args: str) -> Figure:
    value = sum(1 for r in _reviews(ctx) if _in_year(ctx, r.rapid_review_on))
    return _count(ctx, "reviews.rapid_reviews", "Rapid reviews held", value, "rapid review held")


@registry.figure("reviews.lcspr_decided", "Local reviews decided on in the year")
def lcspr_decided(ctx: ReportContext, *args: str) -> Figure:
    value = sum(
        1 for r in _reviews(ctx) if r.outcome == Outcome.LCSPR and _in_year(ctx, r.decided_on)
    )
    return _count(
        ctx, "reviews.lcspr_decided", "Local reviews decided on", value, "decision to hold one"
    )


@registry.figure("reviews.published", "Reviews published in the year")
def published(ctx: ReportContext, *args: str) -> Figure:
    value = sum(1 for r in _reviews(ctx) if _in_year(ctx, r.published_on))
    return _count(ctx, "reviews.published", "Reviews published", value, "published")


def _clocks_in_year(ctx: ReportContext) -> dict[str, Counter[str]]:
    """For each kind of clock, the states of the clocks due in the year (as at the report's
    date): met, missed, overdue or still open."""
    record_type = ContentType.objects.get_for_model(CaseReview)
    found: dict[str, Counter[str]] = {name: Counter() for name in services.CLOCK_NAMES.values()}
    as_at = min(ctx.year.end, ctx.as_at)
    for clock in Clock.objects.filter(
        record_type=record_type, due__gte=ctx.year.start, due__lte=ctx.year.end
    ):
        done = clock.done if clock.done and clock.done <= as_at else None
        found[services.CLOCK_NAMES.get(clock.kind, clock.kind)][
            state_of(clock.due, done, as_at)
        ] += 1
    return found


@registry.section(
    "learning.notifications",
    "Serious incidents, rapid reviews and the statutory clocks",
    order=700,
    part="learning",
)
def notifications_section(ctx: ReportContext, doc: Document) -> list[Block]:
    for resolver in (notified, rapid_reviews, lcspr_decided, published):
        doc.add_figure(resolver(ctx), "learning.notifications")

    def counted(key: str, noun: str) -> str:
        return figures.counted(doc.figures.get(key), key, noun, public=ctx.public)

    blocks: list[Block] = [
        Paragraph(
            f"In {ctx.year.label} the partnership notified "
            f"{counted('reviews.notified', 'serious incident')} to the national Child "
            "Safeguarding Practice Review Panel, held "
            f"{counted('reviews.rapid_reviews', 'rapid review')}, decided to hold "
            f"{counted('reviews.lcspr_decided', 'local child safeguarding practice review')} "
            f"and published {counted('reviews.published', 'review')}."
        )
    ]
    year = [r for r in _reviews(ctx) if _in_year(ctx, r.notified_on)]
    harm = Counter(r.harm for r in year)
    blocks.append(
        Table(
            f"Serious incidents notified, {ctx.year.label}",
            ["Incident", "Notified"],
            [
                [
                    Cell(str(label)),
                    Cell(str(harm.get(value, 0)), numeric=True, value=harm.get(value, 0)),
                ]
                for value, label in Harm.choices
            ]
            + [
                [
                    Cell("Not recorded"),
                    Cell(str(harm.get("", 0)), numeric=True, value=harm.get("", 0)),
                ],
                [Cell("Total"), Cell(str(len(year)), numeric=True, value=len(year))],
            ],
            total_row=True,
            counts=True,
        )
    )
    states = _clocks_in_year(ctx)
    labels = {
        "notification": "Notification within 5 working days",
        "rapid_review": "Rapid review within 15 working days",
        "publication": "Publication within 6 months of the decision",
    }
    rows = []
    for name, label in labels.items():
        c = states.get(name, Counter())
        cells = [c[ClockState.MET], c[ClockState.MISSED], c[ClockState.OVERDUE], c[ClockState.OPEN]]
        rows.append([Cell(label), *(Cell(str(n), numeric=True, value=n) for n in cells)])
    blocks.append(
        Table(
            f"Statutory clocks due in {ctx.year.label}",
            ["Clock", "Met", "Missed", "Overdue", "Still open"],
            rows,
            # Each clock is one child's case: small counts are suppressed in the public
            # edition, which names no case that is not published.
            counts=True,
        )
    )
    return blocks


@registry.section(
    "learning.reviews", "Case reviews: lessons and recommendations", order=710, part="learning"
)
def reviews_section(ctx: ReportContext, doc: Document) -> list[Block]:
    shown = _shown(ctx)
    ids = [r.pk for r in shown]
    blocks: list[Block] = []
    listed = [r for r in shown if r.published_on and r.published_on <= ctx.as_at]
    if not ctx.public:
        listed = [r for r in shown if r.kind != "rapid_review"]
    blocks.append(
        Table(
            "Reviews" + (" published" if ctx.public else ""),
            ["Review", "Kind", "Where it is", "Published"],
            [
                [
                    Cell(r.child),
                    Cell(r.get_kind_display()),
                    Cell(r.stage),
                    Cell(r.published_on.strftime("%d %B %Y") if r.published_on else "Not yet"),
                ]
                for r in sorted(listed, key=lambda r: (r.published_on or date.max, r.reference))
            ],
        )
    )
    # Lessons by theme, with their recurrence across reviews and years.
    rows, years = selectors.theme_recurrence(
        published_only=ctx.public, published_by=ctx.as_at if ctx.public else None
    )
    if ctx.public:
        blocks.append(Paragraph("Lessons of the published reviews, by learning theme."))
    theme_rows = []
    for row in rows:
        if not row.lessons:
            continue
        counts = [row.by_year.get(y, 0) for y in years]
        theme_rows.append(
            [Cell(row.theme.name)]
            + [Cell(str(n), numeric=True, value=n) for n in counts]
            + [Cell(str(row.review_count), numeric=True, value=row.review_count)]
        )
    blocks.append(
        Table(
            "Lessons by learning theme and year, and the reviews each theme recurs in",
            ["Theme", *(str(y) for y in years), "Reviews"],
            theme_rows,
        )
    )
    # Recommendations and their actions.
    # Their actions as they stood at the end of the year (ctx.day): one completed, or its
    # impact recorded, after it was not complete, or without evidence of impact, then.
    recs = list(Recommendation.objects.filter(review_id__in=ids).select_related("action", "review"))
    day = ctx.day
    complete = sum(
        1
        for r in recs
        if r.action
        and r.action.state == "complete"
        and r.action.completed_on is not None
        and r.action.completed_on <= day
    )
    impact = sum(
        1
        for r in recs
        if r.action and r.action.impact and r.action.impact_on and r.action.impact_on <= day
    )
    total = len(recs)
    for key, label, value in (
        ("reviews.recommendations", "Recommendations", total),
        ("reviews.recommendations_complete", "Recommendations completed", complete),
        ("reviews.recommendations_impact", "Recommendations with impact evidence", impact),
    ):
        doc.add_figure(
            figures.count(
                key, label, value, f"{SOURCE}: recommendations and their actions", people=False
            ),
            "learning.reviews",
        )

    def agree(key: str) -> int:
        return figures.agreeing(doc.figures.get(key), public=ctx.public)

    blocks.append(
        Paragraph(
            "The reviews made [[reviews.recommendations]] "
            f"{words.noun(agree('reviews.recommendations'), 'recommendation')}, each an action "
            "in the partnership's tracker: [[reviews.recommendations_complete]] "
            f"{words.noun(agree('reviews.recommendations_complete'), 'is', 'are')} complete and "
            "[[reviews.recommendations_impact]] "
            + words.noun(
                agree("reviews.recommendations_impact"),
                "has evidence of its impact.",
                "have evidence of their impact.",
            )
        )
    )
    # Their progress as the report's date: each action's status then, and whether overdue.
    as_at = min(ctx.year.end, ctx.as_at)
    actions = [r.action for r in recs if r.action is not None]
    prefetch_related_objects(actions, "updates")
    progress = Counter(a.status_on(as_at) for a in actions)
    late = sum(1 for a in actions if a.was_overdue(as_at))
    progress_rows = [
        [Cell(str(label)), Cell(str(progress[value]), numeric=True, value=progress[value])]
        for value, label in Progress.choices
    ] + [
        [Cell("Overdue (of those not complete)"), Cell(str(late), numeric=True, value=late)],
        [Cell("With evidence of impact"), Cell(str(impact), numeric=True, value=impact)],
    ]
    blocks.append(
        Table(
            f"The recommendations' progress, {words.day(as_at)}",
            ["Progress", "Recommendations"],
            progress_rows,
        )
    )
    # Dissemination.
    steps = services.DISSEMINATION_FIELDS
    done = {name: sum(1 for r in listed if getattr(r, name)) for name in steps}
    lessons = Lesson.objects.filter(review_id__in=ids).count()
    blocks.append(
        Table(
            "Dissemination of the reviews' learning",
            ["Step", "Reviews"],
            [
                [
                    Cell(field_label(name).capitalize()),
                    Cell(str(done[name]), numeric=True, value=done[name]),
                ]
                for name in steps
            ]
            + [[Cell("Lessons recorded"), Cell(str(lessons), numeric=True, value=lessons)]],
        )
    )
    return blocks
