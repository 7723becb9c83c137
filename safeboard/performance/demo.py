"""Demo data for the performance module (see safeboard.core.demo)."""

from __future__ import annotations

from safeboard.core.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet."""
