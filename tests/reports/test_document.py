from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.reporting.document import Document, Table
from safeboard.reports import checks, services

from .conftest import section, write


def build(report: Any, edition: str = "board") -> Document:
    with tenancy.partnership_scope(report.partnership):
        return services.document(report, edition)


def table(doc: Document, caption_start: str) -> Table:
    for s in doc.sections:
        for block in s.blocks:
            if isinstance(block, Table) and block.caption.startswith(caption_start):
                return block
    raise AssertionError(f"no table {caption_start}")


@pytest.mark.django_db
def test_figures_are_computed_from_the_records(report: Any) -> None:
    doc = build(report)
    figures = doc.figures
    # Three meetings; agency places: police 2 of 3 (present, deputy, absent), health 2 of 3
    # (apologies, present, apologies -> 1 of 3), independent chair 3 of 3.
    assert figures["attendance.meetings"].value == 3
    assert figures["attendance.overall_rate"].value == pytest.approx(100 * 6 / 9)
    assert figures["attendance.overall_rate"].text == "67%"
    assert figures["population.children"].value == 92800
    assert figures["population.change"].text == "+3.1%"  # 90,000 to 92,800
    assert all(f.source for f in figures.values())
    attendance = table(doc, "Board attendance by agency")
    rows = {row[0].text: [c.text for c in row[1:]] for row in attendance.rows}
    assert rows == {
        "Alpha Hospitals Trust": ["3", "1", "33%"],
        "Alpha Police": ["3", "2", "67%"],
        "Chair Person (no agency)": ["3", "3", "100%"],
        "Overall": ["9", "6", "67%"],
    }
    assert attendance.total_row


@pytest.mark.django_db
def test_the_template_sections_are_in_order(report: Any) -> None:
    doc = build(report)
    keys = [s.key for s in doc.sections]
    assert keys[:3] == ["summary", "foreword", "introduction"]
    assert (
        keys.index("local.picture")
        < keys.index("governance.attendance")
        < keys.index("priorities")
        < keys.index("glossary")
    )
    assert checks.blocking(doc.problems) == []


@pytest.mark.django_db
def test_the_checks_refuse_placeholders_and_empty_sections(report: Any) -> None:
    write(report, "foreword", "Our attendance was good. INSERT REPORT LINK. Approved: TBC")
    write(report, "priorities", "")
    doc = build(report)
    messages = [(p.section, p.message) for p in checks.blocking(doc.problems)]
    assert (
        "foreword",
        "‘INSERT REPORT LINK’ is a placeholder: write the text or remove it",
    ) in messages
    assert ("foreword", "‘TBC’ is a placeholder: write the text or remove it") in messages
    assert any(s == "priorities" and "empty" in m for s, m in messages)


@pytest.mark.django_db
def test_the_verb_insert_is_not_a_placeholder(report: Any) -> None:
    write(report, "foreword", "We insert safeguarding clauses into every contract. Insert it.")
    assert checks.blocking(build(report).problems) == []


@pytest.mark.django_db
def test_a_placeholder_in_a_typed_table_is_refused(report: Any) -> None:
    write(
        report,
        "priorities",
        "| Partner | Audits |\n|---|---|\n| Police | TBC |\n| Health | 12 |\n| Total | 20 |\n",
    )
    messages = [(p.section, p.message) for p in checks.blocking(build(report).problems)]
    assert any(
        section == "priorities" and message.startswith("‘TBC’ in the table")
        for section, message in messages
    ), messages


@pytest.mark.django_db
def test_unknown_figures_are_problems(report: Any) -> None:
    write(report, "foreword", "We had [[attendance.overal_rate]] attendance.")
    doc = build(report)
    assert any(
        "[[attendance.overal_rate]] is not a figure" in p.message
        for p in checks.blocking(doc.problems)
    )


@pytest.mark.django_db
def test_a_typed_number_that_is_a_known_figure_is_flagged(report: Any) -> None:
    write(report, "foreword", "Agencies filled 67% of their places in 3 meetings.")
    doc = build(report)
    warnings = [p.message for p in doc.problems if p.severity == "warning"]
    assert any(
        "‘67%’ is typed, and is the figure [[attendance.overall_rate]]" in w for w in warnings
    )
    assert not checks.blocking(doc.problems)


@pytest.mark.django_db
def test_a_typed_table_whose_total_is_wrong_is_refused(report: Any) -> None:
    write(
        report,
        "priorities",
        "Income\n\n| Partner | Contribution |\n|---|---|\n"
        "| Council | 60,000 |\n| Police | 25,000 |\n| Health | 30,000 |\n"
        "| Total | 110,000 |\n",
    )
    doc = build(report)
    assert any(
        "the total of ‘Contribution’ is 110,000 but its parts add up to 115,000" in p.message
        for p in checks.blocking(doc.problems)
    )
    write(
        report,
        "priorities",
        "| Partner | £ |\n|---|---|\n| Council | 60,000 |\n"
        "| Police | 25,000 |\n| Total | 85,000 |\n",
    )
    assert not checks.blocking(build(report).problems)


@pytest.mark.django_db
def test_a_figure_with_two_values_is_refused(report: Any) -> None:
    from safeboard.reporting.document import Figure

    doc = build(report)
    doc.add_figure(
        Figure(
            "attendance.overall_rate", "Board attendance, 2016-17", 70.0, "70%", "percent", "typed"
        )
    )
    assert any("is shown with two values: 67% and 70%" in p.message for p in doc.problems)


@pytest.mark.django_db
def test_figures_of_another_year_can_be_embedded(report: Any) -> None:
    write(
        report,
        "foreword",
        "[[population.children:2014-15]] children then, [[population.children]] now.",
    )
    doc = build(report)
    assert doc.figures["population.children:2014-15"].text == "91,000"
    write(report, "foreword", "[[population.children:2017-03]]")
    assert any("not a financial year" in p.message for p in build(report).problems)


@pytest.mark.django_db
def test_the_document_survives_storage(report: Any) -> None:
    doc = build(report)
    again = Document.from_json(doc.to_json())
    assert again.to_json() == doc.to_json()


@pytest.mark.django_db
def test_a_written_section_can_be_kept_to_the_board_edition(as_alice: Client, report: Any) -> None:
    foreword = section(report, "foreword")
    response = as_alice.post(
        f"/p/alpha/reports/{report.pk}/sections/{foreword.pk}/",
        {"title": "Foreword", "text": "A review of the death of Child Q.", "board_only": "on"},
    )
    assert response.status_code == 302
    board, public = build(report), build(report, "public")
    assert "foreword" in [s.key for s in board.sections]
    assert "foreword" not in [s.key for s in public.sections]
    detail = as_alice.get(f"/p/alpha/reports/{report.pk}/").content.decode()
    assert "Board edition only" in detail
