"""Permission predicates for the partnership and its governance. Each takes the user and the
object (a partnership or one of its records) and asks `access.membership`."""

from __future__ import annotations

from datetime import date
from typing import Any

import rules
from django.db.models import Q

from safeboard.core import tenancy

from .access import Membership, membership
from .models import Group, GroupMembership, MemberRole, Partnership, Role


def partnership_of(obj: Any) -> Partnership | None:
    if isinstance(obj, Partnership):
        return obj
    return getattr(obj, "partnership", None)


def member_of(user: Any, obj: Any) -> Membership | None:
    """The user's membership of the partnership the object is seen in (None if none).

    Inside a request that is the partnership in the URL: a joint group's records, owned by the
    host partnership, are reached through each sharing partnership's scope. Outside a scope it
    is the partnership that owns the object.
    """
    partnership = tenancy.current_partnership() or partnership_of(obj)
    return membership(user, partnership) if partnership is not None else None


def role_predicate(*roles: str) -> rules.Predicate:
    name = "has_role_" + "_or_".join(roles)

    @rules.predicate(name=name)
    def predicate(user: Any, obj: Any = None) -> bool:
        member = member_of(user, obj)
        return member is not None and member.has(*roles)

    return predicate


@rules.predicate
def is_member(user: Any, obj: Any = None) -> bool:
    return member_of(user, obj) is not None


@rules.predicate
def reads_partnership_records(user: Any, obj: Any = None) -> bool:
    """A member who reads the partnership's records (scorecards, the report): everyone but a
    member who is only an agency contributor."""
    member = member_of(user, obj)
    return member is not None and member.reads_partnership_records


is_admin = role_predicate(Role.BUSINESS_UNIT_ADMIN)
is_analyst = role_predicate(Role.ANALYST)
is_chair = role_predicate(Role.CHAIR)


def _group_of(obj: Any) -> Group | None:
    if isinstance(obj, Group):
        return obj
    group = getattr(obj, "group", None)
    if group is None and hasattr(obj, "meeting"):
        group = obj.meeting.group
    return group


def _current_chair_seats() -> Any:
    """Seats as chair or vice-chair that hold today (not ended, not yet to come)."""
    today = date.today()
    return (
        GroupMembership._base_manager.filter(role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR])
        .filter(Q(start__isnull=True) | Q(start__lte=today))
        .filter(Q(end__isnull=True) | Q(end__gte=today))
    )


def chair_seats(person: Any) -> Any:
    """The person's seats as chair or vice-chair today."""
    return _current_chair_seats().filter(person=person)


def current_chairs(group_id: int) -> Any:
    """The group's chair and vice-chair seats today."""
    return _current_chair_seats().filter(group_id=group_id, person__isnull=False)


@rules.predicate
def chairs_group(user: Any, obj: Any = None) -> bool:
    """The user chairs (or vice-chairs) the group the object belongs to, today. The seat is
    the grant: a board member seated as a group's chair records its attendance and papers."""
    member = member_of(user, obj)
    group = _group_of(obj)
    if member is None or group is None:
        return False
    return bool(chair_seats(member.person).filter(group=group).exists())


@rules.predicate
def held_here(user: Any, obj: Any = None) -> bool:
    """The record belongs to the partnership it is seen in. A joint group's records are seen by
    every partnership that shares the group, and changed only by its host."""
    scope = tenancy.current_partnership()
    if scope is None or obj is None:
        return True
    owner_id = obj.pk if isinstance(obj, Partnership) else getattr(obj, "partnership_id", None)
    return owner_id is None or owner_id == scope.pk


@rules.predicate
def can_read_paper(user: Any, paper: Any = None) -> bool:
    member = member_of(user, paper)
    return member is not None and member.can_read_record(paper)


rules.add_perm("partnership.view", is_member)
rules.add_perm("partnership.manage", is_admin)
# Change a group, its terms of reference, members or meetings (not a joint group's, elsewhere).
rules.add_perm("partnership.change_record", is_admin & held_here)
rules.add_perm("partnership.view_audit", is_admin)
rules.add_perm("partnership.record_attendance", (is_admin | chairs_group) & held_here)
rules.add_perm("partnership.manage_papers", (is_admin | chairs_group) & held_here)
rules.add_perm("partnership.view_paper", can_read_paper)
