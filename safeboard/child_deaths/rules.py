"""Permission predicates of the child death register: only the roles the register names (the
CDOP coordinator) open it, and they record its work. Everyone else, the business unit, a LADO
and an analyst included, opens nothing here."""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.rules import member_of

from .apps import REGISTER


@rules.predicate
def opens_register(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member.may_open(REGISTER)


rules.add_perm("child_deaths.view", opens_register)
rules.add_perm("child_deaths.manage", opens_register)
