"""Case reviews at the size of a large partnership's history: 2,000 cases (serious incidents
over ten years, most closed, some running, local reviews waiting for publication), with their
statutory clocks; then the clocks page (nearest due first, for the case review officer), the
case reviews list (all, and filtered to one of the officer's waiting lists) and the officer's
home page (with what waits for them), timed as served.

Runs in a throw-away test database (never the configured one)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

REVIEWS = 2000
LIMIT_MS = 150.0
RUNS = 40


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn: Callable[[], Any], runs: int = RUNS, warm: int = 3) -> list[float]:
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def verdict(ok: bool) -> str:
    return "within the limit" if ok else "OVER THE LIMIT"


def _load(partnership: Any, today: date) -> dict[str, int]:
    from safeboard.learning import services
    from safeboard.learning.models import Kind, Outcome

    counts = {"running": 0}
    for n in range(REVIEWS):
        # Spread over ten years, the most recent last; every 50th still running.
        known = today - timedelta(days=3650 - n * 3650 // REVIEWS + 1)
        running = n >= REVIEWS - 40
        kind = Kind.PRACTICE if n % 10 == 0 else Kind.RAPID_REVIEW
        notified = None
        if kind != Kind.PRACTICE and not (running and n % 2):
            notified = min(today, known + timedelta(days=n % 7))
        review = services.create_review(
            partnership=partnership,
            reference=f"CR-{n:05d}",
            child=f"Child {n:04d}",
            kind=kind,
            incident_known=known,
            notified_on=notified,
            harm="death" if n % 3 == 0 else "serious_harm",
        )
        if kind == Kind.PRACTICE or running:
            counts["running"] += running
            continue
        assert review.notified_on is not None
        held = review.notified_on + timedelta(days=14 + n % 10)
        if held >= today:
            continue
        lcspr = n % 4 == 0
        services.record_rapid_review(
            review,
            held_on=held,
            outcome=Outcome.LCSPR if lcspr else Outcome.NO_LCSPR,
            no_lcspr_reason="" if lcspr else "The rapid review found the learning.",
        )
        published = held + timedelta(days=150 + n % 120)
        if lcspr and published < today - timedelta(days=60):
            services.publish(review, on=published)
    return counts


def main() -> list[str]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeboard.accounts.models import User
    from safeboard.core import tenancy
    from safeboard.core.models import Clock
    from safeboard.partnership import services as partnership_services
    from safeboard.partnership.models import Person, Role

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    lines: list[str] = []
    try:
        partnership = partnership_services.create_partnership(slug="bench", name="Bench")
        today = date.today()
        started = time.perf_counter()
        with tenancy.partnership_scope(partnership):
            counts = _load(partnership, today)
            clocks = Clock.objects.count()
            running = Clock.objects.filter(done__isnull=True).count()
        lines.append(
            f"{REVIEWS:,} cases with {clocks:,} clocks ({running} running) recorded in "
            f"{time.perf_counter() - started:.1f} s"
        )
        user = User.objects.create_user(username="bench-officer")
        with tenancy.unscoped():
            person = Person.objects.create(partnership=partnership, name="Officer", user=user)
            partnership_services.assign_role(person, Role.CASE_REVIEW_OFFICER)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        web = Client()
        web.force_login(user)
        session = web.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

        for label, url in (
            ("clocks page, due soon (the default)", "/p/bench/clocks/"),
            ("clocks page, every running clock", "/p/bench/clocks/?view=running"),
            ("case reviews list (50 cases a page, with their clocks)", "/p/bench/reviews/"),
            (
                "case reviews list, a waiting list (?show=dissemination)",
                "/p/bench/reviews/?show=dissemination",
            ),
            ("home page (with the officer's waiting for you)", "/p/bench/"),
            ("for comparison, a light page (learning themes)", "/p/bench/reviews/themes/"),
        ):

            def get(url: str = url) -> None:
                response = web.get(url)
                assert response.status_code == 200, response.status_code

            samples = timed(get)
            p95 = percentile(samples, 95)
            limited = "/clocks/" in url
            lines.append(
                f"{label}: median {statistics.median(samples):.0f} ms, p95 {p95:.0f} ms"
                + (f" (limit {LIMIT_MS:.0f}): {verdict(p95 <= LIMIT_MS)}" if limited else "")
            )
        lines.append(f"({counts['running']} cases still to notify or review)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines
