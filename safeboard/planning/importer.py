"""Import a business plan from a spreadsheet, and export it in the same format.

The file (CSV or XLSX) has a header row with the columns `theme, ref, action, owner, due,
aim, update, status, links` (any order; other columns are ignored and reported). The importer
checks every row before writing anything: if any row is wrong, nothing is written and every
problem is listed with its row number (the header is row 1) and column. The file is read by
`core.tables` (CSV or XLSX, its encodings and row limit). See docs/planning.md.

- theme: the theme or priority; rows with the same theme share it (created if new).
- ref: the reference, unique in the plan: `1.3`, `7.2a`.
- action: what will be done.
- owner: a group, agency or person of the partnership, by name or short name; prefix with
  `group:`, `agency:` or `person:` when a name is shared. Several owners joined by `and`,
  commas, semicolons or slashes are a lead owner (the first) and supporting owners.
- due: a date (`2017-07-31`, `31/07/2017`, `31 July 2017`) or a month (`Jul-17`,
  `July 2017`, `2017-07`: the end of that month); an ongoing action is
  `ongoing, review <date>` or `<month> and ongoing` (`Nov-16 and ongoing`: reviewed then). An
  event (`Following each Annual Report`) is refused with a hint: write the month it is due.
- aim: what we are trying to achieve.
- update: the latest progress update, optionally dated: `2017-03-14: agreed by the board`.
- status: not started, red, amber, green or complete (R, A, G, C and completed are read too).
- links: references of related actions in the plan, separated by commas.

A complete action needs an update: it is the evidence of completion. Its completion is dated
by the update's date (or the day of the import) and confirmed by whoever imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeboard.core.dates import DateParseError, parse_due
from safeboard.core.tables import (
    Table,
    TableError,
    TableProblem,
    read_table,
    table_from_rows,
    write_table,
)
from safeboard.partnership.models import Agency, Group, Person

from . import services
from .models import Action, Plan, Progress, ProgressUpdate, State, Theme, UpdateKind
from .selectors import natural_key

COLUMNS = ["theme", "ref", "action", "owner", "due", "aim", "update", "status", "links"]
REQUIRED = {"ref", "action", "owner", "due"}

STATUS_WORDS = {
    "not started": Progress.NOT_STARTED,
    "notstarted": Progress.NOT_STARTED,
    "red": Progress.RED,
    "r": Progress.RED,
    "amber": Progress.AMBER,
    "a": Progress.AMBER,
    "green": Progress.GREEN,
    "g": Progress.GREEN,
    "complete": Progress.COMPLETE,
    "completed": Progress.COMPLETE,
    "c": Progress.COMPLETE,
}
STATUS_LABELS = {
    Progress.NOT_STARTED: "not started",
    Progress.RED: "red",
    Progress.AMBER: "amber",
    Progress.GREEN: "green",
    Progress.COMPLETE: "complete",
}
_ONGOING = re.compile(
    r"^(?:ongoing|on-going|recurring)\b[\s,;:(-]*"
    r"(?:(?:next\s+)?review(?:ed)?\s*(?:by|on|date|in)?\s*:?\s*(?P<when>[^)]*))?\)?\s*$",
    re.IGNORECASE,
)
# "Nov-16 and ongoing": ongoing, reviewed in that month.
_THEN_ONGOING = re.compile(
    r"^(?P<when>.+?)\s*(?:,|and|&|then)?\s+(?:ongoing|on-going|recurring)\s*$", re.IGNORECASE
)
# "Following each Annual Report", "After the audit": an event, not a date.
_EVENT = re.compile(
    r"^(?:following|after|upon|on receipt|each|every|when|as and when|in line with|before)\b",
    re.IGNORECASE,
)
# Several owners: "Neglect task group and Early Help Subgroup", "CSC, Police; Health".
_OWNER_SPLIT = re.compile(r"\s*(?:;|,|/|\+|&|\band\b)\s*", re.IGNORECASE)
_DATED_UPDATE = re.compile(
    r"^\s*(?P<when>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\s*[:–-]\s*(?P<text>.*)$", re.DOTALL
)
_LINK_SPLIT = re.compile(r"[,;\s]+")
OWNER_KINDS = ("group", "agency", "person")


@dataclass
class Row:
    """One valid row, ready to write."""

    number: int
    theme: str
    ref: str
    text: str
    owner: Group | Agency | Person
    due: date | None
    ongoing: bool
    review_date: date | None
    aim: str
    update_on: date | None
    update_text: str
    status: str
    links: list[str]
    # Supporting owners after the lead owner (the first named).
    supporting: list[Group | Agency | Person] = field(default_factory=list)


@dataclass
class ImportReport:
    plan: Plan
    rows: list[Row] = field(default_factory=list)
    problems: list[TableProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_themes: list[str] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as printed by the command and shown on the page."""
        out: list[str] = []
        if self.ignored_columns:
            out.append("Columns ignored: " + ", ".join(self.ignored_columns))
        if self.problems:
            count = len(self.problems)
            out.append(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file."
            )
            out.extend(str(p) for p in self.problems)
            return out
        themes = len({r.theme for r in self.rows if r.theme})
        summary = (
            f"{len(self.rows)} action{'s' if len(self.rows) != 1 else ''} in {themes} "
            f"theme{'s' if themes != 1 else ''}"
        )
        if self.new_themes:
            summary += f" ({len(self.new_themes)} new)"
        if self.written:
            out.append(f"Imported {summary} into {self.plan}.")
        else:
            out.append(
                f"The file is valid: {summary} would be imported into {self.plan} "
                "(dry run: nothing written)."
            )
        return out


