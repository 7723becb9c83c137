"""Changing and removing contributory factors and recommendations, and withdrawing a form
request: in the services, the pages (with a confirmation) and the API; each change in the
audit trail, each read through the register reader."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from safeboard.child_deaths import services
from safeboard.child_deaths.models import AgencyForm, Factor, Recommendation
from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.core.models import Clock
from safeboard.partnership.models import Partnership
from safeboard.planning.models import Action

from .. import factories as f
from ..conftest import consume
from .conftest import TODAY, complete

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha/child-deaths"


@pytest.fixture
def review(death: Any) -> Any:
    return complete(death, on=TODAY - timedelta(days=3))


@pytest.fixture
def factor(review: Any, alpha: Partnership) -> Factor:
    with tenancy.partnership_scope(alpha):
        return services.add_factor(review, domain="social", description="Smoking", grade=1)


@pytest.fixture
def recommendation(review: Any, alpha: Partnership, police: Any) -> Recommendation:
    with tenancy.partnership_scope(alpha):
        return services.add_recommendation(
            review,
            partnership=alpha,
            text="Repeat safe sleep advice",
            owner=police,
            due=TODAY + timedelta(days=60),
        )


@pytest.fixture
def form(death: Any, alpha: Partnership, police: Any) -> AgencyForm:
    with tenancy.partnership_scope(alpha):
        (made,) = services.request_forms(death, agencies=[police], requested_on=TODAY)
        return made


def deleted(model: Any, pk: int) -> bool:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk),
        action=LogEntry.Action.DELETE,
    ).exists()


def read_logged(model: Any, pk: int) -> bool:
    return LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk),
    ).exists()


# --- services ----------------------------------------------------------------------------


def test_a_factor_is_corrected_and_removed(factor: Factor, alpha: Partnership) -> None:
    pk = factor.pk
    with tenancy.partnership_scope(alpha):
        services.change_factor(factor, domain="service", description=" Late referral ", grade=2)
        factor.refresh_from_db()
        assert (factor.domain, factor.description, factor.grade) == ("service", "Late referral", 2)
        with pytest.raises(ServiceError, match="graded 0, 1 or 2"):
            services.change_factor(factor, domain="service", description="x", grade=3)
        with pytest.raises(ServiceError, match="Describe"):
            services.change_factor(factor, domain="service", description=" ", grade=1)
        services.remove_factor(factor)
        assert not Factor.objects.exists()
    assert deleted(Factor, pk)
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.UPDATE).exists()


def test_a_recommendation_and_its_action_change_together_until_released(
    recommendation: Recommendation, alpha: Partnership, health: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        services.change_recommendation(
            recommendation,
            text="Repeat the advice at every visit",
            owner=health,
            due=TODAY + timedelta(days=90),
        )
        action = Action.objects.get(pk=recommendation.action_id)
        assert action.text == "Repeat the advice at every visit"
        assert action.owner_agency == health and action.due == TODAY + timedelta(days=90)
        assert action.register == "child_deaths"
        services.release_recommendations(recommendation.review, on=TODAY)
        recommendation.refresh_from_db()
        recommendation.review.refresh_from_db()
        with pytest.raises(ServiceError, match="released"):
            services.change_recommendation(
                recommendation, text="Other", owner=health, due=TODAY + timedelta(days=9)
            )
        with pytest.raises(ServiceError, match="released"):
            services.remove_recommendation(recommendation)


def test_removing_a_recommendation_removes_its_action(
    recommendation: Recommendation, alpha: Partnership
) -> None:
    action_id, pk = recommendation.action_id, recommendation.pk
    with tenancy.partnership_scope(alpha):
        services.remove_recommendation(recommendation)
        assert not Recommendation.objects.exists()
        assert not Action.objects.filter(pk=action_id).exists()
    assert deleted(Recommendation, pk) and deleted(Action, action_id)


def test_a_form_request_is_withdrawn_with_its_clock(form: AgencyForm, alpha: Partnership) -> None:
    pk = form.pk
    with tenancy.partnership_scope(alpha):
        assert Clock.objects.filter(kind="child_deaths.agency_form").count() == 1
        services.withdraw_form(form)
        assert not AgencyForm.objects.exists()
        assert not Clock.objects.filter(kind="child_deaths.agency_form").exists()
    assert deleted(AgencyForm, pk)


def test_a_received_form_is_not_withdrawn(form: AgencyForm, alpha: Partnership) -> None:
    with tenancy.partnership_scope(alpha):
        services.receive_form(form, received_on=TODAY, complete=True)
        with pytest.raises(ServiceError, match="correct its receipt"):
            services.withdraw_form(form)


# --- pages -------------------------------------------------------------------------------


def pages(factor: Factor, recommendation: Recommendation, form: AgencyForm) -> list[str]:
    base = "/p/alpha/child-deaths"
    return [
        f"{base}/factors/{factor.pk}/",
        f"{base}/factors/{factor.pk}/remove/",
        f"{base}/recommendations/{recommendation.pk}/",
        f"{base}/recommendations/{recommendation.pk}/remove/",
        f"{base}/forms/{form.pk}/withdraw/",
    ]


def test_the_coordinator_changes_and_removes_with_a_confirmation(
    as_alice: Client, factor: Factor, recommendation: Recommendation, form: AgencyForm
) -> None:
    urls = pages(factor, recommendation, form)
    for url in urls:
        response = as_alice.get(url)
        consume(response)
        assert response.status_code == 200, url
    assert read_logged(Factor, factor.pk) and read_logged(Recommendation, recommendation.pk)
    assert read_logged(AgencyForm, form.pk)
    detail = as_alice.get(f"/p/alpha/child-deaths/{factor.review.death_id}/").content.decode()
    for url in urls:
        assert f'href="{url}"' in detail, url
    confirm = as_alice.get(urls[1]).content.decode()
    assert "Smoking" in confirm and "Remove the factor" in confirm
    with tenancy.unscoped():
        assert Factor.objects.filter(pk=factor.pk).exists()  # nothing removed before the POST
    response = as_alice.post(
        urls[0], {"domain": "service", "description": "Late referral", "grade": "2"}
    )
    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.grade == 2
    assert as_alice.post(urls[1]).status_code == 302
    assert as_alice.post(urls[4]).status_code == 302
    response = as_alice.post(
        urls[2], {"text": "Changed", "owner": "", "due": str(TODAY + timedelta(days=30))}
    )
    assert response.status_code == 302
    with tenancy.unscoped():
        action = Action.objects.get(pk=recommendation.action_id)
        assert action.text == "Changed" and action.owner_group_id == factor.review.death.panel_id
    assert as_alice.post(urls[3]).status_code == 302
    with tenancy.unscoped():
        assert not Factor.objects.exists() and not AgencyForm.objects.exists()
        assert not Recommendation.objects.exists()
        assert not Action.objects.filter(pk=recommendation.action_id).exists()


def test_a_released_recommendation_is_changed_in_the_tracker(
    as_alice: Client, recommendation: Recommendation, alpha: Partnership
) -> None:
    with tenancy.partnership_scope(alpha):
        services.release_recommendations(recommendation.review, on=TODAY)
    for url in (
        f"/p/alpha/child-deaths/recommendations/{recommendation.pk}/",
        f"/p/alpha/child-deaths/recommendations/{recommendation.pk}/remove/",
    ):
        response = as_alice.post(url, {"text": "x", "due": str(TODAY)})
        assert response.status_code == 302
    with tenancy.unscoped():
        assert Recommendation.objects.get().text == "Repeat safe sleep advice"


@pytest.mark.parametrize("visitor", ["as_bob", "as_charlie", "as_lado", "as_analyst"])
def test_nobody_else_changes_or_removes(
    visitor: str,
    request: Any,
    factor: Factor,
    recommendation: Recommendation,
    form: AgencyForm,
) -> None:
    client = request.getfixturevalue(visitor)
    for url in pages(factor, recommendation, form):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x"}).status_code == 404, url
    with tenancy.unscoped():
        assert Factor.objects.exists() and Recommendation.objects.exists()
        assert AgencyForm.objects.exists()
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


# --- API ---------------------------------------------------------------------------------


def call(client: Client, method: str, url: str, user: Any, data: Any = None) -> Any:
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {f.api_key(user)}"}
    if data is not None:
        return getattr(client, method)(
            url, json.dumps(data), content_type="application/json", **kwargs
        )
    return getattr(client, method)(url, **kwargs)


def test_the_api_adds_changes_and_removes(
    client: Client, alice: Any, review: Any, police: Any
) -> None:
    death_url = f"{API}/deaths/{review.death_id}"
    made = call(
        client,
        "post",
        death_url + "/review/factors",
        alice,
        {
            "domain": "child",
            "description": "Prematurity",
            "grade": 1,
        },
    )
    assert made.status_code == 201, made.content
    factor_id = made.json()["id"]
    changed = call(
        client,
        "put",
        f"{API}/factors/{factor_id}",
        alice,
        {
            "domain": "child",
            "description": "Prematurity",
            "grade": 2,
        },
    )
    assert changed.status_code == 200 and changed.json()["grade"] == 2
    made = call(
        client,
        "post",
        death_url + "/review/recommendations",
        alice,
        {
            "text": "Share it",
            "owner_agency_id": police.pk,
            "due": str(TODAY + timedelta(days=9)),
        },
    )
    assert made.status_code == 201, made.content
    rec = made.json()
    assert rec["released"] is False and rec["action_id"]
    detail = call(client, "get", death_url, alice).json()
    assert [x["id"] for x in detail["factors"]] == [factor_id]
    assert [x["id"] for x in detail["recommendations"]] == [rec["id"]]
    changed = call(
        client,
        "put",
        f"{API}/recommendations/{rec['id']}",
        alice,
        {
            "text": "Share it widely",
            "due": str(TODAY + timedelta(days=9)),
        },
    )
    assert changed.status_code == 200 and changed.json()["text"] == "Share it widely"
    forms = call(
        client,
        "post",
        death_url + "/forms",
        alice,
        {
            "agency_ids": [police.pk],
            "requested_on": str(TODAY),
        },
    )
    form_id = forms.json()[0]["id"]
    for url in (
        f"{API}/factors/{factor_id}",
        f"{API}/recommendations/{rec['id']}",
        f"{API}/forms/{form_id}",
    ):
        assert call(client, "delete", url, alice).status_code == 204, url
        assert call(client, "delete", url, alice).status_code == 404, url
    with tenancy.unscoped():
        assert not Action.objects.filter(pk=rec["action_id"]).exists()


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_the_api_refuses_everyone_else(
    who: str,
    request: Any,
    client: Client,
    factor: Factor,
    recommendation: Recommendation,
    form: AgencyForm,
) -> None:
    user = request.getfixturevalue(who)
    for url in (
        f"{API}/factors/{factor.pk}",
        f"{API}/recommendations/{recommendation.pk}",
        f"{API}/forms/{form.pk}",
    ):
        assert call(client, "delete", url, user).status_code == 404, url
    assert (
        call(
            client,
            "put",
            f"{API}/factors/{factor.pk}",
            user,
            {
                "domain": "child",
                "description": "x",
                "grade": 0,
            },
        ).status_code
        == 404
    )
    with tenancy.unscoped():
        assert Factor.objects.exists() and Recommendation.objects.exists()
        assert AgencyForm.objects.exists()
