from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.partnership.models import Partnership

from .. import factories as f
from .conftest import TODAY, VALID_NHS, area_of

pytestmark = pytest.mark.django_db
API = "/api/v1/partnerships/alpha/child-deaths"


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {f.api_key(user)}"}


def post(client: Client, url: str, data: Any, user: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", **auth(user))


def test_the_whole_process_through_the_api(
    client: Client, alice: Any, alpha: Partnership, panel: Any, police: Any
) -> None:
    died = TODAY - timedelta(days=200)
    body = {
        "panel_id": panel.pk,
        "home_area_id": area_of(alpha).pk,
        "first_name": "Kai",
        "nhs_number": "9434765918",
        "date_of_birth": (died - timedelta(days=30)).isoformat(),
        "date_of_death": died.isoformat(),
        "sex": "male",
    }
    response = post(client, f"{API}/deaths", body, alice)
    assert response.status_code == 400 and "check digit" in response.json()["detail"]
    body["nhs_number"] = VALID_NHS
    response = post(client, f"{API}/deaths", body, alice)
    assert response.status_code == 201, response.content
    death = response.json()
    assert death["age_band"] == "28-364 days" and death["status"] == "notified"
    url = f"{API}/deaths/{death['id']}"
    forms = post(
        client, url + "/forms", {"agency_ids": [police.pk], "requested_on": str(died)}, alice
    )
    assert forms.status_code == 201
    form_id = forms.json()[0]["id"]
    receipt = post(
        client,
        f"{API}/forms/{form_id}/receipt",
        {"received_on": str(died + timedelta(days=40)), "complete": True},
        alice,
    )
    assert receipt.status_code == 200
    late = client.get(f"{API}/agency-forms", **auth(alice)).json()
    assert late[0]["returned"] == 1 and late[0]["returned_on_time"] == 0
    review = client.put(
        url + "/review",
        json.dumps(
            {
                "panel_date": str(TODAY),
                "completed_on": str(TODAY),
                "category": 9,
                "modifiable": False,
            }
        ),
        content_type="application/json",
        **auth(alice),
    )
    assert review.status_code == 200 and review.json()["time_band"] == "6-7 months"
    ncmd = client.get(url + "/ncmd", **auth(alice)).json()
    assert {"section": "Review", "field": "Category of death", "value": "9 Infection"} in ncmd
    year = f"{TODAY.year if TODAY.month >= 4 else TODAY.year - 1}"
    label = f"{year}-{(int(year) + 1) % 100:02d}"
    tables = client.get(f"{API}/tables?year={label}", **auth(alice)).json()
    assert tables[0]["table"] == "sex" and tables[0]["total"] == 1


def test_bob_and_charlie_open_nothing(
    client: Client, bob: Any, charlie: Any, alpha: Partnership, panel: Any
) -> None:
    from .conftest import notify

    death = notify(alpha, panel)
    assert client.get(f"{API}/deaths", **auth(bob)).status_code == 403
    assert client.get(f"{API}/deaths/{death.pk}", **auth(bob)).status_code == 404
    assert client.get(f"{API}/deaths", **auth(charlie)).status_code == 404
    assert client.get(f"{API}/deaths/{death.pk}", **auth(charlie)).status_code == 404
    with tenancy.unscoped():
        assert death.partnership == alpha


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sex", "bogus"),
        ("ethnicity", "purple"),
        ("place_of_death", "moon"),
        ("reference", "R" * 31),
        ("first_name", "A" * 101),
        ("surname", "B" * 101),
        ("notifier", "N" * 201),
    ],
)
def test_a_notification_out_of_bounds_is_refused_naming_its_field(
    client: Client, alice: Any, alpha: Partnership, field: str, value: str
) -> None:
    """The API takes any string: what the form's choices and lengths would have refused is
    refused by the service (400), never stored (the tables then fail on an unknown sex) nor
    left to the database (500 on PostgreSQL)."""
    died = TODAY - timedelta(days=200)
    body = {
        "home_area_id": area_of(alpha).pk,
        "date_of_birth": (died - timedelta(days=30)).isoformat(),
        "date_of_death": died.isoformat(),
        field: value,
    }
    response = post(client, f"{API}/deaths", body, alice)
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"{field}: ")
    with tenancy.unscoped():
        from safeboard.child_deaths.models import ChildDeath

        assert not ChildDeath.objects.exists()


def test_a_case_review_number_past_what_the_database_holds_is_refused_by_the_api(
    client: Client, alice: Any, death: Any
) -> None:
    response = client.put(
        f"{API}/deaths/{death.pk}/review",
        json.dumps({"panel_date": str(TODAY), "case_review_id": 10**20}),
        content_type="application/json",
        **auth(alice),
    )
    assert response.status_code == 400, response.content
    assert "case review" in response.json()["detail"]


def test_the_notification_meetings_and_release_through_the_api(
    client: Client, alice: Any, bob: Any, charlie: Any, death: Any, police: Any
) -> None:
    from .conftest import complete

    url = f"{API}/deaths/{death.pk}"
    for user, status in ((bob, 404), (charlie, 404)):
        assert (
            client.patch(
                url, json.dumps({"notifier": "x"}), content_type="application/json", **auth(user)
            ).status_code
            == status
        )
    changed = client.patch(
        url,
        json.dumps(
            {"notifier": "Dr Ray", "expected": None, "jar_needed": True, "jar_reasons": ["sudden"]}
        ),
        content_type="application/json",
        **auth(alice),
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["notifier"] == "Dr Ray" and body["expected"] is None and body["jar_needed"]
    refused = client.patch(
        url,
        json.dumps({"nhs_number": "9434765918"}),
        content_type="application/json",
        **auth(alice),
    )
    assert refused.status_code == 400 and "check digit" in refused.json()["detail"]
    assert (
        client.patch(
            url, json.dumps({"sex": None}), content_type="application/json", **auth(alice)
        ).status_code
        == 422
    )
    meeting = post(
        client,
        url + "/meetings",
        {
            "kind": "jar",
            "held_on": str(death.date_of_death + timedelta(days=1)),
            "agency_ids": [police.pk],
            "attendance": "DS Lee",
        },
        alice,
    )
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["agency_ids"] == [police.pk]
    assert (
        post(client, url + "/meetings", {"kind": "cdrm", "held_on": str(TODAY)}, bob).status_code
        == 404
    )
    release = {"released_on": str(TODAY)}
    assert post(client, url + "/review/release", release, alice).status_code == 400
    review = complete(death, on=TODAY - timedelta(days=1))
    with tenancy.partnership_scope(review.partnership):
        from safeboard.child_deaths import services

        services.add_recommendation(
            review,
            partnership=review.partnership,
            text="Share",
            owner=police,
            due=TODAY + timedelta(days=9),
        )
    released = post(client, url + "/review/release", release, alice)
    assert released.status_code == 200 and released.json()["released"] == 1
    detail = client.get(url, **auth(alice)).json()
    assert detail["recommendations"][0]["released"] is True
    assert [m["kind"] for m in detail["meetings"]] == ["jar"]
