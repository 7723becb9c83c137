"""Permission predicates for the partnership and its governance. Each takes the user and the
object (a partnership or one of its records) and asks `access.membership`."""

from __future__ import annotations

from typing import Any

import rules

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


@rules.predicate
def chairs_group(user: Any, obj: Any = None) -> bool:
    """The user chairs (or vice-chairs) the group the object belongs to."""
    member = member_of(user, obj)
    group = _group_of(obj)
    if member is None or group is None:
        return False
    return GroupMembership._base_manager.filter(
        group=group, person=member.person, role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR]
    ).exists()


@rules.predicate
def can_read_paper(user: Any, paper: Any = None) -> bool:
    member = member_of(user, paper)
    return member is not None and member.can_read(paper.sensitivity, paper.agency_id)


rules.add_perm("partnership.view", is_member)
rules.add_perm("partnership.manage", is_admin)
rules.add_perm("partnership.view_audit", is_admin)
rules.add_perm("partnership.record_attendance", is_admin | chairs_group)
rules.add_perm("partnership.manage_papers", is_admin | chairs_group)
rules.add_perm("partnership.view_paper", can_read_paper)
