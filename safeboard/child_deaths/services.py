"""Writes of the child death register. Each is one transaction and raises `ServiceError`
with a message for the user. Callers run them inside the partnership scope of the request
(or `tenancy.unscoped()` for commands and the demo)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from safeboard.core import clocks
from safeboard.core.converters import LARGEST_ID
from safeboard.core.errors import ServiceError
from safeboard.core.models import Clock
from safeboard.core.modules import registers
from safeboard.partnership.models import (
    Agency,
    Area,
    Group,
    GroupKind,
    Partnership,
    Person,
    Role,
)
from safeboard.partnership.notifications import notify as tell
from safeboard.planning import selectors as planning_selectors
from safeboard.planning import services as planning

from .apps import REGISTER
from .constants import (
    Category,
    Domain,
    Grade,
    JarReason,
    form_version,
    nhs_number_problem,
    whole_years,
)
from .models import (
    AgencyForm,
    CaseMeeting,
    ChildDeath,
    Factor,
    MeetingKind,
    PanelReview,
    Recommendation,
    Status,
)

FORM_CLOCK = "child_deaths.agency_form"
SOURCE = "child_death_review"


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date | None, what: str) -> None:
    if day is not None and day > _today():
        raise ServiceError(f"{what} cannot be in the future")


# --- who to tell ----------------------------------------------------------------------------
#
# Every notification of this module goes through `partnership.notifications.notify` with the
# register named: the list and the email say only "Something in Child deaths needs your
# attention" and link to Safeboard, never a reference, a name or a date.


def coordinators(death: ChildDeath) -> list[Person]:
    """The register's keepers who work on a death: those of the child's partnership and of
    the panel's host (a cross-partnership read, as the panel's coordinator serves both)."""
    ids = {death.partnership_id}
    if death.panel_id is not None:
        ids.add(Group._base_manager.get(pk=death.panel_id).partnership_id)
    roles = registers()[REGISTER].roles
    return list(
        Person._base_manager.filter(partnership_id__in=ids, active=True, roles__role__in=roles)
        .distinct()
        .select_related("user", "partnership")
        .order_by("pk")
    )


def agency_people(agency: Agency) -> list[Person]:
    """Who hears about an agency's forms: its safeguarding leads, or, when it has none, its
    people."""
    people = Person._base_manager.filter(
        partnership_id=agency.partnership_id,
        active=True,
        roles__role=Role.AGENCY_LEAD,
        roles__agency=agency,
    )
    if not people.exists():
        people = Person._base_manager.filter(agency=agency, active=True)
    return list(people.distinct().select_related("user", "partnership").order_by("pk"))


def _home(person: Person) -> str:
    return reverse("partnership:home", kwargs={"partnership": person.partnership.slug})


def _death_url(death: ChildDeath, person: Person) -> str:
    """The death's page in the person's own partnership (the host's coordinator opens a
    shared partnership's resident's record through the host)."""
    return reverse(
        "child_deaths:death", kwargs={"partnership": person.partnership.slug, "pk": death.pk}
    )


def tell_agency(agency: Agency, event: str, text: str, key: str) -> int:
    """Tell an agency's people that forms are asked of it (restricted: the text is never
    shown; the link is their home page, as they do not open the register)."""
    told = 0
    for person in agency_people(agency):
        found = tell(person, event, text=text, url=_home(person), register=REGISTER, key=key)
        told += found is not None
    return told


def tell_coordinators(death: ChildDeath, event: str, text: str, key: str = "") -> int:
    told = 0
    for person in coordinators(death):
        found = tell(
            person, event, text=text, url=_death_url(death, person), register=REGISTER, key=key
        )
        told += found is not None
    return told


# --- who and where -------------------------------------------------------------------------


def panels() -> Any:
    """The child death overview panels seen in the current scope: the partnership's own
    panels and joint panels shared with it."""
    return Group.objects.filter(kind=GroupKind.PANEL, ended__isnull=True)


def panel_partnerships(panel: Group | None, partnership: Partnership) -> list[int]:
    """The partnerships whose residents a panel reviews: its host and those it is shared
    with (just `partnership` when there is no panel)."""
    if panel is None:
        return [partnership.pk]
    shared = list(panel.shared_with.values_list("pk", flat=True))
    return [panel.partnership_id, *shared]


def home_areas(panel: Group | None, partnership: Partnership) -> Any:
    """The areas a child reviewed by `panel` may have lived in: those of every partnership
    the panel serves (a cross-partnership read: the panel's coordinator records the deaths
    of all its partnerships' residents)."""
    return Area._base_manager.filter(
        partnership_id__in=panel_partnerships(panel, partnership)
    ).order_by("name")


def involved_agencies(death: ChildDeath) -> Any:
    """Agencies that may be asked for a form: those of the child's partnership and of the
    panel's host."""
    ids = {death.partnership_id}
    if death.panel is not None:
        ids.add(death.panel.partnership_id)
    return Agency._base_manager.filter(partnership_id__in=ids).order_by("name")


def _next_reference(partnership: Partnership, died: date) -> str:
    prefix = f"CD-{died.year}-"
    taken = set(
        ChildDeath._base_manager.filter(
            partnership=partnership, reference__startswith=prefix
        ).values_list("reference", flat=True)
    )
    n = 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def check_child(*, date_of_birth: date, date_of_death: date) -> None:
    _not_future(date_of_death, "The date of death")
    if date_of_death < date_of_birth:
        raise ServiceError("The date of death is before the date of birth")
    if whole_years(date_of_birth, date_of_death) >= 18:
        raise ServiceError(
            "Child death reviews are of children who died before their 18th birthday"
        )


# --- notification ------------------------------------------------------------------------


NOTIFICATION_FIELDS = (
    "first_name",
    "surname",
    "nhs_number",
    "date_of_birth",
    "sex",
    "ethnicity",
    "date_of_death",
    "place_of_death",
    "notified_on",
    "notifier",
    "notifier_agency",
    "expected",
    "jar_needed",
    "jar_reasons",
)


def _check_text_fields(death: ChildDeath) -> None:
    """Each text field of the notification within its length and, with choices, one of them
    (the API takes any string: what the form would refuse is refused here)."""
    for name in ("reference", "sex", "ethnicity", "place_of_death", *NOTIFICATION_FIELDS):
        field = ChildDeath._meta.get_field(name)
        if not isinstance(field, models.CharField):
            continue
        value = getattr(death, name)
        if field.choices and value not in dict(field.flatchoices):
            raise ServiceError(
                f"{name}: ‘{str(value)[:30]}’ is not one of "
                + ", ".join(str(key) for key, _ in field.flatchoices)
            )
        if field.max_length is not None and len(value) > field.max_length:
            raise ServiceError(f"{name}: at most {field.max_length} characters")


def _apply_notification(death: ChildDeath, data: dict[str, Any]) -> None:
    for name in NOTIFICATION_FIELDS:
        if name in data:
            setattr(death, name, data[name])
    death.first_name = death.first_name.strip()
    death.surname = death.surname.strip()
    death.notifier = death.notifier.strip()
    death.nhs_number = death.nhs_number.replace(" ", "")
    _check_text_fields(death)
    if death.nhs_number:
        problem = nhs_number_problem(death.nhs_number)
        if problem:
            raise ServiceError(problem)
    check_child(date_of_birth=death.date_of_birth, date_of_death=death.date_of_death)
    _not_future(death.notified_on, "The date of notification")
    if death.notified_on is not None and death.notified_on < death.date_of_death:
        raise ServiceError("The death cannot be notified before it happened")
    reasons = list(dict.fromkeys(death.jar_reasons or []))
    unknown = [r for r in reasons if r not in JarReason.values]
    if unknown:
        raise ServiceError(f"Unknown reason for a joint agency response: {', '.join(unknown)}")
    if death.jar_needed and not reasons:
        raise ServiceError("Say why the death needs a joint agency response")
    death.jar_reasons = reasons if death.jar_needed else []


@transaction.atomic
def notify(
    *,
    partnership: Partnership,
    panel: Group | None,
    home_area: Area | None,
    date_of_birth: date,
    date_of_death: date,
    reference: str = "",
    **data: Any,
) -> ChildDeath:
    """Record the notification of a death. The child's home area decides the partnership the
    death belongs to; it must be an area the panel serves (or `partnership`'s own)."""
    if panel is not None and not panels().filter(pk=panel.pk).exists():
        raise ServiceError("Choose one of the partnership’s child death overview panels")
    if home_area is None:
        owner = partnership
    else:
        if home_area.partnership_id not in panel_partnerships(panel, partnership):
            raise ServiceError("The home area is not one the panel serves")
        owner = home_area.partnership
    reference = reference.strip() or _next_reference(owner, date_of_death)
    if ChildDeath._base_manager.filter(partnership=owner, reference=reference).exists():
        raise ServiceError(f"There is already a death with the reference {reference}")
    death = ChildDeath(
        partnership=owner,
        panel=panel,
        home_area=home_area,
        reference=reference,
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
    )
    data = {"first_name": "", "surname": "", "nhs_number": "", "notifier": "", **data}
    _apply_notification(death, data)
    death.form_version = form_version(death.notified_on or date_of_death)
    death.save()
    return death


@transaction.atomic
def change_notification(death: ChildDeath, **data: Any) -> ChildDeath:
    _apply_notification(death, data)
    review = death.review_or_none()
    if (
        review is not None
        and review.completed_on is not None
        and review.completed_on < death.date_of_death
    ):
        raise ServiceError("The review cannot be completed before the death")
    death.save()
    return death


# --- agency reporting forms ---------------------------------------------------------------


@transaction.atomic
def request_forms(
    death: ChildDeath, *, agencies: Iterable[Agency], requested_on: date
) -> list[AgencyForm]:
    """Ask agencies for their reporting forms; each form's clock starts on the request."""
    _not_future(requested_on, "The date of the request")
    if requested_on < death.date_of_death:
        raise ServiceError("A form cannot be requested before the death")
    allowed = set(involved_agencies(death).values_list("pk", flat=True))
    made = []
    for agency in agencies:
        if agency.pk not in allowed:
            raise ServiceError(f"{agency} is not an agency of the child’s partnership or panel")
        if AgencyForm._base_manager.filter(death=death, agency=agency).exists():
            raise ServiceError(f"{agency.short_name}’s form has already been requested")
        form = AgencyForm(
            partnership_id=death.partnership_id,
            death=death,
            agency=agency,
            requested_on=requested_on,
            due=requested_on,
            form_version=form_version(requested_on),
        )
        form.save()
        # The form's clock is the chasing partnership's: the panel's host (whose coordinator
        # asks for the forms of every partnership's residents it reviews), or the child's.
        clock: Any = clocks.start_clock(
            form,
            FORM_CLOCK,
            requested_on,
            label=f"{death.reference}: {agency.short_name} form",
            partnership=death.panel.partnership if death.panel is not None else None,
        )
        form.due = clock.due
        form.save(update_fields=["due"])
        made.append(form)
        tell_agency(
            agency,
            "child_deaths.form_requested",
            f"A child death reporting form is asked of {agency.short_name}",
            key=f"child_deaths:form:{form.pk}:requested",
        )
    if not made:
        raise ServiceError("Choose at least one agency")
    return made


@transaction.atomic
def receive_form(
    form: AgencyForm, *, received_on: date | None, complete: bool | None
) -> AgencyForm:
    """Record a form's return (None: not received after all); its clock stops."""
    _not_future(received_on, "The date received")
    if received_on is not None and received_on < form.requested_on:
        raise ServiceError("A form cannot be received before it was requested")
    if received_on is None and complete is not None:
        raise ServiceError("Say whether a form is complete once it has been received")
    was_ready = form.death.status == Status.AWAITING_PANEL
    form.received_on = received_on
    form.complete = complete
    form.save()
    clocks.stop_clock(form, FORM_CLOCK, received_on)
    death = ChildDeath._base_manager.get(pk=form.death_id)
    if not was_ready and death.status == Status.AWAITING_PANEL:
        tell_coordinators(
            death,
            "child_deaths.ready_for_panel",
            f"{death.reference}: every agency form is in; ready for the panel",
            key=f"child_deaths:{death.pk}:ready",
        )
    return form


@transaction.atomic
def withdraw_form(form: AgencyForm) -> None:
    """Withdraw a request made in error (an agency not involved after all): the form and its
    clock go; the audit trail keeps the request and its withdrawal. A form received is kept
    (correct its receipt instead)."""
    if form.received_on is not None:
        raise ServiceError(
            "A form that has been received cannot be withdrawn: correct its receipt instead"
        )
    Clock._base_manager.filter(
        record_type=ContentType.objects.get_for_model(AgencyForm),
        record_id=form.pk,
        kind=FORM_CLOCK,
    ).delete()
    form.delete()


@transaction.atomic
def note_reminder(form: AgencyForm, on: date) -> None:
    form.last_reminded_on = on
    form.reminders += 1
    form.save(update_fields=["last_reminded_on", "reminders"])


# --- meetings ------------------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    death: ChildDeath,
    *,
    kind: str,
    held_on: date,
    agencies: Iterable[Agency] = (),
    attendance: str = "",
) -> CaseMeeting:
    if kind not in MeetingKind.values:
        raise ServiceError("Choose the kind of meeting")
    _not_future(held_on, "The date of the meeting")
    if held_on < death.date_of_death:
        raise ServiceError("The meeting cannot be before the death")
    if kind == MeetingKind.JAR and not death.jar_needed:
        raise ServiceError("The notification says no joint agency response was needed")
    agencies = list(agencies)
    allowed = set(involved_agencies(death).values_list("pk", flat=True))
    if any(a.pk not in allowed for a in agencies):
        raise ServiceError("Choose agencies of the child’s partnership or panel")
    meeting = CaseMeeting(
        partnership_id=death.partnership_id,
        death=death,
        kind=kind,
        held_on=held_on,
        attendance=attendance.strip(),
    )
    meeting.save()
    meeting.agencies.set(agencies)
    return meeting


