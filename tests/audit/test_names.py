"""The audit trail names the records a change points to ("agency: (empty) → Alpha Police",
never "agency None → 34"), and a restricted record only to those who may open its register."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import modules, tenancy
from safeboard.partnership.models import Role
from safeboard.planning import services as planning

from .. import factories as f
from ..conftest import consume, sign_in

pytestmark = pytest.mark.django_db


def test_a_changed_foreign_key_shows_the_records_name(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    person = f.person(alpha, "Jo Bloggs")
    with tenancy.partnership_scope(alpha):
        person.agency = police
        person.save()
    body = as_alice.get("/p/alpha/audit/?model=partnership.person&action=update").content
    text = body.decode()
    assert "(empty) → Alpha Police" in text
    assert f"→ {police.pk}<" not in text and "None" not in text
    export = as_alice.get("/p/alpha/audit/export.csv?model=partnership.person&action=update")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    agency = next(r for r in rows if r["field"] == "agency")
    assert agency["before"] == "" and agency["after"] == "Alpha Police"


@pytest.fixture
def case_reviews() -> str:
    """The learning module's case reviews register, which the business unit may not open."""
    source = modules.action_sources()["case_review"]
    assert source.register == "case_reviews"
    assert Role.BUSINESS_UNIT_ADMIN not in modules.registers()["case_reviews"].roles
    return source.key


def test_a_restricted_record_is_named_only_to_those_who_may_open_it(
    client: Client, alice: Any, alpha: Any, police: Any, case_reviews: str
) -> None:
    with tenancy.partnership_scope(alpha):
        secret = planning.create_action(
            partnership=alpha,
            source=case_reviews,
            text="Child Z secret",
            owner=police,
            due=date.today() + timedelta(days=3),
        )
        plain = planning.create_action(
            partnership=alpha,
            source="other",
            text="Plain action",
            owner=police,
            due=date.today() + timedelta(days=3),
        )
        plain.carried_from = secret
        plain.save()
    as_alice = sign_in(client, alice)
    page = as_alice.get("/p/alpha/audit/?model=planning.action&action=update")
    text = page.content.decode()
    consume(page)
    assert "Child Z secret" not in text
    assert "A restricted record" in text
