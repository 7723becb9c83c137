"""Planning at the size of a large partnership: a plan of 2,000 actions imported from a file,
then the plan's indicators, a page of the tracker, the export, and a year-end close.

Runs in a throw-away test database (never the configured one)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

ACTIONS = 2000
THEMES = 8


def _time(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median milliseconds of `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _plan_file(today: date) -> bytes:
    statuses = ["not started", "red", "amber", "green", "complete"]
    lines = ["theme,ref,action,owner,due,aim,update,status,links"]
    for n in range(ACTIONS):
        theme = n % THEMES + 1
        status = statuses[n % 5]
        update = f"{today.year - 1}-06-01: progress {n}" if status != "not started" else ""
        link = f"{theme}.{n - THEMES}" if n >= THEMES else ""
        month = n % 36
        due = f"{2024 + month // 12}-{month % 12 + 1:02d}"
        lines.append(
            f"Theme {theme},{theme}.{n},Action {n},BEN,{due},Aim {n},{update},{status},{link}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> list[str]:
    from django.db import connection

    from safeboard.core import tenancy
    from safeboard.core.tables import write_table
    from safeboard.partnership import services as partnership_services
    from safeboard.partnership.access import Membership
    from safeboard.partnership.models import Agency, Person, Sector
    from safeboard.planning import importer, selectors, services

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    lines: list[str] = []
    try:
        partnership = partnership_services.create_partnership(slug="bench", name="Bench")
        today = date.today()
        with tenancy.partnership_scope(partnership):
            agency = partnership_services.save(
                Agency(short_name="BEN", name="Bench Agency", sector=Sector.POLICE), partnership
            )
            person = partnership_services.save(Person(name="Bea Bench", agency=agency), partnership)
            member = Membership(partnership=partnership, person=person, roles=frozenset())
            plan = services.create_plan(partnership=partnership, first_year=2024, last_year=2026)
            data = _plan_file(today)
            started = time.perf_counter()
            report = importer.import_plan(plan, data, "plan.csv")
            assert report.written, report.problems[:3]
            lines.append(
                f"import of {ACTIONS} actions in {THEMES} themes: "
                f"{time.perf_counter() - started:.1f} s"
            )
            ms, indicators = _time(lambda: selectors.plan_indicators(plan, today))
            lines.append(
                f"plan indicators: {ms:.0f} ms "
                f"(completion within timescale {indicators.whole.percent:.0f}%)"
            )
            ms, page = _time(
                lambda: list(
                    selectors.filter_actions(member, selectors.ActionFilter(when="all"), today)[:50]
                )
            )
            lines.append(f"a tracker page of {len(page)} actions: {ms:.0f} ms")
            ms, rows = _time(lambda: importer.export_rows(plan), repeat=3)
            lines.append(f"export rows: {ms:.0f} ms for {len(rows)} rows")
            ms, xlsx = _time(lambda: write_table(importer.COLUMNS, rows, "xlsx"), repeat=3)
            lines.append(f"write the workbook: {ms:.0f} ms ({len(xlsx) // 1024} KB)")
            next_plan = services.create_plan(
                partnership=partnership, first_year=2027, last_year=2029
            )
            started = time.perf_counter()
            carried = services.close_plan(plan, next_plan=next_plan, by=None)
            lines.append(
                f"year-end close carrying {len(carried)} actions forward: "
                f"{time.perf_counter() - started:.1f} s"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines
