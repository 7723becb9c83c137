"""Restricted registers: the one way to a restricted record.

A restricted record (an allegation, a child death, a case review before publication, an
audit's case details, a restricted paper, an action that came from one of them) belongs to a
register (`core.modules.Register`), declared by the module that keeps it, which names the
roles that open it. Views, API endpoints, exports and tasks reach such records only through
a `RegisterReader`, which:

- lets in only a member whose role the register names (anyone else gets a 404: the record's
  existence is not confirmed);
- writes the access-log entry for every record it hands out: `listed` when a list shows its
  title, `read` when it is opened, `downloaded`, `exported`;
- marks the request so its response is not stored by browsers or proxies.

Nothing else writes access-log entries (a test says so).

    reader = RegisterReader.for_request(request)
    papers = reader.visible(meeting.papers.all())               # mixed tiers: filter + log
    paper = reader.open(get_object_or_404(Paper, pk=pk), "downloaded")
    allegations = reader.listing("allegations", Allegation.objects.all())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.encoding import smart_str

from safeboard.core import modules
from safeboard.core.caching import no_store
from safeboard.core.sensitivity import Sensitivity

from .access import Membership

Record = TypeVar("Record", bound=models.Model)

READ = "read"
LISTED = "listed"
DOWNLOADED = "downloaded"
EXPORTED = "exported"


def register_of(record: Any) -> str | None:
    """The register a record belongs to, or None if it is not restricted."""
    if getattr(record, "sensitivity", None) != Sensitivity.RESTRICTED:
        return None
    return getattr(record, "register", None) or "unknown"


@dataclass
class RegisterReader:
    """A member's way into restricted registers. `request` (when there is one) is marked
    `sb_no_store` so the response is not cached."""

    member: Membership
    actor: Any
    request: HttpRequest | None = None

    @classmethod
    def for_request(cls, request: HttpRequest) -> RegisterReader:
        return cls(request.member, request.user, request)  # type: ignore[attr-defined]

    # --- records of mixed tiers (papers, actions): some restricted, some not ---------------

    def may_read(self, record: Any) -> bool:
        """The sensitivity rule for one record, without logging (for counts and links)."""
        return self.member.can_read_record(record)

    def visible(self, records: Iterable[Record], purpose: str = LISTED) -> list[Record]:
        """The records this member may read; each restricted one handed out is logged."""
        shown = [record for record in records if self.member.can_read_record(record)]
        self._log([r for r in shown if register_of(r) is not None], purpose)
        return shown

    def open(self, record: Record, purpose: str = READ) -> Record:
        """One record, fetched by the caller from a scoped query: 404 unless the member may
        read it; logged when restricted."""
        if not self.member.can_read_record(record):
            raise Http404("No such record")
        if register_of(record) is not None:
            self._log([record], purpose)
        return record

    # --- registers whose every record is restricted (allegations, child deaths ...) ------

    def require(self, register: str) -> None:
        """404 unless the member may open `register`."""
        if not self.member.may_open(register):
            raise Http404("No such register")

    def listing(
        self, register: str, queryset: Iterable[Record], purpose: str = LISTED
    ) -> list[Record]:
        """Every record of `queryset` (all of register `register`), each logged."""
        self.require(register)
        records = list(queryset)
        self._log(records, purpose)
        return records

    def get(self, register: str, queryset: Any, purpose: str = READ, **lookup: Any) -> Any:
        """One record of register `register`: 404 if absent or if the member may not open
        the register; logged."""
        self.require(register)
        try:
            record = queryset.filter(**lookup).first()
        except (OverflowError, ValueError):
            record = None
        if record is None:
            raise Http404("No such record")
        self._log([record], purpose)
        return record

    # --- records named in the audit trail ------------------------------------------------

    def audit_entries(self, entries: Iterable[Any], purpose: str = LISTED) -> list[Any]:
        """Entries of the audit trail, each marked `sb_masked` when it names a record of a
        register this member may not open (its title and changes are then not shown);
        the restricted records it does show are logged as listed."""
        entries = list(entries)
        shown: dict[tuple[int, str], Any] = {}
        for entry in entries:
            register = (entry.additional_data or {}).get("register")
            entry.sb_masked = bool(register) and not self.member.may_open(register)
            if register and not entry.sb_masked:
                shown.setdefault((entry.content_type_id, entry.object_pk), entry)
        self._write(
            [
                (
                    entry.content_type_id,
                    entry.object_pk,
                    entry.object_id,
                    entry.object_repr,
                    {
                        "partnership": self.member.partnership.pk,
                        "register": entry.additional_data["register"],
                    },
                )
                for entry in shown.values()
            ],
            purpose,
        )
        return entries

    def closed_registers(self) -> list[str]:
        """Registers this member may not open (to leave their records out of searches)."""
        return [key for key in modules.registers() if not self.member.may_open(key)]

    # --- the access log ---------------------------------------------------------------

    def _log(self, records: list[Any], purpose: str) -> None:
        targets = []
        for record in records:
            extra = getattr(record, "get_additional_data", None)
            targets.append(
                (
                    ContentType.objects.get_for_model(record).pk,
                    smart_str(record.pk),
                    record.pk if isinstance(record.pk, int) else None,
                    smart_str(record),
                    (extra() if callable(extra) else None) or {},
                )
            )
        self._write(targets, purpose)

    def _write(self, targets: list[tuple[int, str, int | None, str, dict]], purpose: str) -> None:
        if not targets:
            return
        if self.request is not None:
            no_store(self.request)
        try:
            context = auditlog_value.get()
        except LookupError:
            context = {}
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        now, cid = timezone.now(), get_cid()
        LogEntry.objects.bulk_create(
            LogEntry(
                content_type_id=content_type_id,
                object_pk=object_pk,
                object_id=object_id,
                object_repr=object_repr[:200],
                action=LogEntry.Action.ACCESS,
                changes=None,
                actor=actor,
                actor_email=getattr(actor, "email", None) or None,
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                cid=cid,
                timestamp=now,
                additional_data={**additional, "detail": purpose},
            )
            for content_type_id, object_pk, object_id, object_repr, additional in targets
        )
