"""Regressions from the security review of the registers, tokens and exports (issue 9):
each reproduced a finding before its fix."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from safeboard.core import modules, tenancy
from safeboard.core.modules import ActionSource
from safeboard.partnership.models import Role
from safeboard.planning import services as planning

from . import factories as f
from .conftest import consume, sign_in


@pytest.fixture
def restricted_source(monkeypatch: Any) -> str:
    config = next(m for m in modules.installed() if m.label == "partnership")
    monkeypatch.setattr(
        config,
        "action_sources",
        (ActionSource("paper_review", "Restricted paper", register="restricted_papers"),),
    )
    return "paper_review"


@pytest.fixture
def case_reviews() -> str:
    """The learning module's case reviews register, which the business unit may not open."""
    source = modules.action_sources()["case_review"]
    assert source.register == "case_reviews"
    assert Role.BUSINESS_UNIT_ADMIN not in modules.registers()["case_reviews"].roles
    return source.key


def _secret_action(alpha: Any, owner: Any, source: str, text: str) -> Any:
    with tenancy.partnership_scope(alpha):
        return planning.create_action(
            partnership=alpha,
            source=source,
            source_label="Child Q",
            text=text,
            owner=owner,
            due=date.today() + timedelta(days=3),
        )


# --- 1. the tracker's "n more actions" count is a search oracle on restricted text ---------


@pytest.mark.django_db
def test_the_tracker_count_of_hidden_actions_is_no_oracle_on_their_text(
    as_bob: Client, alpha: Any, police: Any, restricted_source: str
) -> None:
    _secret_action(alpha, police, restricted_source, "Refer Child Q, born 2014-05-02, to MASH")
    hit = as_bob.get("/p/alpha/planning/actions/?when=all&q=born 2014-05-02").content.decode()
    miss = as_bob.get("/p/alpha/planning/actions/?when=all&q=born 2014-05-03").content.decode()
    # bob may not open the register: whatever he searches for, he is told the same
    told = ("came from restricted records" in hit, "came from restricted records" in miss)
    assert told[0] == told[1], told


# --- 2. related actions show a restricted action's text to anyone ------------------------


@pytest.mark.django_db
def test_related_actions_do_not_show_restricted_text(
    as_alice: Client, alpha: Any, police: Any, bob: Any, restricted_source: str
) -> None:
    secret = _secret_action(alpha, police, restricted_source, "Secret about Child Q")
    with tenancy.partnership_scope(alpha):
        plain = planning.create_action(
            partnership=alpha,
            source="other",
            text="Open action",
            owner=police,
            due=date.today() + timedelta(days=5),
            links=[secret],
        )
    as_bob = sign_in(Client(), bob)
    page = as_bob.get(f"/p/alpha/planning/actions/{plain.pk}/").content.decode()
    assert "Secret about Child Q" not in page


@pytest.mark.django_db
def test_an_action_cannot_be_linked_to_a_restricted_one_its_editor_may_not_open(
    as_alice: Client, alpha: Any, police: Any, case_reviews: str
) -> None:
    """alice may not open case reviews; linking A<id> shows her (and everyone) its text."""
    secret = _secret_action(alpha, police, case_reviews, "Case review secret Child Z")
    with tenancy.partnership_scope(alpha):
        plain = planning.create_action(
            partnership=alpha,
            source="other",
            text="Open action",
            owner=police,
            due=date.today() + timedelta(days=5),
        )
    assert as_alice.get(f"/p/alpha/planning/actions/{secret.pk}/").status_code == 404
    form = as_alice.get(f"/p/alpha/planning/actions/{plain.pk}/edit/")
    assert form.status_code == 200
    response = as_alice.post(
        f"/p/alpha/planning/actions/{plain.pk}/edit/",
        {
            "text": "Open action",
            "owner": f"agency:{police.pk}",
            "due": (date.today() + timedelta(days=5)).isoformat(),
            "links": f"A{secret.pk}",
        },
    )
    page = as_alice.get(f"/p/alpha/planning/actions/{plain.pk}/").content.decode()
    assert "Case review secret" not in page, response.status_code


