from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from safeboard.child_deaths import services
from safeboard.child_deaths.models import ChildDeath
from safeboard.core import tenancy
from safeboard.partnership.models import Partnership, Role

from ..conftest import consume
from .conftest import TODAY, VALID_NHS, area_of, complete, give_role

pytestmark = pytest.mark.django_db

LISTS = [
    "/p/alpha/child-deaths/",
    "/p/alpha/child-deaths/forms/",
    "/p/alpha/child-deaths/tables/",
    "/p/alpha/child-deaths/new/",
    "/p/alpha/child-deaths/tables/sex.csv",
]


def record_pages(death: Any) -> list[str]:
    base = f"/p/alpha/child-deaths/{death.pk}/"
    return [base, base + "edit/", base + "forms/request/", base + "meetings/new/", base + "review/"]


def test_the_coordinator_opens_everything_and_each_read_is_logged(
    as_alice: Client, death: Any
) -> None:
    for url in LISTS + record_pages(death):
        response = as_alice.get(url)
        consume(response)
        assert response.status_code == 200, url
    assert "no-store" in as_alice.get(record_pages(death)[0])["Cache-Control"]
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(death.pk))
    assert {e.additional_data["detail"] for e in reads} >= {"read", "listed"}


def test_bob_is_refused(as_bob: Client, death: Any) -> None:
    for url in LISTS:
        assert as_bob.get(url).status_code == 403, url
    for url in record_pages(death):
        assert as_bob.get(url).status_code == 404, url


def test_charlie_of_another_partnership_gets_404(as_charlie: Client, death: Any) -> None:
    for url in LISTS + record_pages(death):
        assert as_charlie.get(url).status_code == 404, url


@pytest.mark.parametrize("visitor", ["as_lado", "as_analyst"])
def test_a_lado_or_an_analyst_opens_nothing_here(visitor: str, request: Any, death: Any) -> None:
    client = request.getfixturevalue(visitor)
    for url in LISTS:
        assert client.get(url).status_code == 403, url
    for url in record_pages(death):
        assert client.get(url).status_code == 404, url
    home = client.get("/p/alpha/")
    assert b"child-deaths/" not in home.content
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_notify_through_the_page(
    as_alice: Client, alpha: Partnership, gamma: Partnership, panel: Any
) -> None:
    died = TODAY - timedelta(days=3)
    data = {
        "panel": panel.pk,
        "home_area": area_of(gamma).pk,
        "first_name": "Leo",
        "surname": "Price",
        "nhs_number": "943 476 5918",
        "date_of_birth": (died - timedelta(days=40)).isoformat(),
        "sex": "male",
        "ethnicity": "white",
        "date_of_death": died.isoformat(),
        "place_of_death": "home",
        "expected": "no",
        "jar_needed": "on",
        "jar_reasons": ["sudden"],
    }
    response = as_alice.post("/p/alpha/child-deaths/new/", data)
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    data["nhs_number"] = VALID_NHS
    response = as_alice.post("/p/alpha/child-deaths/new/", data)
    assert response.status_code == 302
    with tenancy.unscoped():
        death = ChildDeath.objects.get(surname="Price")
    assert death.partnership == gamma and death.jar_reasons == ["sudden"]
    assert as_alice.get(response["Location"]).status_code == 200


def test_ncmd_export_of_a_completed_review(as_alice: Client, death: Any) -> None:
    url = f"/p/alpha/child-deaths/{death.pk}/ncmd.csv"
    assert as_alice.get(url).status_code == 404
    complete(death, on=TODAY, category=8)
    response = as_alice.get(url)
    text = response.content.decode("utf-8-sig")
    assert "8 Perinatal/neonatal event" in text and VALID_NHS in text
    assert LogEntry.objects.filter(additional_data__detail="exported").exists()


def test_a_case_review_number_past_what_the_database_holds_is_refused(
    as_alice: Client, death: Any
) -> None:
    """The form's number field had no upper bound: a number the database cannot hold was a
    500 when saved."""
    response = as_alice.post(
        f"/p/alpha/child-deaths/{death.pk}/review/",
        {"panel_date": str(TODAY), "case_review_id": str(10**20)},
    )
    assert response.status_code == 200
    assert "case_review_id" in response.context["form"].errors
    with tenancy.unscoped():
        assert ChildDeath.objects.get(pk=death.pk).review_or_none() is None


