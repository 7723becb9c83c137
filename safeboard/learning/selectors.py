"""Reads of case reviews: the published reviews every member sees, the recurrence of
learning themes, counts for the list and the report, and the clocks of every review."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from safeboard.core.clocks import ClockState, days_left, state_of
from safeboard.core.disclosure import is_small_count
from safeboard.core.models import Clock

from .models import (
    DISSEMINATION_FIELDS,
    AssuranceRequest,
    CaseReview,
    Kind,
    LearningTheme,
    Lesson,
    Milestone,
)

# What a published review shows to every member: nothing about the incident or the child
# beyond the pseudonym.
PUBLISHED_FIELDS = (
    "id",
    "partnership_id",
    "reference",
    "child",
    "kind",
    "published_on",
    "published_url",
    "in_national_repository",
)


def published_reviews() -> QuerySet[CaseReview]:
    """Published reviews, with their published fields only."""
    return (
        CaseReview.objects.filter(published_on__isnull=False)
        .only(*PUBLISHED_FIELDS)
        .order_by("-published_on", "-pk")
    )


def shown_count(value: int, *, restricted: bool) -> str:
    """A count as shown: in full inside the register, `c` for 1 to 5 outside it
    (`core.disclosure`)."""
    if not restricted and is_small_count(value):
        return "c"
    return str(value)


def year_of(review: CaseReview) -> int:
    """The year a review is counted in: its publication, or (for those who open the
    register) its decision, notification or the incident becoming known."""
    for day in (
        review.published_on,
        getattr(review, "decided_on", None),
        getattr(review, "notified_on", None),
        getattr(review, "incident_known", None),
    ):
        if day is not None:
            return day.year
    return review.created_at.year if getattr(review, "created_at", None) else date.today().year


@dataclass
class ThemeRecurrence:
    theme: LearningTheme
    by_year: dict[int, int] = field(default_factory=dict)
    reviews: set[int] = field(default_factory=set)
    lessons: int = 0

    @property
    def review_count(self) -> int:
        return len(self.reviews)

    @property
    def years(self) -> int:
        return len(self.by_year)

    @property
    def recurs(self) -> bool:
        """Found in more than one review: a lesson that is not new."""
        return self.review_count > 1


def theme_recurrence(
    *, published_only: bool, published_by: date | None = None
) -> tuple[list[ThemeRecurrence], list[int]]:
    """How often each theme recurs: lessons per year, and in how many reviews, most
    recurrent first; with the years shown. `published_only`: the lessons of published
    reviews only (published on or before `published_by`, when given: a report's date)."""
    lessons = Lesson.objects.select_related("review").prefetch_related("themes")
    if published_only:
        lessons = lessons.filter(review__published_on__isnull=False)
        if published_by is not None:
            lessons = lessons.filter(review__published_on__lte=published_by)
    found: dict[int, ThemeRecurrence] = {
        theme.pk: ThemeRecurrence(theme) for theme in LearningTheme.objects.all()
    }
    years: set[int] = set()
    for lesson in lessons:
        year = year_of(lesson.review)
        for theme in lesson.themes.all():
            row = found[theme.pk]
            row.by_year[year] = row.by_year.get(year, 0) + 1
            row.reviews.add(lesson.review_id)
            row.lessons += 1
            years.add(year)
    rows = sorted(found.values(), key=lambda r: (-r.review_count, -r.lessons, r.theme.name))
    return rows, sorted(years)


def counts() -> dict[str, int]:
    """Counts of the cases by kind, and of those published, for the list page."""
    by_kind = dict(
        CaseReview.objects.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "total": sum(by_kind.values()),
        "published": CaseReview.objects.filter(published_on__isnull=False).count(),
        **{kind: by_kind.get(kind, 0) for kind in Kind.values},
    }


# --- clocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockLine:
    review: str
    clock: str
    starts: date
    due: date
    done: date | None
    state: ClockState
    working_days_left: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "review": self.review,
            "clock": self.clock,
            "starts": self.starts.isoformat(),
            "due": self.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "state": str(self.state.value),
            "working_days_left": self.working_days_left,
        }


