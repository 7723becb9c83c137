"""Access expectations for the performance module (see tests/access/__init__.py).

Who may do what: the business unit (admin) and the analyst manage the dataset; agency
contributors (police for NP, health for NHFT) see only their returns, not the scorecards;
the NHFT lead (healthlead) signs NHFT's return off and reads scorecards; the chair, the board
member (viewer) and the LADO read scorecards but have no returns. Another agency's return is
a 404 until it is signed off; another partnership's anything is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safeboard.core import tenancy
from safeboard.core.periods import last_complete_quarter
from safeboard.core.tables import TableRow
from safeboard.performance import selectors, services
from safeboard.performance.models import (
    AreaKind,
    CollectionRound,
    ComparatorArea,
    ComparatorPeriod,
    ComparatorValue,
    Indicator,
    Measure,
    ReturnStatus,
    Value,
)

from . import Check, expect, only

P = {"partnership": "northdale"}
# Everyone in the partnership but a member who is only an agency contributor.
READERS = expect(200, police=403, health=403)
MANAGERS = only("admin", "analyst")
MANAGERS_POST = only("admin", "analyst", ok=302)
# Those who work on returns: the business unit and agency people.
ROUNDS = only("admin", "analyst", "police", "health", "healthlead")


def _return_of(agency: str, *, ok: Any = 200, other_agency: Any = 404) -> dict:
    """A draft return: its agency's people and the business unit; another agency's people
    404; those with no returns 403."""
    people = {"NHFT": ("health", "healthlead"), "NP": ("police",)}[agency]
    others = {"police", "health", "healthlead"} - set(people)
    return expect(
        403,
        **dict.fromkeys(("admin", "analyst", *people), ok),
        **dict.fromkeys(others, other_agency),
    )


def _current(ctx: Any) -> CollectionRound:
    """The demo's current round (the last complete quarter's), open."""
    with tenancy.partnership_scope(ctx.partnership):
        return CollectionRound.objects.get(period=last_complete_quarter(ctx.today).label)


def _return_kwargs(short: str) -> Any:
    def kwargs(ctx: Any) -> dict:
        return {**P, "pk": _current(ctx).pk, "agency": ctx.agencies[short].pk}

    return kwargs


def _indicator(ctx: Any, code: str = "CS2.2") -> Indicator:
    with tenancy.partnership_scope(ctx.partnership):
        return Indicator.objects.get(code=code)


def _released_np_value(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        value = Value.objects.filter(
            indicator__owner=ctx.agencies["NP"], current=True, released=True
        ).first()
        assert value is not None
    return {**P, "pk": value.pk}


def _draft_nhft_value(ctx: Any) -> dict:
    with tenancy.partnership_scope(ctx.partnership):
        value = Value.objects.filter(
            agency_return__agency=ctx.agencies["NHFT"], current=True, released=False
        ).first()
        assert value is not None
    return {**P, "pk": value.pk}


def _month(ctx: Any) -> str:
    """A month long ago, different each time (from 2013: no month label looks like a year)."""
    n = ctx.counter()
    return f"{2013 + n // 12}-{n % 12 + 1:02d}"


def _fresh_month_round(ctx: Any) -> CollectionRound:
    """A new round for a month long ago (so each visitor locks their own)."""
    with tenancy.partnership_scope(ctx.partnership):
        return services.open_round(ctx.partnership, period=_month(ctx), due=date(2999, 1, 1))


def _fresh_nhft_return(ctx: Any) -> dict:
    """A new quarter's round in which NHFT has given every figure, ready for its lead."""
    # Quarters of the early 1900s: long before any demo round, within the years periods hold.
    n = ctx.counter("quarter")
    year = 1901 + n // 4
    quarter = f"{year}-{(year + 1) % 100:02d} Q{n % 4 + 1}"
    with tenancy.partnership_scope(ctx.partnership):
        collection = services.open_round(ctx.partnership, period=quarter, due=date(2999, 1, 1))
        agency_return = collection.returns.get(agency=ctx.agencies["NHFT"])
        rows = [
            TableRow(number, {"indicator": i.code, "period": p.label, "status": "tbc"})
            for number, (i, p) in enumerate(
                selectors.expected_items(collection, ctx.agencies["NHFT"]), start=1
            )
        ]
        services.enter_return_values(agency_return, rows)
    return {"round_id": collection.pk, "agency_id": ctx.agencies["NHFT"].pk}


