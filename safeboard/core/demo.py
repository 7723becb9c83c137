"""The demo partnership, loaded by `python -m safeboard demo load` (and `make run`).

Each module contributes its part in `<app>/demo.py`, a `load(ctx)` function; `DEMO_MODULES`
lists them in the order they build on each other. Data are fictional and generated from a
fixed seed, relative to today, so the demo always shows recent years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

DEMO_PASSWORD = "safeboard-demo"  # noqa: S105 (demo accounts only, printed by make run)
DEMO_MODULES = [
    "safeboard.partnership.demo",
    "safeboard.performance.demo",
    "safeboard.planning.demo",
    "safeboard.reports.demo",
]

DEMO_SIGN_INS = [
    ("admin", "business unit administrator"),
    ("analyst", "analyst"),
    ("chair", "partnership chair"),
    ("police", "police contributor"),
    ("health", "health provider contributor"),
    ("healthlead", "health agency lead (signs off returns)"),
    ("viewer", "read-only board member"),
    ("lado", "LADO (restricted register)"),
    ("southmoor", "administrator of a second partnership that shares a panel"),
]


@dataclass
class DemoContext:
    today: date
    rng: random.Random
    password: str
    partnership: Any = None
    other_partnership: Any = None
    users: dict[str, Any] = field(default_factory=dict)
    agencies: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def load(
    *, password: str = DEMO_PASSWORD, today: date | None = None, seed: int = 2026
) -> DemoContext:
    ctx = DemoContext(today=today or date.today(), rng=random.Random(seed), password=password)
    for name in DEMO_MODULES:
        import_module(name).load(ctx)
    return ctx
