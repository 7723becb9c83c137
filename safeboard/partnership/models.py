"""The partnership itself: who is in it (areas, agencies, people, roles) and how it governs
(groups, terms of reference, meetings, attendance, papers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from safeboard.core.sensitivity import Sensitivity
from safeboard.core.tenancy import PartnershipOwned

from .roles import AGENCY_ROLES, Role


class Partnership(models.Model):
    """A safeguarding children partnership: the tenant that owns every other record."""

    slug = models.SlugField(
        unique=True, help_text="Used in web addresses, for example ‘northdale’."
    )
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    partners_from = models.DateField(
        "safeguarding partner arrangements from",
        null=True,
        blank=True,
        help_text="When its multi-agency safeguarding arrangements (the statutory safeguarding "
        "partners) began; before it, a Local Safeguarding Children Board. Empty: 29 September "
        "2019, when every board had been replaced. A report's words follow the arrangements of "
        "its year (partnership.eras).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:home", kwargs={"partnership": self.slug})

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership": self.pk}


class Area(PartnershipOwned):
    """A local authority area the partnership covers."""

    name = models.CharField(max_length=120)
    la_number = models.PositiveIntegerField(
        "DfE LA number",
        help_text="The Department for Education’s number, for example 909.",
        validators=[
            MinValueValidator(100, "A DfE LA number has three digits, for example 909"),
            MaxValueValidator(999, "A DfE LA number has three digits, for example 909"),
        ],
    )
    ons_code = models.CharField(
        "ONS code", max_length=9, blank=True, help_text="For example E10000006."
    )
    region = models.CharField(
        max_length=60, blank=True, help_text="England region, for example North West."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "la_number"], name="area_unique_la")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.la_number})"


class AreaPopulation(PartnershipOwned):
    """Children aged 0 to 17 living in an area, for one financial year.

    `year` is the calendar year in which the financial year starts (2016 for 2016-17); the
    figure is the ONS mid-year estimate for that year (mid-2016 for 2016-17).
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveIntegerField(help_text="Start year of the financial year.")
    children = models.PositiveIntegerField("children aged 0 to 17")
    source = models.CharField(max_length=200, blank=True, default="ONS mid-year estimate")

    class Meta:
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.area.name} {self.year}-{(self.year + 1) % 100:02d}: {self.children}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"


class Sector(models.TextChoices):
    LA_CHILDRENS_SERVICES = "la_childrens_services", "Local authority children’s services"
    POLICE = "police", "Police"
    HEALTH_COMMISSIONER = "health_commissioner", "Health commissioner"
    HEALTH_PROVIDER = "health_provider", "Health provider"
    NHS_ENGLAND = "nhs_england", "NHS England"
    PROBATION = "probation", "Probation"
    CAFCASS = "cafcass", "CAFCASS"
    SCHOOL_PRIMARY = "school_primary", "Schools (primary)"
    SCHOOL_SECONDARY = "school_secondary", "Schools (secondary)"
    SCHOOL_INDEPENDENT = "school_independent", "Schools (independent)"
    COLLEGE = "college", "Colleges"
    EARLY_YEARS = "early_years", "Early years"
    DISTRICT_COUNCIL = "district_council", "District council"
    HOUSING = "housing", "Housing"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary sector"
    LAY_MEMBER = "lay_member", "Lay member"
    OTHER = "other", "Other"


class PartnerStatus(models.TextChoices):
    SAFEGUARDING_PARTNER = "safeguarding_partner", "Statutory safeguarding partner"
    RELEVANT_AGENCY = "relevant_agency", "Relevant agency"
    OTHER = "other", "Other member"


class Agency(PartnershipOwned):
    """An organisation in the partnership. Agencies merge and split: `valid_from`/`valid_to`
    bound its life and `replaces` links it to its predecessors."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    status = models.CharField(
        "partner status",
        max_length=30,
        choices=PartnerStatus.choices,
        default=PartnerStatus.RELEVANT_AGENCY,
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="replaced_by",
        help_text="Agencies this one took over from (mergers and splits).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "short_name"], name="agency_unique_short"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: date | None = None) -> bool:
        on = on or date.today()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


class Person(PartnershipOwned):
    """Someone in the partnership. May have a user account (to sign in) or not (a member who
    only attends meetings)."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"],
                condition=Q(user__isnull=False),
                name="person_one_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(PartnershipOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text="Required for agency contributors and leads: the agency they act for.",
    )

    class Meta:
        ordering = ["person__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="role_unique_for_agency",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(agency__isnull=True),
                name="role_unique_partnership_wide",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(AGENCY_ROLES)) | Q(agency__isnull=False),
                name="role_agency_required",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{self.person}: {label}" + (f" ({self.agency.short_name})" if self.agency else "")


class GroupKind(models.TextChoices):
    BOARD = "board", "Board"
    EXECUTIVE = "executive", "Executive or business group"
    SUBGROUP = "subgroup", "Subgroup"
    TASK_AND_FINISH = "task_and_finish", "Task and finish group"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance group"
    PANEL = "panel", "Panel"


