"""The action tracker and an action's pages. alice (business unit) manages every action; bob
(police contributor) updates his agency's actions only; dora chairs the board, which oversees
the plan's theme, so she may update and confirm; vera (read-only) changes nothing; charlie
(another partnership) finds nothing."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Action, DueDateChange, Plan, Progress, State, Theme

from .. import factories as f
from ..conftest import consume, sign_in
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def url(path: str = "") -> str:
    return f"/p/alpha/planning/{path}"


# --- the tracker --------------------------------------------------------------------------


@pytest.fixture
def mixed(
    alpha: Any, plan: Plan, theme: Theme, police: Any, health: Any, board: Any, bob: Any
) -> dict[str, Action]:
    """Actions from several sources, owners and dates."""
    meeting = f.meeting(board, TODAY - timedelta(days=10))
    return {
        "overdue": make_action(
            alpha,
            police,
            plan=plan,
            theme=theme,
            ref="1.1",
            due=TODAY - timedelta(days=3),
            text="Overdue police action",
        ),
        "soon": make_action(
            alpha,
            health,
            plan=plan,
            theme=theme,
            ref="1.2",
            due=TODAY + timedelta(days=5),
            text="Health action due soon",
        ),
        "meeting": make_action(
            alpha,
            f.person_of(bob, alpha),
            source="meeting",
            source_record=meeting,
            due=TODAY + timedelta(days=40),
            text="Bob's own meeting action",
        ),
        "inspection": make_action(
            alpha,
            board,
            source="inspection",
            source_label="Ofsted 2026",
            due=TODAY + timedelta(days=100),
            text="Risk assess children waiting",
        ),
    }


def _texts(body: str, mixed: dict[str, Action]) -> set[str]:
    return {key for key, action in mixed.items() if action.text in body.replace("&#x27;", "'")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"overdue", "soon", "meeting", "inspection"}),
        ("who=mine", {"meeting"}),
        ("who=agency", {"overdue", "meeting"}),  # bob's own actions count for his agency
        ("when=overdue", {"overdue"}),
        ("when=due_soon", {"soon"}),
        ("source=inspection", {"inspection"}),
        ("source=business_plan&who=agency", {"overdue"}),
        ("q=health", {"soon"}),
        ("status=not_started&when=overdue", {"overdue"}),
        ("status=red", set()),
    ],
)
def test_the_tracker_filters_combine(
    as_bob: Client, mixed: dict[str, Action], query: str, expected: set[str]
) -> None:
    body = as_bob.get(url(f"actions/?{query}")).content.decode()
    assert _texts(body, mixed) == expected
    assert f"{len(expected)} action" in body


def test_the_tracker_filters_by_theme_group_and_agency(
    as_alice: Client, mixed: dict[str, Action], theme: Theme, board: Any, health: Any
) -> None:
    body = as_alice.get(url(f"actions/?theme={theme.pk}")).content.decode()
    assert _texts(body, mixed) == {"overdue", "soon"}
    body = as_alice.get(url(f"actions/?group={board.pk}")).content.decode()
    assert _texts(body, mixed) == {"overdue", "soon", "meeting", "inspection"}
    body = as_alice.get(url(f"actions/?agency={health.pk}")).content.decode()
    assert _texts(body, mixed) == {"soon"}


def test_a_filter_not_understood_is_named_and_the_others_still_apply(
    as_bob: Client, mixed: dict[str, Action]
) -> None:
    body = as_bob.get(url("actions/?when=overdue&source=plan")).content.decode()
    assert _texts(body, mixed) == {"overdue"}
    assert "Some filters were not understood and are left out: Source" in body


def test_an_htmx_request_gets_the_results_alone(as_bob: Client, mixed: dict[str, Action]) -> None:
    body = as_bob.get(url("actions/?when=overdue"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and "Overdue police action" in body


def test_the_tracker_exports_what_it_shows(as_bob: Client, mixed: dict[str, Action]) -> None:
    response = as_bob.get(url("actions/export/?when=overdue"))
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = list(csv.DictReader(io.StringIO(consume(response).decode("utf-8-sig"))))
    assert [(r["reference"], r["action"], r["owner"], r["state"]) for r in rows] == [
        ("1.1", "Overdue police action", "Alpha Police", "Open")
    ]
    response = as_bob.get(url("actions/export/?format=xlsx&source=inspection"))
    sheet = load_workbook(io.BytesIO(consume(response))).active
    assert (
        sheet["F2"].value == "Risk assess children waiting" and sheet["E2"].value == "Ofsted 2026"
    )
    # People read the workbook: its columns are named in words, its ratings in colour.
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Reference", "Plan", "Theme", "Source", "Source details", "Action"]
    with tenancy.partnership_scope(mixed["overdue"].partnership):
        services.record_update(
            mixed["overdue"], by=None, status=Progress.AMBER, text="Late", on=TODAY
        )
    response = as_bob.get(url("actions/export/?format=xlsx&when=overdue"))
    sheet = load_workbook(io.BytesIO(consume(response))).active
    status = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Status") + 1)
    assert status.value == "Amber" and status.fill.fgColor.rgb.endswith("FFF2CC")


def test_charlie_sees_no_actions_of_alpha(as_charlie: Client, mixed: dict[str, Action]) -> None:
    assert as_charlie.get(url("actions/")).status_code == 404
    assert as_charlie.get(url("actions/export/")).status_code == 404
    assert as_charlie.get(url(f"actions/{mixed['overdue'].pk}/")).status_code == 404


# --- adding and changing actions ----------------------------------------------------------


def test_alice_adds_a_plan_action_and_an_inspection_action(
    as_alice: Client, alpha: Any, plan: Plan, theme: Theme, police: Any, board: Any
) -> None:
    due = (TODAY + timedelta(days=60)).isoformat()
    response = as_alice.post(
        url("actions/new/"),
        {
            "plan": plan.pk,
            "theme": theme.pk,
            "reference": "1.4",
            "text": "Audit missing",
            "owner": f"agency:{police.pk}",
            "due": due,
        },
    )
    assert response.status_code == 302
    response = as_alice.post(
        url("actions/new/"),
        {
            "source": "inspection",
            "source_label": "JTAI 2026",
            "text": "Risk assess waits",
            "owner": f"group:{board.pk}",
            "ongoing": "on",
            "review_date": due,
            "links": "1.4",
        },
    )
    body = response.content.decode()
    assert "There is no action 1.4" in body  # a plan reference needs the plan
    with tenancy.partnership_scope(alpha):
        first = Action.objects.get(reference="1.4")
    response = as_alice.post(
        url("actions/new/"),
        {
            "source": "inspection",
            "source_label": "JTAI 2026",
            "text": "Risk assess waits",
            "owner": f"group:{board.pk}",
            "ongoing": "on",
            "review_date": due,
            "links": f"A{first.pk}",
        },
    )
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        second = Action.objects.get(text="Risk assess waits")
        assert set(second.links.all()) == {first}
    assert first.source == "business_plan" and first.group == board and first.owner == police
    assert second.source == "inspection" and second.ongoing and second.plan is None


def test_the_action_form_explains_what_is_missing(
    as_alice: Client, plan: Plan, police: Any, alpha: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        other = services.add_theme(
            plan=services.create_plan(partnership=alpha, first_year=2040, last_year=2040),
            title="Elsewhere",
        )
    body = as_alice.post(
        url("actions/new/"),
        {"plan": plan.pk, "theme": other.pk, "text": "x", "owner": f"agency:{police.pk}"},
    ).content.decode()
    assert "Choose a theme of the chosen plan" in body
    assert "Give the action’s reference in the plan" in body
    assert "Give the date the action is due" in body
    assert "There is a problem" in body
    body = as_alice.post(url("actions/new/"), {"text": "x", "owner": "agency:99999"}).content
    assert "Choose an owner from the list" in body.decode()


def test_alice_moves_a_due_date_only_with_a_reason(
    as_alice: Client, alpha: Any, police_action: Action, police: Any
) -> None:
    address = url(f"actions/{police_action.pk}/edit/")
    assert "Change action 1.1" in as_alice.get(address).content.decode()
    new_due = (police_action.due + timedelta(days=30)).isoformat()
    data = {
        "reference": "1.1",
        "theme": police_action.theme_id,
        "group": police_action.group_id,
        "text": "Changed",
        "owner": f"agency:{police.pk}",
        "due": new_due,
    }
    body = as_alice.post(address, data).content.decode()
    assert "Give the reason the due date is changing" in body
    response = as_alice.post(address, {**data, "due_reason": "Waiting for the audit"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        police_action.refresh_from_db()
        change = DueDateChange.objects.get(action=police_action)
    assert police_action.text == "Changed" and police_action.slippage_days == 30
    assert police_action.theme_id is not None and police_action.group_id is not None
    assert change.reason == "Waiting for the audit"


@pytest.mark.parametrize("path", ["actions/new/", "actions/{pk}/edit/"])
def test_only_the_business_unit_adds_and_changes_actions(
    client: Client, bob: Any, vera: Any, charlie: Any, police_action: Action, path: str
) -> None:
    address = url(path.format(pk=police_action.pk))
    for user, status in ((bob, 403), (vera, 403), (charlie, 404)):
        sign_in(client, user)
        assert client.get(address).status_code == status
        assert client.post(address, {"text": "x"}).status_code == status


# --- an action's page and its life --------------------------------------------------------


def test_bob_updates_his_agencys_action_moving_its_date(
    as_bob: Client, alpha: Any, police_action: Action
) -> None:
    page = as_bob.get(url(f"actions/{police_action.pk}/")).content.decode()
    assert "Record progress" in page and "Report completion" in page
    assert "Confirm completion" not in page and "Change the action" not in page
    address = url(f"actions/{police_action.pk}/update/")
    # The date field is filled in with today, in the form a date input reads.
    assert f'value="{TODAY.isoformat()}"' in as_bob.get(address).content.decode()
    new_due = (police_action.due + timedelta(days=45)).isoformat()
    data = {
        "status": "amber",
        "text": "Training delayed",
        "on": TODAY.isoformat(),
        "new_due": new_due,
    }
    assert "Give the reason the due date is changing" in as_bob.post(address, data).content.decode()
    response = as_bob.post(address, {**data, "due_reason": "Trainer off sick"})
    assert response.status_code == 302
    page = as_bob.get(url(f"actions/{police_action.pk}/")).content.decode()
    assert "Trainer off sick" in page and "Slipped 45 days" in page and "Training delayed" in page
    with tenancy.partnership_scope(alpha):
        police_action.refresh_from_db()
    assert police_action.status == Progress.AMBER


def test_bob_cannot_update_another_agencys_action(as_bob: Client, health_action: Action) -> None:
    page = as_bob.get(url(f"actions/{health_action.pk}/")).content.decode()
    assert "Record progress" not in page
    for step in ("update", "complete", "confirm", "impact"):
        address = url(f"actions/{health_action.pk}/{step}/")
        assert as_bob.get(address).status_code == 403
        assert as_bob.post(address, {"status": "green", "text": "x"}).status_code == 403


def test_a_read_only_member_cannot_change_anything(as_vera: Client, police_action: Action) -> None:
    page = as_vera.get(url(f"actions/{police_action.pk}/")).content.decode()
    assert "Record progress" not in page and "Report completion" not in page
    for step in ("update", "complete", "confirm", "impact", "edit"):
        assert as_vera.post(url(f"actions/{police_action.pk}/{step}/"), {}).status_code == 403


def test_charlie_cannot_reach_any_step(as_charlie: Client, police_action: Action) -> None:
    for step in ("", "update/", "complete/", "confirm/", "impact/", "edit/"):
        assert as_charlie.get(url(f"actions/{police_action.pk}/{step}")).status_code == 404


def test_bob_reports_completion_with_evidence_and_dora_confirms_it(
    client: Client, alpha: Any, bob: Any, dora: Any, police_action: Action
) -> None:
    sign_in(client, bob)
    response = client.post(
        url(f"actions/{police_action.pk}/complete/"),
        {
            "evidence": "Procedure published on the website",
            "completed_on": TODAY.isoformat(),
            "file": SimpleUploadedFile("procedure.txt", b"The procedure"),
        },
    )
    assert response.status_code == 302
    page = client.get(url(f"actions/{police_action.pk}/")).content.decode()
    assert "Complete, awaiting confirmation" in page
    with tenancy.partnership_scope(alpha):
        update = police_action.updates.get(kind="completion")
    download = client.get(url(f"evidence/{update.pk}/"))
    assert consume(download) == b"The procedure"
    assert client.get(url(f"actions/{police_action.pk}/confirm/")).status_code == 403
    sign_in(client, dora)
    page = client.get(url(f"actions/{police_action.pk}/confirm/")).content.decode()
    assert "Procedure published on the website" in page and "procedure.txt" in page
    body = client.post(url(f"actions/{police_action.pk}/confirm/"), {"decision": "return"})
    assert "Say why the completion is not confirmed" in body.content.decode()
    response = client.post(url(f"actions/{police_action.pk}/confirm/"), {"decision": "confirm"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        police_action.refresh_from_db()
    assert police_action.state == State.COMPLETE
    assert police_action.confirmed_by == f.person_of(dora, alpha)
    response = client.post(
        url(f"actions/{police_action.pk}/impact/"),
        {"impact": "Tested through the audit in May", "on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert (
        "Tested through the audit in May"
        in client.get(url(f"actions/{police_action.pk}/")).content.decode()
    )


def test_a_completion_can_be_returned(as_alice: Client, alpha: Any, police_action: Action) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(police_action, by=None, evidence_text="Done?")
    response = as_alice.post(
        url(f"actions/{police_action.pk}/confirm/"),
        {"decision": "return", "reason": "No evidence that staff were trained"},
    )
    assert response.status_code == 302
    page = as_alice.get(url(f"actions/{police_action.pk}/")).content.decode()
    assert "Completion not confirmed" in page and "No evidence that staff were trained" in page


def test_alices_completion_is_confirmed_at_once(
    as_alice: Client, alpha: Any, health_action: Action
) -> None:
    as_alice.post(
        url(f"actions/{health_action.pk}/complete/"),
        {"evidence": "Done", "completed_on": TODAY.isoformat()},
    )
    with tenancy.partnership_scope(alpha):
        health_action.refresh_from_db()
    assert health_action.state == State.COMPLETE


def test_a_completion_cannot_be_in_the_future(as_bob: Client, police_action: Action) -> None:
    body = as_bob.post(
        url(f"actions/{police_action.pk}/complete/"),
        {"evidence": "Done", "completed_on": (TODAY + timedelta(days=2)).isoformat()},
    ).content.decode()
    assert "The completion date must be today or in the past" in body


def test_evidence_of_another_partnership_is_not_found(
    client: Client, alpha: Any, charlie: Any, police_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        update = services.record_completion(
            police_action,
            by=None,
            evidence_text="x",
            evidence_file=SimpleUploadedFile("e.txt", b"secret"),
        )
    sign_in(client, charlie)
    assert client.get(url(f"evidence/{update.pk}/")).status_code == 404


# --- meetings -----------------------------------------------------------------------------


def test_a_meetings_actions_and_pack(
    client: Client,
    alpha: Any,
    board: Any,
    dora: Any,
    bob: Any,
    charlie: Any,
    police: Any,
    police_action: Action,
) -> None:
    held = f.meeting(board, TODAY - timedelta(days=20))
    upcoming = f.meeting(board, TODAY + timedelta(days=40))
    sign_in(client, dora)
    address = url(f"meetings/{held.pk}/actions/new/")
    response = client.post(
        address,
        {
            "text": "Bring the recovery plan",
            "owner": f"agency:{police.pk}",
            "due": (TODAY + timedelta(days=30)).isoformat(),
            "report_to": upcoming.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(url(f"meetings/{held.pk}/actions/")).content.decode()
    assert "Bring the recovery plan" in page
    pack = client.get(url(f"meetings/{upcoming.pk}/actions/")).content.decode()
    # Due back to this meeting, and the board's plan action due before it.
    assert "Bring the recovery plan" in pack and police_action.text in pack
    with tenancy.partnership_scope(alpha):
        action = Action.objects.get(text="Bring the recovery plan")
    assert action.source_record == held and action.group == board
    sign_in(client, bob)
    assert client.get(url(f"meetings/{held.pk}/actions/")).status_code == 200
    assert client.get(address).status_code == 403
    sign_in(client, charlie)
    assert client.get(url(f"meetings/{held.pk}/actions/")).status_code == 404
    assert client.get(address).status_code == 404