# --- the panel's review --------------------------------------------------------------------


@transaction.atomic
def record_review(
    death: ChildDeath,
    *,
    panel_date: date | None,
    completed_on: date | None,
    category: int | None,
    modifiable: bool | None,
    modifiable_factors: str = "",
    learning: str = "",
    case_review_id: int | None = None,
) -> PanelReview:
    """Record (or correct) the panel's review. A completed review has its category and says
    whether modifiable factors were identified, and which."""
    # The panel's date may be ahead (the panel it is scheduled for); completion may not.
    _not_future(completed_on, "The date the review was completed")
    for day, what in ((panel_date, "panel"), (completed_on, "completion")):
        if day is not None and day < death.date_of_death:
            raise ServiceError(f"The date of the {what} cannot be before the death")
    if category is not None and category not in Category.values:
        raise ServiceError("The category of death is a number from 1 to 10")
    if case_review_id is not None and not 1 <= case_review_id <= LARGEST_ID:
        raise ServiceError("There is no case review with that number")
    if completed_on is not None:
        if panel_date is not None and panel_date > completed_on:
            raise ServiceError("A review is completed at or after its panel")
        if category is None:
            raise ServiceError("A completed review has its category of death")
        if modifiable is None:
            raise ServiceError("A completed review says whether there were modifiable factors")
    if modifiable and not modifiable_factors.strip():
        raise ServiceError("Say which modifiable factors the panel identified")
    if case_review_id is not None and case_review_missing(death, case_review_id):
        raise ServiceError(f"There is no case review {case_review_id} of this child’s partnership")
    review = death.review_or_none() or PanelReview(partnership_id=death.partnership_id, death=death)
    review.panel_date = panel_date
    review.completed_on = completed_on
    review.category = category
    review.modifiable = modifiable
    review.modifiable_factors = modifiable_factors.strip() if modifiable else ""
    review.learning = learning.strip()
    review.case_review_id = case_review_id
    review.form_version = form_version(panel_date or completed_on or _today())
    review.save()
    return review


