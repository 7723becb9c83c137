"""Reading the "Waiting for you" panel of a member's home page, for the tests of each module's
waiting items."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.test import Client

_ITEM = re.compile(
    r'<li><a class="govuk-link" href="(?P<href>[^"]+)"><strong>(?P<count>\d+)</strong> '
    r"(?P<label>[^<]+)</a>"
)


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    href: str


def waiting_items(client: Client, slug: str = "alpha") -> list[Item]:
    response = client.get(f"/p/{slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('data-testid="waiting"')
    panel = page[start : page.index("</section>", start)]
    return [
        Item(html.unescape(m["label"]), int(m["count"]), html.unescape(m["href"]))
        for m in _ITEM.finditer(panel)
    ]


def waiting_item(client: Client, label_start: str, slug: str = "alpha") -> Item:
    """The one item whose label starts with `label_start` (in any case)."""
    found = [
        i for i in waiting_items(client, slug) if i.label.lower().startswith(label_start.lower())
    ]
    assert len(found) == 1, waiting_items(client, slug)
    return found[0]
