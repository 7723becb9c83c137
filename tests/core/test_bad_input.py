"""Input a page cannot use is refused or ignored, never a server error: huge or odd numbers
in the lists' filters (query parameters)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

HUGE = "99999999999999999999"
ODD = (HUGE, "9223372036854775808", "-1", "1.5", "²", "١٢", "0x10")

FILTERS = [
    ("/p/alpha/people/", "agency"),
    ("/p/alpha/meetings/", "group"),
    ("/p/alpha/meetings/new/", "group"),
    ("/p/alpha/planning/challenges/", "agency"),
    ("/p/alpha/planning/actions/new/", "plan"),
    ("/p/alpha/planning/actions/new/", "theme"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), FILTERS)
def test_a_filter_with_a_number_no_id_can_be_is_ignored(
    as_alice: Client, police: Any, path: str, name: str
) -> None:
    for value in ODD:
        response = as_alice.get(path, {name: value})
        assert response.status_code in (200, 400), (path, name, value)
    assert as_alice.get(path, {name: str(police.pk)}).status_code == 200
