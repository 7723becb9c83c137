"""The register's rules: clocks from the engine, repeat flags, retired terms, imports that
check every row first, the audit sample."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.allegations import selectors, services
from safeboard.allegations.models import Allegation, Kind, TermList
from safeboard.core import tenancy
from safeboard.core.clocks import clocks_of
from safeboard.core.errors import ServiceError
from safeboard.core.periods import FinancialYear
from safeboard.core.tables import TableError

from .conftest import contact

pytestmark = pytest.mark.django_db


def test_clocks_referral_one_working_day_and_months_clamped_to_month_end(
    alpha: Any, one: Allegation
) -> None:
    with tenancy.partnership_scope(alpha):
        found = {c.kind: c for c in clocks_of(one)}  # type: ignore[attr-defined]
    # Known Friday 27 January 2017: due Monday 30 January; received 31 January: missed.
    assert found["allegations.referral"].due == date(2017, 1, 30)
    assert found["allegations.referral"].done == date(2017, 1, 31)
    # A month after 31 January 2017 is 28 February; concluded that day: met.
    assert found["allegations.conclusion_1m"].due == date(2017, 2, 28)
    assert found["allegations.conclusion_3m"].due == date(2017, 4, 30)
    assert found["allegations.conclusion_12m"].due == date(2018, 1, 31)
    with tenancy.partnership_scope(alpha):
        measures = selectors.year_tables(FinancialYear(2016)).timeliness
    assert [(m.number, m.of) for m in measures] == [(0, 1), (1, 1), (1, 1), (1, 1)]


def test_consultations_run_no_clock_and_are_counted_apart(alpha: Any, terms: Any) -> None:
    c = contact(alpha, terms, "C-1", date(2016, 5, 3), kind=Kind.CONSULTATION)
    with tenancy.partnership_scope(alpha):
        assert clocks_of(c) == []
        tables = selectors.year_tables(FinancialYear(2016))
    assert tables.allegations == 0 and tables.consultations == 1


def test_repeat_subject_and_setting_flagged(alpha: Any, terms: Any, one: Allegation) -> None:
    later = contact(
        alpha, terms, "A-2", date(2017, 6, 1), adult=" pat  SMITH ", setting="Elm Nursery"
    )
    assert later.repeat_subject and not later.repeat_setting
    third = contact(alpha, terms, "A-3", date(2017, 7, 1), adult="Jo Bloggs", setting="Oak school")
    assert third.repeat_setting and not third.repeat_subject
    with tenancy.partnership_scope(alpha):
        assert services.earlier_matches(third)["setting"] == [one]


def test_an_allegation_meets_the_threshold_in_a_named_way(alpha: Any, terms: Any) -> None:
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="threshold"):
        services.save_allegation(
            Allegation(
                reference="X",
                received=date(2017, 1, 1),
                referrer=terms[(TermList.REFERRER, "Police")],
                employer_type=terms[(TermList.EMPLOYER, "Health")],
                category=terms[(TermList.CATEGORY, "Sexual")],
            ),
            alpha,
        )


def test_retired_term_kept_by_old_records_and_old_years(alpha: Any, terms: Any) -> None:
    with tenancy.partnership_scope(alpha):
        conduct, created = services.add_term(alpha, TermList.CATEGORY, "Conduct")
        assert created
        assert services.add_term(alpha, TermList.CATEGORY, "conduct") == (conduct, False)
    contact(
        alpha,
        terms | {(TermList.CATEGORY, "Conduct"): conduct},
        "OLD",
        date(2015, 6, 1),
        category="Conduct",
    )
    with tenancy.partnership_scope(alpha):
        services.retire_term(conduct, date(2016, 4, 1))
        old = selectors.year_tables(FinancialYear(2015))
        new = selectors.year_tables(FinancialYear(2016))
        assert "Conduct" in old.employer_by_category()[0]
        assert "Conduct" not in new.employer_by_category()[0]
        # A new contact cannot be given a retired term.
        with pytest.raises(ServiceError, match="retired"):
            services.save_allegation(
                Allegation(
                    reference="NEW",
                    received=date(2016, 5, 1),
                    referrer=terms[(TermList.REFERRER, "Police")],
                    employer_type=terms[(TermList.EMPLOYER, "Health")],
                    category=conduct,
                    offence=True,
                ),
                alpha,
            )
        # The old record keeps it.
        assert Allegation.objects.get(reference="OLD").category == conduct


def test_terms_import_adds_in_file_order_and_leaves_existing(alpha: Any) -> None:
    data = b"list,term\ncategory,Online\noutcome,Caution\ncategory,Physical\nemployer,Coach\n"
    with tenancy.partnership_scope(alpha):
        assert services.import_terms(alpha, data, "t.csv") == (3, 1)
        names = [t.name for t in services.terms(TermList.CATEGORY)]
        assert names == ["Physical", "Emotional", "Sexual", "Neglect", "Online"]
        with pytest.raises(TableError, match="Row 2"):
            services.import_terms(alpha, b"list,term\nweather,Sunny\n", "t.csv")


IMPORT = (
    "reference,kind,received,known,referrer,employer,category,restraint,outcomes,concluded\n"
    "L-1,allegation,2016-04-04,2016-04-01,Police,School staff,Physical,yes,"
    "Substantiated;Dismissal,2016-04-20\n"
    "L-2,consultation,2016-05-10,,Health,,,no,,\n"
)


def test_import_writes_everything_or_nothing(alpha: Any) -> None:
    with tenancy.partnership_scope(alpha):
        dry = services.import_allegations(alpha, IMPORT.encode(), "a.csv", dry_run=True)
        assert dry.ok and dry.created == 2 and not Allegation.objects.exists()
        report = services.import_allegations(alpha, IMPORT.encode(), "a.csv")
        assert report.ok and report.created == 2
        a = Allegation.objects.get(reference="L-1")
        assert a.restraint and {o.name for o in a.outcomes.all()} == {"Substantiated", "Dismissal"}
        bad = IMPORT.replace("L-1", "L-9").replace("Dismissal", "Sacked") + (
            "L-3,allegation,2016-06-01,,Police,Spaceship,Physical,no,,\n"
        )
        report = services.import_allegations(alpha, bad.encode(), "a.csv")
        assert not report.ok
        messages = [str(p) for p in report.problems]
        assert "Row 2: ‘Sacked’ is not in the partnership's list of outcomes (outcome)" in messages
        assert any(m.startswith("Row 4: ‘Spaceship’") and "(employer)" in m for m in messages)
        assert not Allegation.objects.filter(reference__in=["L-9", "L-3"]).exists()


def test_audit_sample_drawn_at_random_from_closed_cases(alpha: Any, terms: Any) -> None:
    for n in range(12):
        contact(alpha, terms, f"Q-{n}", date(2016, 4, 4), concluded=date(2016, 5, 1 + n))
    contact(alpha, terms, "Q-open", date(2016, 4, 4))
    with tenancy.partnership_scope(alpha):
        sample = services.draw_audit_sample(
            alpha, quarter="2016-17 Q1", size=5, on=date(2016, 7, 5), seed=7
        )
        again = services.draw_audit_sample(
            alpha, quarter="2016-17 Q1", size=5, on=date(2016, 7, 5), seed=7
        )
        chosen = {i.allegation.reference for i in sample.items.all()}
        assert len(chosen) == 5 and "Q-open" not in chosen
        assert chosen == {i.allegation.reference for i in again.items.all()}
        item = sample.items.first()
        services.record_finding(item, rating="good", findings="Fine", audited_on=date(2016, 7, 9))
        with pytest.raises(ServiceError):
            services.draw_audit_sample(alpha, quarter="2016-17", size=5, on=date(2016, 7, 5))
