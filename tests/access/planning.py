"""Access expectations for the planning module (see tests/access/__init__.py)."""

from __future__ import annotations

from . import Check

CHECKS: dict[str, Check] = {}
API_CHECKS: dict[str, Check] = {}
