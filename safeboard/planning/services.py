"""Business operations of planning: plans and themes, actions and their progress, completion
and impact, the year-end carry-forward, risks and challenges. The web views, the API, the
importer, the command line and the demo loader all call these; each runs in one transaction.

Services enforce the business rules (a due date moves only with a reason; completion needs
evidence; a closed plan takes no new actions …) and raise `ServiceError` with a message for
the user. Who may call them is decided before, by the permissions in `rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from safeboard.core import words
from safeboard.core.dates import add_months
from safeboard.core.errors import ServiceError
from safeboard.core.modules import action_sources
from safeboard.core.periods import PeriodError, parse_period
from safeboard.partnership.access import membership
from safeboard.partnership.models import Agency, Group, Meeting, Partnership, Person, Role
from safeboard.partnership.notifications import business_unit, notify_all, people_with
from safeboard.partnership.rules import current_chairs

from .models import (
    Action,
    Challenge,
    DueDateChange,
    Outcome,
    Plan,
    PlanStatus,
    Progress,
    ProgressUpdate,
    Risk,
    RiskReview,
    RiskStatus,
    Source,
    State,
    Theme,
    UpdateKind,
    plan_label,
)

Owner = Group | Agency | Person
RISK_REVIEW_MONTHS = 6  # risk registers are reviewed twice a year


def _today() -> date:
    return timezone.localdate()


def _check_owner(owner: Owner | None, *, required: bool = True) -> None:
    if owner is None:
        if required:
            raise ServiceError("Choose who owns it: a group, an agency or a person")
        return
    if not isinstance(owner, Group | Agency | Person):
        raise ServiceError("The owner must be a group, an agency or a person")
    # Only a group, agency or person seen in the partnership's scope may own its records.
    if not type(owner).objects.filter(pk=owner.pk).exists():
        raise ServiceError(f"{owner} is not part of this partnership")


def _check_not_future(day: date, what: str) -> None:
    if day > _today():
        raise ServiceError(f"{what} cannot be in the future")


# --- plans and themes ---------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    partnership: Partnership,
    first_year: int,
    last_year: int,
    title: str = "",
    summary: str = "",
) -> Plan:
    if last_year < first_year:
        raise ServiceError("The plan must end in or after the year it starts")
    if last_year - first_year > 9:
        raise ServiceError("A plan can cover at most ten years")
    if Plan.objects.filter(first_year=first_year, last_year=last_year).exists():
        raise ServiceError(f"There is already a business plan {plan_label(first_year, last_year)}")
    return Plan.objects.create(
        partnership=partnership,
        first_year=first_year,
        last_year=last_year,
        title=title.strip(),
        summary=summary.strip(),
    )


@transaction.atomic
def change_plan(plan: Plan, *, title: str, summary: str) -> Plan:
    plan.title = title.strip()
    plan.summary = summary.strip()
    plan.save(update_fields=["title", "summary"])
    return plan


@transaction.atomic
def add_theme(*, plan: Plan, title: str, lead_group: Group | None = None) -> Theme:
    title = " ".join(title.split())
    if not title:
        raise ServiceError("Give the theme a title")
    if plan.is_closed:
        raise ServiceError(f"{plan} is closed: it takes no new themes")
    if Theme.objects.filter(plan=plan, title__iexact=title).exists():
        raise ServiceError(f"The plan already has the theme ‘{title}’")
    number = (Theme.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    return Theme.objects.create(
        partnership=plan.partnership, plan=plan, number=number, title=title, lead_group=lead_group
    )


@transaction.atomic
def change_theme(theme: Theme, *, title: str, lead_group: Group | None) -> Theme:
    title = " ".join(title.split())
    if not title:
        raise ServiceError("Give the theme a title")
    if Theme.objects.filter(plan=theme.plan, title__iexact=title).exclude(pk=theme.pk).exists():
        raise ServiceError(f"The plan already has the theme ‘{title}’")
    theme.title = title
    theme.lead_group = lead_group
    theme.save(update_fields=["title", "lead_group"])
    return theme


# --- actions ------------------------------------------------------------------------------


def _check_dates(*, ongoing: bool, due: date | None, review_date: date | None) -> None:
    if ongoing and review_date is None:
        raise ServiceError("An ongoing action needs a review date")
    if not ongoing and due is None:
        raise ServiceError("Give the date the action is due")


def _check_reference(plan: Plan | None, reference: str, exclude: int | None = None) -> str:
    reference = reference.strip()
    if plan is None:
        return reference
    if not reference:
        raise ServiceError("A business plan action needs a reference, for example 1.3")
    if len(reference) > 20:
        raise ServiceError("A reference has at most 20 characters")
    clash = Action.objects.filter(plan=plan, reference__iexact=reference)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ServiceError(f"{plan} already has an action {reference}")
    return reference


def _default_group(
    owner: Owner | None, theme: Theme | None, source_record: Any, group: Group | None
) -> Group | None:
    if group is not None:
        return group
    if isinstance(owner, Group):
        return owner
    if theme is not None and theme.lead_group is not None:
        return theme.lead_group
    if isinstance(source_record, Meeting):
        return source_record.group
    return None


@transaction.atomic
def create_action(
    *,
    partnership: Partnership,
    text: str,
    owner: Owner | None,
    source: str = Source.OTHER,
    source_record: models.Model | None = None,
    source_label: str = "",
    plan: Plan | None = None,
    theme: Theme | None = None,
    reference: str = "",
    aim: str = "",
    group: Group | None = None,
    due: date | None = None,
    ongoing: bool = False,
    review_date: date | None = None,
    report_to: Meeting | None = None,
    links: Iterable[Action] = (),
    supporting: Iterable[Group | Agency | Person] = (),
    by: Person | None = None,
) -> Action:
    """Add an action to the tracker. A business plan action needs its plan and a reference
    unique in it; any other action names its source (and links its source record).
    `supporting`: the groups, agencies and people who support its lead owner."""
    text = text.strip()
    if not text:
        raise ServiceError("Say what the action is")
    definition = action_sources().get(source)
    if definition is None:
        raise ServiceError(f"Unknown source ‘{source}’")
    if source_record is not None and definition.model not in (
        None,
        source_record._meta.label,
    ):
        raise ServiceError(f"An action from {definition.label.lower()} links to its own record")
    if plan is not None:
        source = Source.BUSINESS_PLAN
        if plan.is_closed:
            raise ServiceError(f"{plan} is closed: add the action to the next plan")
    elif source == Source.BUSINESS_PLAN:
        raise ServiceError("Choose the business plan the action belongs to")
    if theme is not None and (plan is None or theme.plan_id != plan.pk):
        raise ServiceError("The theme must be one of the plan’s themes")
    _check_owner(owner)
    _check_dates(ongoing=ongoing, due=due, review_date=review_date)
    reference = _check_reference(plan, reference)
    action = Action(
        partnership=partnership,
        source=source,
        source_label=source_label.strip(),
        plan=plan,
        theme=theme,
        reference=reference,
        text=text,
        aim=aim.strip(),
        group=_default_group(owner, theme, source_record, group),
        ongoing=ongoing,
        due=None if ongoing else due,
        original_due=None if ongoing else due,
        review_date=review_date if ongoing else None,
        report_to=report_to,
        created_by=by,
    )
    action.set_owner(owner)
    action.set_source_record(source_record)
    # An action from a restricted record inherits its sensitivity: its register.
    action.register = definition.register or ""
    action.save()
    linked = [a for a in links if a.pk != action.pk]
    if linked:
        action.links.add(*linked)
    supporting = list(supporting)
    if supporting:
        set_supporting(action, supporting)
    return action


@transaction.atomic
def change_action(
    action: Action,
    *,
    by: Person | None,
    text: str,
    owner: Owner | None,
    aim: str = "",
    theme: Theme | None = None,
    reference: str | None = None,
    group: Group | None = None,
    source_label: str | None = None,
    ongoing: bool | None = None,
    due: date | None = None,
    review_date: date | None = None,
    due_reason: str = "",
    report_to: Meeting | None = None,
    links: Iterable[Action] | None = None,
    supporting: Iterable[Group | Agency | Person] | None = None,
) -> Action:
    """Change what an action says, who owns it and when it is due. A new due date needs a
    reason and is recorded as slippage; the original due date never changes. `supporting`
    (when given) replaces its supporting owners."""
    if action.state == State.CARRIED_FORWARD:
        raise ServiceError("This action was carried forward: change the one in the next plan")
    text = text.strip()
    if not text:
        raise ServiceError("Say what the action is")
    _check_owner(owner)
    if theme is not None and theme.plan_id != action.plan_id:
        raise ServiceError("The theme must be one of the plan’s themes")
    ongoing = action.ongoing if ongoing is None else ongoing
    _check_dates(ongoing=ongoing, due=due, review_date=review_date)
    if reference is not None and action.plan is not None:
        action.reference = _check_reference(action.plan, reference, exclude=action.pk)
    new_due = None if ongoing else due
    if new_due != action.due and new_due is not None:
        _move_due(action, new_due, due_reason, by)
    elif new_due is None:
        action.due = None
    action.ongoing = ongoing
    action.review_date = review_date if ongoing else None
    action.text = text
    action.aim = aim.strip()
    action.theme = theme if action.plan_id else None
    action.set_owner(owner)
    action.group = group
    if source_label is not None:
        action.source_label = source_label.strip()
    action.report_to = report_to
    action.save()
    if links is not None:
        action.links.set([a for a in links if a.pk != action.pk])
    if supporting is not None:
        set_supporting(action, supporting)
    elif action.owner in action.supporting:
        # The new lead owner is no longer also one of its supporting owners.
        set_supporting(action, action.supporting)
    return action


def set_supporting(action: Action, owners: Iterable[Group | Agency | Person]) -> None:
    """The action's supporting owners (beside its lead owner, who is not repeated)."""
    owners = [o for o in owners if o != action.owner]
    action.supporting_groups.set([o for o in owners if isinstance(o, Group)])
    action.supporting_agencies.set([o for o in owners if isinstance(o, Agency)])
    action.supporting_people.set([o for o in owners if isinstance(o, Person)])


