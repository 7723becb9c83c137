"""Fixtures for private fostering: pia is Alpha's private fostering officer; alice (business
unit), bob (police contributor) and charlie (outsider) from tests/conftest.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Role
from safeboard.private_fostering import services
from safeboard.private_fostering.models import Arrangement, Source

from .. import factories as f
from ..conftest import sign_in


@pytest.fixture
def pia(alpha: Any) -> Any:
    return f.user("pia", p=alpha, roles=[(Role.PRIVATE_FOSTERING_OFFICER, None)])


@pytest.fixture
def visitors(pia: Any, alice: Any, bob: Any, charlie: Any) -> dict[str, Client]:
    return {
        name: sign_in(Client(), user)
        for name, user in (("pia", pia), ("alice", alice), ("bob", bob), ("charlie", charlie))
    }


def arrangement(
    p: Any,
    reference: str,
    notified: date,
    *,
    start: date | None = None,
    source: str = Source.SCHOOL,
) -> Arrangement:
    with tenancy.partnership_scope(p):
        return services.save_arrangement(
            Arrangement(
                reference=reference,
                notified=notified,
                source=source,
                start=start or notified,
                child_age=9,
            ),
            p,
        )


@pytest.fixture
def one(alpha: Any) -> Arrangement:
    # Notified Friday 7 April 2017 (Easter: Good Friday 14, Easter Monday 17 April).
    return arrangement(alpha, "PF-1", date(2017, 4, 7), start=date(2017, 4, 3))
