"""Access expectations for the private fostering register (see tests/access/__init__.py).

Only the private fostering officer opens arrangements and visits, records them and imports;
every other member is refused (403, the same for every id) and an outsider gets 404. Every
member sees the annual figures (with disclosure control outside the service)."""

from __future__ import annotations

from typing import Any

from . import Check, expect, only

P = {"partnership": "northdale"}
OFFICER = only("fostering")
MEMBERS = expect(200)


def _arrangement(ctx: Any) -> dict:
    return {**P, "pk": ctx.extra["private_fostering"]["arrangements"][-1].pk}


CHECKS = {
    "private_fostering:index": Check(OFFICER, P),
    "private_fostering:index#all": Check(OFFICER, P, query="show=all"),
    "private_fostering:overdue": Check(OFFICER, P),
    "private_fostering:detail": Check(OFFICER, _arrangement),
    "private_fostering:create": Check(OFFICER, P),
    "private_fostering:edit": Check(OFFICER, _arrangement),
    "private_fostering:visit": Check(only("fostering", ok=302), _arrangement),
    "private_fostering:export": Check(OFFICER, P),
    "private_fostering:import": Check(OFFICER, P),
    "private_fostering:figures": Check(MEMBERS, P),
    "private_fostering:figures-download": Check(MEMBERS, P, query="file=years.csv"),
    "private_fostering:activity-create": Check(OFFICER, P),
}

API = "/api/v1/partnerships/{partnership}/private-fostering"
API_OFFICER = only("fostering", anonymous=401)


def _arrangement_id(ctx: Any) -> dict:
    return {"arrangement_id": ctx.extra["private_fostering"]["arrangements"][-1].pk}


API_CHECKS = {
    f"GET {API}": Check(API_OFFICER),
    f"POST {API}": Check(
        only("fostering", ok=201, anonymous=401),
        data=lambda c: {
            "reference": f"WALK-{c.counter('pf')}",
            "notified": c.today.isoformat(),
            "source": "school",
        },
    ),
    f"GET {API}/overdue": Check(API_OFFICER),
    f"GET {API}/awareness": Check(expect(200, anonymous=401), query="year=2024-25"),
    f"POST {API}/awareness": Check(
        only("fostering", ok=201, anonymous=401),
        data=lambda c: {
            "held_on": c.today.isoformat(),
            "kind": "briefing",
            "title": f"Walk briefing {c.counter('pf-awareness')}",
        },
    ),
    f"POST {API}/import": Check(
        API_OFFICER,
        data={
            "dry_run": True,
            "csv": "reference,notified,source\nWALK-PF-IMPORT,2024-05-01,school\n",
        },
    ),
    f"POST {API}/{{arrangement_id}}/end": Check(
        only("fostering", other=404, anonymous=401),
        _arrangement_id,
        data=lambda c: {"ended": c.today.isoformat(), "reason": "returned_home"},
    ),
    f"GET {API}/figures": Check(expect(200, anonymous=401), query="year=2024-25"),
    # One record: 404 for anyone the register does not name (its existence not confirmed).
    f"GET {API}/{{arrangement_id}}": Check(
        only("fostering", other=404, anonymous=401), _arrangement_id
    ),
    f"POST {API}/{{arrangement_id}}/visits": Check(
        only("fostering", ok=201, other=404, anonymous=401),
        _arrangement_id,
        data=lambda c: {"visited": c.today.isoformat(), "seen_alone": True},
    ),
}
