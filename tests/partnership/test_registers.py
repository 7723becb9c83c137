"""Restricted registers kept apart: a register opens only to the roles it names, through the
one reader that logs every read; an action from a restricted record inherits its register."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client

from safeboard.accounts.twofactor import requires_two_factor
from safeboard.core import modules, tenancy
from safeboard.core.modules import ActionSource
from safeboard.partnership import services
from safeboard.partnership.access import membership, two_factor_roles
from safeboard.partnership.models import Paper
from safeboard.partnership.roles import REGISTER_KEEPERS, Role
from safeboard.planning import services as planning

from .. import factories as f
from ..conftest import consume, sign_in

ALL_ROLES = list(Role.values)


def _member_with(alpha: Any, role: str, agency: Any) -> Any:
    roles = [(role, agency if role in {Role.AGENCY_CONTRIBUTOR, Role.AGENCY_LEAD} else None)]
    return f.user(f"u_{role}", p=alpha, agency=agency, roles=roles)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_register_opens_only_to_the_roles_it_names(
    role: str, alpha: Any, police: Any
) -> None:
    user = _member_with(alpha, role, police)
    member = membership(user, alpha)
    assert member is not None
    registers = modules.registers()
    assert "restricted_papers" in registers
    for key, register in registers.items():
        assert member.may_open(key) == (role in register.roles), (role, key)
    assert not member.may_open("allegations_of_a_module_not_installed")
    assert not member.may_open(None)


@pytest.mark.django_db
def test_a_lado_opens_nothing_but_the_allegations_register(alpha: Any, police: Any) -> None:
    member = membership(_member_with(alpha, Role.LADO, police), alpha)
    assert member is not None
    opened = [key for key in modules.registers() if member.may_open(key)]
    assert opened in ([], ["allegations"])  # allegations, once its module is installed


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(two_factor_roles()))
def test_every_role_that_opens_or_keeps_a_register_needs_two_factors(
    role: str, alpha: Any, police: Any
) -> None:
    assert requires_two_factor(_member_with(alpha, role, police))


@pytest.mark.django_db
def test_register_roles_include_the_keepers_and_every_register_role() -> None:
    needed = two_factor_roles()
    assert needed >= REGISTER_KEEPERS
    for register in modules.registers().values():
        assert register.roles <= needed
    assert Role.BOARD_MEMBER not in needed and Role.AGENCY_CONTRIBUTOR not in needed


@pytest.fixture
def restricted_paper(alpha: Any) -> Paper:
    meeting = f.meeting(f.group(alpha), date(2025, 1, 1))
    with tenancy.partnership_scope(alpha):
        paper = Paper(
            partnership=alpha, meeting=meeting, title="Child Q review", sensitivity="restricted"
        )
        paper.file.save("q.txt", ContentFile(b"x"), save=False)
        return services.save(paper, alpha)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_walking_a_restricted_paper_as_every_role(
    role: str, client: Client, alpha: Any, police: Any, restricted_paper: Paper
) -> None:
    """Meeting page, download and API listing, as a member holding only `role`."""
    user = _member_with(alpha, role, police)
    sign_in(client, user)
    opens = role in modules.registers()["restricted_papers"].roles
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=user)
    page = client.get(f"/p/alpha/meetings/{restricted_paper.meeting_id}/").content.decode()
    assert ("Child Q review" in page) == opens
    download = client.get(f"/p/alpha/papers/{restricted_paper.pk}/")
    consume(download)
    assert download.status_code == (200 if opens else 404)
    listed = client.get(f"/api/v1/partnerships/alpha/meetings/{restricted_paper.meeting_id}/papers")
    assert ("Child Q review" in listed.content.decode()) == opens
    details = sorted(reads.values_list("additional_data__detail", flat=True))
    assert details == (["downloaded", "listed", "listed"] if opens else [])
    if opens:
        assert "no-store" in download.get("Cache-Control", "")


@pytest.fixture
def restricted_source(monkeypatch: Any) -> str:
    """A source of actions whose records are in the restricted papers register, as a case
    review or a child death review will be."""
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(
        config,
        "action_sources",
        (ActionSource("paper_review", "Restricted paper", register="restricted_papers"),),
    )
    return "paper_review"


@pytest.mark.django_db
def test_an_action_from_a_restricted_record_inherits_its_register(
    as_alice: Client, alpha: Any, police: Any, bob: Any, restricted_source: str
) -> None:
    with tenancy.partnership_scope(alpha):
        action = planning.create_action(
            partnership=alpha,
            source=restricted_source,
            source_label="Child Q",
            text="Secret recommendation about Child Q",
            owner=police,
            due=date.today() - timedelta(days=3),
        )
        planning.create_action(
            partnership=alpha, source="other", text="Open action", owner=police, due=date.today()
        )
    assert action.register == "restricted_papers"
    # The business unit opens the register: it sees the action, and the read is logged.
    tracker = as_alice.get("/p/alpha/planning/actions/?when=all").content.decode()
    assert "Secret recommendation" in tracker
    detail = as_alice.get(f"/p/alpha/planning/actions/{action.pk}/")
    assert detail.status_code == 200 and "no-store" in detail.get("Cache-Control", "")
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(action.pk), additional_data__detail="read"
    ).exists()
    # Bob owns it (his agency) but may not open the register: he learns one exists, no more.
    as_bob = sign_in(Client(), bob)
    page = as_bob.get("/p/alpha/planning/actions/?when=all").content.decode()
    assert "Secret recommendation" not in page and "Open action" in page
    assert "1 more action matches these filters but came from restricted records" in page
    assert as_bob.get(f"/p/alpha/planning/actions/{action.pk}/").status_code == 404
    api = as_bob.get(f"/api/v1/partnerships/alpha/actions/{action.pk}")
    assert api.status_code == 404
    listed = as_bob.get("/api/v1/partnerships/alpha/actions?when=all").json()
    assert [a["text"] for a in listed] == ["Open action"]


@pytest.mark.django_db
def test_reminders_of_a_restricted_action_go_only_to_those_who_may_open_it_and_say_nothing(
    alpha: Any, police: Any, bob: Any, alice: Any, restricted_source: str
) -> None:
    from safeboard.planning.tasks import remind

    admin = f.person_of(alice, alpha)
    with tenancy.partnership_scope(alpha):
        admin.email = "alice@example.org"
        admin.save()
        planning.create_action(
            partnership=alpha,
            source=restricted_source,
            text="Secret recommendation about Child Q",
            owner=admin,
            due=date.today() + timedelta(days=2),
        )
        planning.create_action(
            partnership=alpha,
            source=restricted_source,
            text="Another secret about Child R",
            owner=police,
            due=date.today() + timedelta(days=2),
        )
    remind(alpha, date.today())
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "alice@example.org" in bodies
    assert "Secret recommendation" not in bodies["alice@example.org"]
    assert "a restricted action (details only in Safeboard)" in bodies["alice@example.org"]
    assert all("Child R" not in body for body in bodies.values())
