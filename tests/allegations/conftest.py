"""Fixtures for the LADO register: lara is Alpha's LADO (she opens the register); alice is
Alpha's business unit administrator (she sees only the tables), bob a police contributor,
charlie an outsider (the tests/conftest.py fixtures)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.allegations import services
from safeboard.allegations.models import Allegation, Kind, Term, TermList
from safeboard.core import tenancy
from safeboard.partnership.models import Role

from .. import factories as f
from ..conftest import sign_in


@pytest.fixture
def lara(alpha: Any) -> Any:
    return f.user("lara", p=alpha, roles=[(Role.LADO, None)])


@pytest.fixture
def as_lara(lara: Any) -> Client:
    return sign_in(Client(), lara)


@pytest.fixture
def terms(alpha: Any) -> dict[tuple[str, str], Term]:
    with tenancy.partnership_scope(alpha):
        services.ensure_default_terms(alpha)
        return {(t.list, t.name): t for t in Term.objects.all()}


def contact(
    p: Any,
    terms: dict[tuple[str, str], Term],
    reference: str,
    received: date,
    *,
    kind: str = Kind.ALLEGATION,
    employer: str = "School staff",
    category: str = "Physical",
    referrer: str = "Education",
    outcomes: tuple[str, ...] = (),
    concluded: date | None = None,
    known: date | None = None,
    adult: str = "",
    setting: str = "",
    restraint: bool = False,
) -> Allegation:
    with tenancy.partnership_scope(p):
        a = Allegation(
            reference=reference,
            kind=kind,
            received=received,
            known=known,
            referrer=terms[(TermList.REFERRER, referrer)],
            employer_type=terms[(TermList.EMPLOYER, employer)],
            category=terms[(TermList.CATEGORY, category)],
            adult_name=adult,
            employer_name=setting,
            concluded=concluded,
            restraint=restraint,
            harmed_child=True,
        )
        return services.save_allegation(a, p, [terms[(TermList.OUTCOME, o)] for o in outcomes])


@pytest.fixture
def one(alpha: Any, terms: Any) -> Allegation:
    return contact(
        alpha,
        terms,
        "A-1",
        date(2017, 1, 31),
        known=date(2017, 1, 27),
        adult="Pat Smith",
        setting="Oak School",
        outcomes=("Substantiated", "Dismissal"),
        concluded=date(2017, 2, 28),
    )


@pytest.fixture
def visitors(lara: Any, alice: Any, bob: Any, charlie: Any) -> dict[str, Client]:
    """A signed-in client each (the shared `as_*` fixtures share one client)."""
    return {
        name: sign_in(Client(), user)
        for name, user in (("lara", lara), ("alice", alice), ("bob", bob), ("charlie", charlie))
    }
