"""Access expectations for the child death register (see tests/access/__init__.py).

Only the CDOP coordinator opens it. Every other member of the partnership (the business unit,
the analyst, the LADO and the case review officer included) is refused its lists (403) and
gets "page not found" for any of its records; the outsider gets 404 everywhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import Check, only

P = {"partnership": "northdale"}
LISTS = only("cdop")
RECORDS = only("cdop", other=404)


def _cd(ctx: Any) -> dict[str, Any]:
    return ctx.extra["child_deaths"]


def _completed(ctx: Any) -> dict:
    return {**P, "pk": _cd(ctx)["completed"].pk}


def _open(ctx: Any) -> dict:
    return {**P, "pk": _cd(ctx)["open"].pk}


def _form(ctx: Any) -> dict:
    return {**P, "pk": _cd(ctx)["form"].pk}


def prepare(ctx: Any) -> None:
    """A completed review not yet released, with a factor and a recommendation, and a form
    still outstanding (to change, remove and withdraw)."""
    from safeboard.child_deaths import services
    from safeboard.core import tenancy
    from safeboard.partnership.models import Area

    with tenancy.unscoped():
        area = Area.objects.filter(partnership=ctx.partnership).first()
    died = ctx.today - timedelta(days=300)
    with tenancy.partnership_scope(ctx.partnership):
        death = services.notify(
            partnership=ctx.partnership,
            panel=ctx.groups["cdop"],
            home_area=area,
            date_of_birth=died - timedelta(days=200),
            date_of_death=died,
            sex="male",
        )
        (form,) = services.request_forms(
            death, agencies=[ctx.agencies["EY"]], requested_on=died + timedelta(days=5)
        )
        review = services.record_review(
            death,
            panel_date=ctx.today - timedelta(days=2),
            completed_on=ctx.today - timedelta(days=2),
            category=9,
            modifiable=False,
        )
        factor = services.add_factor(review, domain="child", description="Walk", grade=1)
        recommendation = services.add_recommendation(
            review,
            partnership=ctx.partnership,
            text="Walk",
            owner=ctx.agencies["EY"],
            due=ctx.today + timedelta(days=90),
        )
    _cd(ctx).update(factor=factor, recommendation=recommendation, withdraw=form)


def _pk(key: str) -> Any:
    return lambda ctx: {**P, "pk": _cd(ctx)[key].pk}


CHECKS = {
    "child_deaths:index": Check(LISTS, P),
    "child_deaths:index#all": Check(LISTS, P, query="status=all"),
    "child_deaths:death-new": Check(LISTS, P),
    "child_deaths:agency-forms": Check(LISTS, P),
    "child_deaths:tables": Check(LISTS, P, query="year=2025-26&scope=panel"),
    "child_deaths:table-csv": Check(LISTS, {**P, "table": "category"}),
    "child_deaths:death": Check(RECORDS, _completed),
    "child_deaths:death#open": Check(RECORDS, _open),
    "child_deaths:death-edit": Check(RECORDS, _open),
    "child_deaths:forms-request": Check(RECORDS, _open),
    "child_deaths:meeting-new": Check(RECORDS, _open),
    "child_deaths:review": Check(RECORDS, _completed),
    "child_deaths:factor-new": Check(RECORDS, _completed),
    "child_deaths:recommendation-new": Check(RECORDS, _completed),
    "child_deaths:review-release": Check(RECORDS, _completed),
    "child_deaths:ncmd-export": Check(RECORDS, _completed),
    "child_deaths:form-receive": Check(RECORDS, _form),
    "child_deaths:factor-edit": Check(RECORDS, _pk("factor")),
    "child_deaths:factor-remove": Check(RECORDS, _pk("factor")),
    "child_deaths:recommendation-edit": Check(RECORDS, _pk("recommendation")),
    "child_deaths:recommendation-remove": Check(RECORDS, _pk("recommendation")),
    "child_deaths:form-withdraw": Check(RECORDS, _pk("withdraw")),
}


API = "/api/v1/partnerships/{partnership}/child-deaths"
API_LISTS = only("cdop", anonymous=401)
API_RECORDS = only("cdop", other=404, anonymous=401)


def _api(key: str, name: str) -> Any:
    return lambda ctx: {name: _cd(ctx)[key].pk}


def _new_death(ctx: Any) -> dict:
    from safeboard.core import tenancy
    from safeboard.partnership.models import Area

    with tenancy.unscoped():
        area = Area.objects.filter(partnership=ctx.partnership).first()
    died = ctx.today - timedelta(days=3)
    return {
        "panel_id": ctx.groups["cdop"].pk,
        "home_area_id": area.pk,
        "first_name": "Walk",
        "date_of_birth": (died - timedelta(days=100)).isoformat(),
        "date_of_death": died.isoformat(),
        "sex": "female",
    }


def _agencies(ctx: Any) -> dict:
    return {"agency_ids": [ctx.agencies["EY"].pk], "requested_on": ctx.today.isoformat()}


API_CHECKS = {
    f"GET {API}/deaths": Check(API_LISTS),
    f"POST {API}/deaths": Check(only("cdop", ok=201, anonymous=401), data=_new_death),
    f"GET {API}/deaths/{{death_id}}": Check(API_RECORDS, _api("completed", "death_id")),
    f"POST {API}/deaths/{{death_id}}/forms": Check(
        only("cdop", ok=201, other=404, anonymous=401),
        _api("open", "death_id"),
        data=_agencies,
    ),
    f"POST {API}/forms/{{form_id}}/receipt": Check(
        API_RECORDS,
        _api("form", "form_id"),
        data=lambda c: {"received_on": c.today.isoformat(), "complete": True},
    ),
    f"PUT {API}/deaths/{{death_id}}/review": Check(
        API_RECORDS, _api("open", "death_id"), data={"learning": "Walk"}
    ),
    f"GET {API}/deaths/{{death_id}}/ncmd": Check(API_RECORDS, _api("completed", "death_id")),
    f"PATCH {API}/deaths/{{death_id}}": Check(
        API_RECORDS, _api("open", "death_id"), data={"notifier": "Walk"}
    ),
    f"POST {API}/deaths/{{death_id}}/meetings": Check(
        only("cdop", ok=201, other=404, anonymous=401),
        _api("open", "death_id"),
        data=lambda c: {"kind": "cdrm", "held_on": c.today.isoformat()},
    ),
    f"POST {API}/deaths/{{death_id}}/review/release": Check(
        API_RECORDS,
        _api("completed", "death_id"),
        data=lambda c: {"released_on": c.today.isoformat()},
    ),
    f"POST {API}/deaths/{{death_id}}/review/factors": Check(
        only("cdop", ok=201, other=404, anonymous=401),
        _api("completed", "death_id"),
        data={"domain": "child", "description": "Walk", "grade": 0},
    ),
    f"PUT {API}/factors/{{factor_id}}": Check(
        API_RECORDS,
        _api("factor", "factor_id"),
        data={"domain": "service", "description": "Walk", "grade": 2},
    ),
    f"DELETE {API}/factors/{{factor_id}}": Check(
        only("cdop", ok=204, other=404, anonymous=401), _api("factor", "factor_id")
    ),
    f"POST {API}/deaths/{{death_id}}/review/recommendations": Check(
        only("cdop", ok=201, other=404, anonymous=401),
        _api("completed", "death_id"),
        data=lambda c: {"text": "Walk", "due": (c.today + timedelta(days=60)).isoformat()},
    ),
    f"PUT {API}/recommendations/{{recommendation_id}}": Check(
        API_RECORDS,
        _api("recommendation", "recommendation_id"),
        data=lambda c: {"text": "Walk on", "due": (c.today + timedelta(days=60)).isoformat()},
    ),
    f"DELETE {API}/recommendations/{{recommendation_id}}": Check(
        only("cdop", ok=204, other=404, anonymous=401),
        _api("recommendation", "recommendation_id"),
    ),
    f"DELETE {API}/forms/{{form_id}}": Check(
        only("cdop", ok=204, other=404, anonymous=401), _api("withdraw", "form_id")
    ),
    f"GET {API}/agency-forms": Check(API_LISTS),
    f"GET {API}/tables": Check(API_LISTS, query="year=2025-26&panel=true"),
}
