"""The web pages of the performance module, as alice (business unit administrator of Alpha),
bob (police contributor in Alpha) and charlie (administrator of Beta, an outsider)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.performance.models import (
    AgencyReturn,
    CollectionRound,
    DefinitionVersion,
    Indicator,
    RagOverride,
    ReturnStatus,
    RoundStatus,
    Value,
)

from ..conftest import consume, sign_in
from .conftest import indicator, open_round, put


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"performance:{name}", kwargs={"partnership": "alpha", **kwargs})


@pytest.fixture
def data(alpha: Any, police: Any, health: Any, population: None) -> dict[str, Any]:
    arrests = indicator(
        alpha, "P1", title="Arrests", owner=police, polarity="low", target=(100.0, 100.0)
    )
    share = indicator(
        alpha,
        "P2",
        title="Share",
        unit="percent",
        decimals=1,
        owner=police,
        polarity="high",
        target=(80.0, 80.0),
    )
    beds = indicator(alpha, "H1", title="Beds", owner=health)
    for period, value in (("2025-26 Q1", 90), ("2025-26 Q2", 120)):
        put(alpha, arrests, period, value)
    collection = open_round(alpha, "2025-26 Q3", due=date(2026, 1, 30))
    with tenancy.partnership_scope(alpha):
        police_return = collection.returns.get(agency=police)
        health_return = collection.returns.get(agency=health)
    return {
        "arrests": arrests,
        "share": share,
        "beds": beds,
        "round": collection,
        "police_return": police_return,
        "health_return": health_return,
    }


def pages(d: dict[str, Any]) -> list[tuple[str, dict[str, Any], int, int]]:
    """(url name, kwargs, alice's status, bob's status) of every page, by GET."""
    r, pr, hr = d["round"], d["police_return"], d["health_return"]
    return [
        ("scorecard", {}, 200, 403),
        ("scorecard-csv", {}, 200, 403),
        ("scorecard-xlsx", {}, 200, 403),
        ("exceptions", {}, 200, 403),
        ("indicators", {}, 200, 403),
        ("indicator", {"pk": d["arrests"].pk}, 200, 403),
        ("indicator-new", {}, 200, 403),
        ("indicator-edit", {"pk": d["arrests"].pk}, 200, 403),
        ("indicator-definition", {"pk": d["arrests"].pk}, 200, 403),
        ("indicator-target", {"pk": d["arrests"].pk}, 200, 403),
        ("indicator-override", {"pk": d["arrests"].pk}, 200, 403),
        ("indicators-import", {}, 200, 403),
        ("values-import", {}, 200, 403),
        ("comparators", {}, 200, 403),
        ("rounds", {}, 200, 200),
        ("round-new", {}, 200, 403),
        ("round", {"pk": r.pk}, 200, 200),
        ("return", {"pk": r.pk, "agency": pr.agency_id}, 200, 200),
        ("return", {"pk": r.pk, "agency": hr.agency_id}, 200, 404),
        ("return-template", {"pk": r.pk, "agency": pr.agency_id}, 200, 200),
        ("return-template", {"pk": r.pk, "agency": hr.agency_id}, 200, 404),
    ]


@pytest.mark.django_db
def test_every_page_as_alice_bob_and_charlie(
    client: Client, alice: Any, bob: Any, charlie: Any, data: dict
) -> None:
    checks = pages(data)
    for who, column in ((alice, 2), (bob, 3), (charlie, None)):
        sign_in(client, who)
        for name, kwargs, *statuses in checks:
            response = client.get(url(name, **kwargs))
            consume(response)
            expected = 404 if column is None else statuses[column - 2]
            assert response.status_code == expected, (who.username, name, kwargs)
        client.logout()


def test_the_scorecard_shows_figures_ratings_and_trends_in_words(
    as_alice: Client, data: dict
) -> None:
    response = as_alice.get(url("scorecard") + "?period=2025-26+Q2")
    html = response.content.decode()
    assert response.status_code == 200
    row = re.search(r'data-testid="row-P1".*?</tr>', html, re.S)
    assert row is not None
    text = row.group(0)
    assert "120" in text and "Red" in text and "Declining" in text
    # The small chart is a JSON spec in a data block, never an inline script.
    assert f'<script id="spark-{data["arrests"].pk}" type="application/json">' in html
    spec = json.loads(
        re.search(
            rf'id="spark-{data["arrests"].pk}" type="application/json">(.*?)</script>', html, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    assert [p["value"] for p in spec["layer"][0]["data"]["values"]] == [90, 120]
    assert "vega-embed.min.js" in html


def test_the_public_csv_and_the_excel_export(as_alice: Client, data: dict) -> None:
    put(data["arrests"].partnership, data["arrests"], "2025-26 Q3", 4)
    response = as_alice.get(url("scorecard-csv") + "?period=2025-26+Q3&public=1")
    assert response["Content-Type"].startswith("text/csv")
    assert "public" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    p1 = next(line for line in lines if line.startswith("P1,"))
    assert ",c,,c," in p1  # value c, no raw value, status c
    workbook = load_workbook(io.BytesIO(as_alice.get(url("scorecard-xlsx")).content))
    assert workbook.sheetnames == ["Scorecard", "About"]


def test_alice_adds_an_indicator_records_a_definition_change_and_a_target(
    as_alice: Client, alpha: Any, police: Any
) -> None:
    response = as_alice.post(
        url("indicator-new"),
        {
            "code": "N1",
            "title": "New one",
            "unit": "percent",
            "decimals": "",
            "polarity": "high",
            "frequency": "quarterly",
            "period_kind": "flow",
            "owner": police.pk,
            "change_threshold": "25",
            "order": "0",
            "active": "on",
            "new_themes": "Neglect; Early help",
            "definition": "First words",
        },
    )
    with tenancy.partnership_scope(alpha):
        ind = Indicator.objects.get(code="N1")
        assert response.url == url("indicator", pk=ind.pk)
        assert sorted(t.name for t in ind.themes.all()) == ["Early help", "Neglect"]
        assert ind.decimals == 1  # left empty: a percentage's usual places
    response = as_alice.post(
        url("indicator-definition", pk=ind.pk),
        {"effective_from": "2025-04-01", "definition": "Better words", "reason": "Clarified"},
    )
    assert response.status_code == 302
    response = as_alice.post(
        url("indicator-target", pk=ind.pk),
        {"from_year": "2025", "target": "5-7.5", "tolerance": "1"},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        assert DefinitionVersion.objects.filter(indicator=ind).count() == 2
        target = ind.targets.get()
        assert (target.from_year, target.low, target.high, target.tolerance) == (2025, 5, 7.5, 1)
    page = as_alice.get(url("indicator", pk=ind.pk)).content.decode()
    assert "1 April 2025" in page and "Clarified" in page and "5-7.5" in page


def test_a_bad_target_is_explained(as_alice: Client, data: dict) -> None:
    response = as_alice.post(url("indicator-target", pk=data["arrests"].pk), {"target": "lots"})
    assert response.status_code == 200
    assert "‘lots’ is not a target" in response.content.decode()


def test_a_rating_is_overridden_only_with_a_reason(
    as_alice: Client, alpha: Any, data: dict
) -> None:
    target = url("indicator-override", pk=data["arrests"].pk)
    response = as_alice.post(target, {"period": "2025-26 Q2", "rag": "A", "reason": ""})
    assert response.status_code == 200
    assert "Enter why the computed rating is overridden" in response.content.decode()
    response = as_alice.post(
        target, {"period": "2025-26 Q2", "rag": "A", "reason": "One large family"}
    )
    assert response.status_code == 302
    html = as_alice.get(url("scorecard") + "?period=2025-26+Q2").content.decode()
    row = re.search(r'data-testid="row-P1".*?</tr>', html, re.S)
    assert row is not None and "Amber" in row.group(0) and "overridden" in row.group(0)
    assert "One large family" in row.group(0)  # the reason is shown to every reader
    as_alice.post(target, {"period": "2025-26 Q2", "remove": "1"})
    with tenancy.partnership_scope(alpha):
        assert not RagOverride.objects.exists()


def test_importing_values_through_the_page(as_alice: Client, alpha: Any, data: dict) -> None:
    csv_text = "indicator,period,value\nP1,2025-26 Q3,7\nP1,2025-26 Q4,lots\n"
    response = as_alice.post(
        url("values-import"),
        {"file": SimpleUploadedFile("v.csv", csv_text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Row 3: value ‘lots’ is not a number" in response.content.decode()
    good = "indicator,period,value\nP1,2025-26 Q4,7\n"
    response = as_alice.post(
        url("values-import"),
        {"file": SimpleUploadedFile("v.csv", good.encode()), "dry_run": "on"},
    )
    assert "Checked: nothing saved" in response.content.decode()
    response = as_alice.post(
        url("values-import"), {"file": SimpleUploadedFile("v.csv", good.encode())}
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        assert Value.objects.get(period="2025-26 Q4").value == 7


def test_alice_opens_a_round_reminds_and_locks_it(as_alice: Client, alpha: Any, data: dict) -> None:
    response = as_alice.post(url("round-new"), {"period": "2025-26 Q4", "due": "2026-04-30"})
    with tenancy.partnership_scope(alpha):
        collection = CollectionRound.objects.get(period="2025-26 Q4")
    assert response.url == url("round", pk=collection.pk)
    page = as_alice.get(url("round", pk=data["round"].pk)).content.decode()
    assert 'data-testid="agency-POL"' in page and "0 of 2" in page
    assert as_alice.post(url("round-remind", pk=data["round"].pk)).status_code == 302
    assert as_alice.post(url("round-lock", pk=data["round"].pk)).status_code == 302
    with tenancy.partnership_scope(alpha):
        assert CollectionRound.objects.get(pk=data["round"].pk).status == RoundStatus.LOCKED


def _form(agency_return: AgencyReturn, values: dict[str, dict[str, str]]) -> dict[str, str]:
    """The return form's fields, as the page sends them, with `values` by indicator code."""
    from safeboard.performance import selectors

    with tenancy.partnership_scope(agency_return.partnership):
        expected = selectors.return_rows(agency_return)
    post: dict[str, str] = {}
    for n, row in enumerate(expected, start=1):
        post[f"r{n}-indicator"] = row.indicator.code
        post[f"r{n}-period"] = row.period.label
        for name, text in values.get(row.indicator.code, {}).items():
            post[f"r{n}-{name}"] = text
    return post


