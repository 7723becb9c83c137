"""The roles a person may hold in a partnership. Kept apart from the models so that module
configurations (which name the roles that open their registers) can import them at start-up.

A new role is added here, with a migration, only when a module needs one."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """What a person may do in a partnership. Agency roles name the agency they act for."""

    BUSINESS_UNIT_ADMIN = "business_unit_admin", "Business unit administrator"
    ANALYST = "analyst", "Analyst"
    CHAIR = "chair", "Partnership chair"
    BOARD_MEMBER = "board_member", "Board member"
    AGENCY_CONTRIBUTOR = "agency_contributor", "Agency contributor"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    SCRUTINY = "scrutiny", "Read-only scrutiny"
    LADO = "lado", "LADO (allegations register)"
    CDOP_COORDINATOR = "cdop_coordinator", "CDOP coordinator (child deaths register)"
    CASE_REVIEW_OFFICER = "case_review_officer", "Case review officer (case reviews register)"
    PRIVATE_FOSTERING_OFFICER = (
        "private_fostering_officer",
        "Private fostering officer (private fostering register)",
    )


AGENCY_ROLES = frozenset({Role.AGENCY_CONTRIBUTOR, Role.AGENCY_LEAD})

# Roles that exist to keep a restricted register. Their holders sign in with two factors
# whether or not the register's module is installed yet; which register each role opens is
# declared by the register (`core.modules.Register.roles`), never here.
REGISTER_KEEPERS = frozenset(
    {
        Role.LADO,
        Role.CDOP_COORDINATOR,
        Role.CASE_REVIEW_OFFICER,
        Role.PRIVATE_FOSTERING_OFFICER,
    }
)
