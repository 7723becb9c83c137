"""Writes of the LADO register: the partnership's lists of terms, contacts (allegations and
consultations) with their clocks and repeat flags, imports, and the quarterly audit sample.
Each is one transaction; a refusal is a `ServiceError` with a message for the user."""

from __future__ import annotations

import random
import secrets
from bisect import bisect_right
from collections.abc import Iterable
from copy import copy
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from safeboard.core import clocks
from safeboard.core.errors import ServiceError
from safeboard.core.periods import PeriodError, parse_period
from safeboard.core.tables import (
    ImportReport,
    TableError,
    TableProblem,
    read_table,
    require_columns,
)
from safeboard.core.trail import log_bulk

from .models import (
    REGISTER,
    Allegation,
    AuditItem,
    AuditSample,
    Kind,
    OutcomeKind,
    Term,
    TermList,
    matching_key,
)

# The lists a partnership starts with (domain brief 2.7; the national outcome definitions).
DEFAULT_TERMS: dict[str, list[str]] = {
    TermList.EMPLOYER: [
        "Foster carer",
        "Residential worker",
        "School staff",
        "Early years",
        "Social care staff",
        "Health",
        "Police",
        "Voluntary organisation",
        "Faith group",
        "Sports and leisure",
        "Transport",
        "Other",
    ],
    TermList.REFERRER: [
        "Children's social care",
        "Police",
        "Education",
        "Early years",
        "Health",
        "Ofsted",
        "Employer",
        "Voluntary organisation",
        "Probation",
        "Parent or carer",
        "Other",
    ],
    TermList.CATEGORY: ["Physical", "Emotional", "Sexual", "Neglect"],
    TermList.OUTCOME: [
        "Substantiated",
        "Unsubstantiated",
        "Unfounded",
        "False",
        "Malicious",
        "No further action",
        "Suspension",
        "Dismissal",
        "Resignation",
        "Referral to the barring service",
        "Referral to a regulator",
        "Criminal investigation",
        "Prosecution",
        "Conviction",
    ],
}
DEFINITIONS = frozenset({"Substantiated", "Unsubstantiated", "Unfounded", "False", "Malicious"})
CLOCK_CONCLUSION = (
    "allegations.conclusion_1m",
    "allegations.conclusion_3m",
    "allegations.conclusion_12m",
)
CLOCK_REFERRAL = "allegations.referral"


def _outcome_kind(list_name: str, name: str) -> str:
    if list_name != TermList.OUTCOME:
        return ""
    if name in DEFINITIONS:
        return OutcomeKind.DEFINITION
    return OutcomeKind.OTHER if name == "No further action" else OutcomeKind.ACTION


# --- terms ----------------------------------------------------------------------------------


def ensure_default_terms(partnership: Any) -> None:
    """Give the partnership the default lists, for each list it has no term of yet."""
    with transaction.atomic():
        for list_name, names in DEFAULT_TERMS.items():
            if Term.objects.filter(list=list_name).exists():
                continue
            for position, name in enumerate(names, start=1):
                Term.objects.create(
                    partnership=partnership,
                    list=list_name,
                    name=name,
                    position=position,
                    outcome_kind=_outcome_kind(list_name, name),
                )


def terms(list_name: str) -> list[Term]:
    return list(Term.objects.filter(list=list_name).order_by("position", "pk"))


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ServiceError("A term needs a name")
    if len(name) > 120:
        raise ServiceError("A term's name is at most 120 characters")
    return name


def add_term(
    partnership: Any, list_name: str, name: str, outcome_kind: str = ""
) -> tuple[Term, bool]:
    """Add a term at the end of its list, dated today (the tables of years that ended before
    show it only if a record has it); a term already there (any case) is left as it is."""
    if list_name not in TermList.values:
        raise ServiceError(f"Unknown list ‘{list_name}’: use one of " + ", ".join(TermList.values))
    name = _check_name(name)
    with transaction.atomic():
        found = Term.objects.filter(list=list_name, name__iexact=name).first()
        if found is not None:
            return found, False
        last = Term.objects.filter(list=list_name).aggregate(m=Max("position"))["m"] or 0
        term = Term.objects.create(
            partnership=partnership,
            list=list_name,
            name=name,
            position=last + 1,
            outcome_kind=outcome_kind or _outcome_kind(list_name, name),
            added_on=timezone.localdate(),
        )
    return term, True


