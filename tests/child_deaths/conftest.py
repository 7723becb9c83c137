"""Child death fixtures, on top of tests/conftest.py: alice is also Alpha's CDOP coordinator
(she opens the register); bob (police contributor) does not; charlie is Beta's administrator
and coordinator. Alpha hosts a panel shared with Gamma, whose residents it reviews too."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeboard.child_deaths import services
from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Area, GroupKind, Partnership, Role

from .. import factories as f
from ..conftest import sign_in

TODAY = timezone.localdate()
VALID_NHS = "9434765919"  # the NHS's own example of a valid number


def give_role(user: Any, p: Partnership, role: str) -> None:
    with tenancy.unscoped():
        partnership_services.assign_role(f.person_of(user, p), role)


@pytest.fixture
def alice(alice: Any, alpha: Partnership) -> Any:
    give_role(alice, alpha, Role.CDOP_COORDINATOR)
    return alice


@pytest.fixture
def charlie(charlie: Any, beta: Partnership) -> Any:
    give_role(charlie, beta, Role.CDOP_COORDINATOR)
    return charlie


@pytest.fixture
def gamma(db: Any) -> Partnership:
    return f.partnership("gamma", "Gamma Partnership", la_number=351)


@pytest.fixture
def panel(alpha: Partnership, gamma: Partnership) -> Any:
    group = f.group(alpha, "Alpha and Gamma CDOP", GroupKind.PANEL)
    group.shared_with.add(gamma)
    return group


def area_of(p: Partnership) -> Area:
    with tenancy.unscoped():
        return Area.objects.filter(partnership=p).first()


def notify(p: Partnership, panel: Any = None, *, area: Area | None = None, **kw: Any) -> Any:
    died = kw.pop("date_of_death", TODAY - timedelta(days=400))
    data = {
        "first_name": "Ava",
        "surname": "Hart",
        "nhs_number": VALID_NHS,
        "date_of_birth": died - timedelta(days=900),
        "sex": "female",
        "ethnicity": "white",
        "place_of_death": "hospital",
        "notified_on": died + timedelta(days=1),
        "notifier": "Dr Who",
        "expected": True,
        "jar_needed": False,
        "jar_reasons": [],
        **kw,
    }
    with tenancy.partnership_scope(p):
        return services.notify(
            partnership=p,
            panel=panel,
            home_area=area if area is not None else area_of(p),
            date_of_death=died,
            **data,
        )


def complete(death: Any, *, on: date, category: int = 8, modifiable: bool = False) -> Any:
    with tenancy.partnership_scope(death.partnership):
        return services.record_review(
            death,
            panel_date=on,
            completed_on=on,
            category=category,
            modifiable=modifiable,
            modifiable_factors="Smoking" if modifiable else "",
        )


@pytest.fixture
def death(alpha: Partnership, panel: Any) -> Any:
    return notify(alpha, panel)


@pytest.fixture
def as_lado(client: Client, alpha: Partnership) -> Client:
    return sign_in(client, f.user("lado", p=alpha, roles=[(Role.LADO, None)]))


@pytest.fixture
def as_analyst(client: Client, alpha: Partnership) -> Client:
    return sign_in(client, f.user("ana", p=alpha, roles=[(Role.ANALYST, None)]))
