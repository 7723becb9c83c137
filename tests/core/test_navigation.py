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


def test_a_waiting_item_agrees_with_its_count() -> None:
    """ "1 completions" never: every item gives its label for one and for many, and the panel
    shows the one that agrees with the count (core.words), its first letter in lower case
    unless the first word is an abbreviation."""
    from safeboard.core.navigation import Waiting

    one = Waiting(
        "Completions of actions to confirm",
        1,
        "/",
        one="Completion of an action to confirm",
    )
    many = Waiting(
        "Completions of actions to confirm", 3, "/", one="Completion of an action to confirm"
    )
    assert one.text == "completion of an action to confirm"
    assert many.text == "completions of actions to confirm"
    assert one.phrase == "1 completion of an action to confirm"
    lado = Waiting("LADO referrals to decide", 2, "/", one="LADO referral to decide")
    assert lado.text == "LADO referrals to decide"
    report = Waiting("Sections of Annual report 2016-17 Q2 to review", 2, "/", one="Section of x")
    assert report.text == "sections of Annual report 2016-17 Q2 to review"
    with pytest.raises(TypeError):
        Waiting("Things", 1, "/")  # type: ignore[call-arg]