def _move_due(
    action: Action, new_due: date, reason: str, by: Person | None, on: date | None = None
) -> None:
    reason = reason.strip()
    if action.due is None:
        # An ongoing action given a due date: its first due date is its original one.
        action.due = new_due
        if action.original_due is None:
            action.original_due = new_due
        return
    if not reason:
        raise ServiceError("Give the reason the due date is changing")
    DueDateChange.objects.create(
        partnership=action.partnership,
        action=action,
        previous=action.due,
        new=new_due,
        reason=reason,
        changed_on=on or _today(),
        changed_by=by,
    )
    action.due = new_due


def _check_open(action: Action) -> None:
    if action.state == State.CARRIED_FORWARD:
        raise ServiceError("This action was carried forward into the next plan: update that one")
    if action.state == State.COMPLETE:
        raise ServiceError("This action is complete")
    if action.state == State.AWAITING_CONFIRMATION:
        raise ServiceError(
            "This action’s completion is awaiting confirmation by the group’s chair or the "
            "business unit"
        )


def _note_update(action: Action, day: date) -> None:
    if action.last_update_on is None or day > action.last_update_on:
        action.last_update_on = day


@transaction.atomic
def record_update(
    action: Action,
    *,
    by: Person | None,
    status: str,
    text: str,
    on: date | None = None,
    new_due: date | None = None,
    due_reason: str = "",
    new_review_date: date | None = None,
    author_name: str = "",
) -> ProgressUpdate:
    """Record progress: a dated update with its status (not started, red, amber or green).
    It may move the due date, with a reason. Completion has its own step (evidence)."""
    _check_open(action)
    if status == Progress.COMPLETE:
        raise ServiceError("Report completion with its evidence, not as a progress update")
    if status not in Progress.values:
        raise ServiceError(f"Unknown status ‘{status}’")
    text = text.strip()
    if not text:
        raise ServiceError("Say what progress has been made")
    on = on or _today()
    _check_not_future(on, "The date of the update")
    if new_due is not None:
        if action.ongoing:
            raise ServiceError("An ongoing action has a review date, not a due date")
        if new_due == action.due:
            raise ServiceError("The new due date is the same as the current one")
        _move_due(action, new_due, due_reason, by, on)
    if new_review_date is not None:
        if not action.ongoing:
            raise ServiceError("Only an ongoing action has a review date")
        action.review_date = new_review_date
    update = ProgressUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=UpdateKind.PROGRESS,
        date=on,
        status=status,
        text=text,
        author=by,
        author_name=author_name if by is None else "",
    )
    action.status = status
    _note_update(action, on)
    action.save()
    return update


