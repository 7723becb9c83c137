"""The planning overview and business plan pages: alice (business unit) manages, bob (police
contributor) reads, charlie (another partnership) finds nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Action, Plan, PlanStatus, Progress, Theme

from ..conftest import consume, sign_in
from .conftest import TODAY, make_action

pytestmark = pytest.mark.django_db


def url(path: str = "") -> str:
    return f"/p/alpha/planning/{path}"


# --- the overview -------------------------------------------------------------------------


def test_the_overview_shows_the_current_plan_and_counts(
    as_alice: Client, plan: Plan, police_action: Action
) -> None:
    body = as_alice.get(url()).content.decode()
    assert f"Business plan {plan.label}: Keeping children safe" in body
    assert "Actions completed within timescale" in body
    assert "Add a business plan" in body


def test_bob_reads_the_overview_but_cannot_add_a_plan(as_bob: Client, plan: Plan) -> None:
    body = as_bob.get(url()).content.decode()
    assert "Keeping children safe" in body and "Add a business plan" not in body
    assert "Your agency’s actions" in body


def test_charlie_cannot_see_alphas_planning(as_charlie: Client, plan: Plan) -> None:
    assert as_charlie.get(url()).status_code == 404
    assert as_charlie.get(url(f"plans/{plan.pk}/")).status_code == 404
    # Not even through his own partnership's address.
    assert as_charlie.get(f"/p/beta/planning/plans/{plan.pk}/").status_code == 404


# --- plans --------------------------------------------------------------------------------


def test_alice_adds_a_plan(as_alice: Client, alpha: Any) -> None:
    response = as_alice.post(url("plans/new/"), {"years": "2016-19", "title": "The old plan"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        plan = Plan.objects.get()
    assert (plan.first_year, plan.last_year, plan.label) == (2016, 2018, "2016-19")
    assert response.url == url(f"plans/{plan.pk}/")
    again = as_alice.post(url("plans/new/"), {"years": "2016-19"}).content.decode()
    assert "There is already a business plan 2016-19" in again
    wrong = as_alice.post(url("plans/new/"), {"years": "next year"}).content.decode()
    assert "‘next year’ is not a plan’s years" in wrong


def test_bob_and_charlie_cannot_add_a_plan(as_bob: Client, charlie: Any) -> None:
    assert as_bob.get(url("plans/new/")).status_code == 403
    assert as_bob.post(url("plans/new/"), {"years": "2016-19"}).status_code == 403
    sign_in(as_bob, charlie)
    assert as_bob.get(url("plans/new/")).status_code == 404


def test_the_plan_page_shows_progress_by_year_and_theme(
    as_bob: Client, alpha: Any, plan: Plan, theme: Theme, police_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(
            police_action, by=None, evidence_text="Done", completed_on=TODAY, confirm=True
        )
    body = as_bob.get(url(f"plans/{plan.pk}/")).content.decode()
    assert "Actions completed within timescale, by year" in body
    assert "Status of actions by theme" in body
    assert "1. Exploitation" in body and police_action.text in body
    assert "Add an action" not in body and "Close at year-end" not in body


def test_alice_changes_a_plan_and_its_themes(
    as_alice: Client, alpha: Any, plan: Plan, theme: Theme
) -> None:
    response = as_alice.post(url(f"plans/{plan.pk}/edit/"), {"title": "New", "summary": "Why"})
    assert response.status_code == 302
    response = as_alice.post(url(f"plans/{plan.pk}/themes/new/"), {"title": "Neglect"})
    assert response.status_code == 302 and response.url.endswith("#theme-2")
    dup = as_alice.post(url(f"plans/{plan.pk}/themes/new/"), {"title": "neglect"})
    assert "already has the theme" in dup.content.decode()
    response = as_alice.post(url(f"themes/{theme.pk}/edit/"), {"title": "Child exploitation"})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        plan.refresh_from_db()
        titles = list(Theme.objects.filter(plan=plan).values_list("number", "title"))
    assert (plan.title, plan.summary) == ("New", "Why")
    assert titles == [(1, "Child exploitation"), (2, "Neglect")]


@pytest.mark.parametrize(
    "path", ["plans/{plan}/edit/", "plans/{plan}/themes/new/", "themes/{theme}/edit/"]
)
def test_bob_cannot_change_plans_and_charlie_cannot_see_them(
    client: Client, bob: Any, charlie: Any, plan: Plan, theme: Theme, path: str
) -> None:
    address = url(path.format(plan=plan.pk, theme=theme.pk))
    sign_in(client, bob)
    assert client.get(address).status_code == 403
    assert client.post(address, {"title": "x"}).status_code == 403
    sign_in(client, charlie)
    assert client.get(address).status_code == 404


# --- import and export --------------------------------------------------------------------

CSV = b"""theme,ref,action,owner,due,aim,update,status,links
Exploitation,1.5,Map missing children,POL,Jul-30,,,amber,1.1
"""


def test_alice_imports_a_plan_from_a_file(
    as_alice: Client, alpha: Any, plan: Plan, police_action: Action
) -> None:
    address = url(f"plans/{plan.pk}/import/")
    assert "The columns of a plan file" in as_alice.get(address).content.decode()
    checked = as_alice.post(
        address, {"file": SimpleUploadedFile("plan.csv", CSV), "dry_run": "on"}
    ).content.decode()
    assert "File checked" in checked and "dry run: nothing written" in checked
    response = as_alice.post(address, {"file": SimpleUploadedFile("plan.csv", CSV)})
    assert response.status_code == 302
    with tenancy.partnership_scope(alpha):
        imported = Action.objects.get(reference="1.5")
        assert set(imported.links.all()) == {police_action}
    assert imported.due == date(2030, 7, 31)


def test_an_import_with_problems_writes_nothing_and_lists_them(
    as_alice: Client, alpha: Any, plan: Plan
) -> None:
    bad = b"theme,ref,action,owner,due\nT,1,A,POL,soon\nT,1,B,Nobody,Jul-30\n"
    body = as_alice.post(
        url(f"plans/{plan.pk}/import/"), {"file": SimpleUploadedFile("plan.csv", bad)}
    ).content.decode()
    assert "Nothing was imported: 3 problems to fix" in body
    assert "Row 2: due date: ‘soon’ is not a date" in body
    assert "Row 3: the reference 1 is used twice (rows 2 and 3)" in body
    assert "Row 3: owner ‘Nobody’ is not a group, agency or person" in body
    with tenancy.partnership_scope(alpha):
        assert not Action.objects.exists()
    wrong = as_alice.post(
        url(f"plans/{plan.pk}/import/"), {"file": SimpleUploadedFile("plan.pdf", b"%PDF")}
    ).content.decode()
    assert "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)" in wrong


def test_bob_cannot_import_and_charlie_cannot_see(as_bob: Client, charlie: Any, plan: Plan) -> None:
    address = url(f"plans/{plan.pk}/import/")
    assert as_bob.get(address).status_code == 403
    assert as_bob.post(address, {"file": SimpleUploadedFile("p.csv", CSV)}).status_code == 403
    sign_in(as_bob, charlie)
    assert as_bob.get(address).status_code == 404


def test_everyone_in_the_partnership_may_export_the_plan(
    as_bob: Client, charlie: Any, plan: Plan, police_action: Action
) -> None:
    response = as_bob.get(url(f"plans/{plan.pk}/export/"))
    assert (
        response["Content-Disposition"] == f'attachment; filename="business-plan-{plan.label}.csv"'
    )
    lines = consume(response).decode("utf-8-sig").splitlines()
    assert lines[0] == "theme,ref,action,owner,due,aim,update,status,links"
    assert lines[1].startswith("Exploitation,1.1,Do the thing,Alpha Police,")
    response = as_bob.get(url(f"plans/{plan.pk}/export/?format=xlsx"))
    sheet = load_workbook(io.BytesIO(consume(response))).active
    assert [c.value for c in sheet[2]][:3] == ["Exploitation", "1.1", "Do the thing"]
    # Its columns in words (which the import reads back), its statuses in their colours.
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Theme", "Ref", "Action"] and header[7] == "Status"
    with tenancy.partnership_scope(police_action.partnership):
        services.record_update(police_action, by=None, status=Progress.RED, text="Stuck", on=TODAY)
    response = as_bob.get(url(f"plans/{plan.pk}/export/?format=xlsx"))
    sheet = load_workbook(io.BytesIO(consume(response))).active
    assert sheet["H2"].value == "Red" and sheet["H2"].fill.fgColor.rgb.endswith("F4CDC6")
    sign_in(as_bob, charlie)
    assert as_bob.get(url(f"plans/{plan.pk}/export/")).status_code == 404


# --- year-end -----------------------------------------------------------------------------


def test_alice_previews_and_closes_the_plan(
    as_alice: Client, alpha: Any, plan: Plan, police_action: Action, health_action: Action
) -> None:
    with tenancy.partnership_scope(alpha):
        services.record_completion(health_action, by=None, evidence_text="Done", confirm=True)
        later = services.create_plan(
            partnership=alpha, first_year=plan.last_year + 1, last_year=plan.last_year + 3
        )
    address = url(f"plans/{plan.pk}/close/")
    assert "Add the next business plan" in as_alice.get(address).content.decode()
    preview = as_alice.get(address, {"next_plan": later.pk}).content.decode()
    assert "1 action will carry forward" in preview
    assert "1 complete action stays" in preview
    assert f'name="carry" value="{police_action.pk}"' in preview
    response = as_alice.post(
        address, {"next_plan": later.pk, "confirm": "yes", "carry": [police_action.pk]}
    )
    assert response.status_code == 302 and response.url == url(f"plans/{later.pk}/")
    with tenancy.partnership_scope(alpha):
        plan.refresh_from_db()
        successor = Action.objects.get(carried_from=police_action)
    assert plan.status == PlanStatus.CLOSED and successor.plan == later
    closed = as_alice.get(url(f"plans/{plan.pk}/")).content.decode()
    assert "This plan was closed at the year-end" in closed


def test_a_stale_preview_does_not_close_the_plan(
    as_alice: Client, alpha: Any, plan: Plan, police_action: Action, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        later = services.create_plan(
            partnership=alpha, first_year=plan.last_year + 1, last_year=plan.last_year + 1
        )
    make_action(alpha, police, plan=plan, ref="9", due=TODAY + timedelta(days=3))
    body = as_alice.post(
        url(f"plans/{plan.pk}/close/"),
        {"next_plan": later.pk, "confirm": "yes", "carry": [police_action.pk]},
    ).content.decode()
    assert "The plan has changed since the preview" in body
    with tenancy.partnership_scope(alpha):
        plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_bob_cannot_close_a_plan(as_bob: Client, charlie: Any, plan: Plan) -> None:
    assert as_bob.get(url(f"plans/{plan.pk}/close/")).status_code == 403
    assert as_bob.post(url(f"plans/{plan.pk}/close/"), {"confirm": "yes"}).status_code == 403
    sign_in(as_bob, charlie)
    assert as_bob.get(url(f"plans/{plan.pk}/close/")).status_code == 404
