"""Who may do what with the annual report."""

from __future__ import annotations

import rules

from safeboard.partnership.models import Role
from safeboard.partnership.rules import reads_partnership_records, role_predicate

is_writer = role_predicate(Role.BUSINESS_UNIT_ADMIN, Role.ANALYST)
is_reviewer = role_predicate(
    Role.BUSINESS_UNIT_ADMIN, Role.ANALYST, Role.CHAIR, Role.BOARD_MEMBER, Role.SCRUTINY
)

# The report carries the whole scorecard: read by those who may read scorecards (everyone but
# a member who is only an agency contributor, who sees their agency's returns and no more).
rules.add_perm("reports.view", reads_partnership_records)
rules.add_perm("reports.edit", is_writer)
rules.add_perm("reports.comment", is_reviewer)
rules.add_perm("reports.approve", role_predicate(Role.CHAIR))
rules.add_perm("reports.publish", role_predicate(Role.BUSINESS_UNIT_ADMIN))
