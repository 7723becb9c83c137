"""Automated accessibility checks (axe-core, WCAG 2.2 A and AA rules) of the pages people
use most, as the business unit administrator of the demo partnership. Automated rules catch
only part of WCAG; they keep the basics from slipping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Browser, Page

from safeboard.core import demo, tenancy
from safeboard.partnership.models import Meeting

from .conftest import patient, sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci)")
    # axe is injected as a script: the test page alone lifts the Content-Security-Policy.
    context = patient(browser.new_context(bypass_csp=True))
    page = context.new_page()
    yield page
    context.close()


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


def test_key_pages_pass_the_automated_accessibility_rules(axe_page: Page, live_server: Any) -> None:
    ctx = demo.load(password="a-demo-password")
    with tenancy.partnership_scope(ctx.partnership):
        meeting = Meeting.objects.filter(group=ctx.groups["board"], status="held").first()
        assert meeting is not None
        report = ctx.extra["report"]
        foreword = report.sections.get(key="foreword")
    base = "/p/northdale"
    pages = [
        "/",
        "/notifications/",
        "/agencies/",
        "/people/",
        f"/groups/{ctx.groups['board'].pk}/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/attendance/",
        "/attendance/",
        "/areas/",
        "/audit/",
        "/reports/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/preview/",
        f"/reports/{report.pk}/checks/",
        f"/reports/{report.pk}/sections/{foreword.pk}/",
    ]
    page = axe_page
    page.goto(f"{live_server.url}/accounts/sign-in/")
    found = {"/accounts/sign-in/": violations(page)}
    with override_settings(DEMO=True):  # the demo sign-in, without its second factor
        sign_in_page(page, live_server, "admin", "a-demo-password")
        for path in pages:
            page.goto(f"{live_server.url}{base}{path}")
            page.wait_for_load_state("networkidle")
            found[path] = violations(page)
        page.goto(f"{live_server.url}/accounts/")
        found["/accounts/"] = violations(page)
    problems = {path: v for path, v in found.items() if v}
    assert not problems, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)