@transaction.atomic
def record_completion(
    action: Action,
    *,
    by: Person | None,
    evidence_text: str,
    completed_on: date | None = None,
    evidence_file: UploadedFile | None = None,
    confirm: bool = False,
    author_name: str = "",
) -> ProgressUpdate:
    """Report an action complete, with evidence (text and, if any, a file). With `confirm`
    (the caller may confirm: the group's chair or the business unit) it is complete at once;
    otherwise it awaits confirmation."""
    _check_open(action)
    evidence_text = evidence_text.strip()
    if not evidence_text:
        raise ServiceError("Describe the evidence that the action is complete")
    completed_on = completed_on or _today()
    _check_not_future(completed_on, "The completion date")
    update = ProgressUpdate(
        partnership=action.partnership,
        action=action,
        kind=UpdateKind.COMPLETION,
        date=completed_on,
        status=Progress.COMPLETE,
        text=evidence_text,
        author=by,
        author_name=author_name if by is None else "",
    )
    if evidence_file is not None:
        update.evidence.save(evidence_file.name or "evidence", evidence_file, save=False)
    update.save()
    action.status = Progress.COMPLETE
    action.completed_on = completed_on
    action.completion_update = update
    action.state = State.AWAITING_CONFIRMATION
    _note_update(action, completed_on)
    if confirm:
        _confirm(action, by, note=False)
    action.save()
    if not confirm:
        tell_confirmers(action)
    return update


