"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
database calls from async code is lifted for these tests (the calls are synchronous).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def patient(context: Any) -> Any:
    """A busy machine (CI shares it with other work) can take more than Playwright's 30 s
    default to build a page such as the annual report: wait longer before failing."""
    context.set_default_timeout(90_000)
    context.set_default_navigation_timeout(120_000)
    return context


@pytest.fixture
def context(context: Any) -> Any:
    return patient(context)


@pytest.fixture
def console_errors(page: Any) -> Iterator[list[str]]:
    """Errors the page logs (a Content-Security-Policy violation, a failed script): tests
    assert there are none."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield errors


def sign_in_page(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in through the form, and wait until the page the sign-in leads to has loaded
    (the home page, the second step, or the form again with its error), not only until its
    response began: nothing of the sign-in is still in flight when the test goes on (and
    perhaps writes to the database the live server shares)."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Sign in").click()
