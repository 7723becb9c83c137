"""Statutory clocks: the one engine every module uses for its time limits.

A clock starts on a date (the start event: an incident becoming known, a referral received),
runs for a length (working days, calendar days or calendar months), and stops when its done
event happens (the notification sent, the review held). Its due date is worked out once, when
it starts, from the length that applies then:

- **working days**: the Nth working day *after* the start (weekends and England and Wales
  bank holidays, one-off days such as 2022-09-19 included, do not count; nor does the start
  day): 5 working days from Friday 19 December 2025 is Tuesday 30 December;
- **calendar days**: the start plus N days;
- **calendar months**: the same day N months later, or the last day of that month when it is
  shorter: a month after 31 January is the last day of February.

States: `open` (not done, not yet past due: so many days left), `overdue` (not done, past
due), `met` (done on or before the due date), `missed` (done after it).

A module declares the kinds of clock it runs (`ClockKind`, in its AppConfig `clocks`), each
with its national default length and the source of that default. A partnership may set its own
length (`ClockSetting`); a change applies to clocks started afterwards, and every clock keeps
the length it started with.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models

from .workdays import add_working_days, working_days_between


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    DAYS = "days", "calendar days"
    MONTHS = "months", "calendar months"


class ClockState(models.TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MISSED = "missed", "Missed"


def add_calendar_months(start: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last))


@dataclass(frozen=True)
class Length:
    count: int
    unit: str

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("A clock's length cannot be negative")
        if self.unit not in Unit.values:
            raise ValueError(f"Unknown unit ‘{self.unit}’")

    def due(self, start: date) -> date:
        """The due date of a clock of this length that starts on `start`."""
        if self.unit == Unit.WORKING_DAYS:
            return add_working_days(start, self.count)
        if self.unit == Unit.DAYS:
            return start + timedelta(days=self.count)
        return add_calendar_months(start, self.count)

    @property
    def label(self) -> str:
        word = Unit(self.unit).label
        if self.count == 1:
            word = {"working days": "working day", "calendar days": "calendar day"}.get(
                word, "calendar month"
            )
        return f"{self.count} {word}"

    def __str__(self) -> str:
        return self.label


def state_of(due: date, done: date | None, today: date) -> ClockState:
    if done is not None:
        return ClockState.MET if done <= due else ClockState.MISSED
    return ClockState.OVERDUE if today > due else ClockState.OPEN


def days_left(due: date, today: date, unit: str) -> int:
    """Days from today to the due date (negative once past it): working days for a clock
    counted in working days, calendar days otherwise."""
    if unit == Unit.WORKING_DAYS:
        return working_days_between(today, due)
    return (due - today).days


@dataclass(frozen=True)
class ClockKind:
    """A kind of statutory clock, declared by the module that runs it.

    `key` is unique across modules (`"case_reviews.notification"`); `register` names the
    restricted register its records belong to, so only those who may open it see the clock;
    `source` says where the national default comes from; `starts` and `ends` name the events
    that start and stop it, for people."""

    key: str
    label: str
    default: Length
    source: str
    starts: str
    ends: str
    register: str | None = None


# --- starting and stopping clocks -----------------------------------------------------------


def clock_kinds() -> dict[str, ClockKind]:
    """Every kind of clock the installed modules run, by key."""
    from .modules import installed

    found: dict[str, ClockKind] = {}
    for module in installed():
        for kind in module.clocks:
            if kind.key in found:
                raise ValueError(f"Two modules declare the clock ‘{kind.key}’")
            found[kind.key] = kind
    return found


def kind_of(key: str) -> ClockKind:
    found = clock_kinds().get(key)
    if found is None:
        raise LookupError(f"No installed module runs the clock ‘{key}’")
    return found


def length_for(partnership: Any, key: str) -> Length:
    """The length a clock of kind `key` started today runs for in `partnership`: its own
    setting, or the national default."""
    from .models import ClockSetting

    setting = ClockSetting._base_manager.filter(partnership=partnership, kind=key).first()
    return setting.length if setting is not None else kind_of(key).default


def start_clock(
    record: models.Model, key: str, start: date, *, label: str, partnership: Any = None
) -> object:
    """Start (or move the start of) the clock of kind `key` on `record`. A clock that already
    exists keeps the length it started with; its due date follows a corrected start.

    The clock belongs to `partnership` (by default the record's): the partnership whose
    clocks page shows it and whose length applies, for a record kept by another one (a
    joint panel's host chases the forms of the deaths of the partnerships it serves)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Clock

    kind = kind_of(key)
    if partnership is None:
        partnership = record.partnership  # type: ignore[attr-defined]
    record_type = ContentType.objects.get_for_model(record)
    clock = Clock._base_manager.filter(
        record_type=record_type, record_id=record.pk, kind=key
    ).first()
    if clock is None:
        length = length_for(partnership, key)
        clock = Clock(
            partnership=partnership,
            kind=key,
            record_type=record_type,
            record_id=record.pk,
            count=length.count,
            unit=length.unit,
            register=kind.register or "",
        )
    clock.label = label[:200]
    clock.start = start
    clock.due = clock.length.due(start)
    clock.save()
    return clock


def stop_clock(record: models.Model, key: str, done: date | None) -> object | None:
    """Record the done event of the clock of kind `key` on `record` (None reopens it)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Clock

    clock = Clock._base_manager.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk, kind=key
    ).first()
    if clock is not None and clock.done != done:
        clock.done = done
        clock.save(update_fields=["done"])
    return clock


def clocks_of(record: models.Model) -> list[object]:
    """The clocks of one record, earliest due first."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Clock

    return list(
        Clock._base_manager.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        ).order_by("due", "pk")
    )


@dataclass(frozen=True)
class ClockSpec:
    """What one record's clock of kind `key` should be: started on `start` (None: the record
    runs no such clock, and one it had is removed) and done on `done`."""

    record: models.Model
    key: str
    start: date | None
    done: date | None
    label: str


def set_clocks(specs: list[ClockSpec]) -> None:
    """`start_clock` and `stop_clock` for many records at once, in a few queries whatever
    their number (imports, the demo): each clock already there keeps the length it started
    with and follows a corrected start; new ones take the length that applies today. The
    records are saved (they have a primary key) and are all of one partnership."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Clock

    if not specs:
        return
    kinds = {key: kind_of(key) for key in {spec.key for spec in specs}}
    partnership = specs[0].record.partnership  # type: ignore[attr-defined]
    lengths = {key: length_for(partnership, key) for key in kinds}
    types = {type(spec.record): ContentType.objects.get_for_model(spec.record) for spec in specs}
    existing: dict[tuple[int, int, str], Any] = {}
    for model, record_type in types.items():
        ids = [spec.record.pk for spec in specs if type(spec.record) is model]
        for start in range(0, len(ids), 500):
            for found in Clock._base_manager.filter(
                record_type=record_type, record_id__in=ids[start : start + 500], kind__in=kinds
            ):
                existing[(record_type.pk, found.record_id, found.kind)] = found
    new: list[Any] = []
    changed: list[Any] = []
    gone: list[int] = []
    for spec in specs:
        record_type = types[type(spec.record)]
        clock = existing.get((record_type.pk, spec.record.pk, spec.key))
        if spec.start is None:
            if clock is not None:
                gone.append(clock.pk)
            continue
        if clock is None:
            length = lengths[spec.key]
            new.append(
                Clock(
                    partnership=partnership,
                    kind=spec.key,
                    record_type=record_type,
                    record_id=spec.record.pk,
                    count=length.count,
                    unit=length.unit,
                    register=kinds[spec.key].register or "",
                    label=spec.label[:200],
                    start=spec.start,
                    due=length.due(spec.start),
                    done=spec.done,
                )
            )
            continue
        due = clock.length.due(spec.start)
        if (clock.label, clock.start, clock.due, clock.done) != (
            spec.label[:200],
            spec.start,
            due,
            spec.done,
        ):
            clock.label, clock.start, clock.due, clock.done = (
                spec.label[:200],
                spec.start,
                due,
                spec.done,
            )
            changed.append(clock)
    if gone:
        Clock._base_manager.filter(pk__in=gone).delete()
    if changed:
        Clock._base_manager.bulk_update(changed, ["label", "start", "due", "done"], batch_size=500)
    if new:
        Clock._base_manager.bulk_create(new, batch_size=500)
