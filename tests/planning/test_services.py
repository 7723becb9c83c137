"""The business rules of actions: where they come from, slippage, progress, completion with
evidence and its confirmation, impact; and the year-end carry-forward."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeboard.core import tenancy
from safeboard.core.errors import ServiceError
from safeboard.partnership.models import Meeting
from safeboard.planning import services
from safeboard.planning.models import (
    Action,
    DueDateChange,
    Plan,
    PlanStatus,
    Progress,
    ProgressUpdate,
    Source,
    State,
    Theme,
    UpdateKind,
)

from .. import factories as f
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


# --- one tracker, many sources ------------------------------------------------------------


def test_a_plan_action_needs_a_unique_reference(
    alpha: Any, plan: Plan, theme: Theme, police: Any
) -> None:
    make_action(alpha, police, plan=plan, theme=theme, ref="1.3")
    with pytest.raises(ServiceError, match=r"already has an action 1\.3"):
        make_action(alpha, police, plan=plan, theme=theme, ref="1.3")
    with pytest.raises(ServiceError, match="needs a reference"):
        make_action(alpha, police, plan=plan, theme=theme, ref="")


def test_the_same_reference_may_be_used_in_another_plan(
    alpha: Any, plan: Plan, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        other = services.create_plan(partnership=alpha, first_year=2040, last_year=2042)
    make_action(alpha, police, plan=plan, ref="1.3")
    action = make_action(alpha, police, plan=other, ref="1.3", due=date(2041, 3, 31))
    assert action.reference == "1.3" and action.source == Source.BUSINESS_PLAN


def test_an_action_from_a_meeting_links_its_meeting_and_reports_to_the_group(
    alpha: Any, board: Any, police: Any
) -> None:
    meeting = f.meeting(board, TODAY - timedelta(days=5))
    action = make_action(
        alpha, police, source=Source.MEETING, source_record=meeting, source_label=str(meeting)
    )
    with tenancy.partnership_scope(alpha):
        action = Action.objects.get(pk=action.pk)
        assert action.source_type == ContentType.objects.get_for_model(Meeting)
        assert action.source_record == meeting
    assert action.group == board  # the meeting's group oversees it
    assert action.plan is None and action.label == f"A{action.pk}"


def test_an_action_needs_an_owner_a_text_and_a_date(alpha: Any, police: Any) -> None:
    with pytest.raises(ServiceError, match="Choose who owns it"):
        make_action(alpha, None)
    with pytest.raises(ServiceError, match="Say what the action is"):
        make_action(alpha, police, text="  ")
    with tenancy.partnership_scope(alpha), pytest.raises(ServiceError, match="due"):
        services.create_action(partnership=alpha, text="x", owner=police, source="inspection")
    with pytest.raises(ServiceError, match="review date"):
        make_action(alpha, police, ongoing=True)


def test_an_owner_from_another_partnership_is_refused(alpha: Any, beta: Any) -> None:
    outsider = f.agency(beta, "BP", "Beta Police")
    with pytest.raises(ServiceError, match="is not part of this partnership"):
        make_action(alpha, outsider)


def test_a_plan_action_is_overseen_by_its_themes_lead_group(
    police_action: Action, board: Any
) -> None:
    assert police_action.group == board
    assert police_action.original_due == police_action.due


# --- slippage -----------------------------------------------------------------------------


def test_moving_the_due_date_keeps_the_original_and_the_reason(
    alpha: Any, police_action: Action, bob: Any
) -> None:
    first = police_action.due
    assert first is not None
    person = f.person_of(bob, alpha)
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="reason"):
            services.record_update(
                police_action, by=person, status="amber", text="Late", new_due=first + timedelta(30)
            )
        services.record_update(
            police_action,
            by=person,
            status="amber",
            text="Staff left",
            new_due=first + timedelta(days=30),
            due_reason="The lead left in March",
        )
        services.record_update(
            police_action,
            by=person,
            status="green",
            text="Back on track",
            new_due=first + timedelta(days=60),
            due_reason="Waiting for national guidance",
        )
        police_action.refresh_from_db()
        changes = list(DueDateChange.objects.filter(action=police_action).order_by("pk"))
    assert police_action.original_due == first
    assert police_action.due == first + timedelta(days=60)
    assert police_action.slipped and police_action.slippage_days == 60
    assert [(c.previous, c.new, c.reason, c.changed_by) for c in changes] == [
        (first, first + timedelta(30), "The lead left in March", person),
        (first + timedelta(30), first + timedelta(60), "Waiting for national guidance", person),
    ]


def test_an_update_is_dated_today_or_before_and_is_not_a_completion(
    alpha: Any, police_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="future"):
            services.record_update(
                police_action, by=None, status="green", text="x", on=TODAY + timedelta(1)
            )
        with pytest.raises(ServiceError, match="evidence"):
            services.record_update(police_action, by=None, status="complete", text="Done")
        with pytest.raises(ServiceError, match="progress"):
            services.record_update(police_action, by=None, status="green", text=" ")


# --- completion, confirmation, impact -----------------------------------------------------


def test_completion_needs_evidence_and_waits_for_confirmation(
    alpha: Any, police_action: Action, bob: Any, dora: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="evidence"):
            services.record_completion(police_action, by=None, evidence_text="")
        update = services.record_completion(
            police_action,
            by=f.person_of(bob, alpha),
            evidence_text="Procedure published",
            evidence_file=SimpleUploadedFile("procedure.pdf", b"%PDF-1.4"),
        )
        police_action.refresh_from_db()
        assert police_action.state == State.AWAITING_CONFIRMATION
        assert police_action.status == Progress.COMPLETE
        assert police_action.completion_update == update
        assert update.evidence_name == "procedure.pdf"
        with pytest.raises(ServiceError, match="awaiting confirmation"):
            services.record_update(police_action, by=None, status="green", text="More")
        services.confirm_completion(police_action, by=f.person_of(dora, alpha))
        police_action.refresh_from_db()
        kinds = list(
            ProgressUpdate.objects.filter(action=police_action).values_list("kind", flat=True)
        )
    assert police_action.state == State.COMPLETE
    assert police_action.completed_on == TODAY
    assert police_action.confirmed_by == f.person_of(dora, alpha)
    assert police_action.completed_in_time is True
    assert sorted(kinds) == ["completion", "confirmation"]


def test_a_returned_completion_goes_back_to_its_last_status(
    alpha: Any, police_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_update(police_action, by=None, status="red", text="Stuck")
        services.record_completion(police_action, by=None, evidence_text="Done, I think")
        with pytest.raises(ServiceError, match="why"):
            services.return_completion(police_action, by=None, reason="")
        services.return_completion(police_action, by=None, reason="No evidence of training")
        police_action.refresh_from_db()
    assert police_action.state == State.OPEN
    assert police_action.status == Progress.RED
    assert police_action.completed_on is None


def test_impact_is_recorded_once_completion_is_confirmed(alpha: Any, police_action: Action) -> None:
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="confirmed"):
            services.record_impact(police_action, by=None, text="Better")
        services.record_completion(police_action, by=None, evidence_text="Done", confirm=True)
        services.record_impact(
            police_action, by=None, text="Tested through audit on 3 March: 9 of 10 cases good"
        )
        police_action.refresh_from_db()
    assert police_action.impact.startswith("Tested through audit")
    assert police_action.impact_on == TODAY


# --- year-end -----------------------------------------------------------------------------


def _plans(alpha: Any) -> tuple[Plan, Plan]:
    with tenancy.partnership_scope(alpha):
        old = services.create_plan(partnership=alpha, first_year=2020, last_year=2022)
        new = services.create_plan(partnership=alpha, first_year=2023, last_year=2025)
    return old, new


def test_the_year_end_carries_unfinished_actions_forward(
    alpha: Any, police: Any, health: Any, board: Any
) -> None:
    old, new = _plans(alpha)
    with tenancy.partnership_scope(alpha):
        t1 = services.add_theme(plan=old, title="Exploitation", lead_group=board)
        done = make_action(alpha, police, plan=old, theme=t1, ref="1.1", due=date(2021, 3, 31))
        services.record_completion(
            done, by=None, evidence_text="Done", completed_on=date(2021, 3, 1), confirm=True
        )
        open_ = make_action(alpha, health, plan=old, theme=t1, ref="1.2", due=date(2022, 6, 30))
        services.record_update(open_, by=None, status="amber", text="Half way", on=date(2022, 5, 1))
        ongoing = make_action(
            alpha, board, plan=old, ref="9", ongoing=True, review_date=date(2023, 1, 31)
        )
        open_.links.add(done, ongoing)
        make_action(alpha, police, plan=new, ref="1.2", due=date(2024, 3, 31))  # taken
        preview = services.preview_close(old, new)
        assert preview.can_close
        assert [(c.action.reference, c.reference) for c in preview.carry] == [
            ("9", "9"),
            ("1.2", "1.2-cf"),
        ]
        assert preview.new_themes == ["Exploitation"]
        carried = services.close_plan(old, next_plan=new, by=None, expected=preview.ids)
        old.refresh_from_db()
        open_.refresh_from_db()
        successor = Action.objects.get(carried_from=open_)
        new_ongoing = Action.objects.get(carried_from=ongoing)
        links = set(successor.links.all())
    assert old.status == PlanStatus.CLOSED and old.next_plan == new
    assert {a.pk for a in carried} == {successor.pk, new_ongoing.pk}
    assert open_.state == State.CARRIED_FORWARD
    assert successor.reference == "1.2-cf" and successor.theme.plan == new
    assert successor.theme.title == "Exploitation" and successor.theme.lead_group == board
    assert (successor.original_due, successor.due, successor.status) == (
        date(2022, 6, 30),
        date(2022, 6, 30),
        Progress.AMBER,
    )
    assert new_ongoing.ongoing and new_ongoing.review_date == date(2023, 1, 31)
    # The completed action stays behind and is linked; the carried ongoing one is its copy.
    assert links == {done, new_ongoing}


def test_closing_is_refused_while_a_completion_awaits_confirmation(alpha: Any, police: Any) -> None:
    old, new = _plans(alpha)
    action = make_action(alpha, police, plan=old, ref="1", due=date(2021, 1, 31))
    with tenancy.partnership_scope(alpha):
        services.record_completion(action, by=None, evidence_text="Done")
        assert not services.preview_close(old, new).can_close
        with pytest.raises(ServiceError, match="Confirm or return the completion of 1"):
            services.close_plan(old, next_plan=new, by=None)


def test_closing_checks_what_was_previewed(alpha: Any, police: Any) -> None:
    old, new = _plans(alpha)
    first = make_action(alpha, police, plan=old, ref="1", due=date(2021, 1, 31))
    with tenancy.partnership_scope(alpha):
        preview = services.preview_close(old, new)
    make_action(alpha, police, plan=old, ref="2", due=date(2021, 1, 31))  # added since
    with tenancy.partnership_scope(alpha):
        with pytest.raises(ServiceError, match="changed since the preview"):
            services.close_plan(old, next_plan=new, by=None, expected=preview.ids)
        assert preview.ids == [first.pk]
        old.refresh_from_db()
    assert old.status == PlanStatus.ACTIVE


@pytest.mark.parametrize(
    ("years", "message"),
    [((2023, 2025), "itself"), ((2019, 2019), "does not start after")],
)
def test_closing_needs_a_later_open_plan(alpha: Any, years: tuple[int, int], message: str) -> None:
    old, new = _plans(alpha)
    with tenancy.partnership_scope(alpha):
        target = (
            old
            if message == "itself"
            else services.create_plan(partnership=alpha, first_year=years[0], last_year=years[1])
        )
        assert message in " ".join(services.preview_close(old, target).problems)
        services.close_plan(old, next_plan=new, by=None)
        assert "already closed" in " ".join(services.preview_close(old, new).problems)


STORIES = st.lists(
    st.tuples(
        st.sampled_from(["open", "complete", "ongoing"]),
        st.sampled_from(Progress.values[:4]),
        st.integers(0, 2),  # theme
        st.booleans(),  # its reference is taken in the next plan already
    ),
    min_size=0,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stories=STORIES, links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=6))
def test_carry_forward_properties(
    alpha: Any, police: Any, stories: list[tuple[str, str, int, bool]], links: list[tuple[int, int]]
) -> None:
    """Whatever the plan holds: every action not complete has exactly one successor in the
    next plan, with its text, owner, dates and status, under a free reference; complete ones
    stay; links between carried actions join their successors; the preview is what happens."""
    # Each example runs in a savepoint rolled back at its end, so examples do not meet.
    with transaction.atomic():
        _carry_forward_example(alpha, police, stories, links)
        transaction.set_rollback(True)


def _carry_forward_example(
    alpha: Any, police: Any, stories: list[tuple[str, str, int, bool]], links: list[tuple[int, int]]
) -> None:
    year = 2000
    with tenancy.partnership_scope(alpha):
        old = services.create_plan(partnership=alpha, first_year=year, last_year=year + 2)
        new = services.create_plan(partnership=alpha, first_year=year + 3, last_year=year + 5)
        themes = [services.add_theme(plan=old, title=f"Theme {n}") for n in range(3)]
        actions = []
        for n, (kind, status, theme, taken) in enumerate(stories):
            ref = f"{theme + 1}.{n}"
            if taken:
                make_action(alpha, police, plan=new, ref=ref, due=date(year + 4, 1, 31))
            action = make_action(
                alpha,
                police,
                plan=old,
                theme=themes[theme],
                ref=ref,
                due=None if kind == "ongoing" else date(year + 1, 1 + n % 12, 1),
                ongoing=kind == "ongoing",
                review_date=date(year + 2, 12, 31) if kind == "ongoing" else None,
            )
            if status != "not_started":
                services.record_update(
                    action, by=None, status=status, text="x", on=date(year + 1, 1, 1)
                )
            if kind == "complete":
                services.record_completion(
                    action,
                    by=None,
                    evidence_text="done",
                    completed_on=date(year + 1, 2, 1),
                    confirm=True,
                )
            actions.append(action)
        pairs = {(a, b) for a, b in links if a < len(actions) and b < len(actions) and a != b}
        for a, b in pairs:
            actions[a].links.add(actions[b])
        before = set(Action.objects.filter(plan=new).values_list("reference", flat=True))
        preview = services.preview_close(old, new)
        carried = services.close_plan(old, next_plan=new, by=None, expected=preview.ids)
        expected_open = [a for a, s in zip(actions, stories, strict=True) if s[0] != "complete"]
        assert sorted(preview.ids) == sorted(a.pk for a in expected_open)
        assert len(carried) == len(expected_open)
        successor_of = {}
        for old_action in expected_open:
            old_action.refresh_from_db()
            assert old_action.state == State.CARRIED_FORWARD
            successor = Action.objects.get(carried_from=old_action)
            successor_of[old_action.pk] = successor
            assert successor.plan == new and successor.state == State.OPEN
            assert (successor.text, successor.owner_agency, successor.status) == (
                old_action.text,
                old_action.owner_agency,
                old_action.status,
            )
            assert (successor.due, successor.original_due, successor.review_date) == (
                old_action.due,
                old_action.original_due,
                old_action.review_date,
            )
            assert successor.theme is not None and successor.theme.title == old_action.theme.title
            expected_ref = old_action.reference
            if expected_ref in before:
                expected_ref += "-cf"
            assert successor.reference == expected_ref
        for a, s in zip(actions, stories, strict=True):
            if s[0] == "complete":
                a.refresh_from_db()
                assert a.state == State.COMPLETE
                assert not Action.objects.filter(carried_from=a).exists()
        references = list(Action.objects.filter(plan=new).values_list("reference", flat=True))
        assert len(references) == len(set(references))  # still unique in the plan
        for a, b in pairs:
            first, second = actions[a], actions[b]
            if first.pk in successor_of:
                linked = set(successor_of[first.pk].links.values_list("pk", flat=True))
                target = successor_of.get(second.pk, second)
                assert target.pk in linked
        # Each carried action has a note on both sides.
        notes = ProgressUpdate.objects.filter(kind=UpdateKind.CARRIED_FORWARD, action__plan=old)
        assert notes.count() == len(expected_open)
