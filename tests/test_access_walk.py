"""Walk every URL and every API endpoint as every demo role, an outsider and an anonymous
visitor, and check each answer against `tests/access/`. A URL or endpoint with no
expectation fails, so nothing new can be left out.

There is one test per module's expectations (`tests/access/<module>.py`), so the walk runs in
parallel. The demo partnership is loaded once per test process, in a transaction that is
rolled back at the end; each module's test runs in its own transaction on top of it (its
`prepare(ctx)` and its writes are rolled back after it), so modules never see each other's
changes and can run in any order.
"""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
from collections import ChainMap
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeboard.api import api
from safeboard.core import demo

from . import access
from .access import EVERYONE, LOGIN, OUTSIDER, Check
from .conftest import consume, sign_in

SKIPPED_NAMESPACES = {"admin", "api"}  # Django admin is tested apart; the API by its schema
MODULES = sorted(info.name for info in pkgutil.iter_modules(access.__path__))


def _module(name: str) -> Any:
    return importlib.import_module(f"{access.__name__}.{name}")


def _collect() -> tuple[dict[str, Check], dict[str, Check]]:
    web: dict[str, Check] = {}
    endpoints: dict[str, Check] = {}
    for name in MODULES:
        module = _module(name)
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


def test_every_url_and_endpoint_has_an_expectation() -> None:
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


class WalkContext:
    """The demo context for one module's walk: its own `extra` on top of the demo's, and a
    counter for unique names in repeated writes."""

    def __init__(self, ctx: demo.DemoContext) -> None:
        self._ctx = ctx
        self._counts: dict[str, itertools.count[int]] = {}
        self.extra: ChainMap[str, Any] = ChainMap({}, ctx.extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def counter(self, name: str = "") -> int:
        """1, 2, 3 … for each name: unique numbers for names and years in repeated writes."""
        return next(self._counts.setdefault(name, itertools.count(1)))


@pytest.fixture(scope="module")
def walk_demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[demo.DemoContext]:
    """The demo partnership, loaded once per test process and rolled back after the walk."""
    media = tmp_path_factory.mktemp("walk-media")
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        override_settings(
            MEDIA_ROOT=media,
            TASKS=immediate,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo.load()
        transaction.set_rollback(True)


def _status(response: Any) -> Any:
    if response.status_code == 302 and "/accounts/sign-in/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def _clients(ctx: Any) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for visitor in EVERYONE:
        client = Client()
        if visitor != "anonymous":
            sign_in(client, ctx.users[OUTSIDER if visitor == "outsider" else visitor])
        clients[visitor] = client
    return clients


@pytest.mark.django_db
@pytest.mark.parametrize("module", MODULES)
def test_every_page_and_endpoint_answers_as_expected(
    module: str, walk_demo: demo.DemoContext, settings: Any
) -> None:
    expectations = _module(module)
    ctx = WalkContext(walk_demo)
    prepare = getattr(expectations, "prepare", None)
    if prepare is not None:
        prepare(ctx)
    clients = _clients(ctx)
    failures = []
    for name, check in getattr(expectations, "CHECKS", {}).items():
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
    for operation, check in getattr(expectations, "API_CHECKS", {}).items():
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
