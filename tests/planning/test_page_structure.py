"""Every planning page is built for screen readers as well as eyes: one h1, tables with a
caption and headers with a scope, no inline script or style (the Content-Security-Policy
forbids them), and every form field with a label."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from safeboard.core import tenancy
from safeboard.planning import services
from safeboard.planning.models import Action, Plan

from .. import factories as f
from .conftest import TODAY

pytestmark = pytest.mark.django_db


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.tables = 0
        self.captions = 0
        self.headers_without_scope = 0
        self.inline: list[str] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self._in_thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h1":
            self.h1 += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "thead":
            self._in_thead = True
        elif tag == "th" and "scope" not in attributes:
            self.headers_without_scope += 1
        elif (
            tag == "script"
            and "src" not in attributes
            and attributes.get("type") != ("application/json")
        ):
            self.inline.append("script")
        elif tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"] or "")
        elif tag in {"input", "select", "textarea"}:
            kind = attributes.get("type")
            if kind not in {"hidden", "submit", "radio", "checkbox"} and attributes.get("id"):
                self.inputs.append(attributes["id"] or "")
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.inline.append(f"{tag} attribute")


@pytest.fixture
def pages(alpha: Any, plan: Plan, police_action: Action, board: Any, dora: Any) -> list[str]:
    meeting = f.meeting(board, TODAY - timedelta(days=3))
    with tenancy.partnership_scope(alpha):
        risk = services.create_risk(
            partnership=alpha, title="Funding", likelihood=3, impact=3, target_score=4
        )
        challenge = services.raise_challenge(
            partnership=alpha,
            agency=police_action.owner_agency,
            subject="Data",
            detail="Why?",
            raised_on=TODAY,
            response_due=TODAY + timedelta(days=20),
        )
    base = "/p/alpha/planning/"
    return [
        base,
        f"{base}plans/new/",
        f"{base}plans/{plan.pk}/",
        f"{base}plans/{plan.pk}/import/",
        f"{base}plans/{plan.pk}/close/",
        f"{base}actions/",
        f"{base}actions/new/",
        f"{base}actions/{police_action.pk}/",
        f"{base}actions/{police_action.pk}/edit/",
        f"{base}actions/{police_action.pk}/update/",
        f"{base}actions/{police_action.pk}/complete/",
        f"{base}meetings/{meeting.pk}/actions/",
        f"{base}meetings/{meeting.pk}/actions/new/",
        f"{base}risks/",
        f"{base}risks/new/",
        f"{base}risks/{risk.pk}/",
        f"{base}risks/{risk.pk}/review/",
        f"{base}challenges/",
        f"{base}challenges/new/",
        f"{base}challenges/{challenge.pk}/",
        f"{base}challenges/{challenge.pk}/escalate/",
        f"{base}challenges/{challenge.pk}/close/",
    ]


def test_every_page_is_well_structured(as_alice: Client, pages: list[str]) -> None:
    for url in pages:
        response = as_alice.get(url)
        assert response.status_code == 200, url
        page = Structure()
        page.feed(response.content.decode())
        assert page.h1 == 1, f"{url}: {page.h1} h1"
        assert page.tables == page.captions, f"{url}: a table without a caption"
        assert page.headers_without_scope == 0, f"{url}: a header without a scope"
        assert page.inline == [], f"{url}: inline {page.inline}"
        unlabelled = [i for i in page.inputs if i not in page.labels]
        assert unlabelled == [], f"{url}: fields without a label: {unlabelled}"