def _may_open(person: Person, register: str) -> bool:
    if person.user is None:
        return False
    member = membership(person.user, person.partnership)
    return member is not None and member.may_open(register)


def tell_confirmers(action: Action) -> None:
    """Notify those who confirm the completion: the chairs of the action's groups, or, when
    it has none chaired, the business unit. A restricted action says only its register, and
    is told only to those who may open it (the chairs who may, else the business unit who
    may): a chair who may not is never asked to confirm what she cannot see. A child death
    review's recommendation is told to its confirmers again when the panel releases it."""
    groups = {gid for gid in (action.group_id, action.owner_group_id) if gid is not None}
    people = [
        seat.person
        for gid in sorted(groups)
        for seat in current_chairs(gid).select_related("person")
    ]
    if action.register:
        people = [p for p in people if _may_open(p, action.register)]
    if not people:
        people = business_unit()
        if action.register:
            people = [p for p in people if _may_open(p, action.register)]
    notify_all(
        people,
        "action.completed",
        text=f"Action {action.label} is reported complete: confirm its completion",
        url=action.get_absolute_url(),
        register=action.register,
    )


def _confirm(action: Action, by: Person | None, *, note: bool, on: date | None = None) -> None:
    action.state = State.COMPLETE
    action.confirmed_by = by
    action.confirmed_at = (
        timezone.now() if on is None else timezone.make_aware(datetime.combine(on, time(12)))
    )
    if note:
        ProgressUpdate.objects.create(
            partnership=action.partnership,
            action=action,
            kind=UpdateKind.CONFIRMATION,
            date=on or _today(),
            status=Progress.COMPLETE,
            text="Completion confirmed.",
            author=by,
        )


@transaction.atomic
def confirm_completion(action: Action, *, by: Person | None, on: date | None = None) -> Action:
    if action.state != State.AWAITING_CONFIRMATION:
        raise ServiceError("Only an action reported complete can have its completion confirmed")
    if on is not None:
        _check_not_future(on, "The date of the confirmation")
    _confirm(action, by, note=True, on=on)
    action.save()
    return action


def _status_before_completion(action: Action) -> str:
    latest = (
        ProgressUpdate.objects.filter(action=action, kind=UpdateKind.PROGRESS)
        .order_by("-date", "-recorded_at", "-pk")
        .first()
    )
    return latest.status if latest is not None else Progress.AMBER


@transaction.atomic
def return_completion(action: Action, *, by: Person | None, reason: str) -> Action:
    """Send a completion back to the owner: the evidence does not yet show it is done."""
    if action.state != State.AWAITING_CONFIRMATION:
        raise ServiceError("Only an action reported complete can be returned to its owner")
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why the completion is not confirmed")
    status = _status_before_completion(action)
    ProgressUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=UpdateKind.RETURNED,
        date=_today(),
        status=status,
        text=reason,
        author=by,
    )
    action.state = State.OPEN
    action.status = status
    action.completed_on = None
    action.completion_update = None
    action.save()
    return action


@transaction.atomic
def record_impact(
    action: Action, *, by: Person | None, text: str, on: date | None = None
) -> Action:
    """Record the difference a completed action made ("tested through audit on …")."""
    if action.state != State.COMPLETE:
        raise ServiceError("Impact is recorded once the action’s completion is confirmed")
    text = text.strip()
    if not text:
        raise ServiceError("Describe the impact")
    on = on or _today()
    _check_not_future(on, "The date of the impact")
    action.impact = text
    action.impact_on = on
    action.impact_by = by
    action.save(update_fields=["impact", "impact_on", "impact_by"])
    ProgressUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=UpdateKind.IMPACT,
        date=on,
        status=action.status,
        text=text,
        author=by,
    )
    return action