def _measure(ctx: Any) -> dict:
    """A national measure with one period, made here so the walk needs no LAIT file."""
    measure, _ = Measure.objects.get_or_create(code="WALK_TEST", defaults={"name": "Walk"})
    area, _ = ComparatorArea.objects.get_or_create(
        la_number=359, defaults={"name": "Wigan", "kind": AreaKind.LA}
    )
    ComparatorValue.objects.get_or_create(
        measure=measure, area=area, period="2024-25", defaults={"period_end": date(2025, 3, 31)}
    )
    ComparatorPeriod.objects.get_or_create(
        measure=measure, period="2024-25", defaults={"period_end": date(2025, 3, 31)}
    )
    return {**P, "code": "WALK_TEST"}


def _measure_query_kwargs(ctx: Any) -> dict:
    _measure(ctx)
    return {}


def _signed_off_return(ctx: Any) -> dict:
    collection = _current(ctx)
    with tenancy.partnership_scope(ctx.partnership):
        signed = collection.returns.filter(status=ReturnStatus.SIGNED_OFF).first()
        assert signed is not None
    return {**P, "pk": collection.pk, "agency": signed.agency_id}


CHECKS = {
    "performance:index": Check(expect(302), P),
    "performance:scorecard": Check(READERS, P),
    "performance:scorecard#theme": Check(READERS, P, query="theme=child-protection"),
    "performance:scorecard-csv": Check(READERS, P, query="public=1"),
    "performance:scorecard-xlsx": Check(READERS, P),
    "performance:exceptions": Check(READERS, P),
    "performance:exceptions-csv": Check(READERS, P),
    "performance:exceptions-xlsx": Check(READERS, P),
    "performance:indicators": Check(READERS, P),
    "performance:indicator-new": Check(MANAGERS, P),
    "performance:indicators-import": Check(MANAGERS, P),
    "performance:indicator": Check(READERS, lambda c: {**P, "pk": _indicator(c).pk}),
    "performance:indicator-edit": Check(MANAGERS, lambda c: {**P, "pk": _indicator(c).pk}),
    "performance:indicator-definition": Check(MANAGERS, lambda c: {**P, "pk": _indicator(c).pk}),
    "performance:indicator-target": Check(MANAGERS, lambda c: {**P, "pk": _indicator(c).pk}),
    "performance:indicator-override": Check(
        MANAGERS, lambda c: {**P, "pk": _indicator(c).pk}, query="period=2025-26%20Q1"
    ),
    "performance:values-import": Check(MANAGERS, P),
    # A released police figure: the business unit and the police may correct it; a reader
    # may see it but not correct it.
    "performance:value-correct": Check(only("admin", "analyst", "police"), _released_np_value),
    # A figure still in NHFT's draft return is nobody's to correct: a 404 for everyone who
    # works on returns; those who do not are refused at the door (the page's permission).
    "performance:value-correct#draft": Check(
        only("admin", "analyst", "police", "health", "healthlead", ok=404), _draft_nhft_value
    ),
    "performance:comparators": Check(READERS, P),
    "performance:comparator": Check(READERS, _measure),
    "performance:rounds": Check(ROUNDS, P),
    "performance:round-new": Check(MANAGERS, P),
    "performance:round": Check(ROUNDS, lambda c: {**P, "pk": _current(c).pk}),
    "performance:round-lock": Check(
        MANAGERS_POST, lambda c: {**P, "pk": _fresh_month_round(c).pk}, method="post"
    ),
    "performance:round-remind": Check(
        MANAGERS_POST, lambda c: {**P, "pk": _current(c).pk}, method="post"
    ),
    # NHFT's return is ready for sign-off, not signed off: still NHFT's draft.
    "performance:return": Check(_return_of("NHFT"), _return_kwargs("NHFT")),
    "performance:return#np": Check(_return_of("NP"), _return_kwargs("NP")),
    # A signed-off return is the partnership's: any agency's people may read it.
    "performance:return#signed": Check(ROUNDS, _signed_off_return),
    "performance:return#save": Check(_return_of("NP", ok=302), _return_kwargs("NP"), method="post"),
    "performance:return-check": Check(
        _return_of("NP"), _return_kwargs("NP"), method="post", data={"row": "1"}
    ),
    "performance:return-template": Check(_return_of("NHFT"), _return_kwargs("NHFT")),
    # Without a file the upload form is refused (400) for those who may upload.
    "performance:return-upload": Check(
        _return_of("NP", ok=400), _return_kwargs("NP"), method="post"
    ),
    "performance:return-submit": Check(
        _return_of("NP", ok=302), _return_kwargs("NP"), method="post"
    ),
    # Only NHFT's lead signs NHFT off (here without confirming: a message, nothing changes).
    "performance:return-sign-off": Check(
        expect(403, healthlead=302, police=404), _return_kwargs("NHFT"), method="post"
    ),
}

