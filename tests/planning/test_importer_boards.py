"""The plan file accepts what boards write: status C, a due date "Nov-16 and ongoing", several
owners (a lead and supporting owners); and refuses "Following each Annual Report" with a hint
of how to write it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.partnership.models import GroupKind
from safeboard.planning import services
from safeboard.planning.models import Action, Plan, Progress, State

from .. import factories as f
from .test_importer import HEADER, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_plan(alpha: Any) -> Plan:
    with tenancy.partnership_scope(alpha):
        return services.create_plan(partnership=alpha, first_year=2016, last_year=2018)


@pytest.fixture
def groups(alpha: Any, police: Any) -> None:
    f.group(alpha, "Neglect task group", GroupKind.TASK_AND_FINISH)
    f.group(alpha, "Early Help Subgroup", GroupKind.SUBGROUP)


def test_what_boards_write_is_imported(alpha: Any, groups: None, empty_plan: Plan) -> None:
    text = f"""{HEADER}
Neglect,1.1,Audit neglect cases,Neglect task group and Early Help Subgroup,Mar-17,,2017-03-01: audit done,C,
Neglect,1.2,Review the toolkit,Early Help Subgroup,Nov-16 and ongoing,,2017-02-01: reviewed,Complete,
Neglect,1.3,Train staff,"Early Help Subgroup, Alpha Police",Jan-17,,,G,
"""  # noqa: E501
    report = run_import(empty_plan, text)
    assert report.ok and report.written, [str(p) for p in report.problems]
    with tenancy.partnership_scope(alpha):
        actions = {a.reference: a for a in Action.objects.filter(plan=empty_plan)}
        first = actions["1.1"]
        assert first.state == State.COMPLETE and first.completed_on == date(2017, 3, 1)
        assert first.owner.name == "Neglect task group"
        assert [g.name for g in first.supporting_groups.all()] == ["Early Help Subgroup"]
        assert first.owners_label == "Neglect task group, with Early Help Subgroup"
        second = actions["1.2"]
        assert second.ongoing and second.review_date == date(2016, 11, 30)
        assert second.status == Progress.COMPLETE
        third = actions["1.3"]
        assert third.owner.name == "Early Help Subgroup"
        assert [a.short_name for a in third.supporting_agencies.all()] == ["POL"]


def test_an_event_is_not_a_due_date(alpha: Any, groups: None, empty_plan: Plan) -> None:
    text = f"""{HEADER}
Neglect,1.1,Publish the report,Early Help Subgroup,Following each Annual Report,,,G,
"""
    report = run_import(empty_plan, text)
    assert not report.written
    messages = [p.message for p in report.problems]
    assert any(
        "‘Following each Annual Report’ is an event, not a date" in m and "ongoing, review" in m
        for m in messages
    ), messages


def test_the_action_page_names_the_supporting_owners(
    alpha: Any, groups: None, empty_plan: Plan, as_alice: Any
) -> None:
    text = f"""{HEADER}
Neglect,1.1,Audit neglect cases,Neglect task group and Early Help Subgroup,Mar-17,,,G,
"""
    assert run_import(empty_plan, text).written
    with tenancy.partnership_scope(alpha):
        action = Action.objects.get(plan=empty_plan, reference="1.1")
    page = as_alice.get(action.get_absolute_url()).content.decode()
    assert "Supporting" in page and "Early Help Subgroup" in page