# --- 3. restricted actions listed and exported without an access-log entry ----------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/p/alpha/planning/actions/?when=all",
        "/p/alpha/planning/actions/export/?when=all",
        "/p/alpha/planning/actions/export/?when=all&format=xlsx",
        "/api/v1/partnerships/alpha/actions?when=all",
    ],
)
def test_listing_restricted_actions_is_logged(
    as_alice: Client, alpha: Any, police: Any, restricted_source: str, url: str
) -> None:
    _secret_action(alpha, police, restricted_source, "Secret about Child Q")
    response = as_alice.get(url)
    body = consume(response)
    assert response.status_code == 200
    assert b"Secret about Child Q" in body or url.endswith("xlsx")
    logged = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    assert logged and "no-store" in response.get("Cache-Control", "")


# --- 4. the audit trail does not mask a restricted action ---------------------------------


@pytest.mark.django_db
def test_audit_trail_masks_restricted_actions(
    as_alice: Client, alpha: Any, police: Any, case_reviews: str
) -> None:
    _secret_action(alpha, police, case_reviews, "Case review secret Child Z")
    trail = as_alice.get("/p/alpha/audit/").content.decode()
    search = as_alice.get("/p/alpha/audit/?text=Child Z").content.decode()
    export = consume(as_alice.get("/p/alpha/audit/export.csv")).decode()
    leaks = [
        name
        for name, body in (("trail", trail), ("search", search), ("csv", export))
        if "Case review secret" in body
    ]
    assert leaks == []


# --- 5. a figure too large for Decimal is stored, then every page of the return is a 500 -----


@pytest.mark.django_db
def test_a_huge_figure_is_refused_not_stored_and_500(alpha: Any, police: Any, bob: Any) -> None:
    import json

    from safeboard.performance.models import Value

    from .performance.conftest import indicator, open_round, put

    p1 = indicator(alpha, "P1", owner=police)
    put(alpha, p1, "2025-26 Q2", 12)
    collection = open_round(alpha, "2025-26 Q3")
    client = Client(raise_request_exception=False)
    key = f.api_key(bob)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    path = f"/api/v1/partnerships/alpha/rounds/{collection.pk}/returns/{police.pk}"
    posted = client.post(
        path + "/values",
        json.dumps({"values": [{"indicator": "P1", "period": "2025-26 Q3", "value": 1e300}]}),
        content_type="application/json",
        **headers,
    )
    with tenancy.partnership_scope(alpha):
        stored = list(
            Value.objects.filter(indicator=p1, period="2025-26 Q3").values_list("value", flat=True)
        )
    page = sign_in(Client(raise_request_exception=False), bob).get(
        f"/p/alpha/performance/returns/{collection.pk}/{police.pk}/"
    )
    assert (posted.status_code, stored, page.status_code) == (400, [], 200)


# --- 6. the business unit gives itself a register's role, and opens it ---------------------


