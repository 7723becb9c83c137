"""Builders for the performance tests: indicators, figures, rounds, and a few more people of
Alpha (a police lead, a board member) beside alice, bob and charlie."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from safeboard.core import tenancy
from safeboard.core.tables import TableRow
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Agency, Area, Partnership, Role
from safeboard.performance import services
from safeboard.performance.models import CollectionRound, Indicator, Value
from safeboard.performance.validation import validate_values

from .. import factories as f


def lait_file(name: str) -> Path:
    """A file of the DfE LAIT data in settings.LAIT_DIR: the extract in the repository
    (safeboard/performance/data/lait/), unless SAFEBOARD_LAIT_DIR names another folder, such
    as the full national files; the test fails, saying so, when it is not there."""
    path = Path(settings.LAIT_DIR) / name
    if not path.exists():
        pytest.fail(
            f"{path} is missing: SAFEBOARD_LAIT_DIR names a folder without the DfE LAIT files "
            "(unset it to use the extract in safeboard/performance/data/lait/)"
        )
    return path


def indicator(p: Partnership, code: str = "IND1", **kwargs: Any) -> Indicator:
    kwargs.setdefault("title", f"Indicator {code}")
    kwargs.setdefault("unit", "count")
    with tenancy.partnership_scope(p):
        return services.create_indicator(p, code=code, **kwargs)


def put(
    p: Partnership,
    ind: Indicator,
    period: str,
    value: Any = None,
    *,
    numerator: Any = None,
    denominator: Any = None,
    status: str = "",
    released: bool = True,
    note: str = "",
) -> Value:
    """Record a figure through the same validation as every other route."""
    fields = {
        "indicator": ind.code,
        "period": period,
        "value": "" if value is None else str(value),
        "numerator": "" if numerator is None else str(numerator),
        "denominator": "" if denominator is None else str(denominator),
        "status": status,
        "note": note,
    }
    with tenancy.partnership_scope(p):
        clean, problems = validate_values([TableRow(2, fields)], services.value_rules(p))
        assert not problems, [str(x) for x in problems]
        services.save_values(p, clean, released=released, reason="test correction")
        return Value.objects.get(indicator=ind, period=clean[0].period.label, current=True)


def open_round(p: Partnership, period: str = "2025-26 Q2", due: date | None = None) -> Any:
    with tenancy.partnership_scope(p):
        return services.open_round(p, period=period, due=due or date(2099, 1, 1))


def rows(*items: dict[str, str]) -> list[TableRow]:
    return [TableRow(n, fields) for n, fields in enumerate(items, start=2)]


@pytest.fixture
def lead(alpha: Partnership, police: Agency) -> Any:
    """Lena, the police's safeguarding lead in Alpha: signs off police returns."""
    return f.user(
        "lena",
        p=alpha,
        agency=police,
        roles=[(Role.AGENCY_LEAD, police), (Role.AGENCY_CONTRIBUTOR, police)],
    )


@pytest.fixture
def reader(alpha: Partnership) -> Any:
    """Vic, a board member of Alpha: reads scorecards."""
    return f.user("vic", p=alpha, roles=[(Role.BOARD_MEMBER, None)])


@pytest.fixture
def population(alpha: Partnership) -> None:
    """Alpha's children: 50,000 in 2024-25 and 2025-26."""
    with tenancy.partnership_scope(alpha):
        area = Area.objects.get()
        partnership_services.set_population(area, 2024, 50000)
        partnership_services.set_population(area, 2025, 50000)


def the_round(p: Partnership, period: str) -> CollectionRound:
    with tenancy.partnership_scope(p):
        return CollectionRound.objects.get(period=period)
