"""The LADO's figures for a year are those of the year (issue 10). The tables count the
allegations *received* in the year: one received after the year's end, or a consultation,
is not the year's; a term retired after it still shows in the year's tables, and a term
added after it, that no record of the year has, does not. The
outcome and conclusion of an allegation received in the year are values *for* the year
(its timeliness against the one-, three- and twelve-month clocks): they count whenever they
are recorded, as late returns do."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.allegations import report, services
from safeboard.allegations.models import Allegation, TermList
from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.partnership.models import Partnership
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Document, Paragraph, Table

from .conftest import contact

pytestmark = pytest.mark.django_db


def _report(alpha: Partnership) -> tuple[dict[str, Any], list[str]]:
    """The 2016-17 section, drafted on 30 June 2017: its figures, and every paragraph and
    table row it shows."""
    ctx = ReportContext(alpha, FinancialYear(2016), date(2017, 6, 30), "board")
    doc = Document("Report", alpha.name, "2016-17", "board", "2017-06-30")
    shown: list[str] = []
    with tenancy.partnership_scope(alpha):
        for block in report.lado_section(ctx, doc):
            if isinstance(block, Table):
                shown.append(block.caption)
                shown.extend(" | ".join(c.text for c in row) for row in block.rows)
            elif isinstance(block, Paragraph):
                shown.append(block.markdown)
    return {key: figure.value for key, figure in doc.figures.items()}, shown


def test_events_after_the_years_end_do_not_change_its_figures(alpha: Any, terms: Any) -> None:
    contact(
        alpha,
        terms,
        "A-1",
        date(2016, 6, 1),
        known=date(2016, 6, 1),
        outcomes=("Substantiated",),
        concluded=date(2016, 6, 20),
    )
    contact(alpha, terms, "A-2", date(2016, 9, 1), employer="Health", restraint=True)
    contact(alpha, terms, "C-1", date(2016, 10, 1), kind="consultation")
    figures, shown = _report(alpha)
    assert figures["lado.allegations"] == 2
    assert figures["lado.consultations"] == 1
    assert figures["lado.restraint"] == 1
    assert figures["lado.concluded_1m"] == 50
    # After the year's end: an allegation and a consultation received, and the employer type
    # of one of the year's allegations retired.
    contact(
        alpha,
        terms,
        "A-3",
        date(2017, 4, 5),
        known=date(2017, 4, 3),
        employer="Health",
        restraint=True,
        outcomes=("Substantiated",),
        concluded=date(2017, 4, 20),
    )
    contact(alpha, terms, "C-2", date(2017, 4, 6), kind="consultation")
    with tenancy.partnership_scope(alpha):
        services.retire_term(terms[(TermList.EMPLOYER, "Health")], date(2017, 5, 1))
        # Terms added to the lists today: no record of the year has them, so they were not
        # in the year's lists.
        for list_name, name in (
            (TermList.EMPLOYER, "Online platform"),
            (TermList.CATEGORY, "Conduct outside work"),
            (TermList.REFERRER, "Regulator"),
            (TermList.OUTCOME, "Referred to the regulator"),
        ):
            services.add_term(alpha, list_name, name)
    assert _report(alpha) == (figures, shown)


def test_a_late_conclusion_of_the_years_allegation_counts_for_the_year(
    alpha: Any, terms: Any
) -> None:
    """Received on 20 March, concluded on 10 April: concluded within one month, and a fact
    about the year's allegations that a draft report drafted in June picks up."""
    late = contact(alpha, terms, "A-1", date(2017, 3, 20))
    before, _ = _report(alpha)
    assert before["lado.allegations"] == 1
    assert before["lado.concluded_1m"] == 0
    with tenancy.partnership_scope(alpha):
        late = Allegation.objects.get(pk=late.pk)
        late.concluded = date(2017, 4, 10)
        services.save_allegation(late, alpha, [terms[(TermList.OUTCOME, "Unfounded")]])
    after, shown = _report(alpha)
    assert after["lado.allegations"] == 1
    assert after["lado.concluded_1m"] == 100
    assert "Unfounded | 1" in shown
