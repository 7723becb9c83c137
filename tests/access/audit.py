"""Access expectations for the audit trail and the access log (see tests/access/__init__.py):
the business unit's administrators only."""

from __future__ import annotations

from . import Check, only

P = {"partnership": "northdale"}
ADMIN = only("admin")

CHECKS = {
    "audit:trail": Check(ADMIN, P),
    "audit:trail-export": Check(ADMIN, P),
    "audit:access": Check(ADMIN, P),
    "audit:access-export": Check(ADMIN, P),
    # A search of record titles: restricted records of registers the admin may not open are
    # left out, the others listed (and logged).
    "audit:trail#search": Check(ADMIN, P, query="text=paper"),
}
