"""Who may do what with the dataset.

- The business unit administrator and the analyst manage indicators, targets, rounds,
  imports and RAG overrides, and see every agency's return.
- Agency contributors enter their own agency's figures in open rounds; agency leads sign
  their agency's return off (the business unit signs off in place of a lead for an agency
  that has none, recorded as such). Both may correct their agency's released figures, with a reason.
- Everyone else in the partnership (board members, the chair, scrutiny, other roles) reads
  scorecards. A member who is only an agency contributor sees their returns and nothing
  else, as the domain brief asks.
"""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.access import Membership
from safeboard.partnership.models import Role
from safeboard.partnership.rules import member_of, reads_partnership_records

MANAGERS = (Role.BUSINESS_UNIT_ADMIN, Role.ANALYST)
RETURN_ROLES = (*MANAGERS, Role.AGENCY_CONTRIBUTOR, Role.AGENCY_LEAD)


def member_manages(member: Membership) -> bool:
    return member.has(*MANAGERS)


def member_works_on_returns(member: Membership) -> bool:
    return member.has(*RETURN_ROLES)


@rules.predicate
def manages_dataset(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member_manages(member)


@rules.predicate
def works_on_returns(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member_works_on_returns(member)


def _agency_people(user: Any, obj: Any, *roles: str) -> bool:
    member = member_of(user, obj)
    agency_id = getattr(obj, "agency_id", None)
    if member is None or agency_id is None:
        return False
    return any(agency_id in member.agencies_for(role) for role in roles)


@rules.predicate
def enters_for_agency(user: Any, obj: Any = None) -> bool:
    """A contributor or lead of the agency whose return (or value) `obj` is."""
    return _agency_people(user, obj, Role.AGENCY_CONTRIBUTOR, Role.AGENCY_LEAD)


@rules.predicate
def leads_agency(user: Any, obj: Any = None) -> bool:
    return _agency_people(user, obj, Role.AGENCY_LEAD)


@rules.predicate
def signs_off_in_place_of_lead(user: Any, obj: Any = None) -> bool:
    """The business unit signs off the return of an agency that has no agency lead, so that
    no return is stranded waiting for a sign-off nobody can give."""
    from .selectors import agencies_without_lead

    member = member_of(user, obj)
    agency_id = getattr(obj, "agency_id", None)
    return (
        member is not None
        and agency_id is not None
        and member.has(Role.BUSINESS_UNIT_ADMIN)
        and bool(agencies_without_lead([agency_id]))
    )


rules.add_perm("performance.view", reads_partnership_records)
rules.add_perm("performance.manage", manages_dataset)
rules.add_perm("performance.view_rounds", works_on_returns)
rules.add_perm("performance.enter_return", manages_dataset | enters_for_agency)
rules.add_perm("performance.sign_off", leads_agency | signs_off_in_place_of_lead)
rules.add_perm("performance.correct_value", manages_dataset | enters_for_agency)
