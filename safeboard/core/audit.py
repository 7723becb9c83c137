"""Audit helpers: the record of who read a restricted record.

Writes to registered models are logged by django-auditlog's signals. Reads are not, so
every view or endpoint that shows a restricted record calls `log_read`, which writes an
`access` entry (actor, time, address, record) to the same trail.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models


def log_read(instance: models.Model, *, actor: Any = None, detail: str = "") -> LogEntry:
    """Record that `instance` was read. The actor defaults to the request's user."""
    extra: dict[str, Any] = {}
    if actor is not None and getattr(actor, "is_authenticated", False):
        extra["actor"] = actor
    get_additional = getattr(instance, "get_additional_data", None)
    additional = get_additional() if callable(get_additional) else {}
    if detail:
        additional = {**additional, "detail": detail}
    entry = LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes=None,
        additional_data=additional,
        **extra,
    )
    assert entry is not None
    return entry
