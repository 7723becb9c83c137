"""The LADO register's four tables for a year of 50,000 allegations (the issue asks for under
1 s), board and public editions (the public one with secondary suppression), and the four CSV
files. The records are bulk-written with their clocks (due dates from the clock engine).

Runs in a throw-away test database (never the configured one)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

ALLEGATIONS = 50_000


CPU: list[float] = []


def _time(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median milliseconds of `repeat` runs, and the last result. The median processor time
    of the same runs is kept in `CPU` (on SQLite, in this process: the time the work takes
    when the shared machine's other jobs do not hold the processor)."""
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        started, processor = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - processor) * 1000)
    CPU.append(statistics.median(cpu))
    return statistics.median(times), result


def _fill(partnership: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from safeboard.allegations import services
    from safeboard.allegations.models import Allegation, Kind, Term, TermList
    from safeboard.core import clocks
    from safeboard.core.models import Clock

    services.ensure_default_terms(partnership)
    lists = {key: list(Term.objects.filter(list=key)) for key in TermList.values}
    rng = random.Random(50_000)
    start = date(2016, 4, 1)
    rows = []
    for n in range(ALLEGATIONS):
        received = start + timedelta(days=rng.randrange(365))
        concluded = received + timedelta(days=rng.randrange(400))
        rows.append(
            Allegation(
                partnership=partnership,
                reference=f"B-{n}",
                kind=Kind.ALLEGATION,
                received=received,
                known=received - timedelta(days=rng.randrange(3)),
                referrer=rng.choice(lists[TermList.REFERRER]),
                employer_type=rng.choice(lists[TermList.EMPLOYER]),
                category=rng.choice(lists[TermList.CATEGORY]),
                restraint=rng.random() < 0.05,
                harmed_child=True,
                concluded=concluded if concluded < date(2017, 9, 30) else None,
            )
        )
    Allegation.objects.bulk_create(rows, batch_size=2000)
    through = Allegation.outcomes.through
    ids = list(Allegation.objects.values_list("pk", "received", "known", "concluded"))
    outcomes = lists[TermList.OUTCOME]
    through.objects.bulk_create(
        [
            through(allegation_id=pk, term_id=term.pk)
            for pk, *_ in ids
            for term in rng.sample(outcomes, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    kind_of = ContentType.objects.get_for_model(Allegation)
    lengths = {
        key: clocks.length_for(partnership, key)
        for key in (
            "allegations.referral",
            "allegations.conclusion_1m",
            "allegations.conclusion_3m",
            "allegations.conclusion_12m",
        )
    }
    made = []
    for pk, received, known, concluded in ids:
        for key, length in lengths.items():
            began, done = (
                (known, received) if key == "allegations.referral" else (received, concluded)
            )
            made.append(
                Clock(
                    partnership=partnership,
                    kind=key,
                    label=f"B-{pk}",
                    register="allegations",
                    record_type=kind_of,
                    record_id=pk,
                    start=began,
                    count=length.count,
                    unit=length.unit,
                    due=length.due(began),
                    done=done,
                )
            )
    Clock.objects.bulk_create(made, batch_size=5000)


def _import(partnership: Any) -> str:
    """A year's import (the demo's size: 300 allegations, 150 consultations) into a register
    that already holds the 50,000: written in bulk, no query per row."""
    from safeboard.allegations import services

    rng = random.Random(450)
    lines = [
        "reference,kind,received,known,referrer,employer,category,restraint,outcomes,concluded"
    ]
    for n in range(450):
        received = date(2017, 4, 3) + timedelta(days=rng.randrange(360))
        kind = "consultation" if n % 3 == 0 else "allegation"
        concluded = received + timedelta(days=rng.randrange(120))
        lines.append(
            f"I-{n},{kind},{received},{received - timedelta(days=1)},Police,School staff,"
            f"Physical,no,Substantiated;Dismissal,{concluded}"
        )
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    report = services.import_allegations(partnership, data, "import.csv")
    new_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = services.import_allegations(partnership, data, "import.csv")
    changed_ms = (time.perf_counter() - started) * 1000
    assert report.created == 450 and again.updated == 450, (report.lines(), again.lines())
    return (
        f"import of 450 contacts: {new_ms:.0f} ms new ({new_ms / 450:.1f} ms a row), "
        f"{changed_ms:.0f} ms again as changes (was about 40 ms a row, a query or more per row)"
    )


def main() -> list[str]:
    from django.db import connection

    from safeboard.allegations import selectors
    from safeboard.core import tenancy
    from safeboard.core.periods import FinancialYear
    from safeboard.core.tables import write_csv
    from safeboard.partnership import services as partnership_services

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    lines: list[str] = []
    try:
        partnership = partnership_services.create_partnership(slug="bench", name="Bench")
        with tenancy.partnership_scope(partnership):
            started = time.perf_counter()
            _fill(partnership)
            lines.append(
                f"{ALLEGATIONS:,} allegations with outcomes and 4 clocks each, bulk-written in "
                f"{time.perf_counter() - started:.1f} s"
            )
            year = FinancialYear(2016)
            ms, tables = _time(lambda: selectors.year_tables(year))
            lines.append(
                f"the year's counts (every table): {ms:.0f} ms ({CPU[-1]:.0f} ms of processor) "
                f"for {tables.allegations:,} allegations (target under 1,000 ms)"
            )

            def all_files(public: bool) -> int:
                found = selectors.year_tables(year).files(public)
                return sum(len(write_csv(h, r)) for h, r in found.values())

            ms, size = _time(lambda: all_files(False))
            lines.append(
                f"the four CSV files, board: {ms:.0f} ms ({CPU[-1]:.0f} ms of processor; "
                f"{size:,} bytes)"
            )
            ms, size = _time(lambda: all_files(True))
            lines.append(
                f"the four CSV files, public (disclosure control): {ms:.0f} ms "
                f"({CPU[-1]:.0f} ms of processor)"
            )
            lines.append(_import(partnership))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return lines
