from __future__ import annotations

import re

import pytest
from django.test import Client


def _active(html: str) -> list[str]:
    return re.findall(
        r'govuk-service-navigation__item--active">\s*<a[^>]*>'
        r"(?:<strong[^>]*>)?([^<]+)",
        html,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/p/alpha/", "Home"),
        ("/p/alpha/agencies/", "Agencies"),
        ("/p/alpha/groups/", "Groups"),
        ("/p/alpha/audit/access/", "Audit"),
    ],
)
def test_one_menu_entry_is_current(as_alice: Client, path: str, label: str) -> None:
    assert _active(as_alice.get(path).content.decode()) == [label]


@pytest.mark.django_db
def test_the_menu_shows_only_what_the_member_may_use(as_bob: Client) -> None:
    html = as_bob.get("/p/alpha/").content.decode()
    assert "Audit" not in html
