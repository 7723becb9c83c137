"""The indicator file takes what boards hold: an `order` column (and, without one, the order of
the code's numbers, 3.2 before 3.10, with new indicators after those given a position); an
`effective_from` date for a definition change; a `measure` linking an indicator to a figure
Safeboard computes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.performance import selectors, services
from safeboard.performance.models import DefinitionVersion, Indicator
from safeboard.performance.services import ValidationFailed

from .conftest import indicator, rows

pytestmark = pytest.mark.django_db

HEADER = ["code", "title", "unit", "polarity"]


def _import(alpha: Any, header: list[str], *items: dict[str, str]) -> Any:
    with tenancy.partnership_scope(alpha):
        return services.import_indicators(alpha, header, rows(*items))


def _codes(alpha: Any) -> list[str]:
    with tenancy.partnership_scope(alpha):
        return [i.code for i in selectors.scorecard_indicators()]


def _row(code: str, **more: str) -> dict[str, str]:
    return {"code": code, "title": f"Indicator {code}", "unit": "count", "polarity": "high", **more}


def test_without_an_order_indicators_follow_the_numbers_in_their_codes(alpha: Any) -> None:
    _import(alpha, HEADER, _row("3.10"), _row("3.2"), _row("1.1"), _row("3.1"))
    assert _codes(alpha) == ["1.1", "3.1", "3.2", "3.10"]
    # A new indicator does not jump to the top.
    indicator(alpha, "2.1")
    assert _codes(alpha) == ["1.1", "2.1", "3.1", "3.2", "3.10"]


def test_the_order_column_sets_the_position(alpha: Any) -> None:
    _import(
        alpha,
        [*HEADER, "order"],
        _row("A", order="30"),
        _row("B", order="10"),
        _row("C", order="20"),
    )
    indicator(alpha, "AA1")  # no position: after those with one
    assert _codes(alpha) == ["B", "C", "A", "AA1"]
    with pytest.raises(ValidationFailed) as failed:
        _import(alpha, [*HEADER, "order"], _row("D", order="first"))
    assert any("order ‘first’" in p.message for p in failed.value.problems)


def test_a_definition_change_is_dated_by_effective_from(alpha: Any) -> None:
    _import(alpha, [*HEADER, "definition"], _row("CS1", definition="Referrals"))
    _import(
        alpha,
        [*HEADER, "definition", "effective_from"],
        _row("CS1", definition="Re-referrals within 12 months", effective_from="01/04/2016"),
    )
    with tenancy.partnership_scope(alpha):
        versions = list(DefinitionVersion.objects.filter(indicator__code="CS1").order_by("pk"))
    assert versions[-1].effective_from == date(2016, 4, 1)
    assert versions[-1].definition == "Re-referrals within 12 months"
    with pytest.raises(ValidationFailed) as failed:
        _import(
            alpha,
            [*HEADER, "definition", "effective_from"],
            _row("CS1", definition="Other", effective_from="next year"),
        )
    assert any(p.column == "effective_from" for p in failed.value.problems)


def test_an_indicator_is_linked_to_a_measure(alpha: Any) -> None:
    _import(alpha, [*HEADER, "measure"], _row("PB1", measure="board_attendance"))
    with tenancy.partnership_scope(alpha):
        assert Indicator.objects.get(code="PB1").measure == "board_attendance"
    with pytest.raises(ValidationFailed) as failed:
        _import(alpha, [*HEADER, "measure"], _row("PB2", measure="attendance"))
    assert any(
        p.column == "measure" and "board_attendance" in p.message for p in failed.value.problems
    )
