"""The risk register (with its heat map and history of scores) and the challenge log, through
their services and pages: alice manages, bob reads, hana answers for her agency, charlie finds
nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.planning import selectors, services
from safeboard.planning.models import (
    Challenge,
    ChallengeStatus,
    Risk,
    RiskBand,
    RiskStatus,
    risk_band,
)

from .. import factories as f
from ..conftest import sign_in
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def url(path: str = "") -> str:
    return f"/p/alpha/planning/{path}"


@pytest.fixture
def risk(alpha: Any, board: Any) -> Risk:
    with tenancy.partnership_scope(alpha):
        return services.create_risk(
            partnership=alpha,
            title="Partners cannot fund the partnership",
            likelihood=4,
            impact=4,
            target_score=8,
            owner=board,
            controls="Three-year agreement",
            on=date(2025, 1, 10),
        )


# --- risks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (16, "high"),
        (20, "very_high"),
        (25, "very_high"),
    ],
)
def test_risk_bands(score: int, band: str) -> None:
    assert risk_band(score) == RiskBand(band)


def test_a_risk_is_reviewed_twice_a_year_and_keeps_its_history(alpha: Any, risk: Risk) -> None:
    assert risk.reference == "R1" and risk.review_date == date(2025, 7, 10)
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="from 1 to 5"):
            services.review_risk(risk, likelihood=6, impact=1)
        services.review_risk(
            risk, likelihood=3, impact=4, note="Agreement signed", on=date(2025, 7, 1)
        )
        risk.refresh_from_db()
        history = list(risk.reviews.values_list("reviewed_on", "likelihood", "impact"))
        second = services.create_risk(
            partnership=alpha, title="Data late", likelihood=2, impact=2, target_score=2
        )
    assert (risk.likelihood, risk.impact, risk.score, risk.band) == (3, 4, 12, RiskBand.HIGH)
    assert risk.last_reviewed == date(2025, 7, 1) and risk.review_date == date(2026, 1, 1)
    assert history == [(date(2025, 7, 1), 3, 4), (date(2025, 1, 10), 4, 4)]
    assert second.reference == "R2" and risk.above_target


def test_the_heat_map_counts_open_risks_by_cell(alpha: Any, risk: Risk) -> None:
    with tenancy.partnership_scope(alpha):
        services.create_risk(partnership=alpha, title="B", likelihood=4, impact=4, target_score=4)
        closed = services.create_risk(
            partnership=alpha, title="C", likelihood=1, impact=1, target_score=1
        )
        closed.status = RiskStatus.CLOSED
        closed.save()
        heat = selectors.heat_map(Risk.objects.all())
    assert [impact for impact, _, _ in heat.rows] == [5, 4, 3, 2, 1]
    cells = {(c.likelihood, c.impact): len(c.risks) for _, _, row in heat.rows for c in row}
    assert cells[(4, 4)] == 2 and sum(cells.values()) == 2
    assert heat.bands == {"low": 0, "medium": 0, "high": 2, "very_high": 0}


def test_the_register_page_has_a_heat_map_table(as_bob: Client, risk: Risk) -> None:
    body = as_bob.get(url("risks/")).content.decode()
    assert "<caption" in body and "Open risks by likelihood and impact (1)" in body
    assert 'scope="col"' in body and 'scope="row"' in body
    assert "High (16)" in body and "1 risk" in body and ">R1<" in body
    assert "Add a risk" not in body
    detail = as_bob.get(url(f"risks/{risk.pk}/")).content.decode()
    assert "The review was due on 10 July 2025" in detail and "Record a review" not in detail


def test_alice_adds_changes_and_reviews_a_risk(as_alice: Client, alpha: Any, board: Any) -> None:
    response = as_alice.post(
        url("risks/new/"),
        {
            "title": "Staff turnover",
            "likelihood": "3",
            "impact": "4",
            "target_score": "6",
            "owner": f"group:{board.pk}",
            "controls": "Cover rota",
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        risk = Risk.objects.get()
    assert (risk.reference, risk.score, risk.owner) == ("R1", 12, board)
    response = as_alice.post(
        url(f"risks/{risk.pk}/edit/"),
        {
            "reference": "R1",
            "title": "Staff turnover in the unit",
            "target_score": "4",
            "review_date": (TODAY + timedelta(days=90)).isoformat(),
            "status": "open",
        },
    )
    assert response.status_code == 302
    response = as_alice.post(
        url(f"risks/{risk.pk}/review/"),
        {"reviewed_on": TODAY.isoformat(), "likelihood": "2", "impact": "4", "note": "Hired"},
    )
    assert response.status_code == 302
    page = as_alice.get(url(f"risks/{risk.pk}/")).content.decode()
    assert "History of scores" in page and "Hired" in page and "Staff turnover in the unit" in page
    with tenancy.partnership_scope(alpha):
        risk.refresh_from_db()
    assert (risk.score, risk.target_score, risk.owner) == (8, 4, None)


@pytest.mark.parametrize("path", ["risks/new/", "risks/{pk}/edit/", "risks/{pk}/review/"])
def test_only_the_business_unit_manages_risks(
    client: Client, bob: Any, vera: Any, charlie: Any, risk: Risk, path: str
) -> None:
    address = url(path.format(pk=risk.pk))
    for user, status in ((bob, 403), (vera, 403), (charlie, 404)):
        sign_in(client, user)
        assert client.get(address).status_code == status
        assert client.post(address, {"title": "x"}).status_code == status


def test_charlie_cannot_see_alphas_risks(as_charlie: Client, risk: Risk) -> None:
    assert as_charlie.get(url("risks/")).status_code == 404
    assert as_charlie.get(url(f"risks/{risk.pk}/")).status_code == 404


# --- challenges ---------------------------------------------------------------------------


@pytest.fixture
def challenge(alpha: Any, health: Any, board: Any, dora: Any) -> Challenge:
    with tenancy.partnership_scope(alpha):
        return services.raise_challenge(
            partnership=alpha,
            agency=health,
            subject="Late data",
            detail="Why were two returns late?",
            raised_on=TODAY - timedelta(days=60),
            response_due=TODAY - timedelta(days=18),
            raised_by=f.person_of(dora, alpha),
            raised_by_group=board,
        )


def test_a_challenge_goes_from_raised_to_closed(
    alpha: Any, challenge: Challenge, hana: Any
) -> None:
    assert challenge.reference == "C1"
    assert challenge.status_on(TODAY) == ChallengeStatus.OVERDUE
    assert challenge.needs_escalation(TODAY)
    assert challenge.status_on(TODAY - timedelta(days=30)) == ChallengeStatus.AWAITING
    with tenancy.partnership_scope(alpha):
        services.escalate_challenge(challenge, to="Chief executive", note="No answer")
        with pytest.raises(ServiceError, match="already been escalated"):
            services.escalate_challenge(challenge, to="Again", note="")
        services.record_response(challenge, response="New extract", by=f.person_of(hana, alpha))
        assert challenge.status_on(TODAY) == ChallengeStatus.ESCALATED
        with pytest.raises(ServiceError, match="Choose the outcome"):
            services.close_challenge(challenge, outcome="")
        services.close_challenge(challenge, outcome="resolved", note="On time since")
        assert challenge.status_on(TODAY) == ChallengeStatus.CLOSED
        with pytest.raises(ServiceError, match="closed"):
            services.record_response(challenge, response="More", by=None)


def test_a_challenge_needs_sensible_dates(alpha: Any, health: Any) -> None:
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="before"):
        services.raise_challenge(
            partnership=alpha,
            agency=health,
            subject="x",
            detail="y",
            raised_on=TODAY,
            response_due=TODAY - timedelta(days=1),
        )


def test_the_log_shows_status_and_the_overdue_response(
    as_bob: Client, challenge: Challenge
) -> None:
    body = as_bob.get(url("challenges/")).content.decode()
    assert "Late data" in body and "Response overdue" in body
    assert "1 challenge has had no response by the date it was due" in body
    assert "Log a challenge" not in body
    detail = as_bob.get(url(f"challenges/{challenge.pk}/")).content.decode()
    assert "Why were two returns late?" in detail and "Record the response" not in detail


def test_the_agencys_lead_records_its_response(
    as_hana: Client, alpha: Any, challenge: Challenge
) -> None:
    page = as_hana.get(url(f"challenges/{challenge.pk}/")).content.decode()
    assert "Record the response" in page and "Escalate" not in page
    response = as_hana.post(
        url(f"challenges/{challenge.pk}/respond/"),
        {"response": "A new extract is live", "responded_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        challenge.refresh_from_db()
    assert challenge.response == "A new extract is live" and challenge.responded_on == TODAY
    assert as_hana.get(url(f"challenges/{challenge.pk}/escalate/")).status_code == 403


def test_another_agencys_people_cannot_respond(
    client: Client, bob: Any, vera: Any, charlie: Any, challenge: Challenge
) -> None:
    address = url(f"challenges/{challenge.pk}/respond/")
    for user, status in ((bob, 403), (vera, 403), (charlie, 404)):
        sign_in(client, user)
        assert client.get(address).status_code == status
        assert client.post(address, {"response": "x"}).status_code == status


def test_alice_logs_escalates_and_closes_a_challenge(
    as_alice: Client, alpha: Any, police: Any, board: Any
) -> None:
    response = as_alice.post(
        url("challenges/new/"),
        {
            "agency": police.pk,
            "subject": "Missing episodes",
            "detail": "How are they shared?",
            "raised_on": TODAY.isoformat(),
            "response_due": (TODAY + timedelta(28)).isoformat(),
            "raised_by_group": board.pk,
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        challenge = Challenge.objects.get()
    wrong = as_alice.post(
        url(f"challenges/{challenge.pk}/edit/"),
        {
            "agency": police.pk,
            "subject": "x",
            "detail": "y",
            "raised_on": TODAY.isoformat(),
            "response_due": (TODAY - timedelta(2)).isoformat(),
        },
    ).content.decode()
    assert "The response cannot be due before it was raised" in wrong
    for step, data in (
        ("escalate", {"to": "Chief Constable", "on": TODAY.isoformat()}),
        ("close", {"outcome": "partly_resolved", "note": "Route agreed", "on": TODAY.isoformat()}),
    ):
        assert as_alice.post(url(f"challenges/{challenge.pk}/{step}/"), data).status_code == 302
    page = as_alice.get(url(f"challenges/{challenge.pk}/")).content.decode()
    assert "Partly resolved: further work agreed" in page and "Chief Constable" in page
    assert "Record the outcome and close" not in page


@pytest.mark.parametrize(
    "path",
    [
        "challenges/new/",
        "challenges/{pk}/edit/",
        "challenges/{pk}/escalate/",
        "challenges/{pk}/close/",
    ],
)
def test_only_the_business_unit_manages_the_log(
    client: Client, bob: Any, hana: Any, charlie: Any, challenge: Challenge, path: str
) -> None:
    address = url(path.format(pk=challenge.pk))
    for user, status in ((bob, 403), (hana, 403), (charlie, 404)):
        sign_in(client, user)
        assert client.get(address).status_code == status
        assert client.post(address, {"subject": "x"}).status_code == status
