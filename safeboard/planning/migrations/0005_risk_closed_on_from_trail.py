"""Give each risk closed before closing days were recorded (0004) the best known day: the day
of the latest audit trail entry (django-auditlog) that changed its status to closed. Risk has
no last-updated timestamp, so a closed risk with no such entry keeps no day (and counts as
closed at every date, docs/planning.md)."""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations
from django.utils import timezone


def _status_to(changes: Any) -> str | None:
    """The status an entry's changes set, if they set one ({"status": [old, new]})."""
    if isinstance(changes, str):
        try:
            changes = json.loads(changes)
        except ValueError:
            return None
    if not isinstance(changes, dict):
        return None
    status = changes.get("status")
    if isinstance(status, list | tuple) and len(status) == 2:
        return str(status[1])
    return None


def fill_closed_on(apps: Any, schema_editor: Any = None) -> int:
    """Fill `closed_on` of closed risks without one; returns how many were filled."""
    Risk = apps.get_model("planning", "Risk")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    risks = list(Risk._base_manager.filter(status="closed", closed_on__isnull=True))
    if not risks:
        return 0
    content_type = ContentType.objects.filter(app_label="planning", model="risk").first()
    if content_type is None:
        return 0
    by_pk = {str(r.pk): r for r in risks}
    closed: dict[str, Any] = {}
    entries = LogEntry.objects.filter(
        content_type=content_type, object_pk__in=list(by_pk)
    ).order_by("timestamp", "pk")
    for entry in entries.iterator():
        if _status_to(entry.changes) == "closed":
            closed[entry.object_pk] = entry.timestamp  # the latest closing wins
    filled = 0
    for pk, stamp in closed.items():
        day = timezone.localtime(stamp).date() if timezone.is_aware(stamp) else stamp.date()
        Risk._base_manager.filter(pk=by_pk[pk].pk).update(closed_on=day)
        filled += 1
    return filled


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0004_risk_closed_on"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_closed_on, migrations.RunPython.noop)]
