"""Business operations of case reviews. The web views, the API, the importer, the command line
and the demo call these; each runs in one transaction and raises `ServiceError` with a message
for the user. Who may call them is decided before, by `rules.py`.

Every change that moves a date the statutory clocks hang on restarts or stops them
(`core.clocks`): the notification clock from the incident becoming known, the rapid review
clock from the notification, the publication clock from the decision to hold a local review.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeboard.core import clocks
from safeboard.core.errors import ServiceError
from safeboard.partnership.models import Agency, Partnership, Person
from safeboard.partnership.notifications import notify_all, people_with
from safeboard.partnership.roles import Role
from safeboard.planning import services as planning
from safeboard.planning.models import Action

from .apps import CASE_REVIEWS
from .models import (
    DISSEMINATION_FIELDS,
    NOTIFIABLE,
    PSEUDONYM,
    AssuranceRequest,
    CaseReview,
    Kind,
    LearningTheme,
    Lesson,
    Milestone,
    Outcome,
    PanelMember,
    ParallelProcess,
    ProcessKind,
    ProcessStatus,
    Recategorisation,
    Recommendation,
    field_label,
)

NOTIFICATION = "case_reviews.notification"
RAPID_REVIEW = "case_reviews.rapid_review"
PUBLICATION = "case_reviews.publication"
CLOCK_NAMES = {
    NOTIFICATION: "notification",
    RAPID_REVIEW: "rapid_review",
    PUBLICATION: "publication",
}
SOURCE = "case_review"

# The fields of the incident and its notification (create_review, change_review, import).
INCIDENT_FIELDS = (
    "incident_date",
    "incident_known",
    "harm",
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "child_protection_plan",
    "notified_on",
    "notification_reference",
)
CHOICE_FIELDS = (
    "harm",
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "child_protection_plan",
)
LOCAL_REVIEW_FIELDS = (
    "reviewer",
    "terms_of_reference",
    "scope_from",
    "scope_to",
    "family_involvement",
    "cost",
    "draft_on",
    "final_on",
)


def _today() -> date:
    return timezone.localdate()


def tell_officers(
    review: CaseReview, event: str, text: str, *, by: Person | None = None, key: str = ""
) -> int:
    """Tell the partnership's case review officers (but `by`, who did it) about an event of a
    case: through `notify()`, with the register, so the list and the email say only that
    something in the case reviews register needs attention, with the link."""
    officers = [p for p in people_with(Role.CASE_REVIEW_OFFICER) if by is None or p.pk != by.pk]
    return notify_all(
        officers,
        event,
        text=text,
        url=review.get_absolute_url(),
        register=CASE_REVIEWS,
        key=key,
    )


def check_pseudonym(child: str) -> str:
    child = " ".join(child.split())
    if not PSEUDONYM.fullmatch(child):
        raise ServiceError(
            "Name the child by a pseudonym, ‘Child’ and up to four capital letters or digits "
            "(Child N, Child AC): never their name or initials"
        )
    return child


def _check_reference(partnership: Partnership, reference: str, exclude: int | None) -> str:
    reference = reference.strip()
    if not reference:
        raise ServiceError("Give the review a reference")
    taken = CaseReview._base_manager.filter(partnership=partnership, reference=reference)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ServiceError(f"There is already a review {reference}")
    return reference


def _check_incident(review: CaseReview) -> None:
    for name in CHOICE_FIELDS:
        _check_choice(review, name)
    if (
        review.incident_date
        and review.incident_known
        and review.incident_known < review.incident_date
    ):
        raise ServiceError("The incident cannot have become known before it happened")
    if review.notified_on and review.incident_known and review.notified_on < review.incident_known:
        raise ServiceError("The Panel cannot have been notified before the incident was known")
    if review.notified_on and not review.incident_known:
        raise ServiceError("Say when the incident became known: the notification clock starts then")
    if review.kind in NOTIFIABLE and not review.incident_known:
        raise ServiceError("Say when the incident became known: the notification clock starts then")
    today = _today()
    for name in ("incident_date", "incident_known", "notified_on"):
        value = getattr(review, name)
        if value is not None and value > today:
            label = field_label(name)
            raise ServiceError(f"The date {label} cannot be in the future")


def _check_choice(review: CaseReview, name: str) -> None:
    value = getattr(review, name)
    field = CaseReview._meta.get_field(name)
    allowed = [str(key) for key, _label in getattr(field, "choices", None) or ()]
    if value and value not in allowed:
        label = field_label(name)
        raise ServiceError(f"‘{value}’ is not one of the values of {label}: {', '.join(allowed)}")


def sync_clocks(review: CaseReview) -> None:
    """Start, move or stop the review's statutory clocks from its dates."""
    label = review.child
    if review.notifiable and review.incident_known:
        clocks.start_clock(
            review, NOTIFICATION, review.incident_known, label=f"{label}: notification"
        )
        clocks.stop_clock(review, NOTIFICATION, review.notified_on)
    if review.notified_on:
        clocks.start_clock(review, RAPID_REVIEW, review.notified_on, label=f"{label}: rapid review")
        clocks.stop_clock(review, RAPID_REVIEW, review.rapid_review_on)
    if review.decided_on and (review.outcome == Outcome.LCSPR or review.kind == Kind.LCSPR):
        clocks.start_clock(review, PUBLICATION, review.decided_on, label=f"{label}: publication")
        clocks.stop_clock(review, PUBLICATION, review.published_on)


