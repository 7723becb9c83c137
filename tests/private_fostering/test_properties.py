"""Property tests of the annual figures' tables: the notifications by source sum to their
total, and in the published tables no suppressed count can be worked out from the total or
from the partner agencies' subtotal, and no small count is shown."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safeboard.core import disclosure
from safeboard.core.periods import FinancialYear
from safeboard.private_fostering.models import AGENCY_SOURCES, Source
from safeboard.private_fostering.selectors import (
    NOTIFICATIONS_BY_SOURCE,
    YEARS,
    Share,
    YearFigures,
    files_of,
)

COUNT = st.integers(min_value=0, max_value=14)
C = disclosure.SUPPRESSED


@st.composite
def figures(draw: Any) -> YearFigures:
    counts = draw(st.lists(COUNT, min_size=len(Source.choices), max_size=len(Source.choices)))
    by_source = [(label, n) for (_, label), n in zip(Source.choices, counts, strict=True)]
    total = sum(counts)
    agencies = sum(
        n for (value, _), n in zip(Source.choices, counts, strict=True) if value in AGENCY_SOURCES
    )
    met = draw(st.integers(min_value=0, max_value=10))
    return YearFigures(
        year=FinancialYear(2016),
        by_source=by_source,
        notifications=total,
        from_agencies=agencies,
        before_start=draw(st.integers(min_value=0, max_value=total)),
        at_31_march=draw(COUNT),
        first_visits=Share("First visits within 7 working days", met, met + draw(COUNT)),
        later_visits=Share("Later visits within the interval", draw(COUNT), 14),
        seen_alone=Share("Visits at which the child was seen alone", 0, 0),
        activities=draw(COUNT),
    )


@settings(max_examples=200)
@given(figures())
def test_the_sources_sum_to_their_total(f: YearFigures) -> None:
    _, rows = files_of(f, [f])[NOTIFICATIONS_BY_SOURCE]
    assert rows[-1][0] == "Total"
    assert sum(row[1] for row in rows[:-1]) == rows[-1][1] == f.notifications


@settings(max_examples=300)
@given(figures())
def test_a_suppressed_source_cannot_be_worked_out(f: YearFigures) -> None:
    found = files_of(f, [f], public=True)
    _, rows = found[NOTIFICATIONS_BY_SOURCE]
    shown = dict(zip([value for value, _ in Source.choices], (r[1] for r in rows), strict=False))
    total = rows[-1][1]
    for value in shown.values():
        assert value == C or not disclosure.is_small_count(value)
    hidden = [key for key, value in shown.items() if value == C]
    # From the total: one hidden source alone would be the total less the others.
    assert total == C or len(hidden) != 1
    # From the partner agencies' subtotal (in figures.csv), the same.
    _, measures = found["figures.csv"]
    agencies = next(r for r in measures if r[0] == "Notifications from partner agencies")[1]
    hidden_agencies = [key for key in hidden if key in AGENCY_SOURCES]
    assert agencies == C or len(hidden_agencies) != 1
    # And from the two: the other sources are the total less the agencies' subtotal.
    hidden_others = [key for key in hidden if key not in AGENCY_SOURCES]
    assert C in (total, agencies) or len(hidden_others) != 1
    # The year's row of the table over years gives the same total.
    _, years = found[YEARS]
    assert years[-1][1] == total