def rename_term(term: Term, name: str) -> Term:
    name = _check_name(name)
    with transaction.atomic():
        if Term.objects.filter(list=term.list, name__iexact=name).exclude(pk=term.pk).exists():
            raise ServiceError(f"The list already has ‘{name}’")
        term.name = name
        term.save(update_fields=["name"])
    return term


def move_term(term: Term, step: int) -> None:
    """Move a term up (-1) or down (+1) its list."""
    with transaction.atomic():
        ordered = terms(term.list)
        index = next(i for i, t in enumerate(ordered) if t.pk == term.pk)
        target = index + step
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, item in enumerate(ordered, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])


def retire_term(term: Term, on: date | None) -> Term:
    """Retire a term from `on` (None brings it back). Records that have it keep it."""
    term.retired_on = on
    term.save(update_fields=["retired_on"])
    return term


def import_terms(partnership: Any, data: bytes, filename: str) -> tuple[int, int]:
    """Columns `list,term`: each added at the end of its list in file order; a term already
    there is left as it is. Every row is checked before anything is written. Returns (added,
    already there)."""
    table = read_table(data, filename)
    require_columns(table.header, ["list", "term"], ["list", "term"])
    ensure_default_terms(partnership)
    problems = []
    wanted: list[tuple[str, str]] = []
    for row in table.rows:
        list_name, name = row.get("list").lower(), " ".join(row.get("term").split())
        if list_name not in TermList.values:
            problems.append(
                TableProblem(
                    row.number,
                    "list",
                    f"‘{row.get('list')}’ is not a list: use one of " + ", ".join(TermList.values),
                )
            )
        if not name:
            problems.append(TableProblem(row.number, "term", "The term is empty"))
        elif len(name) > 120:
            problems.append(TableProblem(row.number, "term", "A term is at most 120 characters"))
        wanted.append((list_name, name))
    if problems:
        raise TableError(problems)
    added = kept = 0
    with transaction.atomic():
        for list_name, name in wanted:
            _, created = add_term(partnership, list_name, name)
            added += created
            kept += not created
    return added, kept


# --- contacts ---------------------------------------------------------------------------------


def _check_term(term: Term | None, list_name: str, received: date, what: str) -> None:
    if term is None:
        return
    if term.list != list_name:
        raise ServiceError(f"‘{term.name}’ is not one of the {TermList(list_name).label.lower()}")
    if term.retired_by(received):
        raise ServiceError(
            f"The {what} ‘{term.name}’ was retired on {term.retired_on:%d %B %Y}: it is not "
            f"used for contacts received from then on"
        )


def _validate(a: Allegation, outcomes: Iterable[Term], *, imported: bool) -> None:
    if a.known and a.known > a.received:
        raise ServiceError("The referrer cannot have known after the LADO received it")
    if a.concluded and a.concluded < a.received:
        raise ServiceError("An allegation cannot be concluded before it was received")
    for started, ended, label in (
        (a.police_started, a.police_ended, "police"),
        (a.childrens_services_started, a.childrens_services_ended, "children's services"),
        (a.employer_started, a.employer_ended, "employer"),
    ):
        if started and ended and ended < started:
            raise ServiceError(f"The {label} strand cannot end before it started")
    if a.feedback_sent and a.feedback_returned and a.feedback_returned < a.feedback_sent:
        raise ServiceError("The feedback form cannot come back before it was sent")
    _check_term(a.referrer, TermList.REFERRER, a.received, "referring agency")
    _check_term(a.employer_type, TermList.EMPLOYER, a.received, "employer type")
    _check_term(a.category, TermList.CATEGORY, a.received, "category")
    for term in outcomes:
        _check_term(term, TermList.OUTCOME, a.received, "outcome")
    if a.kind == Kind.ALLEGATION:
        missing = [
            label
            for value, label in (
                (a.referrer, "the referring agency"),
                (a.employer_type, "the employer type"),
                (a.category, "the category of harm"),
            )
            if value is None
        ]
        if missing:
            raise ServiceError("An allegation needs " + ", ".join(missing))
        if not imported and not a.criteria:
            raise ServiceError(
                "An allegation meets the harm threshold in at least one way: say which"
            )


