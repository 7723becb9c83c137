"""The partnership's audit trail: every change to its records (django-auditlog), and every
read of a restricted record (written by `partnership.registers`). An entry about a record of a
register the viewer may not open is shown without its title or changes (`MASKED`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from safeboard.partnership.models import Partnership
from safeboard.partnership.registers import register_of

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


def _foreign_key(model: type[Model] | None, name: str) -> Any:
    """The field `name` of `model` if it points at another record (a foreign key)."""
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if (found.many_to_one or found.one_to_one) and found.related_model else None


def _label(model: type[Model] | None, name: str) -> str:
    """A field's name as people read it ("signed off by", not "signed_off_by")."""
    if model is not None:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            found = None
        verbose = getattr(found, "verbose_name", None)
        if verbose:
            return str(verbose)
    return name.replace("_", " ")


def _empty(value: Any) -> bool:
    return value is None or value in ("None", "")


class RecordNames:
    """The names of the records that a page of entries' changes point to (foreign keys: "the
    person" Jo Bloggs, not 34), looked up once for the page. A restricted record is named
    only to a viewer who may open its register, through the register reader (which logs it);
    for others it is `MASKED`."""

    def __init__(self, entries: Iterable[LogEntry], reader: Any = None, purpose: str = "") -> None:
        wanted: dict[type[Model], set[int]] = defaultdict(set)
        for entry in entries:
            if getattr(entry, "sb_masked", False):
                continue
            model = entry.content_type.model_class()
            for name, values in (entry.changes_dict or {}).items():
                field = _foreign_key(model, name)
                if field is None or not isinstance(values, list | tuple):
                    continue
                for value in values:
                    if not _empty(value) and str(value).isdigit():
                        wanted[field.related_model].add(int(value))
        self.names: dict[tuple[type[Model], str], str] = {}
        for related, pks in wanted.items():
            records = list(related._base_manager.filter(pk__in=pks))
            restricted = [r for r in records if register_of(r) is not None]
            opened: set[Any] = set()
            if restricted:
                shown = reader.visible(restricted, purpose) if reader is not None else []
                opened = {r.pk for r in shown}
            for record in records:
                if register_of(record) is not None and record.pk not in opened:
                    self.names[(related, str(record.pk))] = MASKED
                else:
                    self.names[(related, str(record.pk))] = str(record)

    def name(self, related: type[Model], value: Any) -> str:
        if _empty(value):
            return ""
        found = self.names.get((related, str(value)))
        if found is None:
            label = related._meta.verbose_name
            return f"{label} {value} (since deleted)"
        return found


def describe_changes(
    entry: LogEntry, names: RecordNames | None = None, *, labels: bool = True
) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the entry changed, with the names of the records
    a foreign key points to (from `names`) and empty values as empty. With `labels`, fields
    are named as people read them; without (the export), as stored."""
    changes = entry.changes_dict or {}
    model = entry.content_type.model_class()
    rows = []
    for name, values in changes.items():
        label = _label(model, name) if labels else name
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = values
            field = _foreign_key(model, name)
            if field is not None and names is not None:
                before = names.name(field.related_model, before)
                after = names.name(field.related_model, after)
            rows.append((label, "" if _empty(before) else before, "" if _empty(after) else after))
        elif isinstance(values, dict):
            rows.append((label, values.get("type", ""), values.get("objects", "")))
    return rows