# --- year-end: close a plan and carry its unfinished actions forward ----------------------


@dataclass(frozen=True)
class CarryForward:
    action: Action
    reference: str  # its reference in the next plan
    theme_title: str


@dataclass
class ClosePreview:
    """What closing a plan will do, shown before it is done."""

    plan: Plan
    next_plan: Plan | None
    carry: list[CarryForward] = field(default_factory=list)
    complete: list[Action] = field(default_factory=list)
    awaiting: list[Action] = field(default_factory=list)
    new_themes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return sorted(item.action.pk for item in self.carry)

    @property
    def can_close(self) -> bool:
        return not self.problems


def _free_reference(reference: str, taken: set[str]) -> str:
    if reference.lower() not in taken:
        return reference
    for n in range(1, 1000):
        candidate = f"{reference}-cf" if n == 1 else f"{reference}-cf{n}"
        if candidate.lower() not in taken:
            return candidate
    raise ServiceError(f"No free reference for {reference}")


def preview_close(plan: Plan, next_plan: Plan | None) -> ClosePreview:
    """Which actions carry forward, under which references and themes, and anything that
    stops the plan being closed."""
    from .selectors import natural_key

    preview = ClosePreview(plan=plan, next_plan=next_plan)
    if plan.is_closed:
        preview.problems.append(f"{plan} is already closed")
    if next_plan is None:
        preview.problems.append("Choose the plan the unfinished actions carry forward into")
    elif next_plan.pk == plan.pk:
        preview.problems.append("A plan cannot carry its actions forward into itself")
    elif next_plan.is_closed:
        preview.problems.append(f"{next_plan} is closed")
    elif next_plan.first_year <= plan.first_year:
        preview.problems.append(f"{next_plan} does not start after {plan}")
    actions = sorted(
        Action.objects.filter(plan=plan).select_related("theme"),
        key=lambda a: (a.theme.number if a.theme else 0, natural_key(a.reference)),
    )
    taken: set[str] = set()
    themes: set[str] = set()
    if next_plan is not None and next_plan.pk != plan.pk:
        taken = {
            r.lower()
            for r in Action.objects.filter(plan=next_plan).values_list("reference", flat=True)
        }
        themes = {
            t.lower() for t in Theme.objects.filter(plan=next_plan).values_list("title", flat=True)
        }
    for action in actions:
        if action.state == State.COMPLETE:
            preview.complete.append(action)
        elif action.state == State.AWAITING_CONFIRMATION:
            preview.awaiting.append(action)
        elif action.state == State.OPEN:
            reference = _free_reference(action.reference, taken)
            taken.add(reference.lower())
            title = action.theme.title if action.theme else ""
            if title and title.lower() not in themes:
                themes.add(title.lower())
                preview.new_themes.append(title)
            preview.carry.append(CarryForward(action, reference, title))
    if preview.awaiting:
        refs = ", ".join(a.reference for a in preview.awaiting)
        preview.problems.append(
            f"Confirm or return the completion of {refs} first: an action awaiting "
            "confirmation is neither complete nor open"
        )
    return preview


