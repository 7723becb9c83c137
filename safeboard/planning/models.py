"""Planning: the business plan and its themes, the one action tracker that every source feeds
(the plan, meetings, and later case reviews, audits, Section 11, inspections and child death
reviews), the risk register and the challenge log."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core.modules import action_sources
from safeboard.core.periods import Span, fy_label
from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned
from safeboard.partnership.models import Agency, Group, Meeting, Person

# --- owners -------------------------------------------------------------------------------


class Owned(models.Model):
    """A record owned by a group, an agency or a person (at most one of them)."""

    owner_group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def owner(self) -> Group | Agency | Person | None:
        return self.owner_group or self.owner_agency or self.owner_person

    @property
    def owner_kind(self) -> str:
        if self.owner_group_id:
            return "group"
        if self.owner_agency_id:
            return "agency"
        if self.owner_person_id:
            return "person"
        return ""

    @property
    def owner_name(self) -> str:
        owner = self.owner
        return owner.name if owner is not None else ""

    @property
    def responsible_agency_id(self) -> int | None:
        """The agency answerable for the record: the owning agency, or the owner's own."""
        if self.owner_agency_id:
            return self.owner_agency_id
        if self.owner_person_id and self.owner_person is not None:
            return self.owner_person.agency_id
        return None

    def set_owner(self, owner: Group | Agency | Person | None) -> None:
        self.owner_group = owner if isinstance(owner, Group) else None
        self.owner_agency = owner if isinstance(owner, Agency) else None
        self.owner_person = owner if isinstance(owner, Person) else None


def one_owner(prefix: str, *, required: bool) -> models.CheckConstraint:
    group, agency, person = (
        Q(**{f"owner_{k}__isnull": False}) for k in ("group", "agency", "person")
    )
    no_group, no_agency, no_person = (
        Q(**{f"owner_{k}__isnull": True}) for k in ("group", "agency", "person")
    )
    exactly_one = (
        (group & no_agency & no_person)
        | (agency & no_group & no_person)
        | (person & no_group & no_agency)
    )
    condition = exactly_one if required else exactly_one | (no_group & no_agency & no_person)
    return models.CheckConstraint(condition=condition, name=f"{prefix}_one_owner")


