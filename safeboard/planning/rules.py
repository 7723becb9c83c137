"""Permission predicates for planning. Every member reads the plan, the tracker, the risks and
the challenge log (they are partnership-tier records). Writes:

- the business unit (administrator) manages everything;
- an action's owners update its progress and report its completion: the owning person, the
  contributors and leads of the owning agency (or of the owning person's agency), and the
  chair of the group that owns or oversees it;
- the chair of the action's group, or the business unit, confirms completion and records impact;
- the chair of a meeting's group, or the business unit, adds actions from that meeting;
- the challenged agency's safeguarding lead, or the business unit, records its response.

A board member or scrutineer with no other role matches none of these unless the business unit
names them: as an action's owning person, or as a group's chair (a seat that holds today). The
demo's read-only board member holds neither, and changes nothing.
"""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.models import AGENCY_ROLES, Role
from safeboard.partnership.rules import (
    chair_seats,
    chairs_group,
    held_here,
    is_admin,
    is_member,
    member_of,
)


def chaired_group_ids(person: Any) -> set[int]:
    """Groups the person chairs or vice-chairs today."""
    return set(chair_seats(person).values_list("group_id", flat=True))


def action_group_ids(action: Any) -> set[int]:
    """The groups whose chair answers for an action: the group overseeing it and the group
    that owns it."""
    return {gid for gid in (action.group_id, action.owner_group_id) if gid is not None}


@rules.predicate
def owns_action(user: Any, action: Any = None) -> bool:
    """The user is the action's owning person, or acts for the agency answerable for it."""
    member = member_of(user, action)
    if member is None or action is None:
        return False
    if action.owner_person_id is not None and action.owner_person_id == member.person.pk:
        return True
    agency_id = action.responsible_agency_id
    if agency_id is None:
        return False
    return any(agency_id in member.agencies_for(role) for role in AGENCY_ROLES)


@rules.predicate
def chairs_action_group(user: Any, action: Any = None) -> bool:
    member = member_of(user, action)
    if member is None or action is None:
        return False
    return bool(action_group_ids(action) & chaired_group_ids(member.person))


@rules.predicate
def leads_challenged_agency(user: Any, challenge: Any = None) -> bool:
    member = member_of(user, challenge)
    if member is None or challenge is None:
        return False
    return challenge.agency_id in member.agencies_for(Role.AGENCY_LEAD)


rules.add_perm("planning.view", is_member)
rules.add_perm("planning.manage", is_admin)
rules.add_perm("planning.update_action", is_admin | owns_action | chairs_action_group)
rules.add_perm("planning.confirm_action", is_admin | chairs_action_group)
rules.add_perm("planning.add_meeting_action", (is_admin | chairs_group) & held_here)
rules.add_perm("planning.respond_challenge", is_admin | leads_challenged_agency)
