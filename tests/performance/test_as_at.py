"""The dataset's figures for a year: an indicator with no value or target in the year is not
in that year's report; a value entered late for one of the year's periods counts; a value for
a later period does not change the year's; an indicator created after a return was overdue is
not added to it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.performance import selectors, services
from safeboard.performance.models import Indicator
from safeboard.reporting import registry
from safeboard.reporting.context import ReportContext

from .conftest import indicator, open_round, put

pytestmark = pytest.mark.django_db

YEAR = FinancialYear(2024)


def _created(ind: Indicator, day: date) -> None:
    Indicator.objects.filter(pk=ind.pk).update(
        created_at=timezone.make_aware(datetime.combine(day, time(9)))
    )


def _count(alpha: Any) -> Any:
    with tenancy.partnership_scope(alpha):
        ctx = ReportContext(alpha, YEAR, date(2025, 6, 30))
        return registry.call_resolver("performance.indicators", ctx, [])


def test_an_indicator_with_nothing_in_the_year_is_not_in_its_report(alpha: Any) -> None:
    old = indicator(alpha, "A1", target=(10.0, 10.0))
    with tenancy.partnership_scope(alpha):
        _created(old, date(2024, 1, 10))
    put(alpha, old, "2024-25 Q3", 12)
    before = _count(alpha)
    assert before.value == 1
    # Created in December 2026 with a standing target and no value in 2024-25.
    new = indicator(alpha, "A2", target=(5.0, 5.0))
    with tenancy.partnership_scope(alpha):
        codes = [i.code for i in selectors.indicators_in_year(YEAR)]
    assert codes == ["A1"]
    assert _count(alpha).value == 1
    # A value for a later period does not change the year's figures.
    put(alpha, old, "2025-26 Q1", 30)
    assert _count(alpha).value == 1
    # A late value for one of the year's periods counts, whenever it was entered.
    put(alpha, new, "2024-25 Q4", 4)
    assert _count(alpha).value == 2


def test_an_indicator_created_after_a_return_was_overdue_is_not_added_to_it(
    alpha: Any, police: Any
) -> None:
    first = indicator(alpha, "P1", owner=police)
    collection = open_round(alpha, "2025-26 Q2", due=date(2025, 10, 30))
    later = indicator(alpha, "P2", owner=police)  # after the round opened and was due
    with tenancy.partnership_scope(alpha):
        codes = {i.code for i, _ in selectors.expected_items(collection, police)}
    assert codes == {first.code}
    assert later.code not in codes
    # Opened after the indicator was created: it is owed, however late the round.
    with tenancy.partnership_scope(alpha):
        q3 = services.open_round(alpha, period="2025-26 Q3", due=date(2026, 1, 30))
        codes = {i.code for i, _ in selectors.expected_items(q3, police)}
    assert codes == {"P1", "P2"}
