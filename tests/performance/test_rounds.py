"""Collection rounds: who owes what, entering, change queries, sign-off, locking, corrections
after lock, completeness and reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.core.periods import parse_period
from safeboard.core.tables import TableRow
from safeboard.performance import selectors, services
from safeboard.performance.models import ReturnStatus, RoundStatus, Value
from safeboard.performance.services import ValidationFailed

from .conftest import indicator, open_round, put, rows


@pytest.fixture
def owed(alpha: Any, police: Any, health: Any) -> dict[str, Any]:
    return {
        "arrests": indicator(alpha, "P1", owner=police, polarity="none"),
        "monthly": indicator(alpha, "P2", owner=police, frequency="monthly"),
        "yearly": indicator(alpha, "P3", owner=police, frequency="annual", unit="percent"),
        "snap": indicator(alpha, "P4", owner=police, period_kind="snapshot"),
        "health": indicator(alpha, "H1", owner=health),
        "unowned": indicator(alpha, "B1"),
    }


def test_a_quarters_round_collects_months_quarters_and_in_q4_years(
    alpha: Any, police: Any, health: Any, owed: dict
) -> None:
    q2 = open_round(alpha, "2025-26 Q2")
    q4 = open_round(alpha, "2025-26 Q4")
    with tenancy.partnership_scope(alpha):
        assert {r.agency.short_name for r in q2.returns.all()} == {"POL", "HLT"}
        labels = [(i.code, p.label) for i, p in selectors.expected_items(q2, police)]
        assert labels == [
            ("P1", "2025-26 Q2"),
            ("P2", "2025-07"),
            ("P2", "2025-08"),
            ("P2", "2025-09"),
            ("P4", "2025-09-30"),
        ]
        yearly = [(i.code, p.label) for i, p in selectors.expected_items(q4, police)]
        assert ("P3", "2025-26") in yearly
    # The business unit's own indicators (no owner agency) are not in rounds.
    assert "B1" not in {code for code, _ in labels}


def test_opening_a_round_is_checked(alpha: Any, owed: dict) -> None:
    open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="already a round"):
        services.open_round(alpha, period="2025-26 Q2", due=date(2026, 1, 1))
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="after the period"):
        services.open_round(alpha, period="2025-26 Q3", due=date(2025, 12, 1))
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="not a month"):
        services.open_round(alpha, period="2016/17", due=date(2030, 1, 1))


def _give(agency_return: Any, *items: dict[str, str], user: Any = None) -> Any:
    with tenancy.partnership_scope(agency_return.partnership):
        return services.enter_return_values(agency_return, rows(*items), user=user)


def test_a_return_from_entry_to_lock(alpha: Any, police: Any, bob: Any, owed: dict) -> None:
    put(alpha, owed["arrests"], "2025-26 Q1", 100)
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        agency_return = collection.returns.get(agency=police)
    _give(
        agency_return,
        {"indicator": "P1", "period": "2025-26 Q2", "value": "140"},
        {"indicator": "P2", "period": "2025-07", "value": "4"},
        user=bob,
    )
    with tenancy.partnership_scope(alpha):
        # Not everything is given: the return cannot be sent for sign-off yet.
        with pytest.raises(ServiceError, match="P2 2025-08, P2 2025-09, P4 2025-09-30"):
            services.submit_return(agency_return)
        # Drafts are not on the scorecard.
        card = selectors.scorecard(alpha, parse_period("2025-26 Q2"))
        assert next(r for r in card.rows if r.indicator.code == "P1").raw is None
    _give(
        agency_return,
        {"indicator": "P2", "period": "2025-08", "value": "5"},
        {"indicator": "P2", "period": "2025-09", "status": "tbc"},
        {"indicator": "P4", "period": "2025-09-30", "value": "12"},
    )
    with tenancy.partnership_scope(alpha):
        services.submit_return(agency_return, user=bob)
        assert agency_return.status == ReturnStatus.READY
        # 100 to 140 is a rise of 40%: more than the 25% threshold, so a comment is needed.
        with pytest.raises(ServiceError, match=r"Explain the large changes.*P1 2025-26 Q2"):
            services.sign_off_return(agency_return)
    _give(
        agency_return,
        {"indicator": "P1", "period": "2025-26 Q2", "value": "140", "comment": "Operation X"},
    )
    with tenancy.partnership_scope(alpha):
        agency_return.refresh_from_db()
        assert agency_return.status == ReturnStatus.DRAFT  # changed after it was sent
        services.sign_off_return(agency_return)
        assert agency_return.status == ReturnStatus.SIGNED_OFF
        assert all(v.released for v in agency_return.values.all())
        with pytest.raises(ServiceError, match="signed off"):
            services.enter_return_values(
                agency_return, rows({"indicator": "P1", "period": "2025-26 Q2", "value": "1"})
            )
        card = selectors.scorecard(alpha, parse_period("2025-26 Q2"))
        assert next(r for r in card.rows if r.indicator.code == "P1").raw == 140
        services.lock_round(collection)
        assert collection.status == RoundStatus.LOCKED


def test_a_correction_after_lock_is_a_new_version_with_its_reason(
    alpha: Any, police: Any, owed: dict
) -> None:
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        agency_return = collection.returns.get(agency=police)
    _give(agency_return, {"indicator": "P1", "period": "2025-26 Q2", "status": "tbc"})
    with tenancy.partnership_scope(alpha):
        services.lock_round(collection)
        value = Value.objects.get(indicator=owed["arrests"], current=True)
        assert value.released  # locking releases what is there
        with pytest.raises(ServiceError, match="Say why"):
            services.correct_value(value, TableRow(1, {"value": "42"}), reason=" ")
        with pytest.raises(ValidationFailed, match="value ‘lots’ is not a number"):
            services.correct_value(value, TableRow(1, {"value": "lots"}), reason="Late figure")
        corrected = services.correct_value(
            value, TableRow(1, {"value": "42"}), reason="Confirmed after the deadline"
        )
        assert (corrected.version, corrected.value, corrected.current) == (2, 42, True)
        assert corrected.correction_reason == "Confirmed after the deadline"
        history = list(Value.objects.filter(indicator=owed["arrests"]).order_by("version"))
        assert [(v.version, v.status, v.current) for v in history] == [
            (1, "tbc", False),
            (2, "", True),
        ]
        rows_ = selectors.indicator_history(owed["arrests"], released_only=True)
        assert rows_[0].current.value == 42 and rows_[0].earlier[0].status == "tbc"


def test_completeness_shows_what_each_agency_owes_and_how_late(
    alpha: Any, police: Any, health: Any, owed: dict
) -> None:
    collection = open_round(alpha, "2025-26 Q2", due=date(2025, 10, 30))
    with tenancy.partnership_scope(alpha):
        police_return = collection.returns.get(agency=police)
    _give(police_return, {"indicator": "P1", "period": "2025-26 Q2", "value": "3"})
    with tenancy.partnership_scope(alpha):
        report = {
            c.agency_return.agency.short_name: c
            for c in selectors.completeness(collection, today=date(2025, 11, 9))
        }
    assert (report["POL"].expected, report["POL"].given, report["POL"].missing) == (5, 1, 4)
    assert report["POL"].days_overdue == 10
    assert (report["HLT"].expected, report["HLT"].given) == (1, 0)


def test_reminders_are_emailed_to_each_late_agencys_people(
    alpha: Any, police: Any, health: Any, bob: Any, lead: Any, owed: dict
) -> None:
    collection = open_round(alpha, "2025-26 Q2", due=date(2025, 10, 30))
    with tenancy.partnership_scope(alpha):
        count, unreachable = services.request_reminders(collection)
        police_return = collection.returns.get(agency=police)
        police_return.refresh_from_db()
    # Two returns are late; only the police have people with email addresses.
    assert (count, unreachable) == (1, [health.short_name])
    # Only the police have contributors with email addresses in this partnership.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["bob@example.org", "lena@example.org"]
    assert message.subject == "Reminder: POL return for 2025-26 Q2"
    assert "P2 Indicator P2, 2025-08" in message.body
    assert f"/p/alpha/performance/returns/{collection.pk}/{police.pk}/" in message.body
    assert police_return.reminded_at is not None


def test_an_imported_value_is_released_and_a_reimport_is_versioned(alpha: Any, owed: dict) -> None:
    first = put(alpha, owed["arrests"], "2025-26 Q1", 10)
    assert first.released and first.version == 1
    second = put(alpha, owed["arrests"], "2025-26 Q1", 11)
    assert (second.version, second.correction_reason) == (2, "test correction")
    same = put(alpha, owed["arrests"], "2025-26 Q1", 11)
    assert same.pk == second.pk  # nothing changed, nothing added


def test_a_draft_cleared_from_a_return_is_removed(alpha: Any, police: Any, owed: dict) -> None:
    collection = open_round(alpha, "2025-26 Q2")
    with tenancy.partnership_scope(alpha):
        agency_return = collection.returns.get(agency=police)
    _give(agency_return, {"indicator": "P1", "period": "2025-26 Q2", "value": "3"})
    with tenancy.partnership_scope(alpha):
        removed = services.clear_return_values(
            agency_return, [(owed["arrests"], parse_period("2025-26 Q2"))]
        )
        assert removed == 1 and not agency_return.values.exists()


def test_the_remind_command_chases_open_rounds(
    alpha: Any, police: Any, bob: Any, owed: dict, capsys: Any
) -> None:
    from django.core.management import call_command

    call_command("dataset", "remind", "--partnership", "alpha")
    assert "No round is open." in capsys.readouterr().out
    open_round(alpha, "2025-26 Q2", due=date(2025, 10, 30))
    call_command("dataset", "remind", "--partnership", "alpha")
    out = capsys.readouterr().out
    assert "2025-26 Q2: reminders queued for 1 agency" in out
    assert "nobody with an email address acts for HLT" in out
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