def test_the_linked_case_review_is_named_only_to_those_who_open_its_register(
    as_alice: Client, alice: Any, alpha: Partnership, death: Any
) -> None:
    """The case review of the same child is a record of another register: a CDOP coordinator
    who is not its case review officer sees its number, not its title (the child's pseudonym),
    nor whether it exists; one who opens both registers sees the link, and the read is
    logged."""
    from safeboard.learning import services as learning_services
    from safeboard.learning.models import CaseReview

    with tenancy.partnership_scope(alpha):
        case = learning_services.create_review(
            partnership=alpha, reference="CR-9", child="Child Q", incident_known=TODAY
        )
        services.record_review(
            death,
            panel_date=TODAY,
            completed_on=None,
            category=None,
            modifiable=None,
            case_review_id=case.pk,
        )
    missing = as_alice.get(f"/p/alpha/child-deaths/{death.pk}/").content.decode()
    assert "Child Q" not in missing and "CR-9" not in missing
    assert f"Case review {case.pk}" in missing
    with tenancy.partnership_scope(alpha):
        death.review.case_review_id = case.pk + 1000
        death.review.save()
    absent = as_alice.get(f"/p/alpha/child-deaths/{death.pk}/").content.decode()
    assert "not found" not in absent  # the same words whether or not it exists
    with tenancy.partnership_scope(alpha):
        death.review.case_review_id = case.pk
        death.review.save()
    give_role(alice, alpha, Role.CASE_REVIEW_OFFICER)
    page = as_alice.get(f"/p/alpha/child-deaths/{death.pk}/").content.decode()
    assert "CR-9: Child Q" in page
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(CaseReview),
        object_pk=str(case.pk),
    ).exists()


def test_the_tables_page_shows_the_years_before_and_englands_percentages(
    as_alice: Client, alpha: Partnership, panel: Any, tmp_path: Any
) -> None:
    from datetime import date

    from django.core.management import call_command

    from .conftest import notify

    for done in (date(2015, 6, 1), date(2016, 6, 1), date(2016, 7, 1)):
        death = notify(alpha, panel, date_of_death=date(2015, 1, 5))
        complete(death, on=done, category=8)
    england = tmp_path / "england.csv"
    england.write_text("year,table,row,percent\n2016-17,category,8 Perinatal/neonatal event,35\n")
    call_command("child-deaths", "national", "import", str(england))
    page = as_alice.get("/p/alpha/child-deaths/tables/?year=2016-17").content.decode()
    assert "2014-15" in page and "2015-16" in page and "2016-17 number" in page
    row = page.split("8 Perinatal/neonatal event</th>", 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<td")[1:]]
    assert cells == ["0", "1", "2", "100", "35"]
    total = page.split(">Total</th>", 1)[1].split("</tr>", 1)[0]
    assert [c.split(">", 1)[1].split("<", 1)[0] for c in total.split("<td")[1:4]] == ["0", "1", "2"]
    api = as_alice.get("/api/v1/partnerships/alpha/child-deaths/tables?year=2016-17")
    assert api.status_code == 200
    category = next(t for t in api.json() if t["table"] == "category")
    perinatal = next(r for r in category["rows"] if r["row"] == "8 Perinatal/neonatal event")
    assert perinatal == {
        "row": "8 Perinatal/neonatal event",
        "number": 2,
        "percent": 100,
        "england_percent": 35.0,
    }


def test_a_coordinator_without_a_second_factor_opens_nothing(
    client: Client, alpha: Partnership, death: Any
) -> None:
    from .. import factories as f

    user = f.user("nofactor", p=alpha, roles=[(Role.CDOP_COORDINATOR, None)])
    client.force_login(user)  # signed in with a password only
    for url in LISTS[:1] + record_pages(death)[:1]:
        response = client.get(url)
        assert response.status_code == 302 and "/p/alpha/" not in response["Location"], url
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