class Group(PartnershipOwned):
    """A board, executive, subgroup, task and finish group or panel. A joint group belongs to
    its host partnership and is shared with the others (`shared_with`)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=GroupKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The group this one reports to.",
    )
    purpose = models.TextField(
        "terms of reference: purpose",
        blank=True,
        help_text="The purpose and remit of the group, as agreed in its terms of reference.",
    )
    tor_approved = models.DateField("terms of reference approved", null=True, blank=True)
    tor_review_due = models.DateField("terms of reference review due", null=True, blank=True)
    established = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)
    shared_with = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="shared_groups",
        help_text="Other partnerships in this joint arrangement.",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.tor_approved and self.tor_review_due and self.tor_review_due < self.tor_approved:
            errors["tor_review_due"] = (
                "The review of the terms of reference must be due on or after the date they "
                f"were approved ({self.tor_approved:%d %B %Y})"
            )
        if self.established and self.ended and self.ended < self.established:
            errors["ended"] = (
                f"The group cannot end before it was established ({self.established:%d %B %Y})"
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        shared = Group.shared_with.through.objects.filter(partnership=partnership)
        return Q(partnership=partnership) | Q(pk__in=shared.values("group_id"))

    @property
    def is_joint(self) -> bool:
        return self.shared_with.exists()


def _shared_group_filter(partnership: Partnership) -> Q:
    """Rows that hang off a group: the partnership's own, and those of groups shared with it."""
    shared = Group.shared_with.through.objects.filter(partnership=partnership)
    return Q(partnership=partnership) | Q(group__in=shared.values("group_id"))


class Objective(PartnershipOwned):
    """A numbered objective in a group's terms of reference."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="objective_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        return _shared_group_filter(partnership)


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


class GroupMembership(PartnershipOwned):
    """A seat on a group, held by a person for their agency (or by an agency, when it sends
    whoever is available)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="The agency the member represents.",
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(agency__isnull=False),
                name="membership_person_or_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.who}, {MemberRole(self.role).label.lower()} of {self.group}"

    @property
    def who(self) -> str:
        return self.person.name if self.person else (self.agency.name if self.agency else "?")

    @property
    def represents(self) -> Agency | None:
        """The agency the seat is for: named on the seat, or the person's own."""
        return self.agency or (self.person.agency if self.person else None)

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        return _shared_group_filter(partnership)

    def is_active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(PartnershipOwned):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    decisions = models.TextField(blank=True, help_text="Decisions and key points, for the record.")
    guests = models.TextField(
        blank=True,
        help_text="People who came who are not members of the group: one a line, with their "
        "organisation and why they came.",
    )

    class Meta:
        ordering = ["-date", "group"]

    def __str__(self) -> str:
        return f"{self.group}, {self.date.day} {self.date:%B %Y}"

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        return _shared_group_filter(partnership)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    DEPUTY = "deputy", "Deputy sent"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY})


class Attendance(PartnershipOwned):
    """Whether an expected member came to a meeting. `agency` is kept as it was on the day,
    so attendance by agency stays right when people later move."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        GroupMembership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["meeting", "agency__name", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=Q(person__isnull=True),
                name="attendance_once_per_agency_seat",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(agency__isnull=False),
                name="attendance_person_or_agency",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person else (self.agency.name if self.agency else "?")
        return f"{who}: {AttendanceStatus(self.status).label}"

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        shared = Group.shared_with.through.objects.filter(partnership=partnership)
        return Q(partnership=partnership) | Q(meeting__group__in=shared.values("group_id"))


# The register of restricted papers (declared in apps.PartnershipConfig).
RESTRICTED_PAPERS = "restricted_papers"


def paper_upload_to(instance: Paper, filename: str) -> str:
    return f"papers/{instance.partnership_id}/{instance.meeting_id}/{filename}"


class Paper(PartnershipOwned):
    """A meeting paper. Its sensitivity decides who may open it; restricted papers log every
    read."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_upload_to)
    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.PARTNERSHIP
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        help_text="For agency papers: the agency whose paper it is.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sensitivity=Sensitivity.AGENCY) | Q(agency__isnull=False),
                name="paper_agency_tier_needs_agency",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def register(self) -> str | None:
        """A restricted paper belongs to the restricted papers register."""
        return RESTRICTED_PAPERS if self.sensitivity == Sensitivity.RESTRICTED else None

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        shared = Group.shared_with.through.objects.filter(partnership=partnership)
        return Q(partnership=partnership) | Q(meeting__group__in=shared.values("group_id"))


class Notification(PartnershipOwned):
    """Something that needs a person's attention (`partnership.notifications.notify`): shown in
    their notifications list in Safeboard and emailed, at once or in the daily digest as they
    choose. About a restricted record it says only which register needs attention: `text` and
    the email never carry the record's details."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True, help_text="A path within Safeboard.")
    register = models.CharField(max_length=40, blank=True)
    key = models.CharField(
        max_length=120, blank=True, help_text="Set to notify a person of something only once."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text
