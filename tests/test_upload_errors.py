"""Every upload in the site puts its problems in the red error summary at the top of the page,
each linked to the file field (developers' guide: "An upload's problems go in the summary,
linked to the file field"): a file refused (too large, of the wrong kind, missing) and the
rows of a file that do not validate. A new upload form is listed here: the last test fails
for a form with a file field that is not."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import html

from safeboard.core import tenancy
from safeboard.partnership.models import Role
from safeboard.planning import services as planning_services

from . import factories as f
from .conftest import sign_in
from .performance.conftest import indicator, open_round


def _file(name: str, content: bytes = b"x") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@dataclass
class Upload:
    form: str  # the form class, module.Class
    url: Callable[[dict[str, Any]], str]
    data: Callable[[], dict[str, Any]]
    who: str = "alice"


PLAN_ROWS = b"theme,ref,action,owner,due\nT,1.1,Do it,Nobody Known,not a date\n"
VALUE_ROWS = b"indicator,period,value\nNOPE,2025-26 Q2,12\n"
RETURN_ROWS = b"indicator,period,value\nR1,2025-26 Q2,many\n"
CONTACT_ROWS = b"reference,kind,received\nA1,allegation,not a date\n"
ARRANGEMENT_ROWS = b"reference,notified,source\nPF1,not a date,school\n"

CASES: dict[str, Upload] = {
    "paper, no file": Upload(
        "partnership.forms.PaperForm",
        lambda c: f"/p/alpha/meetings/{c['meeting'].pk}/papers/",
        lambda: {"title": "Minutes", "sensitivity": "partnership"},
    ),
    "paper, too large": Upload(
        "partnership.forms.PaperForm",
        lambda c: f"/p/alpha/meetings/{c['meeting'].pk}/papers/",
        lambda: {"title": "Minutes", "sensitivity": "partnership", "file": _file("m.pdf")},
    ),
    "plan import, wrong kind": Upload(
        "planning.forms.ImportForm",
        lambda c: f"/p/alpha/planning/plans/{c['plan'].pk}/import/",
        lambda: {"file": _file("plan.exe")},
    ),
    "plan import, bad rows": Upload(
        "planning.forms.ImportForm",
        lambda c: f"/p/alpha/planning/plans/{c['plan'].pk}/import/",
        lambda: {"file": _file("plan.csv", PLAN_ROWS)},
    ),
    "completion, too large": Upload(
        "planning.forms.CompletionForm",
        lambda c: f"/p/alpha/planning/actions/{c['action'].pk}/complete/",
        lambda: {"evidence": "Done", "completed_on": "2025-01-01", "file": _file("e.pdf")},
    ),
    "values import, wrong kind": Upload(
        "performance.forms.UploadForm",
        lambda c: "/p/alpha/performance/dataset/values/import/",
        lambda: {"file": _file("values.exe")},
    ),
    "values import, bad rows": Upload(
        "performance.forms.UploadForm",
        lambda c: "/p/alpha/performance/dataset/values/import/",
        lambda: {"file": _file("values.csv", VALUE_ROWS)},
    ),
    "return upload, bad rows": Upload(
        "performance.forms.TemplateUploadForm",
        lambda c: f"/p/alpha/performance/returns/{c['round'].pk}/{c['police'].pk}/upload/",
        lambda: {"file": _file("return.csv", RETURN_ROWS)},
    ),
    "return upload, wrong kind": Upload(
        "performance.forms.TemplateUploadForm",
        lambda c: f"/p/alpha/performance/returns/{c['round'].pk}/{c['police'].pk}/upload/",
        lambda: {"file": _file("return.exe")},
    ),
    "contacts import, bad rows": Upload(
        "core.forms.ImportUploadForm",
        lambda c: "/p/alpha/allegations/import/",
        lambda: {"file": _file("contacts.csv", CONTACT_ROWS)},
        who="lara",
    ),
    "contacts import, wrong kind": Upload(
        "core.forms.ImportUploadForm",
        lambda c: "/p/alpha/allegations/import/",
        lambda: {"file": _file("contacts.exe")},
        who="lara",
    ),
    "LADO terms upload, bad rows": Upload(
        "core.forms.TableUploadForm",
        lambda c: "/p/alpha/allegations/terms/",
        lambda: {"file": _file("terms.csv", b"list,term\nnot a list,Nursery\n")},
        who="lara",
    ),
    "LADO terms upload, wrong kind": Upload(
        "core.forms.TableUploadForm",
        lambda c: "/p/alpha/allegations/terms/",
        lambda: {"file": _file("terms.exe")},
        who="lara",
    ),
    "arrangements import, bad rows": Upload(
        "core.forms.ImportUploadForm",
        lambda c: "/p/alpha/private-fostering/import/",
        lambda: {"file": _file("arrangements.csv", ARRANGEMENT_ROWS)},
        who="lara",
    ),
    "arrangements import, wrong kind": Upload(
        "core.forms.ImportUploadForm",
        lambda c: "/p/alpha/private-fostering/import/",
        lambda: {"file": _file("arrangements.exe")},
        who="lara",
    ),
}


@pytest.fixture
def records(alpha: Any, alice: Any, police: Any) -> dict[str, Any]:
    board = f.group(alpha, "Board")
    indicator(alpha, "R1", owner=police)
    with tenancy.partnership_scope(alpha):
        plan = planning_services.create_plan(partnership=alpha, first_year=2024, last_year=2026)
        action = planning_services.create_action(
            partnership=alpha,
            source="inspection",
            text="Do the thing",
            owner=police,
            due=date(2026, 3, 31),
        )
    return {
        "meeting": f.meeting(board, date(2025, 6, 1)),
        "plan": plan,
        "action": action,
        "round": open_round(alpha, "2025-26 Q2"),
        "police": police,
        "alice": alice,
        "lara": f.user(
            "lara",
            p=alpha,
            roles=[(Role.LADO, None), (Role.PRIVATE_FOSTERING_OFFICER, None)],
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_an_uploads_problems_are_in_the_error_summary_linked_to_the_file_field(
    client: Client, settings: Any, records: dict[str, Any], case: str
) -> None:
    upload = CASES[case]
    if "too large" in case:
        settings.MAX_UPLOAD_MB = 0
    sign_in(client, records[upload.who])
    response = client.post(upload.url(records), upload.data())
    # The page itself, with the form as it was sent: not a redirect to somewhere else with
    # a message that names no field.
    assert response.status_code in (200, 400), (case, response.status_code)
    page = html.fromstring(response.content.decode())
    summaries = page.xpath(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' govuk-error-summary ')]"
    )
    assert summaries, case
    items = [li for summary in summaries for li in summary.xpath(".//li")]
    assert items, case
    file_inputs = {i.get("id") for i in page.xpath("//input[@type='file']")}
    for item in items:
        links = item.xpath(".//a")
        assert links, (case, "a problem not linked to its field", item.text_content())
        assert links[0].get("href")[1:] in file_inputs, (case, links[0].get("href"))
    # The field itself shows its error too, for a file refused.
    if "rows" not in case:
        assert page.xpath(
            "//div[contains(@class, 'govuk-form-group--error')]//input[@type='file']"
        ), case


def _upload_forms() -> set[str]:
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("safeboard."):
            continue
        try:
            module = __import__(f"{config.name}.forms", fromlist=["forms"])
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and any(isinstance(fd, forms.FileField) for fd in cls.base_fields.values())
            ):
                found.add(f"{config.label}.forms.{name}")
    return found


def test_every_upload_form_is_checked_here() -> None:
    assert _upload_forms() == {case.form for case in CASES.values()}
