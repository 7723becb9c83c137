"""The exception report: each line with the agency's commentary (the note, the explanation
of a large change, the return it came in), the actions agreed on the indicator (and a way to
add one), and the report as CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.core.tables import TableRow
from safeboard.performance import services
from safeboard.planning import services as planning
from safeboard.planning.models import Action

from ..conftest import consume
from .conftest import indicator, open_round, put

pytestmark = pytest.mark.django_db

URL = "/p/alpha/performance/dataset/exceptions/"


@pytest.fixture
def red(alpha: Any, police: Any) -> Any:
    """P1, owned by the police, lower is better, target 10: 50 in 2025-26 Q2 is red."""
    found = indicator(
        alpha, "P1", title="Missing episodes", owner=police, polarity="low", target=(10.0, 10.0)
    )
    put(alpha, found, "2025-26 Q1", 40)
    put(alpha, found, "2025-26 Q2", 50, note="Two children went missing repeatedly")
    return found


def test_each_line_shows_the_agencys_commentary(as_alice: Client, red: Any) -> None:
    page = as_alice.get(URL + "?period=2025-26+Q2").content.decode()
    section = page[page.index('data-testid="exception-P1"') :]
    assert "Two children went missing repeatedly" in section
    assert f"/performance/dataset/indicators/{red.pk}/#values-caption" in section


def test_a_figure_from_a_return_links_to_the_return_and_its_explanation(
    as_alice: Client, alpha: Any, police: Any, red: Any
) -> None:
    collection = open_round(alpha, "2025-26 Q3")
    with tenancy.partnership_scope(alpha):
        agency_return = collection.returns.get(agency=police)
        services.enter_return_values(
            agency_return,
            [
                TableRow(
                    2,
                    {
                        "indicator": "P1",
                        "period": "2025-26 Q3",
                        "value": "90",
                        "comment": "A new recording system",
                    },
                )
            ],
        )
        agency_return.values.update(released=True)
    page = as_alice.get(URL + "?period=2025-26+Q3").content.decode()
    section = page[page.index('data-testid="exception-P1"') :]
    assert "A new recording system" in section
    assert f"/performance/returns/{collection.pk}/{police.pk}/" in section


def test_each_line_links_to_the_actions_on_its_indicator(
    as_alice: Client, alpha: Any, police: Any, red: Any
) -> None:
    page = as_alice.get(URL + "?period=2025-26+Q2").content.decode()
    assert "None yet" in page
    add = f"/p/alpha/planning/actions/new/?source=indicator&amp;record={red.pk}"
    assert add in page
    form = as_alice.get(add.replace("&amp;", "&")).content.decode()
    assert "Missing episodes" in form  # the source details name the indicator
    response = as_alice.post(
        add.replace("&amp;", "&"),
        {
            "source": "indicator",
            "source_label": "P1 Missing episodes",
            "text": "Review return-home interviews",
            "owner": f"agency:{police.pk}",
            "due": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenancy.partnership_scope(alpha):
        action = Action.objects.get()
    assert action.source_record == red
    page = as_alice.get(URL + "?period=2025-26+Q2").content.decode()
    tracker = f"/p/alpha/planning/actions/?source=indicator&amp;record={red.pk}&amp;when=all"
    assert tracker in page and "1 action" in page
    other = indicator(alpha, "P9", owner=police)
    with tenancy.partnership_scope(alpha):
        planning.create_action(
            partnership=alpha,
            source="indicator",
            source_record=other,
            text="Something else",
            owner=police,
            due=timezone.localdate() + timedelta(days=3),
        )
    listed = as_alice.get(tracker.replace("&amp;", "&")).content.decode()
    assert "Review return-home interviews" in listed and "Something else" not in listed


def test_another_partnerships_indicator_cannot_be_an_actions_record(
    as_alice: Client, beta: Any
) -> None:
    theirs = indicator(beta, "B1")
    response = as_alice.get(f"/p/alpha/planning/actions/new/?source=indicator&record={theirs.pk}")
    assert response.status_code == 404


def test_the_exception_report_downloads_as_csv_and_excel(as_alice: Client, red: Any) -> None:
    response = as_alice.get("/p/alpha/performance/dataset/exceptions.csv?period=2025-26+Q2")
    rows = list(csv.DictReader(io.StringIO(consume(response).decode("utf-8-sig"))))
    assert [r["Indicator"] for r in rows] == ["P1"]
    assert rows[0]["RAG"] == "Red" and rows[0]["Agency’s note"].startswith("Two children")
    assert rows[0]["Indicator page"].endswith(f"/p/alpha/performance/dataset/indicators/{red.pk}/")
    book = load_workbook(
        io.BytesIO(
            consume(as_alice.get("/p/alpha/performance/dataset/exceptions.xlsx?period=2025-26+Q2"))
        )
    )
    sheet = book["Exceptions"]
    assert sheet["A1"].value == "Indicator" and sheet["A2"].value == "P1"
