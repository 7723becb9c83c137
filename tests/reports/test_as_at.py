"""The partnership's figures for a year are those of the year: a group established later, or
recorded with no sign of existing in the year, is not in it; a meeting after the year does not
change the year's attendance; and the child population names the estimate it uses."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import AreaPopulation, GroupKind
from safeboard.reporting.document import Document, Paragraph

from .. import factories as f
from .test_document import build, table

pytestmark = pytest.mark.django_db


def _groups(doc: Document) -> list[str]:
    return [row[0].text.lstrip("— ") for row in table(doc, "The partnership’s groups").rows]


def test_a_group_established_after_the_year_is_not_in_its_report(
    report: Any, year_data: dict[str, Any]
) -> None:
    before = build(report)
    assert _groups(before) == ["Alpha Board"]
    board = year_data["board"]
    f.group(report.partnership, "Later Subgroup", GroupKind.SUBGROUP, parent=board)  # no date
    f.group(
        report.partnership,
        "New Task Group",
        GroupKind.TASK_AND_FINISH,
        parent=board,
        established=date(2017, 9, 1),
    )
    met = f.group(report.partnership, "Audit Subgroup", GroupKind.SUBGROUP, parent=board)
    f.meeting(met, date(2017, 1, 10))  # no date recorded, but it met in the year
    after = build(report)
    assert _groups(after) == ["Alpha Board", "Audit Subgroup"]


def test_a_meeting_after_the_year_does_not_change_its_attendance(
    report: Any, year_data: dict[str, Any]
) -> None:
    before = build(report).figures
    f.meeting(year_data["board"], date(2017, 4, 20))
    after = build(report).figures
    for key in ("attendance.meetings", "attendance.overall_rate"):
        assert after[key].value == before[key].value


def test_the_population_names_the_estimate_it_uses(report: Any, year_data: dict[str, Any]) -> None:
    with tenancy.partnership_scope(report.partnership):
        AreaPopulation.objects.filter(year=2016).delete()
    doc = build(report)
    figure = doc.figures["population.children"]
    assert figure.value == 91800
    assert "2015-16" in figure.label and "2015-16" in figure.source
    text = " ".join(
        b.markdown
        for s in doc.sections
        if s.key == "local.picture"
        for b in s.blocks
        if isinstance(b, Paragraph)
    )
    assert "not recorded" not in text
    assert "2015-16 estimate" in text
    # Entered later, the year's own estimate is used.
    with tenancy.partnership_scope(report.partnership):
        partnership_services.set_population(year_data["area"], 2016, 92800)
    assert build(report).figures["population.children"].value == 92800


def test_the_reports_plan_section_says_its_date_and_why_the_plan_page_differs(
    report: Any, police: Any
) -> None:
    from safeboard.planning import services as planning

    with tenancy.partnership_scope(report.partnership):
        planning.create_plan(partnership=report.partnership, first_year=2016, last_year=2016)
    doc = build(report)
    text = " ".join(
        b.markdown
        for s in doc.sections
        if s.key == "planning.plan"
        for b in s.blocks
        if isinstance(b, Paragraph)
    )
    assert "as it stood on 31 March 2017" in text
    assert "the plan’s page in Safeboard shows it as it stands today" in text
