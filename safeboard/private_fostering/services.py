"""Writes of the private fostering register: arrangements (the first visit's clock starts
with the notification), visits (each made stops its clock and schedules the next: at most 6
weeks later in the arrangement's first year, 12 weeks after), the arrangement's end, awareness
activity, and the import. One transaction each; refusals are `ServiceError`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from safeboard.core import clocks
from safeboard.core.errors import ServiceError
from safeboard.core.models import Clock
from safeboard.core.tables import TableProblem, read_table, require_columns

from .models import ActivityKind, Arrangement, AwarenessActivity, EndReason, Source, Visit

FIRST, WITHIN_YEAR, AFTER_YEAR = (
    "private_fostering.first_visit",
    "private_fostering.visit",
    "private_fostering.later_visit",
)


def _clean(record: Any) -> None:
    try:
        record.full_clean(
            exclude=["partnership"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ServiceError("; ".join(exc.messages)) from exc


def _validate(a: Arrangement) -> None:
    if a.start and a.ended and a.ended < a.start:
        raise ServiceError("An arrangement cannot end before it began")
    if a.ended and not a.end_reason:
        raise ServiceError("Say why the arrangement ended")
    if a.assessed and a.assessed < a.notified:
        raise ServiceError("The assessment cannot be completed before the notification")
    if a.child_age is not None and a.child_age > 17:
        raise ServiceError("Private fostering is of children under 16 (18 if disabled)")


def pending_visit(a: Arrangement) -> Visit | None:
    return a.visits.filter(visited__isnull=True).order_by("number").first()


def _schedule(a: Arrangement, number: int, key: str, start: date) -> Visit:
    visit = Visit(partnership=a.partnership, arrangement=a, number=number, due=start)
    visit.save()
    clock: Any = clocks.start_clock(visit, key, start, label=f"{a.reference}: visit {number}")
    visit.due = clock.due
    visit.save(update_fields=["due"])
    return visit


def _drop(visit: Visit) -> None:
    Clock.objects.filter(
        record_type=ContentType.objects.get_for_model(Visit), record_id=visit.pk
    ).delete()
    visit.delete()


def save_arrangement(a: Arrangement, partnership: Any) -> Arrangement:
    """Create or change an arrangement. A new one starts the first visit's clock (7 working
    days from the notification); a corrected notification date moves it; an arrangement that
    ends has no visit pending."""
    _validate(a)
    with transaction.atomic():
        if a.pk is None:
            a.partnership = partnership
        elif a.partnership_id != partnership.pk:
            raise ServiceError("This record belongs to another partnership")
        if Arrangement.objects.filter(reference=a.reference).exclude(pk=a.pk).exists():
            raise ServiceError(f"There is already an arrangement with reference {a.reference}")
        _clean(a)
        a.save()
        first = a.visits.filter(number=1).first()
        if first is None:
            _schedule(a, 1, FIRST, a.notified)
        elif first.visited is None:
            clock: Any = clocks.start_clock(
                first, FIRST, a.notified, label=f"{a.reference}: visit 1"
            )
            first.due = clock.due
            first.save(update_fields=["due"])
        if a.ended is not None:
            pending = pending_visit(a)
            if pending is not None and pending.due > a.ended:
                _drop(pending)
            elif pending is not None:
                # Due while the arrangement lasted and never made: it stays a missed visit in
                # the figures, but its clock no longer runs.
                Clock.objects.filter(
                    record_type=ContentType.objects.get_for_model(Visit), record_id=pending.pk
                ).delete()
    return a


def record_visit(a: Arrangement, *, visited: date, seen_alone: bool, notes: str = "") -> Visit:
    """The pending visit was made: its clock stops, and the next is scheduled unless the
    arrangement has ended (6 weeks in the arrangement's first year, 12 weeks after)."""
    if visited < a.notified:
        raise ServiceError("A visit cannot be before the notification")
    with transaction.atomic():
        visit = pending_visit(a)
        if visit is None:
            raise ServiceError("No visit is due: the arrangement has ended")
        last = a.visits.filter(visited__isnull=False).order_by("-number").first()
        if last is not None and last.visited and visited < last.visited:
            raise ServiceError("A visit cannot be before the last one")
        visit.visited, visit.seen_alone, visit.notes = visited, seen_alone, notes
        visit.save(update_fields=["visited", "seen_alone", "notes"])
        clocks.stop_clock(visit, FIRST if visit.is_first else _kind_after(a, visit), visited)
        if a.ended is None or a.ended > visited:
            _schedule(a, visit.number + 1, _next_kind(a, visited), visited)
    return visit


def _next_kind(a: Arrangement, last_visit: date) -> str:
    """Visits at most 6 weeks apart in the arrangement's first year, 12 weeks after."""
    year_ends = a.first_year_ends()
    if year_ends is not None and last_visit >= year_ends:
        return AFTER_YEAR
    return WITHIN_YEAR


def _kind_after(a: Arrangement, visit: Visit) -> str:
    clock = Clock.objects.filter(
        record_type=ContentType.objects.get_for_model(Visit), record_id=visit.pk
    ).first()
    return clock.kind if clock is not None else WITHIN_YEAR


def end_arrangement(a: Arrangement, *, ended: date, reason: str) -> Arrangement:
    if reason not in EndReason.values:
        raise ServiceError(f"Unknown reason ‘{reason}’")
    a.ended, a.end_reason = ended, reason
    return save_arrangement(a, a.partnership)


def add_activity(partnership: Any, **fields: Any) -> AwarenessActivity:
    activity = AwarenessActivity(partnership=partnership, **fields)
    if activity.kind not in ActivityKind.values:
        raise ServiceError(f"Unknown kind of activity ‘{activity.kind}’")
    _clean(activity)
    activity.save()
    return activity


# --- import -------------------------------------------------------------------------------

COLUMNS = [
    "reference",
    "notified",
    "source",
    "start",
    "child_age",
    "ended",
    "end_reason",
    "visits",
]
REQUIRED = ["reference", "notified", "source"]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    visits: int = 0
    problems: list[TableProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        if self.problems:
            return [str(p) for p in self.problems]
        verb = "Would import" if self.dry_run else "Imported"
        return [f"{verb} {self.created} arrangements with {self.visits} visits."]


def _choice(text: str, choices: Any) -> str | None:
    wanted = text.strip().lower()
    for value, label in choices.choices:
        if wanted in {value, str(label).lower()}:
            return value
    return None


def import_arrangements(
    partnership: Any, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportReport:
    """Import arrangements and their visits made: every row checked first, then all written
    in one transaction, or none. `visits` lists the visit dates, separated by `;`, each
    followed by `alone` when the child was seen alone: `2016-05-02 alone; 2016-06-10`."""
    table = read_table(data, filename)
    require_columns(table.header, REQUIRED, COLUMNS)
    report = ImportReport(dry_run=dry_run)
    seen: dict[str, int] = {}
    parsed = []
    existing = set(Arrangement.objects.values_list("reference", flat=True))
    for row in table.rows:
        problems: list[TableProblem] = []

        def problem(column: str, message: str, row: Any = row, found: list = problems) -> None:
            found.append(TableProblem(row.number, column, message))

        ref = row.get("reference")
        if not ref:
            problem("reference", "The reference is empty")
        elif ref in seen:
            problem("reference", f"Reference {ref} is also in row {seen[ref]}")
        elif ref in existing:
            problem("reference", f"Reference {ref} is already in the register")
        seen.setdefault(ref, row.number)
        values: dict[str, Any] = {"reference": ref}
        for column in ("notified", "start", "ended"):
            text = row.get(column)
            values[column] = None
            if not text:
                if column == "notified":
                    problem(column, "The date notified is empty")
                continue
            try:
                values[column] = date.fromisoformat(text)
            except ValueError:
                problem(column, f"‘{text}’ is not a date: write YYYY-MM-DD")
        source = _choice(row.get("source"), Source)
        if source is None:
            problem(
                "source",
                f"‘{row.get('source')}’ is not a source: use one of " + ", ".join(Source.values),
            )
        values["source"] = source or ""
        age = row.get("child_age")
        values["child_age"] = None
        if age:
            if not age.isdigit() or int(age) > 17:
                problem("child_age", f"‘{age}’ is not an age from 0 to 17")
            else:
                values["child_age"] = int(age)
        reason = row.get("end_reason")
        values["end_reason"] = ""
        if reason:
            found = _choice(reason, EndReason)
            if found is None:
                problem(
                    "end_reason",
                    f"‘{reason}’ is not a reason: use one of " + ", ".join(EndReason.values),
                )
            values["end_reason"] = found or ""
        visits: list[tuple[date, bool]] = []
        for part in (p.strip() for p in row.get("visits").split(";")):
            if not part:
                continue
            day, _, alone = part.partition(" ")
            try:
                visits.append((date.fromisoformat(day), alone.strip().lower() == "alone"))
            except ValueError:
                problem("visits", f"‘{part}’ is not a visit: write YYYY-MM-DD, then alone if so")
        if visits != sorted(visits, key=lambda v: v[0]):
            problem("visits", "Write the visits in date order")
        if not problems:
            try:
                _validate(Arrangement(**values))
            except ServiceError as exc:
                problem("", str(exc))
            if values["notified"] and visits and visits[0][0] < values["notified"]:
                problem("visits", "A visit cannot be before the notification")
        report.problems.extend(problems)
        parsed.append((values, visits))
    report.rows = len(parsed)
    if report.problems:
        return report
    with transaction.atomic():
        for values, visits in parsed:
            ended = values.pop("ended")
            reason = values.pop("end_reason")
            a = save_arrangement(Arrangement(**values), partnership)
            for visited, seen_alone in visits:
                record_visit(a, visited=visited, seen_alone=seen_alone)
            if ended is not None:
                a.ended, a.end_reason = ended, reason
                save_arrangement(a, partnership)
            report.created += 1
            report.visits += len(visits)
        if dry_run:
            transaction.set_rollback(True)
    return report
