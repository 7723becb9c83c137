"""Ids in URLs: every id of every page takes the `id` converter, which accepts only numbers a
database id can hold (a 64-bit signed integer); anything larger is "page not found", never a
server error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from safeboard.core.converters import IdConverter

HUGE = "99999999999999999999"
LARGEST = 2**63 - 1


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def _with_ids(route: str, number: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name == "partnership":
            return "alpha"
        if converter == "id":
            return number
        return "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def test_the_id_converter_takes_only_64_bit_ids() -> None:
    converter = IdConverter()
    assert converter.to_python("1") == 1
    assert converter.to_python(str(LARGEST)) == LARGEST
    for too_large in (str(LARGEST + 1), HUGE):
        with pytest.raises(ValueError):
            converter.to_python(too_large)
    assert re.fullmatch(converter.regex, "-1") is None
    assert converter.to_url(12) == "12"


def test_every_id_in_every_url_uses_the_id_converter() -> None:
    routes = _routes(get_resolver().url_patterns)
    with_ids = [route for route, _ in routes if "<id:" in route]
    assert len(with_ids) > 50
    for route, pattern in routes:
        converters = getattr(pattern.pattern, "converters", {})
        assert not any(isinstance(c, IntConverter) for c in converters.values()), route


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_not_found(as_alice: Client) -> None:
    assert as_alice.get(f"/p/alpha/performance/returns/{HUGE}/").status_code == 404
    checked = 0
    for route, _ in _routes(get_resolver().url_patterns):
        if "<id:" not in route:
            continue
        for number in (HUGE, str(LARGEST + 1)):
            url = _with_ids(route, number)
            assert as_alice.get(url).status_code == 404, url
            assert as_alice.post(url).status_code == 404, url
        checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_an_api_id_too_large_for_the_database_is_not_found(as_alice: Client) -> None:
    from safeboard.api import api

    checked = 0
    for path, methods in api.get_openapi_schema()["paths"].items():
        if not re.search(r"\{(?!partnership\})\w+\}", path):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: "alpha" if m.group(1) == "partnership" else HUGE, path)
        for method in methods:
            response = getattr(as_alice, method)(url, {}, content_type="application/json")
            assert response.status_code in (404, 422), (method, url, response.status_code)
        checked += 1
    assert checked > 20
