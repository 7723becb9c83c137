"""The DfE LAIT extract in the repository (safeboard/performance/data/lait/, made from the full
files by scripts/lait_extract.py): what settings.LAIT_DIR names by default; small, attributed,
and holding what the demo and the LAIT tests read."""

from __future__ import annotations

import csv
import gzip
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from safeboard.performance import demo

from .test_lait import SLICE

EXTRACT = Path(demo.__file__).resolve().parent / "data" / "lait"
FILES = {
    "README.md",
    "bds_long.csv.gz",
    "lait_data_dictionary.csv",
    "sn_may_2025.xlsx",
    "sn_april_2021.xlsx",
}


def test_settings_name_the_extract_unless_told_otherwise(tmp_path: Path) -> None:
    script = "from django.conf import settings; print(settings.LAIT_DIR)"
    env = {k: v for k, v in os.environ.items() if k != "SAFEBOARD_LAIT_DIR"}
    env["DJANGO_SETTINGS_MODULE"] = "safeboard.settings"

    def lait_dir(**extra: str) -> Path:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        return Path(result.stdout.strip())

    assert lait_dir() == EXTRACT
    assert lait_dir(SAFEBOARD_LAIT_DIR=str(tmp_path)) == tmp_path


def test_the_extract_is_small_and_says_where_it_comes_from() -> None:
    sizes = {path.name: path.stat().st_size for path in EXTRACT.iterdir()}
    assert set(sizes) == FILES
    assert sum(sizes.values()) < 300 * 1024, "the extract is meant to stay a few hundred KB"
    readme = (EXTRACT / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in readme
    assert "dfe-analytical-services/local-authority-interactive-tool" in readme
    assert "01_data/02_prod/" in readme and "2e30e3959a6a" in readme
    assert "scripts/lait_extract.py" in readme


def test_the_extract_holds_what_the_demo_and_the_tests_read() -> None:
    areas: dict[str, set[str]] = defaultdict(set)
    with gzip.open(EXTRACT / "bds_long.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            areas[row["Short Desc"]].add(row["LA Number"])
    with (EXTRACT / "lait_data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        described = {row["Measure_short"] for row in csv.DictReader(handle)}
    used = {spec.national for spec in demo.SPECS if spec.national}
    hint = "add it to scripts/lait_extract.py and run it"
    assert used - set(areas) == set(), hint
    assert SLICE - set(areas) == set(), hint
    assert set(areas) <= described
    every_area = set().union(*areas.values())
    assert len(every_area) == 170
    for code in used:  # ranks and quartiles are among every LA
        assert areas[code] == every_area, code
