"""The case reviews' navigation entry (registered in apps.ready)."""

from __future__ import annotations

from safeboard.core.navigation import register_nav


def register() -> None:
    register_nav("Case reviews", "learning:index", perm="learning.view", order=38)