def clock_lines(today: date, reviews: list[CaseReview] | None = None) -> list[ClockLine]:
    """Every clock of every review of the partnership in scope (or of `reviews`), by review
    and due date.
    `working_days_left` is the working days from today to the due date (negative once past)
    while the clock runs, None once it is done."""
    from .services import CLOCK_NAMES

    record_type = ContentType.objects.get_for_model(CaseReview)
    if reviews is None:
        references = dict(CaseReview.objects.values_list("pk", "reference"))
    else:
        references = {r.pk: r.reference for r in reviews}
    found = Clock.objects.filter(record_type=record_type, kind__in=list(CLOCK_NAMES))
    if reviews is not None:
        found = found.filter(record_id__in=list(references))
    lines = []
    for clock in found:
        reference = references.get(clock.record_id)
        if reference is None:
            continue
        lines.append(
            ClockLine(
                review=reference,
                clock=CLOCK_NAMES[clock.kind],
                starts=clock.start,
                due=clock.due,
                done=clock.done,
                state=state_of(clock.due, clock.done, today),
                working_days_left=None
                if clock.done
                else days_left(clock.due, today, "working_days"),
            )
        )
    lines.sort(key=lambda line: (line.review, line.due, line.clock))
    return lines


def clocks_by_review(reviews: list[CaseReview], today: date) -> dict[int, list[Any]]:
    """The clocks of each review, earliest due first, each with `state` and `days`."""
    record_type = ContentType.objects.get_for_model(CaseReview)
    found: dict[int, list[Any]] = defaultdict(list)
    for clock in Clock.objects.filter(
        record_type=record_type, record_id__in=[r.pk for r in reviews]
    ).order_by("due", "pk"):
        clock.sb_state = clock.state(today)
        clock.sb_days = clock.days_left(today)
        clock.sb_late = -clock.sb_days
        found[clock.record_id].append(clock)
    return found


# --- what waits for the case review officer ---------------------------------------------------


@dataclass(frozen=True)
class WaitingList:
    """A list of cases waiting for the officer: its `?show=` key, its label (never naming a
    case), whether its cases are overdue, and its label for one case."""

    key: str
    label: str
    urgent: bool
    one: str


WAITING = (
    WaitingList(
        "milestones",
        "Case reviews with a milestone overdue",
        True,
        "Case review with a milestone overdue",
    ),
    WaitingList(
        "assurance",
        "Case reviews awaiting an agency’s assurance",
        False,
        "Case review awaiting an agency’s assurance",
    ),
    WaitingList(
        "dissemination",
        "Published case reviews with dissemination outstanding",
        False,
        "Published case review with dissemination outstanding",
    ),
)
WAITING_KEYS = {w.key: w for w in WAITING}


def waiting(key: str, today: date) -> QuerySet[CaseReview]:
    """The cases of one "waiting" list (`WAITING`): with a milestone past its due date and not
    reached; with assurance sought from an agency and not yet answered; published local or
    practice reviews with a step of the dissemination checklist not done (historical serious
    case reviews and internal management reviews are not chased)."""
    cases = CaseReview.objects.all()
    if key == "milestones":
        late = Milestone.objects.filter(done_on__isnull=True, due__lt=today)
        return cases.filter(pk__in=late.values("review_id"))
    if key == "assurance":
        awaited = AssuranceRequest.objects.filter(responded_on__isnull=True)
        return cases.filter(pk__in=awaited.values("review_id"))
    if key == "dissemination":
        outstanding = Q()
        for name in DISSEMINATION_FIELDS:
            outstanding |= Q(**{f"{name}__isnull": True})
        return cases.filter(
            outstanding, published_on__isnull=False, kind__in=[Kind.LCSPR, Kind.PRACTICE]
        )
    raise ValueError(f"No waiting list {key!r}")


def first_overdue_milestone(today: date) -> date | None:
    return (
        Milestone.objects.filter(done_on__isnull=True, due__lt=today)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
