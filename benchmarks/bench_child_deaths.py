"""The child death tables for a panel with 10,000 deaths: the five tables of a year, with the
two years before (the page and the report) and the public edition's disclosure control, at
most 1 s. The deaths span ten years, shared between the host and a partnership it serves.

Runs in a throw-away test database (never the configured one)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

DEATHS = 10_000
LIMIT_S = 1.0


def _time(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> list[str]:
    from django.db import connection

    from safeboard.child_deaths import selectors
    from safeboard.child_deaths.models import ChildDeath, PanelReview
    from safeboard.core import tenancy
    from safeboard.core.periods import FinancialYearSpan
    from safeboard.partnership import services as partnership_services
    from safeboard.partnership.models import Area, Group, GroupKind

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    lines: list[str] = []
    rng = random.Random(13)
    try:
        host = partnership_services.create_partnership(slug="bench", name="Bench", la_number=901)
        other = partnership_services.create_partnership(slug="other", name="Other", la_number=902)
        with tenancy.unscoped():
            panel = Group.objects.create(partnership=host, name="Panel", kind=GroupKind.PANEL)
            panel.shared_with.add(other)
            areas = {p.pk: Area.objects.get(partnership=p) for p in (host, other)}
            deaths = []
            for n in range(DEATHS):
                owner = host if n % 3 else other
                died = date(2015, 4, 1) + timedelta(days=rng.randint(0, 3650))
                deaths.append(
                    ChildDeath(
                        partnership=owner,
                        panel=panel,
                        home_area=areas[owner.pk],
                        reference=f"B{n}",
                        date_of_birth=died - timedelta(days=rng.randint(0, 6500)),
                        date_of_death=died,
                        sex=rng.choice(["male", "female", "male", "female", "unknown"]),
                    )
                )
            started = time.perf_counter()
            ChildDeath.objects.bulk_create(deaths, batch_size=1000)
            saved = ChildDeath.objects.order_by("pk")
            PanelReview.objects.bulk_create(
                [
                    PanelReview(
                        partnership_id=d.partnership_id,
                        death=d,
                        panel_date=d.date_of_death + timedelta(days=rng.randint(60, 500)),
                        completed_on=d.date_of_death + timedelta(days=rng.randint(60, 500)),
                        category=rng.randint(1, 10),
                        modifiable=rng.random() < 0.3,
                    )
                    for d in saved
                    if rng.random() < 0.95
                ],
                batch_size=1000,
            )
            lines.append(
                f"made {DEATHS:,} deaths and their reviews in {time.perf_counter() - started:.1f} s"
            )
        with tenancy.partnership_scope(host):
            year = "2020-21"

            def page() -> Any:
                return selectors.years_beside(year, partnership=host, panel=True)

            def public() -> Any:
                tables = selectors.tables_for(year, partnership=host, panel=True)
                return [t.csv_rows(public=True) for t in tables.values()]

            seconds, years = _time(page)
            total = years[-1]["sex"].total
            verdict = "ok" if seconds <= LIMIT_S else f"OVER the {LIMIT_S} s limit"
            lines.append(
                f"the panel's five tables of {year} and the two years before "
                f"({total:,} reviews in {year}): {seconds * 1000:.0f} ms, {verdict}"
            )

            def everything() -> Any:
                span = FinancialYearSpan(2015, 2027)
                found = selectors.completed_reviews(span, partnership=host, panel=True)
                return selectors.year_tables(found, span.label)

            seconds, tables = _time(everything)
            verdict = "ok" if seconds <= LIMIT_S else f"OVER the {LIMIT_S} s limit"
            lines.append(
                f"the five tables of every review of the {DEATHS:,} deaths at once "
                f"({tables['sex'].total:,} reviews): {seconds * 1000:.0f} ms, {verdict}"
            )
            seconds, _ = _time(public)
            verdict = "ok" if seconds <= LIMIT_S else f"OVER the {LIMIT_S} s limit"
            lines.append(f"the public edition of one year: {seconds * 1000:.0f} ms, {verdict}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines
