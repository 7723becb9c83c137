"""Planning on the home page and in the navigation, the meeting page's summary tag, and the
demo partnership's plan, risks and challenges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from safeboard.core import demo, tenancy
from safeboard.planning import selectors
from safeboard.planning.models import Action, Challenge, Plan, Risk, Source, State

from .. import factories as f
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_your_actions_and_the_plan(
    as_bob: Client, plan: Plan, police_action: Action
) -> None:
    body = as_bob.get("/p/alpha/").content.decode()
    assert 'href="/p/alpha/planning/"' in body  # the navigation entry
    link = '<a class="govuk-link" href="/p/alpha/planning/actions/?who=agency&amp;when=open">'
    assert f"Your agency’s actions: {link}1 open</a>" in body
    assert f"Business plan {plan.label}" in body


def test_a_read_only_member_without_actions_sees_no_actions_panel(
    as_vera: Client, plan: Plan
) -> None:
    body = as_vera.get("/p/alpha/").content.decode()
    assert 'id="panel-actions"' not in body and 'id="panel-plan"' in body


def test_the_meeting_page_shows_its_actions(
    as_vera: Client, alpha: Any, board: Any, police: Any
) -> None:
    meeting = f.meeting(board, TODAY - timedelta(days=2))
    make_action(alpha, police, source=Source.MEETING, source_record=meeting, report_to=meeting)
    html = as_vera.get(f"/p/alpha/meetings/{meeting.pk}/").content.decode()
    assert "1 action agreed at this meeting; 1 due to it." in html
    assert f'href="/p/alpha/planning/meetings/{meeting.pk}/actions/"' in html


def test_the_demo_plan() -> None:
    ctx = demo.load()
    planning = ctx.extra["planning"]
    plan = planning["plan"]
    with tenancy.partnership_scope(ctx.partnership):
        actions = list(Action.objects.filter(plan=plan))
        assert 38 <= len(actions) <= 42
        assert plan.themes.count() == 8
        assert plan.first_year <= ctx.today.year <= plan.last_year + 1
        assert sum(1 for a in actions if a.slipped) >= 5
        assert sum(1 for a in actions if a.carried_from_id) == 2
        assert {a.state for a in actions} == {
            State.OPEN,
            State.COMPLETE,
            State.AWAITING_CONFIRMATION,
        }
        assert all(a.updates.exists() or a.status == "not_started" for a in actions)
        assert Risk.objects.count() == 13 and Challenge.objects.count() == 6
        assert Action.objects.filter(source=Source.MEETING).count() == 6
        assert (
            Action.objects.exclude(source__in=[Source.BUSINESS_PLAN, Source.MEETING]).count() >= 3
        )
        indicators = selectors.plan_indicators(plan, ctx.today)
        assert indicators.whole.percent is not None and 30 < indicators.whole.percent < 95
        assert indicators.overdue and indicators.stale
        assert planning["previous_plan"].is_closed
        statuses = {c.status_on(ctx.today) for c in Challenge.objects.all()}
        assert statuses == {"awaiting", "overdue", "responded", "escalated", "closed"}


def test_the_demo_has_a_risk_closed_in_its_report_year_and_the_report_says_so() -> None:
    from safeboard.core import words
    from safeboard.core.periods import FinancialYear
    from safeboard.reporting.document import Paragraph
    from safeboard.reports import services as report_services

    ctx = demo.load()
    report = ctx.extra["report"]
    year = FinancialYear(report.year)
    with tenancy.partnership_scope(ctx.partnership):
        closed = [
            r
            for r in Risk.objects.filter(status="closed")
            if r.closed_on and year.contains(r.closed_on)
        ]
        assert len(closed) == 1
        risk = closed[0]
        doc = report_services.document(report)
    section = next(s for s in doc.sections if s.key == "planning.risks")
    text = " ".join(b.markdown for b in section.blocks if isinstance(b, Paragraph))
    assert f"{risk.reference} ({risk.title}), closed on {words.day(risk.closed_on)}" in text
