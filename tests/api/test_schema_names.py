"""The OpenAPI document names each schema once: two schemas of one name (in two modules)
would be merged into one component, and an endpoint documented with the other's fields."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from safeboard.api import api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    api.get_openapi_schema()  # every router is imported and its schemas made
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("safeboard."):
            by_name[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert shared == {}