@transaction.atomic
def close_plan(
    plan: Plan,
    *,
    next_plan: Plan,
    by: Person | None,
    expected: Iterable[int] | None = None,
) -> list[Action]:
    """Close the plan at year-end: every action not complete carries forward into
    `next_plan` as a new action linked to the old one, and the old one is marked carried
    forward. `expected` is the list of action ids the user previewed: if the plan changed
    since, nothing is done."""
    # Lock the plan, so two people closing it at once cannot both carry its actions forward.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    plan.refresh_from_db()
    preview = preview_close(plan, next_plan)
    if preview.problems:
        raise ServiceError(" ".join(preview.problems))
    if expected is not None and sorted(expected) != preview.ids:
        raise ServiceError("The plan has changed since the preview: check the preview again")
    today = _today()
    theme_map: dict[str, Theme] = {t.title.lower(): t for t in Theme.objects.filter(plan=next_plan)}
    for title in preview.new_themes:
        source_theme = Theme.objects.filter(plan=plan, title=title).first()
        theme_map[title.lower()] = add_theme(
            plan=next_plan,
            title=title,
            lead_group=source_theme.lead_group if source_theme else None,
        )
    successors: dict[int, Action] = {}
    for item in preview.carry:
        old = item.action
        new = Action(
            partnership=old.partnership,
            source=Source.BUSINESS_PLAN,
            plan=next_plan,
            theme=theme_map.get(item.theme_title.lower()) if item.theme_title else None,
            reference=item.reference,
            text=old.text,
            aim=old.aim,
            group=old.group,
            owner_group=old.owner_group,
            owner_agency=old.owner_agency,
            owner_person=old.owner_person,
            ongoing=old.ongoing,
            due=old.due,
            original_due=old.original_due,
            review_date=old.review_date,
            status=old.status,
            state=State.OPEN,
            last_update_on=today,
            carried_from=old,
            created_by=by,
        )
        new.save()
        set_supporting(new, old.supporting)
        ProgressUpdate.objects.create(
            partnership=old.partnership,
            action=new,
            kind=UpdateKind.CARRIED_FORWARD,
            date=today,
            status=old.status,
            text=f"Carried forward from {plan} (action {old.reference}) at the year-end. "
            f"Status then: {Progress(old.status).label.lower()}.",
            author=by,
        )
        ProgressUpdate.objects.create(
            partnership=old.partnership,
            action=old,
            kind=UpdateKind.CARRIED_FORWARD,
            date=today,
            status=old.status,
            text=f"Not complete at the year-end: carried forward into {next_plan} as "
            f"action {item.reference}.",
            author=by,
        )
        old.state = State.CARRIED_FORWARD
        old.save(update_fields=["state"])
        successors[old.pk] = new
    # Links follow the actions: a link between two carried actions joins their successors;
    # a link to an action that stays behind points back to it.
    Through = Action.links.through
    for old_id, new in successors.items():
        linked = Through.objects.filter(from_action_id=old_id).values_list(
            "to_action_id", flat=True
        )
        targets = [successors[t].pk if t in successors else t for t in linked]
        if targets:
            new.links.add(*targets)
    plan.status = PlanStatus.CLOSED
    plan.closed_on = today
    plan.closed_by = by
    plan.next_plan = next_plan
    plan.save(update_fields=["status", "closed_on", "closed_by", "next_plan"])
    return [successors[item.action.pk] for item in preview.carry]


# --- risks --------------------------------------------------------------------------------


