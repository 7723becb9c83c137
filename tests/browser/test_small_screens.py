"""What people see on a small screen and with the keyboard: at 320 px wide (WCAG 2.2
reflow) no page scrolls sideways, a wide table scrolls inside its own named, focusable region;
the attendance filter applies with its button, not while the arrow keys move through a
select; the error pages keep the site's header and a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from safeboard.core import demo

from .conftest import patient, sign_in_page

pytestmark = pytest.mark.django_db(transaction=True)

WIDE_TABLE_PAGES = [
    "/planning/risks/",
    "/attendance/",
    "/performance/dataset/",  # the scorecard
    "/audit/",
    "/planning/actions/",
]


@pytest.fixture
def admin_page(browser: Browser, live_server: Any) -> Any:
    demo.load(password="a-demo-password")
    context = patient(browser.new_context(viewport={"width": 320, "height": 640}))
    page = context.new_page()
    with override_settings(DEMO=True):  # the demo sign-in, without its second factor
        sign_in_page(page, live_server, "admin", "a-demo-password")
        yield page
    context.close()


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _wide(page: Page) -> list[str]:
    """What sticks out of the page (outside any scrolling region), to say which: elements,
    and text that overflows its element."""
    return list(
        page.evaluate(
            """() => {
                const out = [];
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                while (walker.nextNode()) {
                    const node = walker.currentNode;
                    if (!node.textContent.trim()) continue;
                    const parent = node.parentElement;
                    if (parent.closest('[role=region]')) continue;
                    range.selectNodeContents(node);
                    const right = range.getBoundingClientRect().right;
                    if (right > window.innerWidth + 1) {
                        out.push(parent.tagName.toLowerCase() + '.'
                            + [...parent.classList].join('.') + ' "'
                            + node.textContent.trim().slice(0, 40) + '" ' + Math.round(right));
                    }
                }
                for (const e of document.querySelectorAll('body *')) {
                    if (e.getBoundingClientRect().right > window.innerWidth + 1
                        && !(e.parentElement && e.parentElement.closest('[role=region]'))) {
                        out.push(e.tagName.toLowerCase() + '.' + [...e.classList].join('.'));
                    }
                }
                for (const e of document.querySelectorAll('body *')) {
                    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                        && getComputedStyle(e).overflowX === 'visible'
                        && !e.closest('[role=region]')) {
                        out.push('overflowing ' + e.tagName.toLowerCase() + '.'
                            + [...e.classList].join('.') + ' ' + e.scrollWidth + '>'
                            + e.clientWidth);
                    }
                }
                const base = document.documentElement.scrollWidth;
                const culprits = (parent) => {
                    for (const c of parent.children) {
                        const before = c.style.display;
                        c.style.display = 'none';
                        const w = document.documentElement.scrollWidth;
                        c.style.display = before;
                        if (w < base) {
                            out.push('hiding ' + c.tagName.toLowerCase() + '.'
                                + [...c.classList].join('.') + '#' + c.id + ' ' + base + '->' + w);
                            if (c.children.length) culprits(c);
                            return;
                        }
                    }
                };
                culprits(document.body);
                return out.slice(-8);
            }"""
        )
    )


def test_at_320_px_wide_tables_scroll_in_their_own_region(
    admin_page: Page, live_server: Any
) -> None:
    page = admin_page
    problems = []
    for path in WIDE_TABLE_PAGES:
        page.goto(f"{live_server.url}/p/northdale{path}")
        page.wait_for_load_state("networkidle")
        if (extra := _overflow(page)) > 0:
            problems.append(f"{path}: the page scrolls {extra} px sideways: {_wide(page)}")
        # Every table wider than the screen is inside a focusable, named scrolling region.
        unwrapped = page.evaluate(
            """() => [...document.querySelectorAll('main table')]
                .filter(t => t.scrollWidth > document.documentElement.clientWidth - 20
                    || t.closest('[role=region]') !== null)
                .filter(t => {
                    const r = t.closest('[role=region]');
                    return !r || r.tabIndex !== 0
                        || !(r.getAttribute('aria-label') || r.getAttribute('aria-labelledby'))
                        || getComputedStyle(r).overflowX !== 'auto';
                })
                .map(t => t.dataset.testid || t.caption?.textContent || 'a table')"""
        )
        problems += [f"{path}: {name} is not in a scrolling region" for name in unwrapped]
    assert not problems, "\n".join(problems)


def test_the_attendance_filter_applies_with_its_button(admin_page: Page, live_server: Any) -> None:
    page = admin_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/p/northdale/attendance/")
    caption = page.locator("#attendance-caption")
    before = caption.text_content()
    url = page.url
    year = page.get_by_label("Financial year")
    year.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    # Moving through the select changes nothing yet: focus stays, the page is not reloaded.
    assert page.url == url
    assert caption.text_content() == before
    expect(year).to_be_focused()
    page.get_by_role("button", name="Show").click()
    expect(caption).not_to_have_text(before or "")
    assert "year=" in page.url


def test_error_pages_keep_the_header_and_a_way_back(admin_page: Page, live_server: Any) -> None:
    page = admin_page
    for path, heading in (
        ("/p/northdale/agencies/99999999/", "Page not found"),
        ("/p/northdale/people/1/roles/1/remove/", "This page cannot be opened directly"),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status in (404, 405)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("link", name="Safeboard")).to_be_visible()
        assert _overflow(page) <= 0
        page.get_by_test_id("way-back").click()
        expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