def case_review_missing(death: ChildDeath, case_review_id: int) -> bool:
    """Is `case_review_id` not a case review of the child's partnership? Checked only when
    the learning module (the case reviews register) is installed; without it the number is
    kept as given. Found through `django.apps`: this module does not import that one."""
    if not apps.is_installed("safeboard.learning"):
        return False
    try:
        model = apps.get_model("learning", "CaseReview")
    except LookupError:
        return False
    return not model._base_manager.filter(
        pk=case_review_id, partnership_id=death.partnership_id
    ).exists()


@transaction.atomic
def add_factor(review: PanelReview, *, domain: str, description: str, grade: int) -> Factor:
    factor = Factor(
        partnership_id=review.partnership_id,
        review=review,
        domain=domain,
        description=_check_factor(domain, description, grade),
        grade=grade,
    )
    factor.save()
    return factor


@transaction.atomic
def add_recommendation(
    review: PanelReview,
    *,
    partnership: Partnership,
    text: str,
    owner: Group | Agency | Person,
    due: date | None,
    by: Person | None = None,
) -> Recommendation:
    """A recommendation of the panel, and its action in the one tracker of `partnership`
    (the partnership the panel's coordinator works in). The action is in the child deaths
    register (only its keepers see it) until the panel releases it."""
    text = text.strip()
    if not text:
        raise ServiceError("Write the recommendation")
    recommendation = Recommendation(partnership_id=review.partnership_id, review=review, text=text)
    recommendation.save()
    action = planning.create_action(
        partnership=partnership,
        source=SOURCE,
        source_record=recommendation,
        # Never the death's reference: once released, the whole partnership reads the
        # action (and its reminders); the panel's name says where it came from.
        source_label=review.death.panel.name if review.death.panel is not None else "",
        text=text,
        owner=owner,
        group=review.death.panel if review.death.panel_id else None,
        due=due,
        by=by,
    )
    if review.released_on is not None:
        _release(action)
    recommendation.action = action
    recommendation.save(update_fields=["action"])
    return recommendation


