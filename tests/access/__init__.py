"""Expected answers of every URL and API endpoint, for every demo role, an outsider and an
anonymous visitor. `tests/test_access_walk.py` walks them all and fails when a URL or
endpoint has no expectation here.

Each module of Safeboard has its own file in this package defining `CHECKS` (web URLs, by URL
name) and `API_CHECKS` (API operations, by "METHOD /path"). Statuses: a number, or LOGIN for
a redirect to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ["admin", "analyst", "chair", "police", "health", "healthlead", "viewer", "lado"]
EVERYONE = [*ROLES, "outsider", "anonymous"]
LOGIN = "login"


def expect(default: Any, outsider: Any = 404, anonymous: Any = LOGIN, **by_role: Any) -> dict:
    """Status per visitor: `default` for every role unless named in `by_role`."""
    table = {role: by_role.get(role, default) for role in ROLES}
    table["outsider"] = outsider
    table["anonymous"] = anonymous
    return table


def only(
    *roles: str, ok: Any = 200, other: Any = 403, outsider: Any = 404, anonymous: Any = LOGIN
) -> dict:
    """`ok` for the named roles, `other` for the rest of the partnership."""
    return expect(other, outsider=outsider, anonymous=anonymous, **dict.fromkeys(roles, ok))


@dataclass
class Check:
    expected: dict
    kwargs: Callable[[Any], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[Any], Any] | dict | None = None
    query: str = ""
