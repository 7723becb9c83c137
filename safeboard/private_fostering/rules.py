"""Permission predicates for private fostering: only the roles the register names (the
private fostering officer) open arrangements and visits and record them; every member sees
the annual figures and the awareness activity (with disclosure control outside the service)."""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.rules import is_member, member_of

from .models import REGISTER


@rules.predicate
def opens_register(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member.may_open(REGISTER)


rules.add_perm("private_fostering.view", opens_register)
rules.add_perm("private_fostering.manage", opens_register)
rules.add_perm("private_fostering.view_figures", is_member)