def _check_factor(domain: str, description: str, grade: int) -> str:
    if domain not in Domain.values:
        raise ServiceError("Choose the domain of the factor")
    if grade not in Grade.values:
        raise ServiceError("A factor is graded 0, 1 or 2")
    if not description.strip():
        raise ServiceError("Describe the factor")
    return description.strip()


@transaction.atomic
def change_factor(factor: Factor, *, domain: str, description: str, grade: int) -> Factor:
    """Correct a contributory factor (the audit trail keeps what it said before)."""
    factor.description = _check_factor(domain, description, grade)
    factor.domain = domain
    factor.grade = grade
    factor.save()
    return factor


@transaction.atomic
def remove_factor(factor: Factor) -> None:
    factor.delete()


def _check_unreleased(recommendation: Recommendation, what: str) -> None:
    if recommendation.review.released_on is not None:
        raise ServiceError(
            f"The panel has released its recommendations: {what} the action in the tracker instead"
        )


@transaction.atomic
def change_recommendation(
    recommendation: Recommendation,
    *,
    text: str,
    owner: Group | Agency | Person,
    due: date | None,
    by: Person | None = None,
) -> Recommendation:
    """Correct a recommendation the panel has not yet released, and its action with it (what
    it says, who owns it, when it is due). Once released, the action is the tracker's."""
    _check_unreleased(recommendation, "change")
    text = text.strip()
    if not text:
        raise ServiceError("Write the recommendation")
    recommendation.text = text
    recommendation.save()
    action: Any = recommendation.action
    if action is not None:
        planning.change_action(
            action,
            by=by,
            text=text,
            owner=owner,
            aim=action.aim,
            group=action.group,
            report_to=action.report_to,
            due=due,
            due_reason="Changed with the panel’s recommendation before its release",
        )
    return recommendation