def _apply(review: CaseReview, data: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in data:
            value = data[name]
            setattr(review, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def create_review(
    *,
    partnership: Partnership,
    reference: str,
    child: str,
    kind: str = Kind.RAPID_REVIEW,
    known_to: Iterable[Agency] = (),
    **incident: Any,
) -> CaseReview:
    """Record a case: a serious incident (its notification to the Panel), or a practice
    review, or a historical serious case review or internal management review."""
    unknown = set(incident) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    if kind not in Kind.values:
        raise ServiceError(f"Unknown kind of review ‘{kind}’")
    review = CaseReview(
        partnership=partnership,
        reference=_check_reference(partnership, reference, None),
        child=check_pseudonym(child),
        kind=kind,
    )
    _apply(review, incident, INCIDENT_FIELDS)
    _check_incident(review)
    review.save()
    review.known_to.set(list(known_to))
    sync_clocks(review)
    return review


@transaction.atomic
def change_review(
    review: CaseReview,
    *,
    reference: str,
    child: str,
    known_to: Iterable[Agency] = (),
    **incident: Any,
) -> CaseReview:
    """Change the incident and its notification (a corrected date moves the clocks)."""
    review.reference = _check_reference(review.partnership, reference, review.pk)
    review.child = check_pseudonym(child)
    _apply(review, incident, INCIDENT_FIELDS)
    _check_incident(review)
    review.save()
    review.known_to.set(list(known_to))
    sync_clocks(review)
    return review


@transaction.atomic
def record_rapid_review(
    review: CaseReview,
    *,
    held_on: date | None,
    agencies_present: Iterable[Agency] = (),
    outcome: str = "",
    no_lcspr_reason: str = "",
    decided_on: date | None = None,
    panel_response_on: date | None = None,
    panel_response: str = "",
    by: Person | None = None,
) -> CaseReview:
    """The rapid review: when it was held, who was there, what it decided and the Panel's
    response. A decision to hold a local review makes the case one (and starts the
    publication clock)."""
    if not review.notifiable:
        raise ServiceError("Only a notified serious incident has a rapid review")
    if held_on is not None:
        if review.notified_on is None:
            raise ServiceError("Record the notification to the Panel first")
        if held_on < review.notified_on:
            raise ServiceError("The rapid review cannot be held before the notification")
        if held_on > _today():
            raise ServiceError("The rapid review cannot be held in the future")
    if outcome and outcome not in Outcome.values:
        raise ServiceError(f"Unknown outcome ‘{outcome}’")
    if outcome and held_on is None:
        raise ServiceError("Say when the rapid review was held before recording its decision")
    if outcome and decided_on is None:
        decided_on = held_on
    if decided_on is not None and not outcome:
        raise ServiceError("Say what was decided")
    if decided_on is not None and held_on is not None and decided_on < held_on:
        raise ServiceError("The decision cannot come before the rapid review")
    no_lcspr_reason = no_lcspr_reason.strip()
    if outcome == Outcome.NO_LCSPR and not no_lcspr_reason:
        raise ServiceError("Say why no local review will be held")
    if panel_response.strip() and panel_response_on is None:
        raise ServiceError("Say when the Panel responded")
    review.rapid_review_on = held_on
    review.outcome = outcome
    review.no_lcspr_reason = no_lcspr_reason if outcome == Outcome.NO_LCSPR else ""
    review.decided_on = decided_on
    review.panel_response_on = panel_response_on
    review.panel_response = panel_response.strip()
    if outcome == Outcome.LCSPR and review.kind != Kind.LCSPR:
        Recategorisation.objects.create(
            partnership=review.partnership,
            review=review,
            on=decided_on or _today(),
            from_kind=review.kind,
            to_kind=Kind.LCSPR,
            reason="The rapid review decided to hold a local child safeguarding practice review.",
            by=by,
        )
        review.kind = Kind.LCSPR
    review.save()
    review.agencies_present.set(list(agencies_present))
    sync_clocks(review)
    return review


@transaction.atomic
def recategorise(
    review: CaseReview, *, to_kind: str, on: date, reason: str, by: Person | None = None
) -> Recategorisation:
    """Change a review's kind, with the date and the reason (kept in its history)."""
    if to_kind not in Kind.values:
        raise ServiceError(f"Unknown kind of review ‘{to_kind}’")
    if to_kind == review.kind:
        raise ServiceError("The review is already of that kind")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why the review is re-categorised")
    if on > _today():
        raise ServiceError("The date of the re-categorisation cannot be in the future")
    change = Recategorisation.objects.create(
        partnership=review.partnership,
        review=review,
        on=on,
        from_kind=review.kind,
        to_kind=to_kind,
        reason=reason,
        by=by,
    )
    review.kind = to_kind
    review.save(update_fields=["kind"])
    sync_clocks(review)
    return change


@transaction.atomic
def change_local_review(review: CaseReview, **details: Any) -> CaseReview:
    """The local review's reviewer, terms of reference, scope period, family involvement,
    cost, and the dates of its draft and final reports."""
    unknown = set(details) - set(LOCAL_REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    _apply(review, details, LOCAL_REVIEW_FIELDS)
    if review.scope_from and review.scope_to and review.scope_to < review.scope_from:
        raise ServiceError("The scope period must end after it begins")
    if review.cost is not None and review.cost < Decimal(0):
        raise ServiceError("The cost cannot be negative")
    if review.draft_on and review.final_on and review.final_on < review.draft_on:
        raise ServiceError("The final report cannot come before the draft")
    review.save()
    return review


@transaction.atomic
def update_review(
    review: CaseReview, *, known_to: Iterable[Agency] | None = None, **fields: Any
) -> CaseReview:
    """Change any of the case's fields at once (the API's PATCH): the incident and its
    notification, the local review, the dissemination checklist. Fields left out keep their
    values; each part is checked by its own operation, all in one transaction."""
    incident = {k: fields.pop(k) for k in (*INCIDENT_FIELDS, "reference", "child") if k in fields}
    local = {k: fields.pop(k) for k in LOCAL_REVIEW_FIELDS if k in fields}
    steps = {k: fields.pop(k) for k in DISSEMINATION_FIELDS if k in fields}
    if fields:
        raise TypeError(f"Unknown fields {sorted(fields)}")
    if incident or known_to is not None:
        change_review(
            review,
            reference=incident.pop("reference", review.reference),
            child=incident.pop("child", review.child),
            known_to=list(review.known_to.all()) if known_to is None else known_to,
            **incident,
        )
    if local:
        change_local_review(review, **local)
    if steps:
        record_dissemination(review, **steps)
    return review


@transaction.atomic
def add_panel_member(
    review: CaseReview, *, agency: Agency, name: str, role: str = ""
) -> PanelMember:
    name = name.strip()
    if not name:
        raise ServiceError("Give the panel member’s name")
    return PanelMember.objects.create(
        partnership=review.partnership, review=review, agency=agency, name=name, role=role.strip()
    )


@transaction.atomic
def add_milestone(
    review: CaseReview, *, title: str, due: date, done_on: date | None = None
) -> Milestone:
    title = title.strip()
    if not title:
        raise ServiceError("Say what the milestone is")
    return Milestone.objects.create(
        partnership=review.partnership, review=review, title=title, due=due, done_on=done_on
    )


@transaction.atomic
def complete_milestone(milestone: Milestone, *, on: date) -> Milestone:
    if on > _today():
        raise ServiceError("A milestone cannot be reached in the future")
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def add_process(review: CaseReview, *, kind: str, description: str = "") -> ParallelProcess:
    """A parallel process (a criminal trial, an inquest) that holds publication while open."""
    if review.published_on:
        raise ServiceError("The review is already published")
    if kind not in ProcessKind.values:
        raise ServiceError(f"Unknown kind of process ‘{kind}’")
    return ParallelProcess.objects.create(
        partnership=review.partnership, review=review, kind=kind, description=description.strip()
    )


@transaction.atomic
def conclude_process(
    process: ParallelProcess, *, on: date, by: Person | None = None
) -> ParallelProcess:
    """A parallel process concluded. When it was the last one open, the other case review
    officers are told that publication may proceed (`case_review.unheld`)."""
    if on > _today():
        raise ServiceError("A process cannot conclude in the future")
    if process.status == ProcessStatus.CONCLUDED:
        raise ServiceError("The process has already concluded")
    review = process.review
    process.status = ProcessStatus.CONCLUDED
    process.concluded_on = on
    process.save(update_fields=["status", "concluded_on"])
    still_open = review.processes.filter(status=ProcessStatus.OPEN).exists()
    if not still_open and not review.published_on:
        tell_officers(
            review,
            "case_review.unheld",
            f"{review.reference}: no parallel process holds publication any more",
            by=by,
            key=f"case_review:{review.pk}:unheld:{process.pk}",
        )
    return process


@transaction.atomic
def publish(
    review: CaseReview, *, on: date, url: str = "", in_national_repository: bool = False
) -> CaseReview:
    """Publish the review: refused while a parallel process holds it. Its lessons and
    recommendations are then public, and the actions from its recommendations leave the
    register: every member sees them in the tracker."""
    holding = [p for p in review.processes.all() if p.status == ProcessStatus.OPEN]
    if holding:
        names = ", ".join(p.get_kind_display().lower() for p in holding)
        raise ServiceError(f"Publication is held by an open parallel process: {names}")
    if review.kind == Kind.RAPID_REVIEW:
        raise ServiceError("A rapid review is not published: publish the review that follows")
    if on > _today():
        raise ServiceError("The date of publication cannot be in the future")
    if review.decided_on and on < review.decided_on:
        raise ServiceError("A review cannot be published before it was decided")
    review.published_on = on
    review.published_url = url.strip()
    review.in_national_repository = in_national_repository
    review.save(update_fields=["published_on", "published_url", "in_national_repository"])
    actions = [r.action_id for r in review.recommendations.all() if r.action_id]
    Action.objects.filter(pk__in=actions, register=CASE_REVIEWS).update(register="")
    sync_clocks(review)
    return review


# --- lessons and themes --------------------------------------------------------------------


@transaction.atomic
def add_theme(*, partnership: Partnership, name: str, description: str = "") -> LearningTheme:
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Name the theme")
    if LearningTheme.objects.filter(name__iexact=name).exists():
        raise ServiceError(f"There is already a theme ‘{name}’")
    return LearningTheme.objects.create(
        partnership=partnership, name=name, description=description.strip()
    )


@transaction.atomic
def add_lesson(review: CaseReview, *, text: str, themes: Iterable[LearningTheme] = ()) -> Lesson:
    text = text.strip()
    if not text:
        raise ServiceError("Say what the lesson is")
    lesson = Lesson.objects.create(partnership=review.partnership, review=review, text=text)
    lesson.themes.set(list(themes))
    return lesson


@transaction.atomic
def add_recommendation(
    review: CaseReview,
    *,
    text: str,
    agency: Agency,
    due: date,
    by: Person | None = None,
) -> Recommendation:
    """A recommendation, and its action in the one tracker: owned by the agency, due on
    `due`, restricted (the case reviews register) until the review is published."""
    text = text.strip()
    if not text:
        raise ServiceError("Say what the recommendation is")
    last = review.recommendations.order_by("-number").first()
    recommendation = Recommendation.objects.create(
        partnership=review.partnership,
        review=review,
        number=(last.number + 1) if last else 1,
        text=text,
        agency=agency,
    )
    action = planning.create_action(
        partnership=review.partnership,
        text=text,
        owner=agency,
        source=SOURCE,
        source_record=recommendation,
        source_label=f"{review.reference} ({review.child}), recommendation {recommendation.number}",
        due=due,
        by=by,
    )
    if review.published_on:
        Action.objects.filter(pk=action.pk).update(register="")
    recommendation.action = action
    recommendation.save(update_fields=["action"])
    return recommendation


# --- dissemination -------------------------------------------------------------------------


@transaction.atomic
def record_dissemination(review: CaseReview, **steps: date | None) -> CaseReview:
    """The dissemination checklist: the date each step was done (None: not yet)."""
    unknown = set(steps) - set(DISSEMINATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields {sorted(unknown)}")
    today = _today()
    for name, value in steps.items():
        if value is not None and value > today:
            label = field_label(name)
            raise ServiceError(f"‘{label}’ cannot be dated in the future")
        setattr(review, name, value)
    review.save(update_fields=list(steps))
    return review


@transaction.atomic
def seek_assurance(review: CaseReview, *, agency: Agency, requested_on: date) -> AssuranceRequest:
    if requested_on > _today():
        raise ServiceError("Assurance cannot be sought in the future")
    if review.assurance.filter(agency=agency).exists():
        raise ServiceError(f"Assurance has already been sought from {agency.name}")
    return AssuranceRequest.objects.create(
        partnership=review.partnership, review=review, agency=agency, requested_on=requested_on
    )


@transaction.atomic
def record_assurance(
    request: AssuranceRequest, *, response: str, on: date, by: Person | None = None
) -> AssuranceRequest:
    """An agency's response to a request for assurance: the other case review officers are
    told (`case_review.assurance_received`)."""
    first = request.responded_on is None
    response = response.strip()
    if not response:
        raise ServiceError("Give the agency’s response")
    if on < request.requested_on:
        raise ServiceError("The response cannot come before assurance was sought")
    if on > _today():
        raise ServiceError("The response cannot be dated in the future")
    request.response = response
    request.responded_on = on
    request.save(update_fields=["response", "responded_on"])
    if first:
        review = request.review
        tell_officers(
            review,
            "case_review.assurance_received",
            f"{review.reference}: assurance received from {request.agency.short_name}",
            by=by,
            key=f"case_review:assurance:{request.pk}:received",
        )
    return request


# --- reminders ------------------------------------------------------------------------------


def remind(today: date) -> int:
    """Tell the case review officers, once each, of every milestone of a review now overdue
    (`case_review.milestone_overdue`), in the partnership in scope. Run daily by `reviews
    remind`; the notification names the register only."""
    told = 0
    late = Milestone.objects.filter(done_on__isnull=True, due__lt=today).select_related("review")
    for milestone in late:
        told += tell_officers(
            milestone.review,
            "case_review.milestone_overdue",
            f"{milestone.review.reference}: milestone ‘{milestone.title}’ overdue",
            key=f"case_review:milestone:{milestone.pk}:overdue",
        )
    return told
