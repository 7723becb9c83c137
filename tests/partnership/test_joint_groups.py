"""A joint group: hosted by alpha, shared with beta. Beta's members see it; only alpha changes
it, and alpha's agency-tier and restricted papers stay with alpha."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership import services
from safeboard.partnership.models import (
    GroupKind,
    GroupMembership,
    Meeting,
    MemberRole,
    Objective,
    Paper,
    Role,
)

from .. import factories as f
from ..conftest import consume, sign_in


@pytest.fixture
def panel(alpha: Any, beta: Any) -> Any:
    group = f.group(alpha, "Joint Child Death Overview Panel", GroupKind.PANEL)
    group.shared_with.add(beta)
    return group


@pytest.fixture
def hosted(alpha: Any, panel: Any, police: Any) -> dict[str, Any]:
    """The host's records on the panel: an objective, a chair's seat, a held meeting and a
    paper of each tier."""
    meeting = f.meeting(panel, date.today() - timedelta(days=7))
    with tenancy.partnership_scope(alpha):
        objective = services.save(
            Objective(group=panel, number=1, text="Review every death"), alpha
        )
        seat = services.add_member(
            panel, person=f.person(alpha, "Dr Khan", police), role=MemberRole.CHAIR
        )
        papers = {}
        for tier, agency in (
            ("partnership", None),
            ("agency", police),
            ("restricted", None),
        ):
            paper = Paper(meeting=meeting, title=f"Panel {tier}", sensitivity=tier, agency=agency)
            paper.file.save(f"{tier}.txt", ContentFile(b"panel paper"), save=False)
            papers[tier] = services.save(paper, alpha)
    return {"meeting": meeting, "objective": objective, "seat": seat, "papers": papers}


@pytest.mark.django_db
def test_a_sharing_partnership_sees_the_group_but_cannot_change_it(
    as_charlie: Client, panel: Any, hosted: dict[str, Any]
) -> None:
    meeting, objective, seat = hosted["meeting"], hosted["objective"], hosted["seat"]
    page = as_charlie.get(f"/p/beta/groups/{panel.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Review every death" in body and "Dr Khan" in body
    assert f"/objectives/{objective.pk}/delete/" not in body and "/members/" not in body
    meeting_page = as_charlie.get(f"/p/beta/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/edit/" not in meeting_page
    assert f"/meetings/{meeting.pk}/attendance/" not in meeting_page

    base = f"/p/beta/groups/{panel.pk}"
    assert as_charlie.post(f"{base}/objectives/{objective.pk}/delete/").status_code == 403
    assert as_charlie.post(f"{base}/objectives/", {"number": 2, "text": "x"}).status_code == 403
    assert as_charlie.post(f"{base}/members/{seat.pk}/end/").status_code == 403
    assert as_charlie.get(f"{base}/edit/").status_code == 403
    edit = {"group": panel.pk, "date": "2020-01-01", "location": "Beta", "status": "cancelled"}
    assert as_charlie.post(f"/p/beta/meetings/{meeting.pk}/edit/", edit).status_code == 403
    assert as_charlie.get(f"/p/beta/meetings/{meeting.pk}/attendance/").status_code == 403
    # A new meeting can only be of beta's own groups.
    response = as_charlie.post("/p/beta/meetings/new/", {**edit, "status": "scheduled"})
    assert response.status_code == 200
    assert "Group: select a valid choice" in response.content.decode()

    api = "/api/v1/partnerships/beta"
    patch = as_charlie.patch(
        f"{api}/meetings/{meeting.pk}",
        json.dumps({"location": "Beta"}),
        content_type="application/json",
    )
    assert patch.status_code == 403
    create = as_charlie.post(
        f"{api}/meetings",
        json.dumps({"group_id": panel.pk, "date": "2027-01-01"}),
        content_type="application/json",
    )
    assert create.status_code == 403
    put = as_charlie.put(
        f"{api}/meetings/{meeting.pk}/attendance", "[]", content_type="application/json"
    )
    assert put.status_code == 403

    with tenancy.unscoped():
        assert Objective.objects.filter(pk=objective.pk).exists()
        assert GroupMembership.objects.get(pk=seat.pk).end is None
        assert Meeting.objects.get(pk=meeting.pk).location != "Beta"
        assert not Meeting.objects.filter(date=date(2027, 1, 1)).exists()


@pytest.mark.django_db
def test_the_host_changes_its_joint_group(
    as_alice: Client, alpha: Any, panel: Any, hosted: dict[str, Any]
) -> None:
    objective, seat = hosted["objective"], hosted["seat"]
    base = f"/p/alpha/groups/{panel.pk}"
    assert as_alice.post(f"{base}/objectives/{objective.pk}/delete/").status_code == 302
    assert as_alice.post(f"{base}/members/{seat.pk}/end/").status_code == 302
    with tenancy.partnership_scope(alpha):
        assert not Objective.objects.filter(pk=objective.pk).exists()
        assert GroupMembership.objects.get(pk=seat.pk).end == date.today()


@pytest.mark.django_db
def test_a_joint_groups_agency_and_restricted_papers_stay_with_the_host(
    client: Client, beta: Any, charlie: Any, hosted: dict[str, Any]
) -> None:
    # Beta's administrator and a beta LADO (who may open beta's restricted records).
    beta_lado = f.user("lara", p=beta, roles=[(Role.LADO, None)])
    papers, meeting = hosted["papers"], hosted["meeting"]
    for user in (charlie, beta_lado):
        sign_in(client, user)
        page = client.get(f"/p/beta/meetings/{meeting.pk}/").content.decode()
        assert "Panel partnership" in page
        assert "Panel agency" not in page and "Panel restricted" not in page
        response = client.get(f"/p/beta/papers/{papers['partnership'].pk}/")
        assert response.status_code == 200 and consume(response) == b"panel paper"
        for tier in ("agency", "restricted"):
            assert client.get(f"/p/beta/papers/{papers[tier].pk}/").status_code == 404
        listed = client.get(f"/api/v1/partnerships/beta/meetings/{meeting.pk}/papers").json()
        assert [p["title"] for p in listed] == ["Panel partnership"]


@pytest.mark.django_db
def test_listing_a_restricted_paper_is_a_logged_read(
    as_alice: Client, alice: Any, hosted: dict[str, Any]
) -> None:
    meeting, paper = hosted["meeting"], hosted["papers"]["restricted"]
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(paper.pk))
    assert "Panel restricted" in as_alice.get(f"/p/alpha/meetings/{meeting.pk}/").content.decode()
    assert reads.count() == 1
    entry = reads.get()
    assert entry.actor == alice
    assert entry.additional_data["detail"] == "listed"
    assert entry.additional_data["register"] == "restricted_papers"
    as_alice.get(f"/api/v1/partnerships/alpha/meetings/{meeting.pk}/papers")
    assert reads.count() == 2


@pytest.mark.django_db
def test_a_chair_whose_seat_has_ended_no_longer_acts_as_chair(
    client: Client, alpha: Any, police: Any
) -> None:
    board = f.group(alpha, "Alpha Board", GroupKind.BOARD)
    user = f.user("gina", p=alpha, agency=police, roles=[(Role.BOARD_MEMBER, None)])
    with tenancy.partnership_scope(alpha):
        seat = services.add_member(
            board,
            person=f.person_of(user, alpha),
            role=MemberRole.CHAIR,
            start=date.today() - timedelta(days=400),
        )
    meeting = f.meeting(board, date.today() - timedelta(days=1))
    sign_in(client, user)
    assert client.get(f"/p/alpha/meetings/{meeting.pk}/attendance/").status_code == 200
    with tenancy.partnership_scope(alpha):
        seat.end = date.today() - timedelta(days=30)
        seat.save(update_fields=["end"])
    assert client.get(f"/p/alpha/meetings/{meeting.pk}/attendance/").status_code == 403
    new_action = f"/p/alpha/planning/meetings/{meeting.pk}/actions/new/"
    assert client.get(new_action).status_code == 403
