"""Permission predicates for the LADO register. Only the roles the register `allegations`
names (the LADO) open its records, change them, import and audit them; the LADO and the
business unit keep the partnership's lists of terms; every member sees the aggregate tables
(with disclosure control unless they open the register)."""

from __future__ import annotations

from typing import Any

import rules

from safeboard.partnership.rules import is_admin, is_member, member_of

from .models import REGISTER


@rules.predicate
def opens_register(user: Any, obj: Any = None) -> bool:
    member = member_of(user, obj)
    return member is not None and member.may_open(REGISTER)


rules.add_perm("allegations.view", opens_register)
rules.add_perm("allegations.manage", opens_register)
rules.add_perm("allegations.manage_terms", opens_register | is_admin)
rules.add_perm("allegations.view_tables", is_member)