@pytest.mark.django_db
def test_the_business_unit_cannot_open_another_register_by_giving_itself_its_role(
    as_alice: Client, alice: Any, alpha: Any, police: Any, case_reviews: str
) -> None:
    secret = _secret_action(alpha, police, case_reviews, "Case review secret Child Z")
    assert as_alice.get(f"/p/alpha/planning/actions/{secret.pk}/").status_code == 404
    me = f.person_of(alice, alpha)
    as_alice.post(f"/p/alpha/people/{me.pk}/roles/", {"role": Role.CASE_REVIEW_OFFICER})
    assert as_alice.get(f"/p/alpha/planning/actions/{secret.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_huge_released_figure_does_not_break_the_scorecard(
    alpha: Any, police: Any, as_alice: Client
) -> None:
    from .performance.conftest import indicator, put

    p1 = indicator(alpha, "P1", owner=police)
    put(alpha, p1, "2025-26 Q1", 12)
    put(alpha, p1, "2025-26 Q2", 13)
    from safeboard.performance.models import Value

    with tenancy.partnership_scope(alpha):  # a figure from before validation refused it
        Value.objects.filter(indicator=p1, period="2025-26 Q2").update(value=1e300)
    client = Client(raise_request_exception=False)
    client.cookies = as_alice.cookies
    statuses = {
        url: client.get(url).status_code
        for url in (
            "/p/alpha/performance/dataset/?period=2025-26%20Q2",
            "/p/alpha/performance/dataset/scorecard.csv?period=2025-26%20Q2",
            f"/p/alpha/performance/dataset/indicators/{p1.pk}/",
            "/api/v1/partnerships/alpha/scorecard?period=2025-26%20Q2",
        )
    }
    assert set(statuses.values()) == {200}, statuses


# --- 7. a NUL character in a search or an API text field: 500 on PostgreSQL ----------------


@pytest.mark.django_db
def test_a_nul_character_is_refused_not_a_server_error(alice: Any, alpha: Any, police: Any) -> None:
    import json

    client = sign_in(Client(raise_request_exception=False), alice)
    key = f.api_key(alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    statuses = {
        "people search": client.get("/p/alpha/people/?q=a%00b").status_code,
        "api tracker search": client.get(
            "/api/v1/partnerships/alpha/actions?q=a%00b", **auth
        ).status_code,
        "api new agency": client.post(
            "/api/v1/partnerships/alpha/agencies",
            json.dumps({"name": "N\u0000", "short_name": "N", "sector": "police"}),
            content_type="application/json",
            **auth,
        ).status_code,
    }
    assert all(status < 500 for status in statuses.values()), statuses


# --- 8. secrets shown once may be kept by the browser -------------------------------------


@pytest.mark.django_db
def test_the_authenticator_secret_and_a_new_token_are_not_stored(as_bob: Client) -> None:
    setup = as_bob.get("/accounts/two-factor/")
    made = as_bob.post("/accounts/tokens/", {"name": "x", "days": "30"})
    assert "sbt_" in made.content.decode() and setup.status_code == 200
    assert (
        "no-store" in setup.get("Cache-Control", ""),
        "no-store" in made.get("Cache-Control", ""),
    ) == (True, True)


# --- 9. anyone at a shared address (no account needed) locks everyone there out for a day ----


@pytest.mark.django_db
def test_thirty_made_up_usernames_do_not_lock_a_whole_office_out(alice: Any, bob: Any) -> None:
    office = "198.51.100.7"  # e.g. a police force's single egress address
    for n in range(30):
        Client().post(
            "/accounts/sign-in/", {"username": f"nobody{n}", "password": "x"}, REMOTE_ADDR=office
        )
    response = Client().post(
        "/accounts/sign-in/", {"username": "bob", "password": f.PASSWORD}, REMOTE_ADDR=office
    )
    assert response.status_code == 302, response.status_code


# --- 11. a period past 9999 is a 500 on the scorecard (web, CSV, XLSX and API) ---------------


@pytest.mark.django_db
def test_a_period_too_far_ahead_is_a_400_not_a_500(as_alice: Client, alpha: Any) -> None:
    from .performance.conftest import indicator

    indicator(alpha, "P1")
    client = Client(raise_request_exception=False)
    client.cookies = as_alice.cookies
    statuses = {
        url: client.get(url).status_code
        for url in (
            "/p/alpha/performance/dataset/?period=9999-12-31",
            "/p/alpha/performance/dataset/scorecard.csv?period=9999-10",
            "/api/v1/partnerships/alpha/scorecard?period=9999-12-31",
        )
    }
    assert max(statuses.values()) < 500, statuses
