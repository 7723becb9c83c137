"""Dates that must come in order are refused out of order, with a message on the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Group

from .. import factories as f


@pytest.mark.django_db
def test_a_review_before_the_approval_is_refused(as_alice: Client, alpha: Any) -> None:
    group = f.group(alpha, "Alpha Board")
    with tenancy.partnership_scope(alpha):
        pk = group.pk
    response = as_alice.post(
        f"/p/alpha/groups/{pk}/edit/",
        {
            "name": "Alpha Board",
            "kind": group.kind,
            "tor_approved": "2024-05-01",
            "tor_review_due": "2023-05-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "must be due on or after the date they were approved" in html
    assert 'href="#id_tor_review_due"' in html  # in the error summary, linked to the field
    with tenancy.partnership_scope(alpha):
        assert Group.objects.get(pk=pk).tor_review_due is None
