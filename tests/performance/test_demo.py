"""The demo's national comparators: imported from the LAIT files in settings.LAIT_DIR (by
default the extract in the repository), skipped quietly when a folder named by
SAFEBOARD_LAIT_DIR lacks them (the rest of the demo is exercised by tests/test_access_walk.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safeboard.performance import demo
from safeboard.performance.models import ComparatorValue, Measure, StatisticalNeighbour

from .conftest import lait_file


@pytest.mark.django_db
def test_the_demo_imports_only_the_measures_its_indicators_use(settings: Any) -> None:
    lait_file("bds_long.csv.gz")
    assert demo.lait_dir() == Path(settings.LAIT_DIR)
    codes = {spec.national for spec in demo.SPECS if spec.national}
    assert demo.load_comparators(codes)
    assert set(Measure.objects.values_list("code", flat=True)) == codes
    wigan = ComparatorValue.objects.filter(area__la_number=359, measure__code="CPP_rate")
    assert wigan.exists()
    # Northdale is compared with Wigan's ten statistical neighbours (May 2025 model).
    assert StatisticalNeighbour.objects.filter(area__la_number=359).count() == 10


@pytest.mark.django_db
def test_without_the_files_the_demo_has_no_comparators(settings: Any, tmp_path: Path) -> None:
    settings.LAIT_DIR = tmp_path
    assert demo.load_comparators({"CPP_rate"}) is False
    assert not Measure.objects.exists()


def test_the_demo_dataset_is_about_forty_indicators_from_many_agencies() -> None:
    assert 38 <= len(demo.SPECS) <= 45
    assert len({spec.owner for spec in demo.SPECS}) >= 10
    assert len({spec.code for spec in demo.SPECS}) == len(demo.SPECS)


@pytest.mark.django_db
def test_the_demo_partnerships_dataset(settings: Any, tmp_path: Path) -> None:
    from datetime import date

    from safeboard.core import demo as core_demo
    from safeboard.core import tenancy
    from safeboard.core.periods import parse_period
    from safeboard.performance import selectors
    from safeboard.performance.models import (
        CollectionRound,
        DefinitionVersion,
        Indicator,
        RagOverride,
        Value,
    )

    settings.LAIT_DIR = tmp_path  # no comparators: quicker
    ctx = core_demo.load(today=date(2026, 11, 23))
    with tenancy.partnership_scope(ctx.partnership):
        assert Indicator.objects.count() == len(demo.SPECS)
        rounds = list(CollectionRound.objects.order_by("period_end"))
        assert len(rounds) == 12 and rounds[-1].period == "2026-27 Q2"
        assert [r.status for r in rounds] == ["locked"] * 11 + ["open"]
        stages = {r.agency.short_name: r.status for r in rounds[-1].returns.all()}
        assert stages["NHFT"] == "ready" and stages["NP"] == "draft"
        assert stages["NCS"] == "signed_off"
        late = [
            r
            for c in rounds[:-1]
            for r in c.returns.all()
            if r.signed_off_at and r.signed_off_at.date() > c.due
        ]
        assert late, "some returns came in late"
        assert Value.objects.filter(status="tbc").exists()
        assert Value.objects.filter(version=2).exists()  # a tbc confirmed after lock
        assert DefinitionVersion.objects.exclude(effective_from=None).exists()
        assert RagOverride.objects.count() == 1
        card = selectors.scorecard(ctx.partnership, parse_period("2026-27 Q1"))
        rated = [r for r in card.rows if r.rag]
        assert len(rated) >= 20
