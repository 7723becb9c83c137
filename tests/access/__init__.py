"""Expected answers of every URL and API endpoint, for every demo role, an outsider and an
anonymous visitor. `tests/test_access_walk.py` walks them all and fails when a URL or
endpoint has no expectation here.

Each module of Safeboard has its own file in this package, named by the module's label,
defining `CHECKS` (web URLs, by URL name) and `API_CHECKS` (API operations, by
"METHOD /path"), and, when its checks need records the demo does not have, `prepare(ctx)`,
which makes them (in the module's own test transaction, rolled back after it). Statuses: a
number, or LOGIN for a redirect to the sign-in page.

The roles are the demo's sign-ins (`core.demo.sign_ins`, each module adds its own), less the
outsider: the administrator of the second partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safeboard.core.demo import sign_ins

OUTSIDER = "southmoor"  # administrator of another partnership
ROLES = [username for username, _ in sign_ins() if username != OUTSIDER]
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


def past_meeting(ctx: Any) -> Any:
    """The demo board's latest meeting held before yesterday (several modules' checks use
    it)."""
    if "past_meeting" not in ctx.extra:
        from datetime import timedelta

        from safeboard.core import tenancy
        from safeboard.partnership.models import Meeting, MeetingStatus

        with tenancy.partnership_scope(ctx.partnership):
            ctx.extra["past_meeting"] = (
                Meeting.objects.filter(
                    group=ctx.groups["board"],
                    status=MeetingStatus.HELD,
                    date__lt=ctx.today - timedelta(days=1),
                )
                .order_by("-date")
                .first()
            )
    return ctx.extra["past_meeting"]
