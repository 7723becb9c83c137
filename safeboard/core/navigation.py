"""The partnership's navigation and home page panels. Each module registers its own entries
in its AppConfig.ready(), so adding a module never means editing another's templates."""

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


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


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
        home = item.url_name == "partnership:home"
        active = request.path == href if home else request.path.startswith(href)
        entries.append({"label": item.label, "href": href, "active": active})
    return entries


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    rendered = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