def earlier_matches(a: Allegation) -> dict[str, list[Allegation]]:
    """The earlier contacts about the same adult, and in the same setting."""
    earlier = Allegation.objects.exclude(pk=a.pk).filter(received__lte=a.received)
    return {
        "subject": list(earlier.filter(adult_key=a.adult_key)) if a.adult_key else [],
        "setting": list(earlier.filter(setting_key=a.setting_key)) if a.setting_key else [],
    }


def _clock_specs(a: Allegation) -> list[clocks.ClockSpec]:
    """Referral within one working day of the referrer knowing; conclusion within one, three
    and twelve months of receipt. Consultations run no clock."""
    if a.kind != Kind.ALLEGATION:
        return [
            clocks.ClockSpec(a, key, None, None, "") for key in (CLOCK_REFERRAL, *CLOCK_CONCLUSION)
        ]
    referral = f"{a.reference}: referral"
    specs = [
        clocks.ClockSpec(a, CLOCK_REFERRAL, a.known, a.received if a.known else None, referral)
    ]
    conclusion = f"{a.reference}: conclusion"
    specs += [
        clocks.ClockSpec(a, key, a.received, a.concluded, conclusion) for key in CLOCK_CONCLUSION
    ]
    return specs


def _tell_repeats(partnership: Any, flagged: list[Allegation]) -> None:
    """Tell the LADO service of open allegations that repeat an earlier subject or setting
    (the notification names no record: the register's rule)."""
    from safeboard.partnership.notifications import notify_all, people_with
    from safeboard.partnership.roles import Role

    if not flagged:
        return
    if len(flagged) == 1:
        url, key = flagged[0].get_absolute_url(), f"allegation:{flagged[0].pk}:repeat"
        text = "An allegation repeats an earlier subject or setting"
    else:
        url = reverse("allegations:index", args=[partnership.slug]) + "?flagged=1&open=1"
        key = ""
        text = f"{len(flagged)} allegations repeat an earlier subject or setting"
    notify_all(
        people_with(Role.LADO),
        "allegations.repeat",
        text=text,
        url=url,
        register=REGISTER,
        key=key,
    )


def _newly_flagged(a: Allegation, before: tuple[bool, bool]) -> bool:
    """An open allegation that repeats a subject or setting it did not repeat before."""
    if a.kind != Kind.ALLEGATION or a.concluded is not None:
        return False
    return (a.repeat_subject and not before[0]) or (a.repeat_setting and not before[1])


