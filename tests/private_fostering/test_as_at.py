"""Private fostering's figures for a year are those of the year (issue 10): an arrangement
ended after the year's end was one at 31 March, and a notification after the year's end is
not the year's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.private_fostering import selectors
from safeboard.private_fostering.models import Arrangement, EndReason

from .conftest import arrangement

pytestmark = pytest.mark.django_db
YEAR = FinancialYear(2016)


def _figures(p: Any) -> tuple[int, int, int]:
    with tenancy.partnership_scope(p):
        found = selectors.year_figures(YEAR, date(2017, 6, 30))
    return found.notifications, found.at_31_march, found.first_visits.of


def test_events_after_the_years_end_do_not_change_its_figures(alpha: Any) -> None:
    kept = arrangement(alpha, "PF-1", date(2016, 11, 1))
    before = _figures(alpha)
    assert before[:2] == (1, 1)
    with tenancy.partnership_scope(alpha):
        Arrangement.objects.filter(pk=kept.pk).update(
            ended=date(2017, 4, 10), end_reason=EndReason.RETURNED_HOME
        )
    arrangement(alpha, "PF-2", date(2017, 4, 20))
    assert _figures(alpha) == before
