"""A sortable table sorts by what people read: a cell holding markup (a link, a tag) gives
its sort value, or the table would sort by the link's address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from .. import factories as f


def _unsortable_cells(html: str) -> list[str]:
    problems = []
    for table in re.findall(r"<table[^>]*moj-sortable-table.*?</table>", html, re.S):
        for attrs, content in re.findall(r"<td([^>]*)>(.*?)</td>", table, re.S):
            if "<" in content and "data-sort-value" not in attrs:
                problems.append(content.strip()[:80])
    return problems


@pytest.mark.django_db
def test_the_agencies_table_sorts_by_name(as_bob: Client, alpha: Any) -> None:
    f.agency(alpha, "ZED", "Aardvark Trust")
    html = as_bob.get("/p/alpha/agencies/").content.decode()
    assert "moj-sortable-table" in html
    assert not _unsortable_cells(html)
    assert 'data-sort-value="Aardvark Trust"' in html
