"""Access expectations for the LADO register (see tests/access/__init__.py).

Only the LADO opens contacts, audit samples and imports: every other member is refused (403,
the same for every id, so no record's existence is confirmed) and an outsider gets 404. The
LADO and the business unit keep the lists of terms. Every member sees the aggregate tables
(with disclosure control unless they are the LADO)."""

from __future__ import annotations

from typing import Any

from . import Check, expect, only

P = {"partnership": "northdale"}
LADO = only("lado")
TERMS = only("lado", "admin")
MEMBERS = expect(200)


def _demo(ctx: Any) -> dict[str, Any]:
    return ctx.extra["allegations"]


def _contact(ctx: Any) -> dict:
    return {**P, "pk": _demo(ctx)["contacts"][0].pk}


def _sample(ctx: Any) -> dict:
    return {**P, "pk": _demo(ctx)["sample"].pk}


def _item(ctx: Any) -> dict:
    from safeboard.core import tenancy

    with tenancy.partnership_scope(ctx.partnership):
        return {**P, "pk": _demo(ctx)["sample"].items.first().pk}


def _term(ctx: Any) -> dict:
    from safeboard.allegations.models import Term
    from safeboard.core import tenancy

    with tenancy.partnership_scope(ctx.partnership):
        return {**P, "pk": Term.objects.first().pk}


CHECKS = {
    "allegations:index": Check(LADO, P),
    "allegations:index#flagged": Check(LADO, P, query="flagged=1&open=1&kind=allegation"),
    "allegations:detail": Check(LADO, _contact),
    "allegations:create": Check(LADO, P),
    "allegations:edit": Check(LADO, _contact),
    "allegations:export": Check(LADO, P),
    "allegations:import": Check(LADO, P),
    "allegations:tables": Check(MEMBERS, P),
    "allegations:tables-download": Check(MEMBERS, P),
    "allegations:tables-download#file": Check(MEMBERS, P, query="file=outcomes.csv"),
    "allegations:terms": Check(TERMS, P),
    "allegations:term": Check(TERMS, _term),
    "allegations:samples": Check(LADO, P),
    "allegations:sample": Check(LADO, _sample),
    "allegations:finding": Check(only("lado", ok=302), _item),
}

API = "/api/v1/partnerships/{partnership}/allegations"
API_LADO = only("lado", anonymous=401)
API_MEMBERS = expect(200, anonymous=401)


def _contact_id(ctx: Any) -> dict:
    return {"contact_id": _demo(ctx)["contacts"][0].pk}


def _new_contact(ctx: Any) -> dict:
    return {
        "reference": f"WALK-{ctx.counter('allegation')}",
        "kind": "consultation",
        "received": ctx.today.isoformat(),
        "referrer": "Police",
        "advice": "Walk",
    }


API_CHECKS = {
    f"GET {API}": Check(API_LADO),
    # One record: 404 for anyone the register does not name (its existence not confirmed).
    f"GET {API}/{{contact_id}}": Check(only("lado", other=404, anonymous=401), _contact_id),
    f"POST {API}": Check(only("lado", ok=201, anonymous=401), data=_new_contact),
    f"POST {API}/import": Check(
        API_LADO,
        data={
            "dry_run": True,
            "csv": "reference,kind,received\nWALK-IMPORT,consultation,2024-05-01\n",
        },
    ),
    f"GET {API}/tables": Check(API_MEMBERS, query="year=2024-25"),
    f"GET {API}/terms": Check(API_MEMBERS, query="list=category"),
    f"POST {API}/terms/import": Check(
        only("lado", "admin", anonymous=401),
        data=lambda c: {"csv": f"list,term\nreferrer,Walk referrer {c.counter('term')}\n"},
    ),
    # Another partnership's term is 404 (it is looked up in the caller's partnership first).
    f"PATCH {API}/terms/{{term_id}}": Check(
        only("lado", "admin", anonymous=401),
        lambda c: {"term_id": _term(c)["pk"]},
        data={"move": "down"},
    ),
    f"POST {API}/terms": Check(
        only("lado", "admin", ok=201, anonymous=401),
        data=lambda c: {"list": "employer", "name": f"Walk employer {c.counter('term')}"},
    ),
}