# --- owners -------------------------------------------------------------------------------


class OwnerIndex:
    """Finds a group, agency or person of the partnership from what a plan calls it."""

    def __init__(self) -> None:
        self.names: dict[str, list[tuple[str, Any]]] = {}
        for group in Group.objects.all():
            self._add("group", group, group.name, group.short_name)
        for agency in Agency.objects.all():
            self._add("agency", agency, agency.name, agency.short_name)
        for person in Person.objects.filter(active=True):
            self._add("person", person, person.name)

    def _add(self, kind: str, obj: Any, *names: str) -> None:
        for name in {n.strip().lower() for n in names if n and n.strip()}:
            entries = self.names.setdefault(name, [])
            if (kind, obj) not in entries:
                entries.append((kind, obj))

    def find(self, text: str) -> tuple[Any | None, str]:
        """The owner, or None and the reason."""
        raw = " ".join(text.split())
        kind = ""
        name = raw
        prefix, sep, rest = raw.partition(":")
        if sep and prefix.strip().lower() in OWNER_KINDS:
            kind, name = prefix.strip().lower(), rest.strip()
        matches = self.names.get(name.lower(), [])
        if kind:
            matches = [m for m in matches if m[0] == kind]
        if not matches:
            what = kind or "group, agency or person"
            return None, (
                f"owner ‘{raw}’ is not a {what} of this partnership: add them first, or use "
                "the name of a group, agency or person"
            )
        if len(matches) > 1:
            kinds = ", ".join(f"{k} {o}" for k, o in matches)
            return None, (
                f"owner ‘{raw}’ could be {kinds}: write group:, agency: or person: before the name"
            )
        return matches[0][1], ""

    def find_all(self, text: str) -> tuple[list[Any], str]:
        """The owners a cell names: one owner, or several joined by "and", commas,
        semicolons or slashes (the first is the lead). A name containing "and" is found
        whole first."""
        found, reason = self.find(text)
        if found is not None:
            return [found], ""
        parts = [p for p in _OWNER_SPLIT.split(" ".join(text.split())) if p]
        if len(parts) < 2:
            return [], reason
        owners = []
        for part in parts:
            owner, why = self.find(part)
            if owner is None:
                return [], why
            if owner not in owners:
                owners.append(owner)
        return owners, ""

    def label(self, owner: Any) -> str:
        """The shortest text that finds this owner again."""
        kind = (
            "group"
            if isinstance(owner, Group)
            else "agency"
            if isinstance(owner, Agency)
            else "person"
        )
        candidates = [owner.name]
        if getattr(owner, "short_name", ""):
            candidates.append(owner.short_name)
        for text in candidates:
            found, _ = self.find(text)
            if found == owner:
                return text
        return f"{kind}: {owner.name}"


# --- reading ------------------------------------------------------------------------------


