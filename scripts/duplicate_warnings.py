"""Measure the false-warning rate of the report check "a typed number is a figure the report
knows" on the seeds' narratives (../shared/seeds/*.txt).

Every seed describes another partnership, so a typed number of a seed that the check takes for
one of the demo report's figures is a false warning. Run it against a database holding the
demo (`python -m safeboard demo load`):

    DATABASE_URL=sqlite:///demo.sqlite3 python scripts/duplicate_warnings.py [SEEDS_DIR]

It prints, for each seed, the typed numbers, the warnings of the old rule (any typed number
equal to a figure's text) and of the current one (`reports.checks.duplicated`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeboard.settings")
    django.setup()
    from safeboard.core import tenancy
    from safeboard.partnership.models import Partnership
    from safeboard.reporting.document import Figure
    from safeboard.reports import checks, narrative, services
    from safeboard.reports.models import Report

    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
    with tenancy.unscoped():
        partnership = Partnership.objects.get(slug="northdale")
    with tenancy.partnership_scope(partnership):
        report = Report.objects.order_by("-year", "-version").first()
        assert report is not None, "load the demo first"
        doc = services.document(report, "board")
    known: dict[str, list[Figure]] = {}
    for figure in doc.figures.values():
        if figure.unit != "text":
            known.setdefault(figure.text, []).append(figure)
    typed = read = old = new = 0
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        tokens = narrative.typed_numbers(text)
        pairs = narrative.typed_numbers_in_context(text)
        was = sum(1 for token in tokens if token in known)
        now = [(t, c) for t, c in pairs if checks.duplicated(t, c, known.get(t, []))]
        typed, read, old, new = typed + len(tokens), read + len(pairs), old + was, new + len(now)
        print(f"{path.name}: {len(tokens)} typed numbers, old rule {was}, now {len(now)}")
        for token, context in now:
            print(f"    {token} | {context[:90]}")
    print(
        f"{len(doc.figures)} figures. Old rule: {old} false warnings of {typed} typed numbers "
        f"({100 * old / max(typed, 1):.1f}%). Now: {new} ({100 * new / max(typed, 1):.1f}%); "
        f"{typed - read} numbers are read as headings' or labels' numbers, not figures."
    )


if __name__ == "__main__":
    main()