def save_allegation(
    allegation: Allegation,
    partnership: Any,
    outcomes: Iterable[Term] | None = None,
    *,
    imported: bool = False,
) -> Allegation:
    """Create or change a contact: checked, repeats flagged, clocks started or moved."""
    outcomes = list(outcomes) if outcomes is not None else None
    _validate(allegation, outcomes or [], imported=imported)
    with transaction.atomic():
        if allegation.pk is None:
            allegation.partnership = partnership
        elif allegation.partnership_id != partnership.pk:
            raise ServiceError("This record belongs to another partnership")
        clash = Allegation.objects.filter(reference=allegation.reference).exclude(pk=allegation.pk)
        if clash.exists():
            raise ServiceError(f"There is already a contact with reference {allegation.reference}")
        before = (
            (False, False)
            if allegation.pk is None
            else tuple(
                Allegation.objects.filter(pk=allegation.pk).values_list(
                    "repeat_subject", "repeat_setting"
                )[0]
            )
        )
        allegation.adult_key = matching_key(allegation.adult_name)
        allegation.setting_key = matching_key(allegation.employer_name)
        stale = _flag_repeats_in_bulk(
            [allegation], {allegation.pk} if allegation.pk is not None else set()
        )
        try:
            allegation.full_clean(
                exclude=["partnership"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise ServiceError("; ".join(exc.messages)) from exc
        allegation.save()
        if outcomes is not None:
            allegation.outcomes.set(outcomes)
        clocks.set_clocks(_clock_specs(allegation))
        later = _reflag(stale)
        flagged = [allegation] if _newly_flagged(allegation, before) else []
        if flagged or later:
            _tell_repeats(partnership, flagged + later)
    return allegation


# Every field a contact's import or the demo writes in bulk (all but the key and partnership).
BULK_FIELDS = [
    f.name
    for f in Allegation._meta.concrete_fields
    if not f.primary_key and f.name != "partnership"
]


# What saving works out from the rest: the matching keys and the repeat flags.
DERIVED = ["adult_key", "setting_key", "repeat_subject", "repeat_setting"]


def save_contacts(
    partnership: Any,
    items: list[tuple[Allegation, list[Term] | None]],
    *,
    imported: bool = False,
    tell: bool = True,
    fields: list[str] | None = None,
) -> tuple[int, int]:
    """Create or change many contacts at once (an import, the demo), in a few queries whatever
    their number: each is checked as `save_allegation` checks one (a refusal names its
    reference, and nothing is written), repeats flagged against every other contact, clocks
    started or moved, the audit trail written. `fields` names those a change may have set
    (every field by default). Returns (created, changed)."""
    for a, outcomes in items:
        try:
            _validate(a, outcomes or [], imported=imported)
        except ServiceError as exc:
            raise ServiceError(f"{a.reference}: {exc}") from exc
    if not items:
        return 0, 0
    with transaction.atomic():
        batch = [a for a, _ in items]
        ids = {a.pk for a in batch if a.pk is not None}
        old = {o.pk: o for o in Allegation.objects.filter(pk__in=ids)} if ids else {}
        for a in batch:
            if a.pk is not None and a.partnership_id != partnership.pk:
                raise ServiceError("This record belongs to another partnership")
            a.partnership = partnership
            a.adult_key = matching_key(a.adult_name)
            a.setting_key = matching_key(a.employer_name)
        stale = _flag_repeats_in_bulk(batch, ids)
        new = [a for a in batch if a.pk is None]
        changed = [a for a in batch if a.pk is not None]
        Allegation.objects.bulk_create(new, batch_size=500)
        if changed:
            written = BULK_FIELDS if fields is None else [*fields, *DERIVED]
            Allegation.objects.bulk_update(changed, written, batch_size=100)
        through = Allegation.outcomes.through
        set_outcomes = [(a, outcomes) for a, outcomes in items if outcomes is not None]
        touched = [a.pk for a, _ in set_outcomes if a.pk in ids]
        for start in range(0, len(touched), 500):
            through.objects.filter(allegation_id__in=touched[start : start + 500]).delete()
        through.objects.bulk_create(
            [
                through(allegation_id=a.pk, term_id=term.pk)
                for a, outcomes in set_outcomes
                for term in {t.pk: t for t in outcomes or []}.values()
            ],
            batch_size=1000,
        )
        clocks.set_clocks([spec for a in batch for spec in _clock_specs(a)])
        log_bulk(new, [(old[a.pk], a) for a in changed if a.pk in old])
        later = _reflag(stale)
        if tell:
            flagged = [
                a
                for a in batch
                if _newly_flagged(
                    a,
                    (old[a.pk].repeat_subject, old[a.pk].repeat_setting)
                    if a.pk in old
                    else (False, False),
                )
            ]
            _tell_repeats(partnership, flagged + later)
    return len(new), len(changed)


def _flag_repeats_in_bulk(batch: list[Allegation], ids: set[int]) -> dict[int, tuple[bool, bool]]:
    """Flag repeats (one contact or many): each is a repeat when another contact (already
    in the register or in the batch) about the same adult, or in the same setting, was
    received on or before it. Returns the other contacts, already in the register, whose
    flags the batch changes (a contact imported with an earlier date makes a later one a
    repeat), with their flags as they should be."""
    dates: dict[tuple[str, str], list[date]] = {}
    others = Allegation.objects.exclude(adult_key="", setting_key="")
    adults = {a.adult_key for a in batch if a.adult_key}
    settings = {a.setting_key for a in batch if a.setting_key}
    # The keys the changed contacts had: those they matched may no longer be repeats.
    for start in range(0, len(ids), 500):
        chunk = list(ids)[start : start + 500]
        for adult_key, setting_key in Allegation.objects.filter(pk__in=chunk).values_list(
            "adult_key", "setting_key"
        ):
            adults |= {adult_key} - {""}
            settings |= {setting_key} - {""}
    if len(adults) + len(settings) < 200:  # only those that can match (a page's save)
        others = others.filter(Q(adult_key__in=adults) | Q(setting_key__in=settings))
    kept: list[tuple[int, str, str, date, bool, bool]] = []
    rows = others.values_list(
        "pk", "adult_key", "setting_key", "received", "repeat_subject", "repeat_setting"
    )
    for row in rows.iterator(chunk_size=5000):
        if row[0] in ids:
            continue
        kept.append(row)
        for key in (("adult", row[1]), ("setting", row[2])):
            if key[1]:
                dates.setdefault(key, []).append(row[3])
    for a in batch:
        for key in (("adult", a.adult_key), ("setting", a.setting_key)):
            if key[1]:
                dates.setdefault(key, []).append(a.received)
    for found in dates.values():
        found.sort()

    def repeats(adult_key: str, setting_key: str, received: date) -> tuple[bool, bool]:
        # The contact itself is in the list once: a repeat has another on or before it.
        return (
            bool(adult_key) and bisect_right(dates[("adult", adult_key)], received) > 1,
            bool(setting_key) and bisect_right(dates[("setting", setting_key)], received) > 1,
        )

    for a in batch:
        a.repeat_subject, a.repeat_setting = repeats(a.adult_key, a.setting_key, a.received)
    if not (adults or settings):
        return {}
    stale = {}
    for pk, adult_key, setting_key, received, subject, setting in kept:
        if adult_key not in adults and setting_key not in settings:
            continue
        now = repeats(adult_key, setting_key, received)
        if now != (subject, setting):
            stale[pk] = now
    return stale


def _reflag(stale: dict[int, tuple[bool, bool]]) -> list[Allegation]:
    """Write the changed flags of other contacts (with their audit trail); returns the open
    allegations among them that became repeats."""
    if not stale:
        return []
    before = list(Allegation.objects.filter(pk__in=list(stale)))
    after = []
    for old in before:
        new = copy(old)
        new.repeat_subject, new.repeat_setting = stale[old.pk]
        after.append(new)
    Allegation.objects.bulk_update(after, ["repeat_subject", "repeat_setting"], batch_size=500)
    log_bulk(changed=list(zip(before, after, strict=True)))
    return [
        new
        for old, new in zip(before, after, strict=True)
        if _newly_flagged(new, (old.repeat_subject, old.repeat_setting))
    ]


# --- import -------------------------------------------------------------------------------

COLUMNS = [
    "reference",
    "kind",
    "received",
    "known",
    "referrer",
    "employer",
    "category",
    "restraint",
    "outcomes",
    "concluded",
]
REQUIRED = ["reference", "kind", "received"]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _date(text: str) -> date:
    return date.fromisoformat(text)


def import_allegations(
    partnership: Any, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportReport:
    """Import contacts: every row is checked first (a term not in the partnership's list is
    a problem naming the row, the list and the term); then all are written in one transaction,
    or none. A reference already in the register is updated. A dry run writes nothing."""
    with transaction.atomic():
        report = _import(partnership, data, filename, dry_run=dry_run)
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    return report


def _import(partnership: Any, data: bytes, filename: str, *, dry_run: bool) -> ImportReport:
    table = read_table(data, filename)
    require_columns(table.header, REQUIRED, COLUMNS)
    report = ImportReport(dry_run=dry_run)
    ensure_default_terms(partnership)
    lookup = {
        list_name: {t.name.lower(): t for t in Term.objects.filter(list=list_name)}
        for list_name in TermList.values
    }
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict[str, Any], list[Term]]] = []
    for row in table.rows:
        problems: list[TableProblem] = []

        def problem(column: str, message: str, row: Any = row, found: list = problems) -> None:
            found.append(TableProblem(row.number, column, message))

        values: dict[str, Any] = {}
        reference = row.get("reference")
        if not reference:
            problem("reference", "The reference is empty")
        elif len(reference) > 40:
            problem("reference", "A reference is at most 40 characters")
        elif reference in seen:
            problem("reference", f"Reference {reference} is also in row {seen[reference]}")
        else:
            seen[reference] = row.number
        values["reference"] = reference
        kind = row.get("kind").lower()
        if kind not in Kind.values:
            problem("kind", f"‘{row.get('kind')}’ is not a kind: write allegation or consultation")
        values["kind"] = kind
        for column in ("received", "known", "concluded"):
            text = row.get(column)
            if not text:
                values[column] = None
                if column == "received":
                    problem(column, "The date received is empty")
                continue
            try:
                values[column] = _date(text)
            except ValueError:
                problem(column, f"‘{text}’ is not a date ({column}): write YYYY-MM-DD")
                values[column] = None
        restraint = row.get("restraint").lower()
        if restraint not in YES | NO:
            problem("restraint", f"‘{row.get('restraint')}’ is not yes or no (restraint)")
        values["restraint"] = restraint in YES
        for column, list_name, attr in (
            ("referrer", TermList.REFERRER, "referrer"),
            ("employer", TermList.EMPLOYER, "employer_type"),
            ("category", TermList.CATEGORY, "category"),
        ):
            text = row.get(column)
            term = lookup[list_name].get(text.lower()) if text else None
            if text and term is None:
                problem(
                    column,
                    f"‘{text}’ is not in the partnership's list of "
                    f"{TermList(list_name).label.lower()} ({list_name})",
                )
            values[attr] = term
        outcomes = []
        for text in (part.strip() for part in row.get("outcomes").split(";")):
            if not text:
                continue
            term = lookup[TermList.OUTCOME].get(text.lower())
            if term is None:
                problem(
                    "outcomes",
                    f"‘{text}’ is not in the partnership's list of outcomes (outcome)",
                )
            else:
                outcomes.append(term)
        if not problems:
            candidate = Allegation(partnership=partnership, **values)
            try:
                _validate(candidate, outcomes, imported=True)
            except ServiceError as exc:
                problem("", str(exc))
        report.problems.extend(problems)
        parsed.append((row.number, values, outcomes))
    report.rows = len(parsed)
    if report.problems:
        return report
    existing = {a.reference: a for a in Allegation.objects.filter(reference__in=list(seen))}
    items: list[tuple[Allegation, list[Term] | None]] = []
    for _number, values, outcomes in parsed:
        allegation = existing.get(values["reference"]) or Allegation()
        for name, value in values.items():
            setattr(allegation, name, value)
        items.append((allegation, outcomes))
    written = [name for name in parsed[0][1] if name != "reference"] if parsed else []
    report.created, report.updated = save_contacts(
        partnership, items, imported=True, fields=written
    )
    return report


# --- the quarterly audit sample -----------------------------------------------------------


def closed_in(quarter_label: str) -> Any:
    try:
        quarter = parse_period(quarter_label)
    except PeriodError as exc:
        raise ServiceError(str(exc)) from exc
    if quarter.kind != "quarter":
        raise ServiceError(f"‘{quarter_label}’ is not a quarter: write e.g. 2016-17 Q1")
    return quarter, Allegation.objects.filter(
        kind=Kind.ALLEGATION, concluded__gte=quarter.start, concluded__lte=quarter.end
    ).order_by("pk")


def draw_audit_sample(
    partnership: Any, *, quarter: str, size: int, on: date, by: str = "", seed: int | None = None
) -> AuditSample:
    """Draw `size` allegations at random from those concluded in the quarter (all of them
    when there are fewer). The seed is kept, so the draw can be shown to be random."""
    if size < 1:
        raise ServiceError("A sample has at least one case")
    period, closed = closed_in(quarter)
    cases = list(closed)
    if not cases:
        raise ServiceError(f"No allegation was concluded in {period.label}")
    seed = seed if seed is not None else secrets.randbelow(2**62)
    # Seeded so the draw can be repeated; nothing secret depends on it.
    chosen = random.Random(seed).sample(cases, min(size, len(cases)))  # noqa: S311
    with transaction.atomic():
        sample = AuditSample.objects.create(
            partnership=partnership,
            quarter=period.label,
            drawn_on=on,
            drawn_by=by,
            seed=seed,
            size=len(chosen),
        )
        for allegation in sorted(chosen, key=lambda a: a.reference):
            AuditItem.objects.create(partnership=partnership, sample=sample, allegation=allegation)
    return sample


def record_finding(item: AuditItem, *, rating: str, findings: str, audited_on: date) -> AuditItem:
    if rating and rating not in {"good", "requires_improvement", "inadequate"}:
        raise ServiceError(f"Unknown rating ‘{rating}’")
    item.rating, item.findings, item.audited_on = rating, findings, audited_on
    item.save(update_fields=["rating", "findings", "audited_on"])
    return item