def _parse_due(text: str) -> tuple[date | None, bool, date | None]:
    """(due, ongoing, review date) from a due cell; raises DateParseError."""
    if match := _ONGOING.match(text):
        when = (match.group("when") or "").strip()
        if not when:
            raise DateParseError(
                f"‘{text}’ has no review date: write it as ‘ongoing, review July 2017’"
            )
        return None, True, parse_due(when)
    if match := _THEN_ONGOING.match(text):
        return None, True, parse_due(match.group("when"))
    if _EVENT.match(text):
        raise DateParseError(
            f"‘{text}’ is an event, not a date: write it as ongoing with the month it is next "
            "due, such as ‘ongoing, review September 2017’ (the month the annual report is "
            "published), and say the event in the action"
        )
    if text.lower().startswith(("ongoing", "on-going", "recurring")):
        raise DateParseError(
            f"‘{text}’ is not a due date: write an ongoing action as ‘ongoing, review July 2017’"
        )
    return parse_due(text), False, None


def _parse_update(text: str, today: date) -> tuple[date | None, str, str]:
    """(date, text, problem) of an update cell."""
    if not text:
        return None, "", ""
    match = _DATED_UPDATE.match(text)
    if not match:
        return None, text, ""
    try:
        when = parse_due(match.group("when"))
    except DateParseError as exc:
        return None, text, f"update: {exc}"
    if when > today:
        return None, text, f"the update is dated {when:%-d %B %Y}, in the future"
    body = match.group("text").strip()
    if not body:
        return None, text, "the update has a date but no text"
    return when, body, ""


def check(plan: Plan, table: Table, *, today: date) -> ImportReport:
    """Validate every row; the report lists every problem with its row and column. Links
    are checked on every row, also on rows with other problems."""
    report = ImportReport(plan=plan)
    if plan.is_closed:
        report.problems.append(
            TableProblem(None, "", f"{plan} is closed: import into the next plan")
        )
        return report
    header = table.header
    missing = REQUIRED - set(header)
    if missing:
        report.problems.append(
            TableProblem(
                table.header_row,
                ", ".join(sorted(missing)),
                "the header has no column "
                + ", ".join(sorted(missing))
                + f": the columns are {', '.join(COLUMNS)}",
            )
        )
        return report
    repeated = sorted({h for h in header if header.count(h) > 1 and h in COLUMNS})
    if repeated:
        report.problems.append(
            TableProblem(
                table.header_row, ", ".join(repeated), "the header repeats " + ", ".join(repeated)
            )
        )
        return report
    report.ignored_columns = [h or "(blank)" for h in header if h not in COLUMNS]
    owners = OwnerIndex()
    existing = {
        r.lower(): r for r in Action.objects.filter(plan=plan).values_list("reference", flat=True)
    }
    known_themes = {
        t.lower() for t in Theme.objects.filter(plan=plan).values_list("title", flat=True)
    }
    seen: dict[str, int] = {}
    all_links: list[tuple[int, list[str]]] = []
    for row in table.rows:
        index = row.number
        problems: list[tuple[str, str]] = []  # (column, message)

        ref = row.get("ref")
        if not ref:
            problems.append(("ref", "the reference (ref) is empty"))
        elif len(ref) > 20:
            problems.append(("ref", f"the reference ‘{ref}’ is longer than 20 characters"))
        elif ref.lower() in seen:
            problems.append(
                ("ref", f"the reference {ref} is used twice (rows {seen[ref.lower()]} and {index})")
            )
        elif ref.lower() in existing:
            problems.append(("ref", f"the reference {ref} is already in {plan}"))
        if ref:
            seen.setdefault(ref.lower(), index)
        action_text = row.get("action")
        if not action_text:
            problems.append(("action", "the action is empty"))
        owner = None
        supporting: list[Any] = []
        owner_text = row.get("owner")
        if not owner_text:
            problems.append(("owner", "the owner is empty: give a group, agency or person"))
        else:
            found, reason = owners.find_all(owner_text)
            if not found:
                problems.append(("owner", reason))
            else:
                owner, *supporting = found
        due = review = None
        ongoing = False
        due_text = row.get("due")
        if not due_text:
            problems.append(("due", "the due date is empty"))
        else:
            try:
                due, ongoing, review = _parse_due(due_text)
            except DateParseError as exc:
                problems.append(("due", f"due date: {exc}"))
        update_on, update_text, update_problem = _parse_update(row.get("update"), today)
        if update_problem:
            problems.append(("update", update_problem))
        status_text = row.get("status")
        status = Progress.NOT_STARTED
        if status_text:
            key = " ".join(status_text.lower().replace("_", " ").replace("-", " ").split())
            if key in STATUS_WORDS:
                status = STATUS_WORDS[key]
            else:
                problems.append(
                    (
                        "status",
                        f"the status ‘{status_text}’ is not one of not started, red, amber, "
                        "green, complete",
                    )
                )
        elif update_text:
            problems.append(
                (
                    "status",
                    "the update has no status: give not started, red, amber, green or complete",
                )
            )
        if status == Progress.COMPLETE and not update_text:
            problems.append(
                (
                    "update",
                    "the action is complete but has no update: the update is the evidence of "
                    "completion",
                )
            )
        links = [link for link in _LINK_SPLIT.split(row.get("links")) if link]
        if ref and any(link.lower() == ref.lower() for link in links):
            problems.append(("links", f"action {ref} links to itself"))
        all_links.append((index, links))
        theme = " ".join(row.get("theme").split())
        if len(theme) > 300:
            problems.append(("theme", "the theme is longer than 300 characters"))
        for column, message in problems:
            report.problems.append(TableProblem(index, column, message))
        if problems:
            continue
        assert owner is not None
        if theme and theme.lower() not in known_themes:
            known_themes.add(theme.lower())
            report.new_themes.append(theme)
        report.rows.append(
            Row(
                number=index,
                theme=theme,
                ref=ref,
                text=action_text,
                owner=owner,
                due=due,
                ongoing=ongoing,
                review_date=review,
                aim=row.get("aim"),
                update_on=update_on,
                update_text=update_text,
                status=status,
                links=links,
                supporting=supporting,
            )
        )
    # Links are checked once every reference is known, on every row: a row with another
    # problem may link to a reference that does not exist too.
    for index, links in all_links:
        for link in links:
            if link.lower() not in seen and link.lower() not in existing:
                report.problems.append(
                    TableProblem(
                        index, "links", f"links to {link}, which is not a reference in the plan"
                    )
                )
    if not report.rows and not report.problems:
        report.problems.append(TableProblem(None, "", "The file has no actions"))
    report.problems.sort(key=lambda p: p.row or 0)
    return report


