"""The demo partnership, loaded by `python -m safeboard demo load` (and `make run`).

Each module with a `demo_order` (`core.modules.SafeboardModule`) contributes its part in
`<app>/demo.py`: a `load(ctx)` function, run in `demo_order` so each builds on the modules
before it, and, if it creates sign-ins, `DEMO_SIGN_INS` (username, who they are) to print.
A module whose part needs what later modules load (a figure computed from their records)
adds a `finish(ctx)`, run after every module's `load`, in the same order.
Data are fictional and generated from a fixed seed, relative to today, so the demo always
shows recent years.
"""

from __future__ import annotations

import random
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from types import ModuleType
from typing import Any

from . import modules

DEMO_PASSWORD = "safeboard-demo"  # noqa: S105 (demo accounts only, printed by make run)

# True while the demo loads: its story's events are notified in Safeboard, never emailed.
LOADING: ContextVar[bool] = ContextVar("demo_loading", default=False)


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


def demo_modules() -> list[ModuleType]:
    """Each installed module's `demo` submodule, in demo order."""
    ordered = sorted(
        (m for m in modules.installed() if m.demo_order is not None),
        key=lambda m: (m.demo_order, m.label),
    )
    return [import_module(f"{m.name}.demo") for m in ordered]


def sign_ins() -> list[tuple[str, str]]:
    """The demo sign-ins, (username, who they are), in demo order."""
    found: list[tuple[str, str]] = []
    for module in demo_modules():
        found.extend(getattr(module, "DEMO_SIGN_INS", []))
    return found


def load(
    *, password: str = DEMO_PASSWORD, today: date | None = None, seed: int = 2026
) -> DemoContext:
    ctx = DemoContext(today=today or date.today(), rng=random.Random(seed), password=password)
    token = LOADING.set(True)
    try:
        loaded = demo_modules()
        for module in loaded:
            module.load(ctx)
        for module in loaded:
            finish = getattr(module, "finish", None)
            if finish is not None:
                finish(ctx)
    finally:
        LOADING.reset(token)
    return ctx
