"""Sorting as people read: references and codes by their numeric parts (1.2 before 1.10)."""

from __future__ import annotations

import re
from typing import Any

_CHUNK = re.compile(r"(\d+)|(\D+)")


def natural_key(reference: str) -> tuple[tuple[int, Any], ...]:
    """Sort references as people read them: 1.2 before 1.10, 7.2 before 7.2a, 3.2 before
    3.10."""
    parts: list[tuple[int, Any]] = []
    for number, text in _CHUNK.findall((reference or "").lower()):
        parts.append((0, int(number)) if number else (1, text))
    return tuple(parts)