def import_plan(
    plan: Plan,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    by: Person | None = None,
    author_name: str = "",
    today: date | None = None,
) -> ImportReport:
    """Check the file and, if every row is right and it is not a dry run, write it all in one
    transaction. The report says what was (or would be) imported, or every problem."""
    try:
        table = read_table(data, filename)
    except TableError as exc:
        report = ImportReport(plan=plan, dry_run=dry_run)
        report.problems.extend(exc.problems)
        return report
    return _import(plan, table, dry_run=dry_run, by=by, author_name=author_name, today=today)


def import_rows(
    plan: Plan,
    header: list[str],
    rows: list[list[Any]],
    *,
    dry_run: bool = False,
    by: Person | None = None,
    author_name: str = "",
    today: date | None = None,
) -> ImportReport:
    """As `import_plan`, for a table already read (the API sends rows as JSON): the first
    row is row 2, as in a file."""
    try:
        table = table_from_rows(header, rows)
    except TableError as exc:
        report = ImportReport(plan=plan, dry_run=dry_run)
        report.problems.extend(exc.problems)
        return report
    return _import(plan, table, dry_run=dry_run, by=by, author_name=author_name, today=today)


def _import(
    plan: Plan,
    table: Table,
    *,
    dry_run: bool,
    by: Person | None,
    author_name: str,
    today: date | None,
) -> ImportReport:
    today = today or timezone.localdate()
    report = check(plan, table, today=today)
    report.dry_run = dry_run
    if report.ok and not dry_run:
        _write(report, by=by, author_name=author_name or "Imported from the plan file", today=today)
        report.written = True
    return report