def test_bob_enters_the_police_return_with_every_problem_shown(
    as_bob: Client, alpha: Any, data: dict
) -> None:
    pr = data["police_return"]
    target = url("return", pk=pr.round_id, agency=pr.agency_id)
    bad = _form(
        pr,
        {"P1": {"value": "lots"}, "P2": {"value": "20.1", "numerator": "87", "denominator": "443"}},
    )
    response = as_bob.post(target, bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem: nothing was saved" in html
    assert "value ‘lots’ is not a number" in html
    assert "value 20.1 disagrees with 87 / 443 = 19.6" in html
    assert 'href="#r1-value"' in html  # the summary links to the field
    with tenancy.partnership_scope(alpha):
        assert not pr.values.exists()
    good = _form(pr, {"P1": {"value": "130"}, "P2": {"numerator": "87", "denominator": "443"}})
    response = as_bob.post(target, {**good, "action": "submit"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        pr.refresh_from_db()
        assert pr.status == ReturnStatus.READY
        assert sorted(v.indicator.code for v in pr.values.all()) == ["P1", "P2"]
    page = as_bob.get(target).content.decode()
    assert "Needs a comment" not in page  # 120 to 130 is a rise of 8%


def test_the_return_checks_a_row_as_it_is_typed(as_bob: Client, data: dict) -> None:
    pr = data["police_return"]
    check = url("return-check", pk=pr.round_id, agency=pr.agency_id)
    form = _form(pr, {"P1": {"value": "200"}, "P2": {"value": "101"}})
    first = as_bob.post(check, {**form, "row": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Will be saved as <strong>200</strong>" in first
    assert "Needs a comment:" in first and "Up 67% from 120 in 2025-26 Q2" in first
    second = as_bob.post(check, {**form, "row": "2"}).content.decode()
    assert "Value 101 is outside 0 to 100 for a percentage" in second
    blank = as_bob.post(check, {**_form(pr, {}), "row": "2"}).content.decode()
    assert "No figure yet" in blank
    assert as_bob.post(check, {"row": "99"}).status_code == 404


def test_bob_cannot_see_or_change_the_health_return(as_bob: Client, data: dict) -> None:
    hr = data["health_return"]
    for name in ("return", "return-check", "return-upload", "return-submit", "return-sign-off"):
        response = as_bob.post(url(name, pk=hr.round_id, agency=hr.agency_id), {"row": "1"})
        assert response.status_code == 404, name


def test_the_template_round_trips(as_bob: Client, alpha: Any, data: dict) -> None:
    pr = data["police_return"]
    download = as_bob.get(url("return-template", pk=pr.round_id, agency=pr.agency_id))
    workbook = load_workbook(io.BytesIO(download.content))
    sheet = workbook["Return"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["indicator", "title", "unit", "period"]
    assert [(r[0].value, r[3].value) for r in sheet.iter_rows(min_row=2)] == [
        ("P1", "2025-26 Q3"),
        ("P2", "2025-26 Q3"),
    ]
    sheet["E2"] = 95
    sheet["F3"] = 40
    sheet["G3"] = 50
    filled = io.BytesIO()
    workbook.save(filled)
    response = as_bob.post(
        url("return-upload", pk=pr.round_id, agency=pr.agency_id),
        {"file": SimpleUploadedFile("return.xlsx", filled.getvalue())},
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        got = {v.indicator.code: v.value for v in pr.values.all()}
    assert got == {"P1": 95, "P2": 80.0}
    sheet["E2"] = "ninety"
    broken = io.BytesIO()
    workbook.save(broken)
    response = as_bob.post(
        url("return-upload", pk=pr.round_id, agency=pr.agency_id),
        {"file": SimpleUploadedFile("return.xlsx", broken.getvalue())},
    )
    assert response.status_code == 400
    assert "Row 2: value ‘ninety’ is not a number" in response.content.decode()


def test_only_the_lead_signs_off_and_only_when_confirmed(
    client: Client, as_bob: Client, alpha: Any, lead: Any, data: dict
) -> None:
    pr = data["police_return"]
    as_bob.post(
        url("return", pk=pr.round_id, agency=pr.agency_id),
        _form(pr, {"P1": {"value": "110"}, "P2": {"value": "85"}}),
    )
    sign_off = url("return-sign-off", pk=pr.round_id, agency=pr.agency_id)
    assert as_bob.post(sign_off, {"confirm": "yes"}).status_code == 403
    lena = sign_in(Client(), lead)
    lena.post(sign_off, {})
    with tenancy.partnership_scope(alpha):
        pr.refresh_from_db()
        assert pr.status == ReturnStatus.DRAFT
    response = lena.post(sign_off, {"confirm": "yes"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        pr.refresh_from_db()
        assert pr.status == ReturnStatus.SIGNED_OFF and pr.signed_off_by == lead
    page = as_bob.get(url("return", pk=pr.round_id, agency=pr.agency_id)).content.decode()
    assert 'data-testid="return-figures"' in page  # read-only now
    assert "Correct" in page


def test_bob_corrects_a_released_police_figure(as_bob: Client, alpha: Any, data: dict) -> None:
    with tenancy.partnership_scope(alpha):
        value = Value.objects.get(indicator=data["arrests"], period="2025-26 Q2")
    target = url("value-correct", pk=value.pk)
    response = as_bob.post(target, {"value": "119"})
    assert response.status_code == 200
    assert "Enter why the figure is corrected" in response.content.decode()
    response = as_bob.post(target, {"value": "119", "reason": "Duplicate arrest removed"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        current = Value.objects.get(indicator=data["arrests"], period="2025-26 Q2", current=True)
    assert (current.value, current.version) == (119, 2)


def test_contributors_see_their_returns_on_the_home_page(as_bob: Client, data: dict) -> None:
    html = as_bob.get(reverse("partnership:home", kwargs={"partnership": "alpha"})).content
    page = html.decode()
    assert "Your data returns" in page and "POL return" in page
    assert "Performance</a>" not in page  # the scorecard is not in a contributor's menu
    assert "Data returns" in page


def test_the_module_address_sends_each_to_their_part(
    as_bob: Client, client: Client, alice: Any, data: dict
) -> None:
    assert as_bob.get(url("index")).url == url("rounds")
    alice_client = sign_in(Client(), alice)
    assert alice_client.get(url("index")).url == url("scorecard")


def test_every_write_as_bob_and_charlie(client: Client, bob: Any, charlie: Any, data: dict) -> None:
    """Bob may not manage the dataset (403); charlie finds nothing of Alpha's (404)."""
    with tenancy.partnership_scope(data["arrests"].partnership):
        value = Value.objects.filter(indicator=data["arrests"]).first()
    assert value is not None
    r, hr = data["round"], data["health_return"]
    writes = [
        ("indicator-new", {}, 403),
        ("indicator-edit", {"pk": data["arrests"].pk}, 403),
        ("indicator-definition", {"pk": data["arrests"].pk}, 403),
        ("indicator-target", {"pk": data["arrests"].pk}, 403),
        ("indicator-override", {"pk": data["arrests"].pk}, 403),
        ("indicators-import", {}, 403),
        ("values-import", {}, 403),
        ("round-new", {}, 403),
        ("round-lock", {"pk": r.pk}, 403),
        ("round-remind", {"pk": r.pk}, 403),
        ("return-sign-off", {"pk": r.pk, "agency": data["police_return"].agency_id}, 403),
        ("return-submit", {"pk": r.pk, "agency": hr.agency_id}, 404),
        ("value-correct", {"pk": value.pk}, 200),  # bob may correct a police figure
    ]
    for who, default in ((bob, None), (charlie, 404)):
        sign_in(client, who)
        for name, kwargs, bobs in writes:
            response = client.post(url(name, **kwargs), {})
            consume(response)
            assert response.status_code == (default or bobs), (who.username, name)
        client.logout()
    with tenancy.partnership_scope(data["arrests"].partnership):
        assert CollectionRound.objects.get(pk=r.pk).status == RoundStatus.OPEN


def test_rounds_are_listed_newest_first(as_alice: Client, alpha: Any, data: dict) -> None:
    open_round(alpha, "2024-25 Q4")
    open_round(alpha, "2025-26 Q4")
    page = as_alice.get(url("rounds")).content.decode()
    order = [page.index(p) for p in ("2025-26 Q4", "2025-26 Q3", "2024-25 Q4")]
    assert order == sorted(order)
