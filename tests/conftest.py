"""Shared fixtures. Following healthchecks: alice may (business unit administrator of the
Alpha partnership), bob is a colleague with less access (police contributor in Alpha), and
charlie is an outsider (administrator of the Beta partnership)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import (
    Area,
    GroupKind,
    MemberRole,
    Partnership,
    Role,
    Sector,
)

from . import factories as f

# Property tests are judged on what they find, not on how fast one example runs: on a busy
# machine (CI shares it) a 200 ms deadline fails tests that are right.
hypothesis_settings.register_profile("safeboard", deadline=None)
hypothesis_settings.load_profile("safeboard")


@pytest.fixture(autouse=True)
def _fast_settings(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def alpha(db: Any) -> Partnership:
    return f.partnership("alpha", "Alpha Safeguarding Children Partnership")


@pytest.fixture
def beta(db: Any) -> Partnership:
    return f.partnership("beta", "Beta Safeguarding Children Partnership", la_number=350)


@pytest.fixture
def police(alpha: Partnership) -> Any:
    return f.agency(alpha, "POL", "Alpha Police", Sector.POLICE)


@pytest.fixture
def health(alpha: Partnership) -> Any:
    return f.agency(alpha, "HLT", "Alpha Hospitals Trust", Sector.HEALTH_PROVIDER)


@pytest.fixture
def alice(alpha: Partnership, police: Any) -> Any:
    return f.user("alice", p=alpha, roles=[(Role.BUSINESS_UNIT_ADMIN, None)])


@pytest.fixture
def bob(alpha: Partnership, police: Any) -> Any:
    return f.user("bob", p=alpha, agency=police, roles=[(Role.AGENCY_CONTRIBUTOR, police)])


@pytest.fixture
def charlie(beta: Partnership) -> Any:
    return f.user("charlie", p=beta, roles=[(Role.BUSINESS_UNIT_ADMIN, None)])


def sign_in(client: Client, user: Any) -> Client:
    """Sign in as `user`, with a verified second factor when they have or need one."""
    from safeboard.accounts.twofactor import confirmed_device, requires_two_factor

    client.force_login(user)
    device = confirmed_device(user)
    if device is None and requires_two_factor(user):
        device = f.totp_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_alice(client: Client, alice: Any) -> Client:
    return sign_in(client, alice)


@pytest.fixture
def as_bob(client: Client, bob: Any) -> Client:
    return sign_in(client, bob)


@pytest.fixture
def as_charlie(client: Client, charlie: Any) -> Client:
    return sign_in(client, charlie)


@pytest.fixture
def year_data(alpha: Any, police: Any, health: Any) -> dict[str, Any]:
    """Alpha in 2016-17: child population for five years, a board of two agencies and an
    independent chair, and three meetings with known attendance."""
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    pat, hana = f.person(alpha, "Pat", police), f.person(alpha, "Hana", health)
    chair = f.person(alpha, "Chair Person")
    with tenancy.partnership_scope(alpha):
        area = Area.objects.get()
        for year, children in (
            (2012, 90000),
            (2013, 90500),
            (2014, 91000),
            (2015, 91800),
            (2016, 92800),
        ):
            partnership_services.set_population(area, year, children)
        seats = [
            partnership_services.add_member(board, person=p, role=r)
            for p, r in (
                (chair, MemberRole.CHAIR),
                (pat, MemberRole.MEMBER),
                (hana, MemberRole.MEMBER),
            )
        ]
        plan = [
            (date(2016, 6, 15), "present", "present", "apologies"),
            (date(2016, 10, 19), "present", "deputy", "present"),
            (date(2017, 2, 15), "present", "absent", "apologies"),
        ]
        for when, *statuses in plan:
            meeting = f.meeting(board, when)
            partnership_services.record_attendance(
                meeting,
                [
                    partnership_services.AttendanceLine(
                        seat, seat.person, None, status, "Deputy" if status == "deputy" else ""
                    )
                    for seat, status in zip(seats, statuses, strict=True)
                ],
            )
    return {"board": board, "area": area}


@pytest.fixture
def scope(alpha: Partnership) -> Any:
    """Run the test body inside Alpha's partnership scope."""
    with tenancy.partnership_scope(alpha):
        yield alpha


def consume(response: Any) -> bytes:
    """Read a response to the end. Streamed files must be read, not closed: closing one
    outside the client's wrapper ends the request and closes the test's database connection."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)
