"""Fixtures of the case review tests: besides alice (business unit, who does not open the
case reviews register), bob (police contributor) and charlie (outsider), carol is Alpha's
case review officer, who does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.learning import services
from safeboard.partnership.models import Role

from .. import factories as f
from ..conftest import sign_in


@pytest.fixture
def carol(alpha: Any, police: Any) -> Any:
    return f.user("carol", p=alpha, roles=[(Role.CASE_REVIEW_OFFICER, None)])


@pytest.fixture
def as_carol(carol: Any) -> Client:
    return sign_in(Client(), carol)


@pytest.fixture
def review(alpha: Any, police: Any) -> Any:
    """A serious incident known on Friday 19 December 2025, notified on 23 December."""
    with tenancy.partnership_scope(alpha):
        return services.create_review(
            partnership=alpha,
            reference="CR-1",
            child="Child N",
            incident_known=date(2025, 12, 19),
            harm="death",
            age_band="under_1",
            notified_on=date(2025, 12, 23),
            known_to=[police],
        )


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)