def _next_reference(model: type[Risk] | type[Challenge], prefix: str) -> str:
    numbers = [
        int(ref[len(prefix) :])
        for ref in model.objects.values_list("reference", flat=True)
        if ref.startswith(prefix) and ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _check_scores(likelihood: int, impact: int) -> None:
    for name, value in (("Likelihood", likelihood), ("Impact", impact)):
        if not 1 <= value <= 5:
            raise ServiceError(f"{name} is scored from 1 to 5")


def _check_unique(model: type[Risk] | type[Challenge], reference: str, exclude: int | None) -> None:
    clash = model.objects.filter(reference__iexact=reference)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ServiceError(f"The reference {reference} is already used")


@transaction.atomic
def create_risk(
    *,
    partnership: Partnership,
    title: str,
    likelihood: int,
    impact: int,
    target_score: int,
    owner: Owner | None = None,
    description: str = "",
    controls: str = "",
    reference: str = "",
    on: date | None = None,
    review_date: date | None = None,
    by: Person | None = None,
) -> Risk:
    """Add a risk with its first scores, which start its history."""
    title = title.strip()
    if not title:
        raise ServiceError("Give the risk a title")
    _check_scores(likelihood, impact)
    if not 1 <= target_score <= 25:
        raise ServiceError("The target score is from 1 to 25")
    _check_owner(owner, required=False)
    reference = reference.strip() or _next_reference(Risk, "R")
    _check_unique(Risk, reference, None)
    on = on or _today()
    _check_not_future(on, "The date the risk was added")
    risk = Risk(
        partnership=partnership,
        reference=reference,
        title=title,
        description=description.strip(),
        controls=controls.strip(),
        likelihood=likelihood,
        impact=impact,
        target_score=target_score,
        last_reviewed=on,
        review_date=review_date or add_months(on, RISK_REVIEW_MONTHS),
    )
    risk.set_owner(owner)
    risk.save()
    RiskReview.objects.create(
        partnership=partnership,
        risk=risk,
        reviewed_on=on,
        likelihood=likelihood,
        impact=impact,
        note="Added to the register.",
        reviewed_by=by,
    )
    return risk


@transaction.atomic
def change_risk(
    risk: Risk,
    *,
    title: str,
    description: str,
    controls: str,
    target_score: int,
    owner: Owner | None,
    review_date: date,
    reference: str,
    status: str = RiskStatus.OPEN,
    closed_on: date | None = None,
) -> Risk:
    """Change what a risk says. Its scores change only by a review (`review_risk`). Closing
    it records the day (`closed_on`, by default today, or the day it was closed before);
    reopening it clears the day."""
    title = title.strip()
    if not title:
        raise ServiceError("Give the risk a title")
    if not 1 <= target_score <= 25:
        raise ServiceError("The target score is from 1 to 25")
    if status not in RiskStatus.values:
        raise ServiceError(f"Unknown status ‘{status}’")
    reference = reference.strip()
    if not reference:
        raise ServiceError("Give the risk a reference")
    _check_owner(owner, required=False)
    _check_unique(Risk, reference, risk.pk)
    risk.reference = reference
    risk.title = title
    risk.description = description.strip()
    risk.controls = controls.strip()
    risk.target_score = target_score
    risk.review_date = review_date
    if status == RiskStatus.CLOSED and closed_on is None:
        # Already closed: its day is kept (a risk closed before closing days were recorded
        # keeps none until one is given); newly closed: today.
        closed_on = risk.closed_on if risk.status == RiskStatus.CLOSED else _today()
    if closed_on is not None:
        _check_not_future(closed_on, "The closing date")
        added = risk.reviews.order_by("reviewed_on").values_list("reviewed_on", flat=True).first()
        if added is not None and closed_on < added:
            raise ServiceError(
                f"The closing date is before the risk was added ({words.day(added)})"
            )
    if status == RiskStatus.OPEN and closed_on is not None:
        raise ServiceError("An open risk has no closing date: close it, or leave the date empty")
    risk.closed_on = closed_on if status == RiskStatus.CLOSED else None
    risk.status = status
    risk.set_owner(owner)
    risk.save()
    return risk


@transaction.atomic
def review_risk(
    risk: Risk,
    *,
    likelihood: int,
    impact: int,
    note: str = "",
    by: Person | None = None,
    on: date | None = None,
    next_review: date | None = None,
    controls: str | None = None,
) -> RiskReview:
    """Record a review: the scores on the day, and when it is next reviewed (by default six
    months on)."""
    if risk.status != RiskStatus.OPEN:
        raise ServiceError("This risk is closed")
    _check_scores(likelihood, impact)
    on = on or _today()
    _check_not_future(on, "The review date")
    next_review = next_review or add_months(on, RISK_REVIEW_MONTHS)
    if next_review <= on:
        raise ServiceError("The next review must be after this one")
    review = RiskReview.objects.create(
        partnership=risk.partnership,
        risk=risk,
        reviewed_on=on,
        likelihood=likelihood,
        impact=impact,
        note=note.strip(),
        reviewed_by=by,
    )
    latest = RiskReview.objects.filter(risk=risk).order_by("-reviewed_on", "-pk").first()
    assert latest is not None
    risk.likelihood, risk.impact = latest.likelihood, latest.impact
    risk.last_reviewed = latest.reviewed_on
    if latest.pk == review.pk:
        risk.review_date = next_review
    if controls is not None:
        risk.controls = controls.strip()
    risk.save()
    return review


# --- challenge log ------------------------------------------------------------------------


@transaction.atomic
def raise_challenge(
    *,
    partnership: Partnership,
    agency: Agency,
    subject: str,
    detail: str,
    raised_on: date,
    response_due: date,
    raised_by: Person | None = None,
    raised_by_group: Group | None = None,
    reference: str = "",
) -> Challenge:
    subject, detail = subject.strip(), detail.strip()
    if not subject or not detail:
        raise ServiceError("Say what the challenge is about and what the board asked")
    if response_due < raised_on:
        raise ServiceError("The response cannot be due before the challenge was raised")
    reference = reference.strip() or _next_reference(Challenge, "C")
    _check_unique(Challenge, reference, None)
    try:
        with transaction.atomic():
            challenge = Challenge.objects.create(
                partnership=partnership,
                reference=reference,
                agency=agency,
                subject=subject,
                detail=detail,
                raised_on=raised_on,
                response_due=response_due,
                raised_by=raised_by,
                raised_by_group=raised_by_group,
            )
    except IntegrityError as exc:
        raise ServiceError(f"The reference {reference} is already used") from exc
    notify_all(
        people_with(Role.AGENCY_LEAD, agency.pk),
        "challenge.raised",
        text=f"Challenge {challenge.reference} to {agency.short_name} waits for your answer "
        f"by {response_due:%d %B %Y}",
        url=reverse(
            "planning:challenge", kwargs={"partnership": partnership.slug, "pk": challenge.pk}
        ),
    )
    return challenge


@transaction.atomic
def change_challenge(
    challenge: Challenge,
    *,
    agency: Agency,
    subject: str,
    detail: str,
    raised_on: date,
    response_due: date,
    raised_by: Person | None,
    raised_by_group: Group | None,
) -> Challenge:
    subject, detail = subject.strip(), detail.strip()
    if not subject or not detail:
        raise ServiceError("Say what the challenge is about and what the board asked")
    if response_due < raised_on:
        raise ServiceError("The response cannot be due before the challenge was raised")
    challenge.agency = agency
    challenge.subject = subject
    challenge.detail = detail
    challenge.raised_on = raised_on
    challenge.response_due = response_due
    challenge.raised_by = raised_by
    challenge.raised_by_group = raised_by_group
    challenge.save()
    return challenge


def _check_challenge_open(challenge: Challenge) -> None:
    if challenge.closed_on is not None:
        raise ServiceError("This challenge is closed")


@transaction.atomic
def record_response(
    challenge: Challenge, *, response: str, by: Person | None, on: date | None = None
) -> Challenge:
    """The agency's answer to the challenge."""
    _check_challenge_open(challenge)
    response = response.strip()
    if not response:
        raise ServiceError("Give the agency’s response")
    on = on or _today()
    _check_not_future(on, "The date of the response")
    if on < challenge.raised_on:
        raise ServiceError("The response cannot be dated before the challenge was raised")
    challenge.response = response
    challenge.responded_on = on
    challenge.responded_by = by
    challenge.save(update_fields=["response", "responded_on", "responded_by"])
    return challenge


@transaction.atomic
def escalate_challenge(
    challenge: Challenge, *, to: str, note: str, on: date | None = None
) -> Challenge:
    """Escalate a challenge left unanswered, or answered unsatisfactorily."""
    _check_challenge_open(challenge)
    if challenge.escalated_on is not None:
        raise ServiceError("This challenge has already been escalated")
    to, note = to.strip(), note.strip()
    if not to:
        raise ServiceError("Say who it is escalated to")
    on = on or _today()
    _check_not_future(on, "The date of the escalation")
    if on < challenge.raised_on:
        raise ServiceError("A challenge cannot be escalated before it was raised")
    challenge.escalated_on = on
    challenge.escalated_to = to
    challenge.escalation_note = note
    challenge.save(update_fields=["escalated_on", "escalated_to", "escalation_note"])
    return challenge


@transaction.atomic
def close_challenge(
    challenge: Challenge, *, outcome: str, note: str = "", on: date | None = None
) -> Challenge:
    """Record the outcome and close the challenge."""
    _check_challenge_open(challenge)
    if outcome not in Outcome.values:
        raise ServiceError("Choose the outcome")
    on = on or _today()
    _check_not_future(on, "The date it was closed")
    if on < challenge.raised_on:
        raise ServiceError("A challenge cannot be closed before it was raised")
    challenge.outcome = outcome
    challenge.outcome_note = note.strip()
    challenge.closed_on = on
    challenge.save(update_fields=["outcome", "outcome_note", "closed_on"])
    return challenge


def plan_years(text: str) -> tuple[int, int]:
    """The financial years a plan label covers, as the start years of its first and last:
    `2016-17` is (2016, 2016); `2016-19` is April 2016 to March 2019, (2016, 2018)."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise ServiceError(f"‘{text}’ is not a plan’s years: write 2016-19 or 2016-17") from exc
    if period.kind == "fy":
        return period.start.year, period.start.year
    if period.kind == "span":
        return period.start.year, period.end.year - 1
    raise ServiceError(f"‘{text}’ is not a plan’s years: write 2016-19 or 2016-17")


def find_or_create_plan(partnership: Partnership, label: str) -> tuple[Plan, bool]:
    first, last = plan_years(label)
    plan = Plan.objects.filter(first_year=first, last_year=last).first()
    if plan is not None:
        return plan, False
    return create_plan(partnership=partnership, first_year=first, last_year=last), True
