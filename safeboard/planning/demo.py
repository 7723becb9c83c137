"""Demo data for the planning module (see safeboard.core.demo)."""

from __future__ import annotations

from safeboard.core.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet."""