# --- the business plan --------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Plan(PartnershipOwned):
    """A business plan over one or more financial years: `2016-19` runs from April 2016 to
    March 2019. Its label is printed by `core.periods`."""

    first_year = models.PositiveIntegerField(help_text="Start year of its first financial year.")
    last_year = models.PositiveIntegerField(help_text="Start year of its last financial year.")
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(
        blank=True, help_text="What the plan sets out to achieve, in a few sentences."
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_plan = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="previous_plans",
        help_text="The plan its unfinished actions were carried forward into.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_year", "-last_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "first_year", "last_year"], name="plan_unique_years"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="plan_year_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Business plan {self.label}"

    @property
    def label(self) -> str:
        return plan_label(self.first_year, self.last_year)

    @property
    def first_financial_year(self) -> str:
        return fy_label(self.first_year)

    @property
    def last_financial_year(self) -> str:
        return fy_label(self.last_year)

    @property
    def start(self) -> date:
        return date(self.first_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.last_year + 1, 3, 31)

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED

    def get_absolute_url(self) -> str:
        return reverse(
            "planning:plan", kwargs={"partnership": self.partnership.slug, "pk": self.pk}
        )


def plan_label(first_year: int, last_year: int) -> str:
    """`2016-17` for one financial year; `2016-19` for April 2016 to March 2019."""
    if first_year == last_year:
        return fy_label(first_year)
    return Span(first_year, last_year + 1).label


class Theme(PartnershipOwned):
    """A theme or priority of a plan ("Priority 1: child exploitation")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField(help_text="Its place in the plan: 1, 2, 3 …")
    title = models.CharField(max_length=300)
    lead_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The group that leads the theme and oversees its actions.",
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="theme_unique_number"),
            models.UniqueConstraint(fields=["plan", "title"], name="theme_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


# --- the one action tracker ---------------------------------------------------------------


class Source:
    """Planning's own sources of actions (declared in `apps.PlanningConfig.action_sources`).
    Other modules declare theirs in their AppConfig: the tracker lists whatever is installed."""

    BUSINESS_PLAN = "business_plan"
    MEETING = "meeting"
    CHALLENGE = "challenge"
    INSPECTION = "inspection"
    OTHER = "other"


def source_choices() -> list[tuple[str, str]]:
    """Every installed module's sources of actions (`core.modules.action_sources`)."""
    return [(key, source.label) for key, source in action_sources().items()]


class Progress(models.TextChoices):
    """The status of a progress update, and so of the action: RAG, with its words."""

    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class State(models.TextChoices):
    """Where an action is in its life."""

    OPEN = "open", "Open"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Complete, awaiting confirmation"
    COMPLETE = "complete", "Complete"
    CARRIED_FORWARD = "carried_forward", "Carried forward"


OPEN_STATES = (State.OPEN, State.AWAITING_CONFIRMATION)


class Action(PartnershipOwned, Owned):
    """One action, whatever its source. Plan actions have a plan, a theme and a reference
    unique within the plan; others link to their source record (a meeting, a case review …).

    Slippage stays visible: `original_due` is the first due date and never changes; `due` is
    the current one; each change is a `DueDateChange` with its reason. Ongoing or recurring
    actions have a `review_date` instead of a due date.
    """

    source = models.CharField(max_length=30, choices=source_choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(
        "source",
        max_length=200,
        blank=True,
        help_text="What the action came from, for example ‘Ofsted inspection, March 2026’.",
    )
    register = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The restricted register of the record the action came from: only those "
        "who may open that register see the action. Blank: not restricted.",
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    reference = models.CharField(max_length=20, blank=True, help_text="For example 1.3 or 7.2a.")
    text = models.TextField("action")
    aim = models.TextField("what we are trying to achieve", blank=True)
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="overseen by",
        help_text="The group that oversees the action: its chair confirms completion.",
    )
    ongoing = models.BooleanField(
        "ongoing or recurring", default=False, help_text="Has a review date, not a due date."
    )
    due = models.DateField(null=True, blank=True)
    original_due = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    report_to = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="report back to",
        help_text="The meeting the action is due back to: it appears in that meeting’s pack.",
    )
    status = models.CharField(max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED)
    state = models.CharField(max_length=30, choices=State.choices, default=State.OPEN)
    last_update_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_update = models.ForeignKey(
        "ProgressUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    impact = models.TextField(blank=True)
    impact_on = models.DateField(null=True, blank=True)
    impact_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Supporting owners beside the lead owner (a plan's "Neglect task group and Early Help
    # Subgroup"): they share the work; the lead owner answers for it.
    supporting_groups = models.ManyToManyField(Group, blank=True, related_name="+")
    supporting_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    supporting_people = models.ManyToManyField(Person, blank=True, related_name="+")
    links = models.ManyToManyField("self", blank=True, symmetrical=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text="The action in the previous plan this one carries forward.",
    )
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "theme__number", "reference", "pk"]
        indexes = [
            models.Index(fields=["partnership", "state", "due"], name="action_state_due"),
            models.Index(fields=["source_type", "source_id"], name="action_source_record"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                condition=Q(plan__isnull=False),
                name="action_unique_reference_in_plan",
            ),
            models.CheckConstraint(
                condition=(Q(ongoing=True) & Q(review_date__isnull=False) & Q(due__isnull=True))
                | (Q(ongoing=False) & Q(due__isnull=False)),
                name="action_due_or_review",
            ),
            models.CheckConstraint(
                condition=~Q(state="complete") | Q(completed_on__isnull=False),
                name="action_complete_has_date",
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True) | ~Q(reference=""),
                name="action_plan_needs_reference",
            ),
            one_owner("action", required=True),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse(
            "planning:action", kwargs={"partnership": self.partnership.slug, "pk": self.pk}
        )

    @property
    def label(self) -> str:
        """The reference people use: the plan reference, or the tracker number."""
        if self.plan_id and self.reference:
            return self.reference
        return self.reference or f"A{self.pk}"

    @property
    def supporting(self) -> list[Group | Agency | Person]:
        return [
            *self.supporting_groups.all(),
            *self.supporting_agencies.all(),
            *self.supporting_people.all(),
        ]

    @property
    def owners_label(self) -> str:
        """The lead owner, and the supporting owners after "with"."""
        others = [o.name for o in self.supporting]
        return self.owner_name + (f", with {', '.join(others)}" if others else "")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_restricted(self) -> bool:
        return bool(self.register)

    @property
    def sensitivity(self) -> str:
        """Its tier, inherited from its source record (`register`)."""
        return Sensitivity.RESTRICTED if self.register else Sensitivity.PARTNERSHIP

    @property
    def slipped(self) -> bool:
        return bool(self.due and self.original_due and self.due != self.original_due)

    @property
    def slippage_days(self) -> int:
        if not self.slipped:
            return 0
        assert self.due is not None and self.original_due is not None
        return (self.due - self.original_due).days

    # --- the action as it stood on a date (its dated history) ----------------------------
    # A report's figures describe a date (the year's end): what happened after it (a
    # completion in April, a due date moved in May) must not change them. These read the
    # completion date, the due-date changes and the dated progress updates; prefetch
    # `due_changes` and `updates` when asking for many actions.

    def due_on(self, day: date) -> date | None:
        """The due date as it stood on `day`: the last change made on or before it, or the
        date before the first change made after it."""
        changes = sorted(self.due_changes.all(), key=lambda c: (c.changed_on, c.recorded_at, c.pk))
        if not changes:
            return self.due
        due = changes[0].previous or self.original_due
        for change in changes:
            if change.changed_on <= day:
                due = change.new
        return due

    def completed_by(self, day: date) -> bool:
        """Reported complete (confirmed or not) on or before `day`."""
        return (
            self.state in (State.COMPLETE, State.AWAITING_CONFIRMATION)
            and self.completed_on is not None
            and self.completed_on <= day
        )

    def carried_forward_by(self, day: date) -> bool:
        if self.state != State.CARRIED_FORWARD:
            return False
        return any(
            u.kind == UpdateKind.CARRIED_FORWARD and u.date <= day for u in self.updates.all()
        )

    def was_overdue(self, day: date) -> bool:
        """Past its due date and not reported complete, as things stood on `day`."""
        if self.ongoing or self.completed_by(day) or self.carried_forward_by(day):
            return False
        due = self.due_on(day)
        return due is not None and due < day

    def status_on(self, day: date) -> str:
        """The RAG status on `day`: complete if reported complete by then, else that of the
        latest progress update dated on or before it. With updates, but none by then: not
        started, if the action was recorded by then; if it was recorded later (a plan entered
        after the event), the first status recorded for it, which is all that is known. With
        no dated update at all, the status it has (not complete)."""
        if self.completed_by(day):
            return Progress.COMPLETE
        dated = sorted(
            (
                u
                for u in self.updates.all()
                if u.kind in (UpdateKind.PROGRESS, UpdateKind.RETURNED, UpdateKind.CARRIED_FORWARD)
            ),
            key=lambda u: (u.date, u.recorded_at, u.pk),
        )
        before = [u for u in dated if u.date <= day]
        if before:
            return before[-1].status
        if not dated:
            # No dated history (a status set without an update): the status it has.
            return Progress.NOT_STARTED if self.status == Progress.COMPLETE else self.status
        if self.created_at is not None and self.created_at.date() <= day:
            return Progress.NOT_STARTED
        first = dated[0].status
        return Progress.NOT_STARTED if first == Progress.COMPLETE else first

    def review_overdue(self, today: date) -> bool:
        return self.is_open and self.review_date is not None and self.review_date < today

    @property
    def completed_in_time(self) -> bool | None:
        """Completed (and confirmed) on or before the original due date; None while open."""
        if self.state != State.COMPLETE or self.completed_on is None or self.original_due is None:
            return None
        return self.completed_on <= self.original_due

    def set_source_record(self, record: models.Model | None) -> None:
        if record is None:
            self.source_type, self.source_id = None, None
        else:
            self.source_type = ContentType.objects.get_for_model(record)
            self.source_id = record.pk


def evidence_upload_to(instance: ProgressUpdate, filename: str) -> str:
    return f"planning/{instance.partnership_id}/evidence/{instance.action_id}/{filename}"


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", "Progress update"
    COMPLETION = "completion", "Completion reported"
    CONFIRMATION = "confirmation", "Completion confirmed"
    RETURNED = "returned", "Completion not confirmed"
    IMPACT = "impact", "Impact recorded"
    CARRIED_FORWARD = "carried_forward", "Carried forward"


class ProgressUpdate(PartnershipOwned):
    """A dated entry in an action's record: progress with its status, a completion with its
    evidence, a confirmation, or a note of what happened."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices, default=UpdateKind.PROGRESS)
    date = models.DateField()
    status = models.CharField(max_length=20, choices=Progress.choices)
    text = models.TextField()
    evidence = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=300)
    author = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(
        max_length=120, blank=True, help_text="Who wrote it, when not a person in Safeboard."
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-date", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action.label}, {self.date}: {Progress(self.status).label}"

    @property
    def register(self) -> str:
        """The restricted register of its action, if any (for the audit trail)."""
        return self.action.register

    @property
    def by(self) -> str:
        if self.author is not None:
            return self.author.name
        return self.author_name or "Not recorded"

    @property
    def evidence_name(self) -> str:
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""


class DueDateChange(PartnershipOwned):
    """A change of an action's due date, with its reason: the record of slippage."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_changes")
    previous = models.DateField(null=True, blank=True)
    new = models.DateField()
    reason = models.TextField()
    changed_on = models.DateField()
    changed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action.label}: {self.previous} to {self.new}"

    @property
    def register(self) -> str:
        """The restricted register of its action, if any (for the audit trail)."""
        return self.action.register