@transaction.atomic
def remove_recommendation(recommendation: Recommendation) -> None:
    """Remove a recommendation the panel has not yet released, and its action (which nobody
    outside the register has seen). The audit trail keeps both."""
    _check_unreleased(recommendation, "close")
    action = recommendation.action
    recommendation.delete()
    if action is not None:
        action.delete()


def _release(action: models.Model) -> None:
    # A released recommendation's action leaves the register: the whole partnership sees
    # it in the tracker. Saved through the model so the audit trail records the change.
    action.register = ""  # type: ignore[attr-defined]
    action.save(update_fields=["register"])


@transaction.atomic
def release_recommendations(review: PanelReview, *, on: date) -> int:
    """The panel releases its recommendations: their actions leave the register."""
    _not_future(on, "The date of release")
    if review.completed_on is None:
        raise ServiceError("Complete the review before releasing its recommendations")
    review.released_on = on
    review.save(update_fields=["released_on"])
    count = 0
    for recommendation in review.recommendations.select_related("action"):
        if recommendation.action is not None and recommendation.action.register:
            _release(recommendation.action)
            _tell_owners(recommendation.action)
            count += 1
    return count


def _tell_owners(action: Any) -> None:
    """A released recommendation is an action like any other: its owners are told (it is
    no longer restricted; its text is the panel's recommendation, written to be shared)."""
    for person in planning_selectors.reminder_recipients(action):
        tell(
            person,
            "child_deaths.recommendation_released",
            text=f"New action from a child death review: {action.label}",
            url=action.get_absolute_url(),
            key=f"action:{action.pk}:released",
        )
    if action.state == "awaiting_confirmation":
        # Reported complete while it was restricted: its confirmers hear of it now.
        planning.tell_confirmers(action)
