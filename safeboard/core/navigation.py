"""The partnership's navigation, home page panels, and fragments that a module adds to
another module's pages (the actions of a meeting on the meeting page). Each module registers
its own in its AppConfig.ready(), so adding a module never means editing another's templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: Callable[[Any], bool] | None


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class Fragment:
    place: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int


_nav: list[NavItem] = []
_panels: list[HomePanel] = []
_fragments: list[Fragment] = []


def register_nav(
    label: str, url_name: str, *, order: int = 50, visible: Callable[[Any], bool] | None = None
) -> None:
    """Add a partnership navigation entry. `visible(member)` hides it from those who may not
    use it; the view itself still checks permission."""
    if any(item.url_name == url_name for item in _nav):
        return
    _nav.append(NavItem(label, url_name, order, visible))
    _nav.sort(key=lambda item: item.order)


def register_panel(
    template: str, context: Callable[[Any], dict[str, Any] | None], *, order: int = 50
) -> None:
    """Add a home page panel. `context(request)` returns its context, or None to hide it."""
    if any(panel.template == template for panel in _panels):
        return
    _panels.append(HomePanel(template, context, order))
    _panels.sort(key=lambda panel: panel.order)


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    member = getattr(request, "member", None)
    partnership = getattr(request, "partnership", None)
    if member is None or partnership is None:
        return []
    entries = []
    for item in _nav:
        if item.visible is not None and not item.visible(member):
            continue
        href = reverse(item.url_name, kwargs={"partnership": partnership.slug})
        entries.append({"label": item.label, "href": href, "active": False})

    # The current section is the entry whose address is the longest prefix of the page's
    # (the home page only for itself), so a section and its parent never both light up.
    def matches(href: str) -> bool:
        return request.path == href or (href.count("/") > 3 and request.path.startswith(href))

    matching = [e for e in entries if matches(str(e["href"]))]
    if matching:
        max(matching, key=lambda e: len(str(e["href"])))["active"] = True
    return entries


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    rendered = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered


def register_fragment(
    place: str, template: str, context: Callable[..., dict[str, Any] | None], *, order: int = 50
) -> None:
    """Add a fragment to a page of another module, e.g. place "meeting" (the meeting page):
    `context(request, **objects)` returns its context, or None to leave it out."""
    if any(f.place == place and f.template == template for f in _fragments):
        return
    _fragments.append(Fragment(place, template, context, order))
    _fragments.sort(key=lambda f: f.order)


def fragments_for(place: str, request: HttpRequest, **objects: Any) -> list[dict[str, Any]]:
    rendered = []
    for fragment in _fragments:
        if fragment.place != place:
            continue
        context = fragment.context(request, **objects)
        if context is not None:
            rendered.append({"template": fragment.template, "context": context})
    return rendered
