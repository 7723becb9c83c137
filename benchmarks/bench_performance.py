"""Speed of the performance module, on SQLite (a fresh database file of its own):

1. Importing the DfE LAIT file (641,070 rows): at most 30 s, and within 3 times a bare
   `sqlite3` executemany of the same rows into one table (reading the same gzipped CSV with
   the csv module, the same pragmas). The ratio is printed.
2. The scorecard of 100 indicators, each with 8 years of quarterly figures and national
   comparators: the JSON answer (the API) at most 150 ms at the 95th percentile, the web page
   at most 250 ms.
3. Ranking every LA on one measure: at most 100 ms.

It needs DfE's full national LAIT files, not the extract in the repository: it reads them from
the folder SAFEBOARD_LAIT_DIR names, or else from ../shared/data/lait/ beside the project.
Without them (or given the extract) it says so and measures nothing; the other benchmarks run.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

LAIT_ROWS = 641_070
LIMITS = {"import_s": 30.0, "ratio": 3.0, "json_ms": 150.0, "html_ms": 250.0, "rank_ms": 100.0}
RUNS = 40


def lait_dir() -> Path:
    """The full national files: SAFEBOARD_LAIT_DIR, or ../shared/data/lait/ beside the project
    (not settings.LAIT_DIR, which is the small extract unless told otherwise)."""
    configured = os.environ.get("SAFEBOARD_LAIT_DIR")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "lait"


def missing_files(folder: Path) -> str | None:
    """Why the benchmark cannot run on `folder`, or None."""
    for name in ("bds_long.csv.gz", "lait_data_dictionary.csv", "sn_may_2025.xlsx"):
        if not (folder / name).exists():
            return (
                f"not run: {folder / name} is missing. This benchmark imports DfE's full "
                f"national LAIT files ({LAIT_ROWS:,} rows): put them in ../shared/data/lait/ "
                "beside the project, or name their folder in SAFEBOARD_LAIT_DIR."
            )
    return None


def not_the_full_file(path: Path, rows: int) -> str:
    return (
        f"not run: {path} has {rows:,} rows, not the {LAIT_ROWS:,} of DfE's full national file "
        "(the extract in the repository?). Name the folder of the full files in "
        "SAFEBOARD_LAIT_DIR, or put them in ../shared/data/lait/."
    )


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn: Callable[[], Any], runs: int = RUNS, warm: int = 3) -> list[float]:
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def verdict(ok: bool) -> str:
    return "ok" if ok else "TOO SLOW"


def bare_executemany(path: Path, folder: Path) -> tuple[float, int]:
    """Read the same gzipped CSV and insert its rows into one table with sqlite3: the time
    taken and the rows inserted."""
    db = folder / "bare.sqlite3"
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE lait (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT, g TEXT)")
    with io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        with conn:
            conn.executemany("INSERT INTO lait VALUES (?, ?, ?, ?, ?, ?, ?)", reader)
    count = conn.execute("SELECT count(*) FROM lait").fetchone()[0]
    conn.close()
    elapsed = time.perf_counter() - start
    return elapsed, count


def main() -> list[str]:
    folder = lait_dir()
    problem = missing_files(folder)
    if problem:
        return [problem]
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor != "sqlite":
        raise SystemExit("bench_performance measures SQLite: unset DATABASE_URL")
    work = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = str(work / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _run(folder, work)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _run(folder: Path, work: Path) -> list[str]:
    from safeboard.performance.lait import import_lait

    lines: list[str] = []
    data = folder / "bds_long.csv.gz"
    bare, rows = bare_executemany(data, work)
    if rows != LAIT_ROWS:
        return [not_the_full_file(data, rows)]
    start = time.perf_counter()
    report = import_lait(
        data,
        dictionary=folder / "lait_data_dictionary.csv",
        neighbours=folder / "sn_may_2025.xlsx",
    )
    ours = time.perf_counter() - start
    ratio = ours / bare
    assert report.rows_read == LAIT_ROWS
    lines += [
        f"LAIT import: {report.rows_read:,} rows, {report.values:,} figures in {ours:.1f} s "
        f"(limit {LIMITS['import_s']:.0f} s): {verdict(ours <= LIMITS['import_s'])}",
        f"bare sqlite3 executemany of the same rows: {bare:.1f} s; ratio {ratio:.2f} "
        f"(limit {LIMITS['ratio']:.0f}): {verdict(ratio <= LIMITS['ratio'])}",
    ]
    lines += _scorecard()
    lines += _ranking()
    return lines


def _scorecard() -> list[str]:
    from safeboard.accounts.models import ApiToken
    from safeboard.core import tenancy
    from safeboard.core.periods import Quarter
    from safeboard.partnership import services as partnership_services
    from safeboard.partnership.models import Area, Person, Role
    from safeboard.performance import selectors
    from safeboard.performance.models import ComparatorPeriod, Indicator, Measure, Target, Value

    partnership = partnership_services.create_partnership(
        slug="bench", name="Bench Partnership", la_number=359, region="North West"
    )
    rng = random.Random(7)
    with tenancy.partnership_scope(partnership):
        area = Area.objects.get()
        for year in range(2015, 2027):
            partnership_services.set_population(area, year, 70000)
        # 100 national measures with recent figures: one indicator compared with each.
        recent = (
            ComparatorPeriod.objects.filter(period_end__year__gte=2023)
            .values_list("measure_id", flat=True)
            .distinct()
        )
        measures = list(Measure.objects.filter(pk__in=recent).order_by("code")[:100])
        assert len(measures) == 100, len(measures)
        indicators = []
        for n, measure in enumerate(measures):
            indicators.append(
                Indicator(
                    partnership=partnership,
                    code=f"B{n:03d}",
                    title=f"Benchmark indicator {n} ({measure.code})",
                    unit="percent",
                    decimals=1,
                    polarity=rng.choice(["high", "low", "none"]),
                    national_code=measure.code,
                    order=n,
                )
            )
        Indicator.objects.bulk_create(indicators)
        indicators = list(Indicator.objects.all())
        Target.objects.bulk_create(
            Target(partnership=partnership, indicator=i, low=50, high=50 if n % 3 else 60)
            for n, i in enumerate(indicators)
        )
        quarters = [Quarter(year, q) for year in range(2018, 2026) for q in (1, 2, 3, 4)]
        now = timezone.now()
        values = []
        for indicator in indicators:
            level = rng.uniform(20, 80)
            for quarter in quarters:
                level = min(100, max(0, level + rng.gauss(0, 4)))
                values.append(
                    Value(
                        partnership=partnership,
                        indicator=indicator,
                        period=quarter.label,
                        period_start=quarter.start,
                        period_end=quarter.end,
                        value=level,
                        released=True,
                        entered_at=now - timedelta(days=30),
                    )
                )
        Value.objects.bulk_create(values, batch_size=2000)
        period = quarters[-1]
        card = selectors.scorecard(partnership, period)
        compared = sum(1 for row in card.rows if row.comparison is not None)
    from safeboard.accounts.models import User

    user = User.objects.create_user(username="bench-reader")  # signs in by token and session
    with tenancy.unscoped():
        person = Person.objects.create(partnership=partnership, name="Reader", user=user)
        partnership_services.assign_role(person, Role.BOARD_MEMBER)
    _, key = ApiToken.issue(user, "bench")
    api = Client()
    web = Client()
    web.force_login(user)
    label = period.label.replace(" ", "%20")
    json_url = f"/api/v1/partnerships/bench/scorecard?period={label}"
    html_url = f"/p/bench/performance/dataset/?period={label}"

    def get_json() -> None:
        response = api.get(json_url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200, response.status_code
        assert len(response.json()) == 100

    def get_html() -> None:
        response = web.get(html_url)
        assert response.status_code == 200, response.status_code

    json_ms = timed(get_json)
    html_ms = timed(get_html)
    json_p95, html_p95 = percentile(json_ms, 95), percentile(html_ms, 95)
    return [
        f"scorecard: 100 indicators x {len(quarters)} quarters ({len(values):,} figures), "
        f"{compared} with national comparators, {period.label}",
        f"  JSON (API): median {statistics.median(json_ms):.0f} ms, p95 {json_p95:.0f} ms "
        f"(limit {LIMITS['json_ms']:.0f}): {verdict(json_p95 <= LIMITS['json_ms'])}",
        f"  HTML page: median {statistics.median(html_ms):.0f} ms, p95 {html_p95:.0f} ms "
        f"(limit {LIMITS['html_ms']:.0f}): {verdict(html_p95 <= LIMITS['html_ms'])}",
    ]


def _ranking() -> list[str]:
    from safeboard.performance.comparators import ranking
    from safeboard.performance.models import ComparatorPeriod, Measure

    measure = Measure.objects.get(code="CPP_rate")
    period = ComparatorPeriod.objects.filter(measure=measure).order_by("-period_end").first()
    assert period is not None
    found: list[Any] = []

    def rank() -> None:
        found[:] = ranking(measure, period.period, "low")

    samples = timed(rank, runs=100)
    p95 = percentile(samples, 95)
    return [
        f"ranking all {len(found)} LAs on {measure.code} {period.period}: median "
        f"{statistics.median(samples):.1f} ms, p95 {p95:.1f} ms "
        f"(limit {LIMITS['rank_ms']:.0f}): {verdict(p95 <= LIMITS['rank_ms'])}",
    ]