# --- risk register ------------------------------------------------------------------------

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskBand(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


def risk_band(score: int) -> RiskBand:
    """The band of a likelihood × impact score (1 to 25): 1–4 low, 5–9 medium, 10–16 high,
    20–25 very high."""
    if score <= 4:
        return RiskBand.LOW
    if score <= 9:
        return RiskBand.MEDIUM
    if score <= 16:
        return RiskBand.HIGH
    return RiskBand.VERY_HIGH


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(PartnershipOwned, Owned):
    """A risk to the partnership's work. Likelihood and impact change only by a review, so the
    history of scores is the list of reviews."""

    reference = models.CharField(max_length=20, help_text="For example R4.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    controls = models.TextField(
        blank=True, help_text="What is in place, or planned, to reduce the risk."
    )
    likelihood = models.PositiveSmallIntegerField(validators=SCORE)
    impact = models.PositiveSmallIntegerField(validators=SCORE)
    target_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="The score the controls should bring it to: likelihood × impact, 1 to 25.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    review_date = models.DateField("next review", help_text="Risks are reviewed twice a year.")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    # The day it was closed (empty while open): the report's register at a year's end keeps a
    # risk closed after that day. A risk closed before this was recorded has none.
    closed_on = models.DateField("closed on", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-likelihood", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="risk_unique_ref"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(target_score__gte=1, target_score__lte=25), name="risk_target_1_to_25"
            ),
            one_owner("risk", required=False),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)

    @property
    def target_band(self) -> RiskBand:
        return risk_band(self.target_score)

    @property
    def above_target(self) -> bool:
        return self.score > self.target_score

    def scores_on(self, day: date) -> tuple[int, int] | None:
        """(likelihood, impact) as the latest review on or before `day` gave them; None if
        the risk was not yet on the register then (its first review is the day it was
        added). Prefetch `reviews` when asking for many risks."""
        before = [r for r in self.reviews.all() if r.reviewed_on <= day]
        if not before:
            return None
        latest = max(before, key=lambda r: (r.reviewed_on, r.pk))
        return latest.likelihood, latest.impact

    def open_on(self, day: date) -> bool:
        """Whether the risk was on the register, open, at the end of `day`: added by then
        (its first review) and not closed on or before it. A closed risk without a closing
        date (closed before dates were recorded) counts as closed at any date. Prefetch
        `reviews` when asking for many risks."""
        if self.scores_on(day) is None:
            return False
        if self.status == RiskStatus.OPEN:
            return True
        return self.closed_on is not None and self.closed_on > day

    def review_overdue(self, today: date) -> bool:
        return self.status == RiskStatus.OPEN and self.review_date < today


