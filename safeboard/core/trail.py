"""The audit trail of records written in bulk (`bulk_create`, `bulk_update`), which send no
signal: an import of hundreds of rows writes its records in a few queries and its trail in one
more, with the same entries (who, what changed) that saving each record would have written."""

from __future__ import annotations

from collections.abc import Sequence

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str


def log_bulk(created: Sequence[Model] = (), changed: Sequence[tuple[Model, Model]] = ()) -> int:
    """Write the trail of `created` records and of `changed` ones (each as it was, and as it
    is now). Nothing when the trail is switched off (the demo's generated history) or the
    model is not in it. Returns the number of entries written."""
    try:
        if auditlog_disabled.get():
            return 0
    except LookupError:
        pass
    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    now, cid = timezone.now(), get_cid()
    entries = []
    items = [(LogEntry.Action.CREATE, None, obj) for obj in created] + [
        (LogEntry.Action.UPDATE, old, new) for old, new in changed
    ]
    for action, old, new in items:
        if not auditlog.contains(type(new)):
            continue
        changes = model_instance_diff(old, new, use_json_for_changes=as_json)
        if not changes:
            continue
        extra = getattr(new, "get_additional_data", None)
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(new),
                object_pk=smart_str(new.pk),
                object_id=new.pk if isinstance(new.pk, int) else None,
                object_repr=smart_str(new)[:200],
                action=action,
                changes=changes,
                cid=cid,
                timestamp=now,
                additional_data=(extra() if callable(extra) else None),
            )
        )
    for entry in entries:
        # Who and from where, as auditlog fills them in for a request (its own receiver).
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using="default")
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
