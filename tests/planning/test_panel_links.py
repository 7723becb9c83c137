"""Every count on the business plan's home panel is a link to the tracker's list of exactly
the actions it counts (issue 11): the year's actions due and those completed within timescale
(the tracker's `year` and `timescale` filters), overdue, and with no recent update."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning import selectors, services
from safeboard.planning.models import Action, Plan

from .conftest import TODAY, fy_start, make_action

pytestmark = pytest.mark.django_db


def _complete(alpha: Any, action: Action, on: date) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(
            action, by=None, evidence_text="Done", completed_on=on, confirm=True
        )


def _panel(body: str) -> str:
    start = body.index('id="panel-plan"')
    return body[start : body.index("</section>", start)]


@pytest.fixture
def actions(alpha: Any, plan: Plan, police: Any) -> dict[str, Action]:
    year_start = date(fy_start(), 4, 1)
    made = {
        "in_time": make_action(alpha, police, plan=plan, ref="1", due=year_start),
        "late": make_action(alpha, police, plan=plan, ref="2", due=year_start),
        "open": make_action(alpha, police, plan=plan, ref="3", due=year_start),
        "early": make_action(alpha, police, plan=plan, ref="4", due=TODAY + timedelta(30)),
        "not_yet": make_action(alpha, police, plan=plan, ref="5", due=TODAY + timedelta(30)),
        "last_year": make_action(
            alpha, police, plan=plan, ref="6", due=year_start - timedelta(days=10)
        ),
        "ongoing": make_action(
            alpha, police, plan=plan, ref="7", ongoing=True, review_date=TODAY - timedelta(5)
        ),
    }
    _complete(alpha, made["in_time"], year_start)
    _complete(alpha, made["late"], TODAY)
    _complete(alpha, made["early"], TODAY)
    _complete(alpha, made["last_year"], year_start - timedelta(days=20))
    return made


def test_every_count_on_the_plan_panel_links_to_the_list_it_counts(
    as_alice: Client, alpha: Any, plan: Plan, actions: dict[str, Action]
) -> None:
    panel = _panel(as_alice.get("/p/alpha/").content.decode())
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">(\d+)\b', panel)
    with tenancy.partnership_scope(alpha):
        year = selectors.plan_indicators(plan, TODAY).current_year
    assert year is not None and year.due >= 3
    assert [int(count) for _, count in links[:2]] == [year.in_time, year.due]
    # Every number in the panel's text is inside a link.
    text = re.sub(r"<a [^>]*>.*?</a>", "", panel, flags=re.S)
    text = re.sub(r"<[^>]+>|\{\{.*?\}\}", " ", text)
    assert re.findall(r"(?<![\d-])\d+(?![\d%-])", text) == [], text
    assert len(links) == 4  # in time, due, overdue, no update in the last quarter
    for href, count in links:
        page = as_alice.get(unescape(href))
        assert page.status_code == 200
        listed = page.context["page"].paginator.count
        assert listed == int(count), (href, listed, count)
        assert 'data-testid="tracker-count"' in page.content.decode()


def test_the_year_and_timescale_filters_list_exactly_the_counted_actions(
    as_alice: Client, alpha: Any, plan: Plan, actions: dict[str, Action]
) -> None:
    with tenancy.partnership_scope(alpha):
        year = selectors.plan_indicators(plan, TODAY).current_year
    assert year is not None
    base = f"/p/alpha/planning/actions/?plan={plan.pk}&year={fy_start()}"
    in_time = as_alice.get(f"{base}&timescale=in_time")
    listed = {a.pk for a in in_time.context["page"].object_list}
    assert listed == set(year.in_time_ids) == {actions["in_time"].pk, actions["early"].pk}
    due = as_alice.get(f"{base}&timescale=due")
    listed = {a.pk for a in due.context["page"].object_list}
    expected = {actions[k].pk for k in ("in_time", "late", "early")}
    if date(fy_start(), 4, 1) < TODAY:
        expected.add(actions["open"].pk)
    assert listed == expected and len(listed) == year.due
    # The filters are in the form, chosen, so they can be seen and cleared.
    body = due.content.decode()
    assert f'<option value="{fy_start()}" selected>' in body
    assert '<option value="due" selected>' in body


def test_an_unknown_year_or_timescale_is_named_and_left_out(
    as_alice: Client, plan: Plan, actions: dict[str, Action]
) -> None:
    body = as_alice.get("/p/alpha/planning/actions/?year=banana&timescale=never").content.decode()
    assert "Some filters were not understood" in body
