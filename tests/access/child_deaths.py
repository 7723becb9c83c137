"""Access expectations for the child death register (see tests/access/__init__.py).

Only the CDOP coordinator opens it. Every other member of the partnership (the business unit,
the analyst, the LADO and the case review officer included) is refused its lists (403) and
gets "page not found" for any of its records; the outsider gets 404 everywhere."""

from __future__ import annotations

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
}