class RiskReview(PartnershipOwned):
    """A review of a risk: the scores on that day and what was noted."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField(validators=SCORE)
    impact = models.PositiveSmallIntegerField(validators=SCORE)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.risk.reference} reviewed {self.reviewed_on}: {self.score}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return risk_band(self.score)


# --- challenge log ------------------------------------------------------------------------


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved: the board is assured"
    PARTLY = "partly_resolved", "Partly resolved: further work agreed"
    NOT_RESOLVED = "not_resolved", "Not resolved"


class ChallengeStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting response"
    OVERDUE = "overdue", "Response overdue"
    RESPONDED = "responded", "Responded"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"


class Challenge(PartnershipOwned):
    """A challenge the board (or one of its groups) put to an agency, and what came of it."""

    reference = models.CharField(max_length=20, help_text="For example C3.")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="agency challenged"
    )
    subject = models.CharField(max_length=200)
    detail = models.TextField("what the board challenged")
    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="raised at",
        help_text="The board or group that raised it.",
    )
    raised_on = models.DateField()
    response_due = models.DateField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_on = models.DateField(null=True, blank=True)
    escalated_to = models.CharField(max_length=200, blank=True)
    escalation_note = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="challenge_unique_ref"
            ),
            models.CheckConstraint(
                condition=Q(response_due__gte=models.F("raised_on")),
                name="challenge_due_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""),
                name="challenge_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def status_on(self, today: date) -> ChallengeStatus:
        if self.closed_on:
            return ChallengeStatus.CLOSED
        if self.escalated_on:
            return ChallengeStatus.ESCALATED
        if self.responded_on:
            return ChallengeStatus.RESPONDED
        if self.response_due < today:
            return ChallengeStatus.OVERDUE
        return ChallengeStatus.AWAITING

    def needs_escalation(self, today: date) -> bool:
        """Unanswered after its response date and not yet escalated."""
        return self.status_on(today) == ChallengeStatus.OVERDUE