API_READERS = expect(200, police=403, health=403, anonymous=401)
API_MANAGERS = only("admin", "analyst", anonymous=401)
API_ROUNDS = only("admin", "analyst", "police", "health", "healthlead", anonymous=401)
R = "/api/v1/partnerships/{partnership}"


def _api_return_of(agency: str) -> dict:
    table = _return_of(agency)
    table["anonymous"] = 401
    return table


def _api_return_kwargs(short: str) -> Any:
    def kwargs(ctx: Any) -> dict:
        return {"round_id": _current(ctx).pk, "agency_id": ctx.agencies[short].pk}

    return kwargs


API_CHECKS = {
    f"GET {R}/indicators": Check(API_READERS),
    f"POST {R}/indicators": Check(
        only("admin", "analyst", ok=201, anonymous=401),
        data=lambda c: {
            "code": f"API{c.counter()}",
            "title": "Made through the API",
            "unit": "percent",
            "polarity": "high",
            "target": "80",
        },
    ),
    f"GET {R}/indicators/{{indicator_id}}": Check(
        API_READERS, lambda c: {"indicator_id": _indicator(c).pk}
    ),
    f"POST {R}/indicators/{{indicator_id}}/targets": Check(
        API_MANAGERS,
        lambda c: {"indicator_id": _indicator(c, "CS2.4").pk},
        data={"applies_from": "2027-28", "target": "17", "tolerance": "10%"},
    ),
    f"GET {R}/indicators/{{indicator_id}}/values": Check(
        API_READERS, lambda c: {"indicator_id": _indicator(c).pk}
    ),
    f"GET {R}/scorecard": Check(API_READERS, query="period=2026-27%20Q1"),
    f"GET {R}/rounds": Check(API_ROUNDS),
    f"POST {R}/rounds": Check(
        only("admin", "analyst", ok=201, anonymous=401),
        data=lambda c: {"period": _month(c), "due": "2999-01-01"},
    ),
    f"GET {R}/rounds/{{round_id}}": Check(API_ROUNDS, lambda c: {"round_id": _current(c).pk}),
    f"POST {R}/rounds/{{round_id}}/lock": Check(
        API_MANAGERS, lambda c: {"round_id": _fresh_month_round(c).pk}
    ),
    f"GET {R}/rounds/{{round_id}}/returns/{{agency_id}}": Check(
        _api_return_of("NHFT"), _api_return_kwargs("NHFT")
    ),
    f"POST {R}/rounds/{{round_id}}/returns/{{agency_id}}/values": Check(
        _api_return_of("NP"), _api_return_kwargs("NP"), data={"values": []}
    ),
    # Each visitor gets a fresh NHFT return, complete and ready, so the lead's sign-off works.
    f"POST {R}/rounds/{{round_id}}/returns/{{agency_id}}/sign-off": Check(
        expect(403, healthlead=200, police=404, anonymous=401), _fresh_nhft_return
    ),
    f"GET {R}/comparators/ranking": Check(
        API_READERS, _measure_query_kwargs, query="measure=WALK_TEST"
    ),
}
