"""Permission predicates for case reviews.

- every member sees published reviews, their lessons and recommendations, the themes and
  counts (`learning.view`);
- the case review officer (whose role opens the `case_reviews` register) opens case records,
  and records and changes everything about them (`learning.manage`);
- the partnership's vocabulary of learning themes is kept by the business unit or the case
  review officer (`learning.manage_themes`).
"""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.rules import is_admin, is_member, member_of

from .apps import CASE_REVIEWS


@rules.predicate
def opens_case_reviews(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member.may_open(CASE_REVIEWS)


rules.add_perm("learning.view", is_member)
rules.add_perm("learning.manage", opens_case_reviews)
rules.add_perm("learning.manage_themes", is_admin | opens_case_reviews)
