"""Writes of the private fostering register: arrangements (the first visit's clock starts
with the notification), visits (each made stops its clock and schedules the next: at most 6
weeks later in the arrangement's first year, 12 weeks after), the arrangement's end, awareness
activity, and the import. One transaction each; refusals are `ServiceError`s."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from safeboard.core import clocks
from safeboard.core.errors import ServiceError
from safeboard.core.models import Clock
from safeboard.core.tables import ImportReport, TableProblem, read_table, require_columns

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
        _follow_the_end(a)
    return a


def _follow_the_end(a: Arrangement) -> None:
    """An arrangement that has ended runs no clock from then on: a visit not yet due when it
    ended is dropped with its clock. A visit that fell due while it lasted and was never made
    stays, a missed visit in the figures, and so does its clock, stopped on the day the
    arrangement ended (missed, in the clocks' history). An end taken back (a correction)
    runs the clock again, or schedules the next visit."""
    pending = pending_visit(a)
    if a.ended is not None:
        if pending is None:
            return
        key = _kind_after(a, pending)
        if pending.due >= a.ended:
            _drop(pending)
        else:
            clocks.start_clock(
                pending,
                key,
                _started(pending),
                label=f"{a.reference}: visit {pending.number} (not made: the arrangement ended)",
            )
            clocks.stop_clock(pending, key, a.ended)
        return
    if pending is not None:
        key = _kind_after(a, pending)
        clocks.start_clock(
            pending, key, _started(pending), label=f"{a.reference}: visit {pending.number}"
        )
        clocks.stop_clock(pending, key, None)
        return
    last = a.visits.filter(visited__isnull=False).order_by("-number").first()
    if last is not None and last.visited is not None:
        _schedule(a, last.number + 1, _next_kind(a, last.visited), last.visited)


def _started(visit: Visit) -> date:
    clock: Any = Clock.objects.filter(
        record_type=ContentType.objects.get_for_model(Visit), record_id=visit.pk
    ).first()
    return clock.start if clock is not None else visit.arrangement.notified


def record_visit(a: Arrangement, *, visited: date, seen_alone: bool, notes: str = "") -> Visit:
    """The pending visit was made: its clock stops, and the next is scheduled unless the
    arrangement has ended (6 weeks in the arrangement's first year, 12 weeks after)."""
    if visited < a.notified:
        raise ServiceError("A visit cannot be before the notification")
    if a.ended is not None and visited > a.ended:
        raise ServiceError(f"The arrangement ended on {a.ended:%d %B %Y}: no visit after it")
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
    if clock is not None:
        return clock.kind
    return FIRST if visit.is_first else WITHIN_YEAR


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
    followed by `alone` when the child was seen alone: `2016-05-02 alone; 2016-06-10`.

    A reference already in the register updates that arrangement (as the allegations import
    does): its dates, source, age and end are the file's, and visits in the file after those
    already recorded are added; the file must list the visits already recorded (an import
    adds visits, never removes them), and does not take back an end already recorded."""
    table = read_table(data, filename)
    require_columns(table.header, REQUIRED, COLUMNS)
    report = ImportReport(dry_run=dry_run, noun="arrangements", added_noun="visits")
    seen: dict[str, int] = {}
    parsed = []
    existing = {
        a.reference: a for a in Arrangement.objects.prefetch_related("visits").order_by("pk")
    }
    for row in table.rows:
        problems: list[TableProblem] = []

        def problem(column: str, message: str, row: Any = row, found: list = problems) -> None:
            found.append(TableProblem(row.number, column, message))

        ref = row.get("reference")
        if not ref:
            problem("reference", "The reference is empty")
        elif len(ref) > 40:
            problem("reference", "A reference is at most 40 characters")
        elif ref in seen:
            problem("reference", f"Reference {ref} is also in row {seen[ref]}")
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
                problem(column, f"‘{text}’ is not a date ({column}): write YYYY-MM-DD")
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
        before = existing.get(ref)
        if not problems:
            try:
                _validate(Arrangement(**values))
            except ServiceError as exc:
                problem("", str(exc))
            if values["notified"] and visits and visits[0][0] < values["notified"]:
                problem("visits", "A visit cannot be before the notification")
            if values["ended"] and visits and visits[-1][0] > values["ended"]:
                problem("visits", "A visit cannot be after the arrangement ended")
        if before is not None and not problems:
            made = [v.visited for v in before.visits.all() if v.visited is not None]
            listed = [day for day, _ in visits]
            if listed[: len(made)] != made:
                problem(
                    "visits",
                    f"Reference {ref} is in the register with visits on "
                    + (", ".join(d.isoformat() for d in made) or "no day")
                    + ": list them first (an import adds visits, it does not remove them)",
                )
            if before.ended is not None and values["ended"] is None:
                problem(
                    "ended",
                    f"Reference {ref} ended on {before.ended.isoformat()}: an import does not "
                    "take an end back (change it on the arrangement's page)",
                )
        report.problems.extend(problems)
        parsed.append((values, visits, before))
    report.rows = len(parsed)
    if report.problems:
        return report
    with transaction.atomic():
        for values, visits, before in parsed:
            ended = values.pop("ended")
            reason = values.pop("end_reason")
            a = before or Arrangement()
            for name, value in values.items():
                setattr(a, name, value)
            if before is not None and before.ended is not None:
                a.ended, a.end_reason = ended, reason
            a = save_arrangement(a, partnership)
            done = len([v for v in a.visits.all() if v.visited is not None])
            for visited, seen_alone in visits[done:]:
                record_visit(a, visited=visited, seen_alone=seen_alone)
            if ended is not None and (a.ended, a.end_reason) != (ended, reason):
                a.ended, a.end_reason = ended, reason
                save_arrangement(a, partnership)
            report.created += before is None
            report.updated += before is not None
            report.added += len(visits) - done
        if dry_run:
            transaction.set_rollback(True)
    return report
