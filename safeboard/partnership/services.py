"""Business operations on the partnership and its governance. The web views, the API, the
command line and the demo loader all call these; each runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from safeboard.accounts import services as accounts
from safeboard.accounts.models import ApiToken
from safeboard.core import modules, tenancy
from safeboard.core.errors import ServiceError

from .access import forget_memberships, holds_two_factor_role, two_factor_roles
from .models import (
    AGENCY_ROLES,
    Agency,
    Area,
    AreaPopulation,
    Attendance,
    AttendanceStatus,
    Group,
    GroupMembership,
    Meeting,
    Partnership,
    Person,
    Role,
    RoleAssignment,
)


@transaction.atomic
def create_partnership(
    *,
    slug: str,
    name: str,
    short_name: str = "",
    la_number: int | None = None,
    area_name: str = "",
    region: str = "",
) -> Partnership:
    if Partnership.objects.filter(slug=slug).exists():
        raise ServiceError(f"A partnership with the slug ‘{slug}’ already exists")
    if la_number is not None and not 100 <= la_number <= 999:
        raise ServiceError(
            f"‘{la_number}’ is not a DfE LA number: they have three digits, for example 909"
        )
    partnership = Partnership.objects.create(slug=slug, name=name, short_name=short_name)
    if la_number is not None:
        with tenancy.partnership_scope(partnership):
            Area.objects.create(
                partnership=partnership,
                name=area_name or name,
                la_number=la_number,
                region=region,
            )
    return partnership


def save(instance: Any, partnership: Partnership) -> Any:
    """Save a partnership-owned record, stamping its partnership."""
    if instance.pk is None:
        instance.partnership = partnership
    elif instance.partnership_id != partnership.pk:
        raise ServiceError("This record belongs to another partnership and cannot be changed here")
    instance.full_clean()
    instance.save()
    return instance


# More children than any local authority area has (the largest have under half a million):
# a mistyped figure, refused with a message before the database is asked to hold it.
MOST_CHILDREN = 10_000_000


@transaction.atomic
def set_population(area: Area, year: int, children: int, source: str = "") -> AreaPopulation:
    if children <= 0:
        raise ServiceError("The child population must be a positive number")
    if children > MOST_CHILDREN:
        raise ServiceError(
            f"The child population of an area is at most {MOST_CHILDREN:,}: check the number"
        )
    population, _ = AreaPopulation.objects.update_or_create(
        area=area,
        year=year,
        defaults={
            "children": children,
            "source": source or "ONS mid-year estimate",
            "partnership": area.partnership,
        },
    )
    return population


def opens_a_register(role: str) -> bool:
    """A role named by a restricted register, or kept for one (not the business unit's)."""
    return role != Role.BUSINESS_UNIT_ADMIN and role in two_factor_roles()


def grant_warning(role: str) -> str:
    """What giving `role` grants, when it is a role the giver confirms (the business unit's
    administration and every role that opens or keeps a restricted register); "" otherwise."""
    if role == Role.BUSINESS_UNIT_ADMIN:
        return (
            "A business unit administrator manages the whole partnership: its agencies, people "
            "and who holds which role (administrators included), areas, groups, meetings and "
            "papers. They read the audit trail and the access log and open the restricted "
            "papers register. They must sign in with two factors."
        )
    if not opens_a_register(role):
        return ""
    names = sorted(
        register.label for register in modules.registers().values() if role in register.roles
    )
    opens = (
        f"It opens the restricted {', '.join(names)} register{'s' if len(names) > 1 else ''}"
        if names
        else "It is kept for a restricted register whose module is not installed yet; when it "
        "is, the role opens it"
    )
    return (
        f"{opens}: records about individual children and families. Every record they open is "
        "written to the access log, the register’s current keepers are told by email, and "
        "they must sign in with two factors."
    )


@transaction.atomic
def assign_role(
    person: Person, role: str, agency: Agency | None = None, *, by: Person | None = None
) -> RoleAssignment:
    """Give `person` a role. `by` is who gives it, when a person does (the web and the API):
    nobody gives themself a role that opens a restricted register, and the register's current
    keepers are told by email when someone is given it."""
    if role not in Role.values:
        raise ServiceError(f"Unknown role ‘{role}’")
    if role in AGENCY_ROLES and agency is None:
        raise ServiceError(f"{Role(role).label} needs the agency they act for")
    if role not in AGENCY_ROLES:
        agency = None
    if by is not None and by.pk == person.pk and opens_a_register(role):
        raise ServiceError(
            f"Nobody gives themself the role {Role(role).label}: it opens a restricted "
            "register. Another administrator gives it, or an installation administrator on "
            "the command line."
        )
    user = person.user
    needed_before = user is not None and holds_two_factor_role(user)
    assignment, created = RoleAssignment.objects.get_or_create(
        person=person, role=role, agency=agency, defaults={"partnership": person.partnership}
    )
    if user is not None:
        forget_memberships(user)
        if created and role in two_factor_roles() and not needed_before:
            # Tokens made while the person needed no second factor end with the new role.
            ApiToken.revoke_all(
                user, f"given the role {Role(role).label}, which needs two-factor sign-in"
            )
    if created and opens_a_register(role):
        transaction.on_commit(lambda: _tell_keepers(assignment, by))
    return assignment


def _tell_keepers(assignment: RoleAssignment, by: Person | None) -> None:
    """Email the people who already hold a register role that someone else now holds it."""
    with tenancy.partnership_scope(assignment.partnership):
        keepers = (
            Person.objects.filter(roles__role=assignment.role, active=True)
            .exclude(pk=assignment.person_id)
            .exclude(email="")
            .distinct()
        )
        emails = [person.email for person in keepers]
    if not emails:
        return
    label = Role(assignment.role).label
    who = by.name if by is not None else "An installation administrator"
    send_mail(
        f"{assignment.partnership.short_name or assignment.partnership.name}: "
        f"a new {label.split(' (')[0]}",
        f"{who} gave {assignment.person.name} the role {label} in "
        f"{assignment.partnership.name}. They can now open the records of its register.\n\n"
        "If this is not right, tell the partnership's business unit at once.\n\nSafeboard\n",
        None,
        emails,
    )


@transaction.atomic
def give_sign_in(person: Person, *, username: str) -> Any:
    """Give a person a sign-in: a link to set a password is emailed to them."""
    if person.user_id is not None:
        raise ServiceError(f"{person.name} already has a sign-in")
    user = accounts.create_sign_in(
        username=username,
        email=person.email,
        full_name=person.name,
        invited_to=person.partnership.name,
    )
    person.user = user
    person.save(update_fields=["user"])
    forget_memberships(user)
    return user


@transaction.atomic
def reset_two_factor(person: Person) -> int:
    """Remove the authenticator apps of a person's sign-in, for their partnership's business
    unit. A sign-in also used in another partnership is reset by an installation administrator
    on the command line, so no partnership weakens another's sign-in."""
    user = person.user
    if user is None:
        raise ServiceError(f"{person.name} has no sign-in")
    accounts.guard(user)
    others = sorted(
        set(
            Person._base_manager.filter(user=user, active=True)
            .exclude(partnership=person.partnership_id)
            .values_list("partnership__name", flat=True)
        )
    )
    if others:
        raise ServiceError(
            f"This sign-in is also used in {', '.join(others)}: an installation "
            "administrator resets its two-factor sign-in (python -m safeboard user "
            f"reset-two-factor --username {user.username})"
        )
    return accounts.reset_two_factor(user)


@transaction.atomic
def remove_role(assignment: RoleAssignment) -> None:
    user = assignment.person.user
    assignment.delete()
    if user is not None:
        forget_memberships(user)


@transaction.atomic
def add_member(
    group: Group,
    *,
    person: Person | None = None,
    agency: Agency | None = None,
    role: str = "member",
    start: date | None = None,
) -> GroupMembership:
    if person is None and agency is None:
        raise ServiceError("Choose a person or an agency")
    if person is not None and agency is None:
        agency = person.agency
    return GroupMembership.objects.create(
        partnership=group.partnership,
        group=group,
        person=person,
        agency=agency,
        role=role,
        start=start,
    )


def expected_members(meeting: Meeting) -> list[GroupMembership]:
    """The seats on the meeting's group that were held on the meeting's date."""
    return list(
        GroupMembership.objects.filter(group=meeting.group)
        .filter(Q(start__isnull=True) | Q(start__lte=meeting.date))
        .filter(Q(end__isnull=True) | Q(end__gte=meeting.date))
        .select_related("person", "agency", "person__agency")
        .order_by("agency__name", "person__name")
    )


def _attendance_key(person_id: int | None, agency_id: int | None) -> tuple[str, int | None]:
    return ("person", person_id) if person_id is not None else ("agency", agency_id)


@dataclass(frozen=True)
class AttendanceLine:
    membership: GroupMembership | None
    person: Person | None
    agency: Agency | None
    status: str
    deputy_name: str = ""


@transaction.atomic
def record_attendance(meeting: Meeting, lines: Iterable[AttendanceLine]) -> list[Attendance]:
    """Replace the meeting's attendance with `lines` and mark the meeting held."""
    lines = list(lines)
    for line in lines:
        if line.status not in AttendanceStatus.values:
            raise ServiceError(f"Unknown attendance status ‘{line.status}’")
        if line.status == AttendanceStatus.DEPUTY and not line.deputy_name.strip():
            who = line.person or line.agency
            raise ServiceError(f"Give the name of the deputy who came for {who}")
    if meeting.date > date.today():
        raise ServiceError("Attendance can be recorded once the meeting has taken place")
    existing = {
        _attendance_key(row.person_id, row.agency_id): row
        for row in Attendance.objects.filter(meeting=meeting)
    }
    rows = []
    seen = set()
    for line in lines:
        agency = line.agency or (line.person.agency if line.person else None)
        key = _attendance_key(
            line.person.pk if line.person else None, agency.pk if agency else None
        )
        if key in seen:
            raise ServiceError(f"{line.person or agency} is listed twice")
        seen.add(key)
        deputy = line.deputy_name.strip() if line.status == AttendanceStatus.DEPUTY else ""
        row = existing.get(key) or Attendance(
            partnership=meeting.partnership, meeting=meeting, person=line.person, agency=agency
        )
        if row.pk is None or (row.status, row.deputy_name) != (line.status, deputy):
            row.membership = line.membership
            row.status = line.status
            row.deputy_name = deputy
            row.save()
        rows.append(row)
    for key, row in existing.items():
        if key not in seen:
            row.delete()
    if meeting.status != "held":
        meeting.status = "held"
        meeting.save(update_fields=["status"])
    return rows
