"""What waits for the LADO (lara): open allegations about a repeat subject or setting, and audit
samples with cases awaiting findings; each links to the list filtered to exactly those, which
nobody else opens."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.allegations import services
from safeboard.core import tenancy

from ..waiting import waiting_item, waiting_items
from .conftest import contact

pytestmark = pytest.mark.django_db


def test_the_lados_waiting_items(alpha: Any, terms: Any, visitors: dict[str, Client]) -> None:
    as_lara, as_alice, as_bob, as_charlie = visitors.values()
    for n in range(3):
        contact(alpha, terms, f"Q-{n}", date(2016, 4, 4), concluded=date(2016, 5, 2 + n))
    contact(alpha, terms, "R-1", date(2016, 4, 4), adult="Pat Smith", concluded=date(2016, 5, 1))
    contact(alpha, terms, "R-2", date(2016, 6, 4), adult="Pat Smith")  # open, a repeat
    with tenancy.partnership_scope(alpha):
        done = services.draw_audit_sample(
            alpha, quarter="2016-17 Q1", size=1, on=date(2016, 7, 5), seed=1
        )
        for item in done.items.all():
            services.record_finding(item, rating="good", findings="", audited_on=date(2016, 7, 6))
        todo = services.draw_audit_sample(
            alpha, quarter="2016-17 Q1", size=2, on=date(2016, 7, 5), seed=2
        )
    repeats = waiting_item(as_lara, "open allegation about a repeat")
    assert repeats.count == 1
    assert [a.reference for a in as_lara.get(repeats.href).context["records"]] == ["R-2"]
    audit = waiting_item(as_lara, "audit sample with cases awaiting")
    assert audit.count == 1 and audit.href.endswith("?show=to_audit")
    assert list(as_lara.get(audit.href).context["samples"]) == [todo]
    for client in (as_alice, as_bob):
        assert not [i for i in waiting_items(client) if "allegation" in i.label.lower()]
        assert not [i for i in waiting_items(client) if "audit sample" in i.label.lower()]
        assert client.get(audit.href).status_code == 403
    assert as_charlie.get(audit.href).status_code == 404
