from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeboard.settings")


def main() -> None:
    django.setup()
    wanted = set(sys.argv[1:])
    here = Path(__file__).parent
    results_dir = here / "results"
    results_dir.mkdir(exist_ok=True)
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if wanted:
        names = [n for n in names if n in wanted or n.removeprefix("bench_") in wanted]
    if not names:
        print("No benchmarks found.")
        return
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}")
        started = time.perf_counter()
        lines = module.main()
        lines.append(f"(benchmark ran in {time.perf_counter() - started:.1f} s)")
        for line in lines:
            print("  " + line)
        (results_dir / f"{name}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
