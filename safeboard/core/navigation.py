"""The partnership's navigation, home page panels, what waits for each person, and fragments
that a module adds to another module's pages (the actions of a meeting on the meeting page).
Each module registers its own in `panels.register()` (called by
`core.modules.SafeboardModule.ready`), so adding a module never means editing another's
templates.

Each entry names the permission that shows it, checked on the partnership for the signed-in
member: there is no default that shows an entry to every member (`partnership.access.MEMBER`
says so where every member may see it). The view behind an entry checks permission again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from . import words


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    order: int


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    perm: str
    order: int


@dataclass(frozen=True)
class Fragment:
    place: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    perm: str
    order: int


@dataclass(frozen=True)
class Waiting:
    """Something waiting for the signed-in person: how many, and the filtered list they are
    in. `label` says what they are when there are several ("Completions of actions to
    confirm") and `one` when there is one ("Completion of an action to confirm"): the panel
    shows the one agreeing with the count (`text`, `phrase`). `urgent` when some are overdue;
    `due` the nearest due date, if any."""

    label: str
    count: int
    url: str
    urgent: bool = False
    due: date | None = None
    one: str = field(kw_only=True)

    @property
    def text(self) -> str:
        """The label agreeing with the count, as it reads after the number: its first letter
        in lower case, unless the first word is an abbreviation (LADO)."""
        label = words.noun(self.count, self.one, self.label)
        first = label.split(" ", 1)[0]
        if len(first) > 1 and first.isupper():
            return label
        return label[:1].lower() + label[1:]

    @property
    def phrase(self) -> str:
        """The count and the label: "1 completion of an action to confirm"."""
        return f"{self.count:,} {self.text}"


@dataclass(frozen=True)
class WaitingSource:
    provider: Callable[[Any], Iterable[Waiting]]
    perm: str
    order: int


_nav: list[NavItem] = []
_panels: list[HomePanel] = []
_fragments: list[Fragment] = []
_waiting: list[WaitingSource] = []


def _allowed(request: HttpRequest, perm: str) -> bool:
    partnership = getattr(request, "partnership", None)
    return partnership is not None and request.user.has_perm(perm, partnership)


def register_nav(label: str, url_name: str, *, perm: str, order: int = 50) -> None:
    """Add a partnership navigation entry, shown to members with `perm` on the partnership."""
    if any(item.url_name == url_name for item in _nav):
        return
    _nav.append(NavItem(label, url_name, perm, order))
    _nav.sort(key=lambda item: item.order)


def register_panel(
    template: str,
    context: Callable[[Any], dict[str, Any] | None],
    *,
    perm: str,
    order: int = 50,
) -> None:
    """Add a home page panel for members with `perm`. `context(request)` returns its
    context, or None to leave it out (nothing to show)."""
    if any(panel.template == template for panel in _panels):
        return
    _panels.append(HomePanel(template, context, perm, order))
    _panels.sort(key=lambda panel: panel.order)


def register_fragment(
    place: str,
    template: str,
    context: Callable[..., dict[str, Any] | None],
    *,
    perm: str,
    order: int = 50,
) -> None:
    """Add a fragment to a page of another module, e.g. place "meeting" (the meeting page),
    for members with `perm`: `context(request, **objects)` returns its context, or None."""
    if any(f.place == place and f.template == template for f in _fragments):
        return
    _fragments.append(Fragment(place, template, context, perm, order))
    _fragments.sort(key=lambda f: f.order)


def register_waiting(
    provider: Callable[[Any], Iterable[Waiting]], *, perm: str, order: int = 50
) -> None:
    """Add what waits for a person on their home page: `provider(request)` returns `Waiting`
    items (returns to sign off, completions to confirm, clocks about to run out …), for
    members with `perm`. Each count links to the filtered list it counts."""
    if any(source.provider is provider for source in _waiting):
        return
    _waiting.append(WaitingSource(provider, perm, order))
    _waiting.sort(key=lambda source: source.order)


def waiting_for(request: HttpRequest) -> list[Waiting]:
    """Everything waiting for the signed-in member, urgent first, then by module order."""
    found: list[Waiting] = []
    for source in _waiting:
        if _allowed(request, source.perm):
            found.extend(item for item in source.provider(request) if item.count)
    return sorted(found, key=lambda item: not item.urgent)


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    partnership = getattr(request, "partnership", None)
    if getattr(request, "member", None) is None or partnership is None:
        return []
    entries = []
    for item in _nav:
        if not _allowed(request, item.perm):
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
        if not _allowed(request, panel.perm):
            continue
        context = panel.context(request)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered


def fragments_for(place: str, request: HttpRequest, **objects: Any) -> list[dict[str, Any]]:
    rendered = []
    for fragment in _fragments:
        if fragment.place != place or not _allowed(request, fragment.perm):
            continue
        context = fragment.context(request, **objects)
        if context is not None:
            rendered.append({"template": fragment.template, "context": context})
    return rendered


def registered() -> tuple[list[NavItem], list[HomePanel], list[Fragment | WaitingSource]]:
    """Everything registered, for tests that check each names a real permission."""
    return list(_nav), list(_panels), [*_fragments, *_waiting]
