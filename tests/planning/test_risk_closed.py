"""A risk's closing is dated (issue 10): closed through the form or the API, on a day given or
today; reopened, the date is cleared; a closing date before it was added, or in the future,
is refused. The year's report uses the date (tests/reports/test_as_at.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.planning import services
from safeboard.planning.models import Risk, RiskStatus

from .conftest import TODAY
from .test_api import bearer, call

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
            on=date(2025, 1, 10),
        )


def _change(r: Risk, **kwargs: Any) -> Risk:
    fields = {
        "title": r.title,
        "description": r.description,
        "controls": r.controls,
        "target_score": r.target_score,
        "owner": r.owner,
        "review_date": r.review_date,
        "reference": r.reference,
    }
    return services.change_risk(r, **{**fields, **kwargs})


def test_closing_a_risk_records_the_day(alpha: Any, risk: Risk) -> None:
    with tenancy.partnership_scope(alpha):
        _change(risk, status=RiskStatus.CLOSED)
        assert risk.closed_on == TODAY
        _change(risk, status=RiskStatus.CLOSED, closed_on=date(2025, 6, 1))
        assert risk.closed_on == date(2025, 6, 1)
        assert risk.open_on(date(2025, 5, 31)) and not risk.open_on(date(2025, 6, 1))
        assert not risk.open_on(date(2025, 1, 9))  # not yet added
        with pytest.raises(ServiceError, match="before the risk was added"):
            _change(risk, status=RiskStatus.CLOSED, closed_on=date(2024, 12, 31))
        with pytest.raises(ServiceError, match="cannot be in the future"):
            _change(risk, status=RiskStatus.CLOSED, closed_on=TODAY + timedelta(days=1))
        _change(risk, status=RiskStatus.OPEN)
        assert risk.closed_on is None and risk.open_on(TODAY)


def test_alice_closes_a_risk_on_a_date_with_the_form(
    as_alice: Client, alpha: Any, risk: Risk
) -> None:
    page = as_alice.get(url(f"risks/{risk.pk}/edit/")).content.decode()
    assert 'name="closed_on"' in page
    data = {
        "reference": "R1",
        "title": risk.title,
        "target_score": "8",
        "review_date": risk.review_date.isoformat(),
        "status": "closed",
        "closed_on": "2025-06-01",
    }
    assert as_alice.post(url(f"risks/{risk.pk}/edit/"), data).status_code == 302
    with tenancy.partnership_scope(alpha):
        risk.refresh_from_db()
    assert (risk.status, risk.closed_on) == ("closed", date(2025, 6, 1))
    detail = as_alice.get(url(f"risks/{risk.pk}/")).content.decode()
    assert "Closed on" in detail and "1 June 2025" in detail
    # A closing date on an open risk is refused, not silently dropped.
    body = as_alice.post(url(f"risks/{risk.pk}/edit/"), {**data, "status": "open"}).content.decode()
    assert "An open risk has no closing date" in body


def test_a_risk_is_closed_on_a_date_through_the_api(client: Client, alice: Any, risk: Risk) -> None:
    auth = bearer(alice)
    answer = call(
        client, "patch", f"/risks/{risk.pk}", auth, {"status": "closed", "closed_on": "2025-06-01"}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["closed_on"] == "2025-06-01"
    answer = call(client, "get", "/risks?status=closed", auth)
    assert [r["closed_on"] for r in answer.json()] == ["2025-06-01"]
    answer = call(client, "patch", f"/risks/{risk.pk}", auth, {"status": "open"})
    assert answer.json()["closed_on"] is None
