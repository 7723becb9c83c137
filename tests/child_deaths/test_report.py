from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.child_deaths import services
from safeboard.core import tenancy
from safeboard.partnership.models import Partnership
from safeboard.reports import services as report_services
from safeboard.reports.build import build_document

from .conftest import area_of, complete, notify

pytestmark = pytest.mark.django_db
KEYS = {
    "child_deaths.year",
    "child_deaths.learning",
    "child_deaths.timeliness",
    "child_deaths.forms",
}


def test_the_report_counts_residents_reviews_completed_in_the_year_board_edition_only(
    alpha: Partnership, gamma: Partnership, panel: Any, alice: Any, police: Any
) -> None:
    for n, (where, done) in enumerate(
        [
            (alpha, date(2016, 6, 1)),
            (alpha, date(2016, 12, 1)),
            (gamma, date(2016, 9, 1)),
            (alpha, date(2017, 5, 1)),
        ]
    ):
        death = notify(alpha, panel, area=area_of(where), date_of_death=date(2016, 2, 1 + n))
        review = complete(death, on=done, category=9, modifiable=n == 0)
        if n == 0:
            with tenancy.partnership_scope(alpha):
                services.request_forms(death, agencies=[police], requested_on=date(2016, 4, 5))
                services.add_factor(review, domain="social", description="Smoking", grade=2)
                services.add_recommendation(
                    review,
                    partnership=alpha,
                    text="Safe sleep",
                    owner=police,
                    due=date(2017, 3, 31),
                )
    with tenancy.partnership_scope(alpha):
        report = report_services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
    board = build_document(report)
    sections = {s.key: s for s in board.sections}
    assert set(sections) >= KEYS
    figures = board.figures
    assert figures["cdop.reviews_completed"].value == 2  # Alpha's residents, 2016-17 only
    assert figures["cdop.modifiable"].value == 50
    assert not [p for p in board.problems if p.section in KEYS]
    panel_text = " ".join(
        b.markdown for b in sections["child_deaths.year"].blocks if b.kind == "paragraph"
    )
    assert "3 reviews in all" in panel_text
    public = report_services.document(report, "public")
    shown = {s.key: s for s in public.sections}
    # The year's tables and the timeliness are published suppressed; the learning and the
    # agencies' forms are not published.
    assert KEYS & set(shown) == {"child_deaths.year", "child_deaths.timeliness"}
    year = shown["child_deaths.year"]
    text = str(year.blocks) + str(shown["child_deaths.timeliness"].blocks)
    assert "3 reviews in all" not in text and "fewer than six reviews in all" in text
    assert not [b for b in year.blocks if b.kind == "chart"]  # its counts would show
    for block in year.blocks + shown["child_deaths.timeliness"].blocks:
        if block.kind != "table":
            continue
        for row in block.rows:
            for cell in row[1:-1]:  # the years' counts and the percentage (not England's)
                assert (
                    cell.text in ("c", "0", "0%", "z")
                    or not cell.text[0].isdigit()
                    or (cell.value is not None and not 1 <= cell.value <= 5)
                ), (block.title, row[0].text, cell.text)
    for key in ("cdop.reviews_completed", "cdop.modifiable", "cdop.within_6_months"):
        assert public.figures[key].text == "c", key
        assert "of 2 reviews" not in public.figures[key].source


def test_the_board_edition_carries_no_case_level_text_of_the_register(
    alpha: Partnership, panel: Any, alice: Any, police: Any
) -> None:
    """Everyone who reads the report (board members, analysts, scrutiny) reads the board
    edition; only the CDOP coordinator opens the register. A recommendation not yet released
    is a restricted action (the tracker hides it), and a review's own learning and modifiable
    factors are case-level text: the report counts them and quotes none of them. A released
    recommendation is the partnership's to see, and the report names it."""
    held, shared = (
        notify(alpha, panel, area=area_of(alpha), date_of_death=date(2016, 2, day))
        for day in (1, 2)
    )
    with tenancy.partnership_scope(alpha):
        for death, word in ((held, "Withheld"), (shared, "Shared")):
            review = services.record_review(
                death,
                panel_date=date(2016, 9, 1),
                completed_on=date(2016, 9, 1),
                category=9,
                modifiable=True,
                modifiable_factors=f"{word} factor: the mother's smoking",
                learning=f"{word} learning about this child",
            )
            services.add_recommendation(
                review,
                partnership=alpha,
                text=f"{word} recommendation",
                owner=police,
                due=date(2017, 3, 31),
            )
        services.release_recommendations(shared.review, on=date(2016, 10, 1))
        report = report_services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
    board = build_document(report)
    text = str([s.blocks for s in board.sections if s.key.startswith("child_deaths.")])
    assert "Shared recommendation" in text
    for secret in ("Withheld", "factor:", "learning about this child"):
        assert secret not in text, secret
    assert "1 recommendation not yet released" in text
