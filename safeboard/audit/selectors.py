"""The partnership's audit trail: every change to its records (django-auditlog), and every
read of a restricted record (written by `partnership.registers`). An entry about a record of a
register the viewer may not open is shown without its title or changes (`MASKED`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeboard.partnership.models import Partnership

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
    "access": LogEntry.Action.ACCESS,
}


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    model: str = ""
    text: str = ""
    date_from: date | None = None
    date_to: date | None = None


MASKED = "A restricted record"


def entries(
    partnership: Partnership,
    flt: AuditFilter,
    *,
    access_only: bool = False,
    closed_registers: list[str] | tuple[str, ...] = (),
) -> QuerySet:
    """The partnership's entries, newest first. A search of record titles leaves out the
    records of `closed_registers` (registers the viewer may not open)."""
    qs = LogEntry.objects.filter(additional_data__partnership=partnership.pk)
    if access_only:
        qs = qs.filter(action=LogEntry.Action.ACCESS)
    elif flt.action in ACTIONS:
        qs = qs.filter(action=ACTIONS[flt.action])
    if flt.actor:
        qs = qs.filter(
            Q(actor__username__icontains=flt.actor)
            | Q(actor_email__icontains=flt.actor)
            | Q(actor__first_name__icontains=flt.actor)
            | Q(actor__last_name__icontains=flt.actor)
        )
    if flt.model and "." in flt.model:
        app_label, model = flt.model.split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if flt.text:
        qs = qs.filter(object_repr__icontains=flt.text)
        if closed_registers:
            qs = qs.filter(
                Q(additional_data__register__isnull=True)
                | ~Q(additional_data__register__in=list(closed_registers))
            )
    tz = timezone.get_current_timezone()
    if flt.date_from:
        qs = qs.filter(timestamp__gte=datetime.combine(flt.date_from, time.min, tzinfo=tz))
    if flt.date_to:
        qs = qs.filter(timestamp__lte=datetime.combine(flt.date_to, time.max, tzinfo=tz))
    return qs.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def model_choices(partnership: Partnership) -> list[tuple[str, str]]:
    ids = (
        LogEntry.objects.filter(additional_data__partnership=partnership.pk)
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    types = ContentType.objects.filter(pk__in=list(ids)).order_by("model")
    return [(f"{ct.app_label}.{ct.model}", str(ct.name).capitalize()) for ct in types]


def describe_changes(entry: LogEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the entry changed."""
    changes = entry.changes_dict or {}
    rows = []
    for name, values in changes.items():
        if isinstance(values, list | tuple) and len(values) == 2:
            rows.append((name, values[0], values[1]))
        elif isinstance(values, dict):
            rows.append((name, values.get("type", ""), values.get("objects", "")))
    return rows