@transaction.atomic
def _write(report: ImportReport, *, by: Person | None, author_name: str, today: date) -> None:
    plan = report.plan
    themes = {t.title.lower(): t for t in Theme.objects.filter(plan=plan)}
    for title in report.new_themes:
        themes[title.lower()] = services.add_theme(plan=plan, title=title)
    created: dict[str, Action] = {}
    for row in report.rows:
        action = services.create_action(
            partnership=plan.partnership,
            plan=plan,
            theme=themes[row.theme.lower()] if row.theme else None,
            reference=row.ref,
            text=row.text,
            aim=row.aim,
            owner=row.owner,
            due=row.due,
            ongoing=row.ongoing,
            review_date=row.review_date,
            by=by,
        )
        created[row.ref.lower()] = action
        if row.supporting:
            services.set_supporting(action, row.supporting)
        name = "" if by else author_name
        if row.status == Progress.COMPLETE:
            services.record_completion(
                action,
                by=by,
                evidence_text=row.update_text,
                completed_on=row.update_on or today,
                confirm=True,
                author_name=name,
            )
        elif row.update_text:
            services.record_update(
                action,
                by=by,
                status=row.status,
                text=row.update_text,
                on=row.update_on or today,
                author_name=name,
            )
        elif row.status != Progress.NOT_STARTED:
            action.status = row.status
            action.save(update_fields=["status"])
    existing = {a.reference.lower(): a for a in Action.objects.filter(plan=plan)}
    for row in report.rows:
        if row.links:
            action = created[row.ref.lower()]
            action.links.add(*(existing[link.lower()] for link in row.links))


# --- export -------------------------------------------------------------------------------


def _due_cell(action: Action) -> str:
    if action.ongoing:
        assert action.review_date is not None
        return f"ongoing, review {action.review_date.isoformat()}"
    return action.due.isoformat() if action.due else ""


def latest_report(action: Action, updates: list[ProgressUpdate]) -> ProgressUpdate | None:
    """What the plan file's update holds: the evidence of a completed action, otherwise the
    latest report of progress (or of its return or carrying forward). `updates` are the
    action's updates."""
    if action.state in (State.COMPLETE, State.AWAITING_CONFIRMATION) and action.completion_update:
        return action.completion_update
    kinds = (UpdateKind.PROGRESS, UpdateKind.RETURNED, UpdateKind.CARRIED_FORWARD)
    reports = [u for u in updates if u.kind in kinds]
    return max(reports, key=lambda u: (u.date, u.recorded_at, u.pk), default=None)


def export_table(plan: Plan, fmt: str) -> bytes:
    """The plan in the import format as `csv` or `xlsx` (its columns in words, its statuses
    in their colours; the import reads both back)."""
    return write_table(COLUMNS, export_rows(plan), fmt, rag_columns=("status",))


def export_rows(plan: Plan) -> list[list[str]]:
    """The plan in the import format, one row per action: importing it gives the same plan."""
    owners = OwnerIndex()
    actions = sorted(
        Action.objects.filter(plan=plan)
        .select_related("theme", "owner_group", "owner_agency", "owner_person", "completion_update")
        .prefetch_related("supporting_groups", "supporting_agencies", "supporting_people"),
        key=lambda a: (a.theme.number if a.theme else 0, natural_key(a.reference), a.pk),
    )
    # Updates and links for the whole plan in two queries, not two per action.
    updates: dict[int, list[ProgressUpdate]] = {}
    for update in ProgressUpdate.objects.filter(action__plan=plan):
        updates.setdefault(update.action_id, []).append(update)
    links: dict[int, list[str]] = {}
    for from_id, reference in Action.links.through.objects.filter(
        from_action__plan=plan, to_action__plan=plan
    ).values_list("from_action_id", "to_action__reference"):
        links.setdefault(from_id, []).append(reference)
    rows = []
    for action in actions:
        update = latest_report(action, updates.get(action.pk, []))
        rows.append(
            [
                action.theme.title if action.theme else "",
                action.reference,
                action.text,
                "; ".join(owners.label(o) for o in [action.owner, *action.supporting]),
                _due_cell(action),
                action.aim,
                f"{update.date.isoformat()}: {update.text}" if update else "",
                STATUS_LABELS[Progress(action.status)],
                ", ".join(sorted(links.get(action.pk, []), key=natural_key)),
            ]
        )
    return rows
