"""The data migration planning 0005 (issue 10): a risk closed before closing days were
recorded gets the day of the audit trail entry that closed it (the latest, if it was closed
more than once); with no such entry it keeps none; open risks and risks with a day are left."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Risk, RiskStatus

from .test_risk_closed import _change

pytestmark = pytest.mark.django_db

migration = importlib.import_module("safeboard.planning.migrations.0005_risk_closed_on_from_trail")


def _risk(alpha: Any, board: Any, ref: str) -> Risk:
    return services.create_risk(
        partnership=alpha,
        reference=ref,
        title=f"Risk {ref}",
        likelihood=3,
        impact=3,
        target_score=4,
        owner=board,
        on=date(2024, 1, 10),
    )


def _entries(risk: Risk) -> Any:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Risk), object_pk=str(risk.pk)
    )


def _closing_entries(risk: Risk) -> list[LogEntry]:
    updates = _entries(risk).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    return [e for e in updates if "status" in (e.changes or {})]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 30)))


def test_closed_risks_without_a_day_get_the_day_the_trail_closed_them(
    alpha: Any, board: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        trailed = _risk(alpha, board, "R1")
        _change(trailed, status=RiskStatus.CLOSED)
        twice = _risk(alpha, board, "R2")
        _change(twice, status=RiskStatus.CLOSED)
        _change(twice, status=RiskStatus.OPEN)
        _change(twice, status=RiskStatus.CLOSED)
        untrailed = _risk(alpha, board, "R3")
        _change(untrailed, status=RiskStatus.CLOSED)
        dated = _risk(alpha, board, "R4")
        _change(dated, status=RiskStatus.CLOSED, closed_on=date(2025, 2, 1))
        still_open = _risk(alpha, board, "R5")
    closing = _closing_entries(trailed)
    assert len(closing) == 1 and closing[0].changes["status"] == ["open", "closed"]
    LogEntry.objects.filter(pk=closing[0].pk).update(timestamp=_at(date(2025, 3, 14)))
    first, reopened, second = _closing_entries(twice)
    LogEntry.objects.filter(pk=first.pk).update(timestamp=_at(date(2024, 6, 1)))
    LogEntry.objects.filter(pk=reopened.pk).update(timestamp=_at(date(2024, 7, 1)))
    LogEntry.objects.filter(pk=second.pk).update(timestamp=_at(date(2025, 1, 20)))
    _entries(untrailed).delete()
    # As they were before closing days were recorded.
    Risk._base_manager.filter(pk__in=[trailed.pk, twice.pk, untrailed.pk]).update(closed_on=None)

    assert migration.fill_closed_on(apps) == 2

    days = dict(Risk._base_manager.values_list("reference", "closed_on"))
    assert days == {
        "R1": date(2025, 3, 14),  # the trail's day, in the site's time zone
        "R2": date(2025, 1, 20),  # the latest closing
        "R3": None,  # no trail: no day (closed at every date)
        "R4": date(2025, 2, 1),  # already dated: kept
        "R5": None,  # open
    }
    assert Risk._base_manager.get(pk=still_open.pk).status == RiskStatus.OPEN
    assert migration.fill_closed_on(apps) == 0  # nothing more to fill
