"""Who sees what: lara (the LADO) opens the register; alice (business unit) and bob (police
contributor) are refused its records but see the tables, with disclosure control; charlie
(another partnership) gets 404 everywhere; every read of a record is logged."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from ..conftest import consume

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"allegations:{name}", args=["alpha", *args])


def test_the_lado_opens_records_others_are_refused_outsiders_404(
    one: Any, visitors: dict[str, Client]
) -> None:
    as_lara, as_alice, as_bob, as_charlie = visitors.values()
    for name, args in (("index", ()), ("detail", (one.pk,)), ("export", ()), ("edit", (one.pk,))):
        assert as_lara.get(url(name, *args)).status_code == 200
        assert as_alice.get(url(name, *args)).status_code == 403
        assert as_bob.get(url(name, *args)).status_code == 403
        assert as_charlie.get(url(name, *args)).status_code == 404
    api = f"/api/v1/partnerships/alpha/allegations/{one.pk}"
    assert as_lara.get(api).status_code == 200
    assert as_alice.get(api).status_code == 404
    assert as_bob.get(api).status_code == 404
    assert as_charlie.get(api).status_code == 404


def test_another_partnerships_record_is_404(one: Any, as_charlie: Client, beta: Any) -> None:
    from safeboard.partnership.models import Role

    from .. import factories as f
    from ..conftest import sign_in

    beta_lado = f.user("bella", p=beta, roles=[(Role.LADO, None)])
    client = sign_in(Client(), beta_lado)
    assert client.get(reverse("allegations:detail", args=["beta", one.pk])).status_code == 404
    assert client.get(f"/api/v1/partnerships/beta/allegations/{one.pk}").status_code == 404


def test_every_read_is_logged(one: Any, as_lara: Client, lara: Any) -> None:
    def logged(detail: str) -> int:
        return LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS,
            object_pk=str(one.pk),
            actor=lara,
            additional_data__detail=detail,
        ).count()

    assert as_lara.get(url("index")).status_code == 200
    assert logged("listed") == 1
    response = as_lara.get(url("detail", one.pk))
    assert logged("read") == 1
    assert "no-store" in response["Cache-Control"]
    consume(as_lara.get(url("export")))
    assert logged("exported") == 1
    as_lara.get("/api/v1/partnerships/alpha/allegations")
    assert logged("listed") == 2
    as_lara.get(f"/api/v1/partnerships/alpha/allegations/{one.pk}")
    assert logged("read") == 2
    entry = LogEntry.objects.filter(object_pk=str(one.pk), action=LogEntry.Action.ACCESS).first()
    assert entry is not None
    assert entry.additional_data["register"] == "allegations"


def test_tables_for_every_member_with_disclosure_outside_the_service(
    one: Any, visitors: dict[str, Client]
) -> None:
    as_lara, as_alice, as_bob, as_charlie = visitors.values()
    query = "?year=2016-17"
    inside = as_lara.get(url("tables") + query)
    outside = as_bob.get(url("tables") + query)
    assert inside.status_code == outside.status_code == 200
    assert as_alice.get(url("tables") + query).status_code == 200
    assert as_charlie.get(url("tables") + query).status_code == 404
    assert not inside.context["public"]
    assert outside.context["public"]
    _, rows = outside.context["files"]["outcomes.csv"]
    assert ["Substantiated", "c"] in rows and ["Allegations", "c"] in rows
    _, rows = inside.context["files"]["outcomes.csv"]
    assert ["Substantiated", 1] in rows
    # Reading tables reads no record: nothing in the access log.
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    api = as_bob.get("/api/v1/partnerships/alpha/allegations/tables?year=2016-17").json()
    assert api["public"] and api["allegations"] == "c"


def test_terms_kept_by_the_lado_and_the_business_unit(visitors: dict[str, Client]) -> None:
    as_lara, as_alice, as_bob, _ = visitors.values()
    assert as_lara.get(url("terms")).status_code == 200
    response = as_alice.post(url("terms"), {"list": "category", "name": "Online"})
    assert response.status_code == 302
    assert as_bob.get(url("terms")).status_code == 403
    page = as_alice.get(url("terms")).content.decode()
    categories = page[page.index('data-testid="terms-category"') :]
    categories = categories[: categories.index("</table>")]
    assert categories.index("Neglect") < categories.index("Online")


def test_terms_added_from_a_file_on_the_page(visitors: dict[str, Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_lara, as_alice, as_bob, as_charlie = visitors.values()

    def upload(client: Client, text: str) -> Any:
        data = SimpleUploadedFile("terms.csv", text.encode(), content_type="text/csv")
        return client.post(url("terms"), {"file": data})

    assert upload(as_alice, "list,term\ncategory,Online\n").status_code == 302
    page = as_lara.get(url("terms")).content.decode()
    assert "Online" in page[page.index('data-testid="terms-category"') :]
    refused = upload(as_lara, "list,term\nweather,Sunny\n")
    assert (
        refused.status_code == 200 and "Row 2: ‘weather’ is not a list" in refused.content.decode()
    )
    assert upload(as_bob, "list,term\ncategory,Other\n").status_code == 403
    assert upload(as_charlie, "list,term\ncategory,Other\n").status_code == 404
