"""Walk every URL and every API endpoint as every demo role, an outsider and an anonymous
visitor, and check each answer against `tests/access/`. A URL or endpoint with no
expectation fails the test, so nothing new can be left out."""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeboard.api import api
from safeboard.core import demo, tenancy
from safeboard.partnership import services
from safeboard.partnership.models import Area, Meeting, MeetingStatus, Paper

from . import access
from .access import EVERYONE, LOGIN, Check
from .conftest import consume, sign_in

SKIPPED_NAMESPACES = {"admin", "api"}  # Django admin is tested apart; the API by its schema


def _collect() -> tuple[dict[str, Check], dict[str, Check]]:
    web: dict[str, Check] = {}
    endpoints: dict[str, Check] = {}
    for info in pkgutil.iter_modules(access.__path__):
        module = importlib.import_module(f"{access.__name__}.{info.name}")
        for source, target in (
            (getattr(module, "CHECKS", {}), web),
            (getattr(module, "API_CHECKS", {}), endpoints),
        ):
            duplicated = set(source) & set(target)
            assert not duplicated, f"expectations given twice: {duplicated}"
            target.update(source)
    return web, endpoints


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


class WalkContext:
    """The demo context, with a counter for unique names in repeated writes."""

    def __init__(self, ctx: demo.DemoContext) -> None:
        self._ctx = ctx
        self._count = itertools.count(1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def counter(self) -> int:
        return next(self._count)


def _prepare(ctx: demo.DemoContext) -> None:
    p = ctx.partnership
    with tenancy.partnership_scope(p):
        board = ctx.groups["board"]
        past = (
            Meeting.objects.filter(
                group=board, status=MeetingStatus.HELD, date__lt=ctx.today - timedelta(days=1)
            )
            .order_by("-date")
            .first()
        )
        ctx.extra["past_meeting"] = past
        ctx.extra["area"] = Area.objects.get()
        papers = {}
        for tier, agency in (
            ("partnership", None),
            ("agency", ctx.agencies["NHFT"]),
            ("restricted", None),
        ):
            paper = Paper(
                partnership=p,
                meeting=past,
                title=f"A {tier} paper",
                sensitivity=tier,
                agency=agency,
            )
            paper.file.save(f"{tier}.txt", ContentFile(b"paper"), save=False)
            papers[tier] = services.save(paper, p)
        ctx.extra["papers"] = papers
        _prepare_reports(ctx, p)


def _prepare_reports(ctx: demo.DemoContext, p: Any) -> None:
    """A comment and a finished build on the demo report, and an older published report."""
    from safeboard.reports import services as report_services
    from safeboard.reports.models import ReportBuild, ReportVersion, ReviewComment

    report = ctx.extra["report"]
    ctx.extra["report_comment"] = ReviewComment.objects.create(
        partnership=p, report=report, author=ctx.users["chair"], text="Add the budget."
    )
    build = ReportBuild(
        partnership=p, report=report, edition="public", format="html", status="done", progress=100
    )
    build.file.save("report.html", ContentFile(b"<html></html>"), save=False)
    build.save()
    ctx.extra["report_build"] = build
    older = report_services.create_report(partnership=p, year=report.year - 1)
    doc = report_services.document(older).to_json()
    ReportVersion.objects.create(
        partnership=p, report=older, number=1, board_document=doc, public_document=doc
    )
    ctx.extra["published_report"] = older


def _status(response: Any) -> Any:
    if response.status_code == 302 and "/accounts/sign-in/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.django_db
def test_every_url_and_endpoint_answers_as_expected(settings: Any) -> None:
    web, endpoints = _collect()
    names = _url_names(get_resolver().url_patterns)
    checked = {name.split("#")[0] for name in web}
    assert not names - checked, f"URLs with no expectation in tests/access: {names - checked}"
    assert not checked - names, f"expectations for URLs that do not exist: {checked - names}"
    operations = _operations()
    assert not operations - set(endpoints), (
        f"API endpoints with no expectation: {operations - set(endpoints)}"
    )
    assert not set(endpoints) - operations, (
        f"expectations for endpoints that do not exist: {set(endpoints) - operations}"
    )

    ctx = WalkContext(demo.load())
    _prepare(ctx._ctx)
    clients: dict[str, Client] = {}
    for visitor in EVERYONE:
        client = Client()
        if visitor != "anonymous":
            sign_in(client, ctx.users["southmoor" if visitor == "outsider" else visitor])
        clients[visitor] = client

    failures = []
    for name, check in web.items():
        for visitor in EVERYONE:
            kwargs = check.kwargs(ctx) if callable(check.kwargs) else check.kwargs
            url = reverse(name.split("#")[0], kwargs=kwargs)
            if check.query:
                url += "?" + check.query
            data = check.data(ctx) if callable(check.data) else check.data
            response = getattr(clients[visitor], check.method)(url, data or {})
            consume(response)
            got, want = _status(response), check.expected[visitor]
            if got != want:
                failures.append(
                    f"{check.method.upper()} {url} as {visitor}: {got}, expected {want}"
                )
    for operation, check in endpoints.items():
        method, template = operation.split(" ", 1)
        for visitor in EVERYONE:
            kwargs = check.kwargs(ctx) if callable(check.kwargs) else check.kwargs
            path = template.format(partnership="northdale", **kwargs)
            if check.query:
                path += "?" + check.query
            data = check.data(ctx) if callable(check.data) else check.data
            call = getattr(clients[visitor], method.lower())
            if data is None:
                response = call(path)
            else:
                response = call(path, json.dumps(data), content_type="application/json")
            got, want = response.status_code, check.expected[visitor]
            if got != want:
                failures.append(
                    f"{operation} ({path}) as {visitor}: {got}, expected {want}: "
                    f"{response.content[:200]!r}"
                )
    assert not failures, "\n".join(failures)
