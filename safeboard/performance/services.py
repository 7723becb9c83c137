"""Business operations on the dataset. The web views, the API, the command line and the demo
loader all call these; each runs in one transaction and raises `ServiceError` with a message
for the user when a rule refuses it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from safeboard.core import periods
from safeboard.core.errors import ServiceError
from safeboard.core.periods import Period, PeriodError
from safeboard.core.tables import TableError, TableProblem, TableRow, require_columns
from safeboard.partnership.models import Agency, Partnership, Role
from safeboard.partnership.notifications import notify_all, people_with

from . import selectors
from .models import (
    DEFAULT_DECIMALS,
    AgencyReturn,
    CollectionRound,
    DefinitionVersion,
    Indicator,
    RagOverride,
    ReturnStatus,
    RoundStatus,
    Target,
    Theme,
    Unit,
    Value,
)
from .rag import DEFAULT_TOLERANCE
from .validation import (
    CODE_PATTERN,
    INDICATOR_COLUMNS,
    VALUE_COLUMNS,
    VALUE_EXTRA_COLUMNS,
    CleanIndicator,
    CleanValue,
    ValueRules,
    validate_indicators,
    validate_values,
)

DEFINITION_FIELDS = ("definition", "numerator_definition", "denominator_definition")


class ValidationFailed(TableError):
    """Rows with problems: nothing was written. `problems` lists them all."""

    def __init__(self, problems: Sequence[TableProblem]) -> None:
        count = len(problems)
        super().__init__(
            problems,
            f"Nothing was saved: {count} problem{'s' if count != 1 else ''}. "
            + "; ".join(str(p) for p in problems[:20])
            + ("; …" if count > 20 else ""),
        )


# --- themes and indicators ----------------------------------------------------------------


def theme_named(partnership: Partnership, name: str) -> Theme:
    slug = slugify(name)[:60] or "theme"
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        theme = Theme.objects.create(partnership=partnership, name=name[:100], slug=slug)
    return theme


@transaction.atomic
def create_indicator(
    partnership: Partnership,
    *,
    code: str,
    title: str,
    unit: str,
    user: Any = None,
    themes: Iterable[str] = (),
    target: tuple[float | None, float | None] | None = None,
    tolerance: tuple[float, bool] | None = None,
    **fields: Any,
) -> Indicator:
    """Add an indicator with its first definition, and its target when given."""
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise ServiceError(
            f"‘{code}’ is not a code: use up to 20 letters, digits, dots, hyphens or underscores"
        )
    if Indicator.objects.filter(code__iexact=code).exists():
        raise ServiceError(f"There is already an indicator {code}")
    fields.setdefault("decimals", DEFAULT_DECIMALS[Unit(unit)])
    indicator = Indicator(partnership=partnership, code=code, title=title, unit=unit, **fields)
    indicator.full_clean()
    indicator.save()
    indicator.themes.set([theme_named(partnership, name) for name in themes])
    _record_definition(indicator, None, "First definition", user)
    if target is not None or tolerance is not None:
        set_target(indicator, from_year=None, target=target, tolerance=tolerance)
    return indicator


def _record_definition(
    indicator: Indicator, effective_from: date | None, reason: str, user: Any
) -> DefinitionVersion:
    version, _ = DefinitionVersion.objects.update_or_create(
        indicator=indicator,
        effective_from=effective_from,
        defaults={
            "partnership": indicator.partnership,
            "definition": indicator.definition,
            "numerator_definition": indicator.numerator_definition,
            "denominator_definition": indicator.denominator_definition,
            "reason": reason,
            "recorded_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return version


@transaction.atomic
def update_indicator(indicator: Indicator, **fields: Any) -> Indicator:
    """Change an indicator's description (not its definition: see `change_definition`)."""
    for name in DEFINITION_FIELDS:
        if name in fields and fields[name] != getattr(indicator, name):
            raise ServiceError("Record a change of definition with the date it takes effect")
    themes = fields.pop("themes", None)
    code = fields.get("code")
    if code and Indicator.objects.filter(code__iexact=code).exclude(pk=indicator.pk).exists():
        raise ServiceError(f"There is already an indicator {code}")
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    if themes is not None:
        indicator.themes.set(themes)
    return indicator


@transaction.atomic
def change_definition(
    indicator: Indicator,
    *,
    effective_from: date,
    reason: str,
    user: Any = None,
    definition: str | None = None,
    numerator_definition: str | None = None,
    denominator_definition: str | None = None,
) -> DefinitionVersion:
    """Record a new definition from `effective_from`; charts show the break there."""
    if not reason.strip():
        raise ServiceError("Say why the definition changed")
    first = indicator.versions.exclude(effective_from=None).order_by("-effective_from").first()
    if first is not None and first.effective_from and effective_from < first.effective_from:
        raise ServiceError(
            f"A later change already took effect on {first.effective_from:%d %B %Y}: a new "
            "definition must take effect after it"
        )
    changes = {
        "definition": definition,
        "numerator_definition": numerator_definition,
        "denominator_definition": denominator_definition,
    }
    changed = False
    for name, value in changes.items():
        if value is not None and value != getattr(indicator, name):
            setattr(indicator, name, value)
            changed = True
    if not changed:
        raise ServiceError("The definition is the same as before: change it, or cancel")
    indicator.save(update_fields=list(DEFINITION_FIELDS))
    return _record_definition(indicator, effective_from, reason.strip(), user)


@transaction.atomic
def set_target(
    indicator: Indicator,
    *,
    from_year: int | None,
    target: tuple[float | None, float | None] | None,
    tolerance: tuple[float, bool] | None = None,
    note: str = "",
) -> Target:
    """Set the target from a financial year (None: from the beginning). `target` is (low,
    high): equal for a number, (None, None) for 'not set'."""
    low, high = target if target is not None else (None, None)
    if indicator.unit == Unit.PERCENT and any(
        bound is not None and not 0 <= bound <= 100 for bound in (low, high)
    ):
        raise ServiceError(
            f"{indicator.code} is a percentage: its target must be between 0% and 100%"
        )
    amount, percent = tolerance if tolerance is not None else DEFAULT_TOLERANCE
    existing = Target.objects.filter(indicator=indicator, from_year=from_year).first()
    if existing is not None and target is None:
        low, high = existing.low, existing.high
    if existing is not None and tolerance is None:
        amount, percent = existing.tolerance, existing.tolerance_is_percent
    row = existing or Target(partnership=indicator.partnership, indicator=indicator)
    row.from_year, row.low, row.high = from_year, low, high
    row.tolerance, row.tolerance_is_percent, row.note = amount, percent, note
    row.full_clean()
    row.save()
    return row


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    versioned: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        parts = [f"{len(self.created)} {verb} added", f"{len(self.updated)} {verb} changed"]
        if self.versioned:
            parts.append(f"{len(self.versioned)} {verb} corrected as new versions")
        parts.append(f"{len(self.unchanged)} unchanged")
        return ", ".join(parts)


@transaction.atomic
def import_indicators(
    partnership: Partnership,
    header: list[str],
    rows: Sequence[TableRow],
    *,
    user: Any = None,
    source: str = "a file",
    dry_run: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Add or update indicators from rows (the indicator CSV format). New definitions are
    recorded as versions from today; a changed target applies from this financial year."""
    require_columns(header, ["code", "title", "unit", "polarity"], INDICATOR_COLUMNS)
    clean, problems = validate_indicators(rows, selectors.agencies_by_name(partnership))
    if problems:
        raise ValidationFailed(problems)
    result = ImportResult(dry_run=dry_run)
    today = today or date.today()
    existing = selectors.indicators_by_code()
    for item in clean:
        indicator = existing.get(item.code.lower())
        if indicator is None:
            result.created.append(item.code)
            if not dry_run:
                _create_from_row(partnership, item, user)
            continue
        if _update_from_row(indicator, item, user, source, today, dry_run):
            result.updated.append(item.code)
        else:
            result.unchanged.append(item.code)
    if dry_run:
        transaction.set_rollback(True)
    return result


def _create_from_row(partnership: Partnership, item: CleanIndicator, user: Any) -> Indicator:
    fields = dict(item.fields)
    title, unit = fields.pop("title"), fields.pop("unit")
    return create_indicator(
        partnership,
        code=item.code,
        title=title,
        unit=unit,
        user=user,
        themes=item.themes or [],
        target=item.target if item.target != (None, None) else None,
        tolerance=item.tolerance,
        **fields,
    )


def _update_from_row(
    indicator: Indicator, item: CleanIndicator, user: Any, source: str, today: date, dry_run: bool
) -> bool:
    changed = False
    fields = dict(item.fields)
    definition = fields.pop("definition", None)
    for name, value in fields.items():
        if getattr(indicator, name) != value:
            setattr(indicator, name, value)
            changed = True
    if changed and not dry_run:
        indicator.full_clean()
        indicator.save()
    if item.themes is not None:
        wanted = sorted(t.lower() for t in item.themes)
        have = sorted(t.name.lower() for t in indicator.themes.all())
        if wanted != have:
            changed = True
            if not dry_run:
                indicator.themes.set(
                    [theme_named(indicator.partnership, name) for name in item.themes]
                )
    if definition is not None and definition != indicator.definition:
        changed = True
        if not dry_run:
            indicator.definition = definition
            indicator.save(update_fields=["definition"])
            _record_definition(
                indicator, item.effective_from or today, f"Imported from {source}", user
            )
    if item.target is not None or item.tolerance is not None:
        current = selectors.target_for(list(indicator.targets.all()), periods.fy_containing(today))
        low_high = (current.low, current.high) if current else (None, None)
        tol = (current.tolerance, current.tolerance_is_percent) if current else DEFAULT_TOLERANCE
        want_target = item.target if item.target is not None else low_high
        want_tol = item.tolerance if item.tolerance is not None else tol
        if (want_target, want_tol) != (low_high, tol):
            changed = True
            if not dry_run:
                has_values = indicator.values.exists()
                year = periods.fy_containing(today).start.year if has_values else None
                set_target(indicator, from_year=year, target=want_target, tolerance=want_tol)
    return changed


# --- values -------------------------------------------------------------------------------


def value_rules(
    partnership: Partnership,
    *,
    agency: Agency | None = None,
    collection: CollectionRound | None = None,
) -> ValueRules:
    """What value rows are checked against, for the whole partnership or one agency's return
    in a round."""
    expected = None
    context = ""
    if collection is not None:
        expected = {
            (indicator.pk, period.label)
            for indicator, period in selectors.expected_items(collection, agency)
        }
        context = f"the {collection.period} round"
    return ValueRules(
        indicators=selectors.indicators_by_code(active_only=collection is not None),
        agencies=selectors.agencies_by_name(partnership),
        populations=selectors.populations(partnership),
        agency=agency,
        expected=expected,
        context=context,
    )


def _same(value: Value, row: CleanValue) -> bool:
    return (
        value.value == row.value
        and value.numerator == row.numerator
        and value.denominator == row.denominator
        and value.status == row.status
        and value.note == row.note
        and value.query_comment == row.comment
    )


@transaction.atomic
def save_values(
    partnership: Partnership,
    rows: Sequence[CleanValue],
    *,
    user: Any = None,
    agency_return: AgencyReturn | None = None,
    released: bool = False,
    reason: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Write validated values. A value not yet released is updated in place; a released
    one (signed off, locked or entered by the business unit) is kept, and the new figure
    becomes its next version, with `reason`."""
    result = ImportResult(dry_run=dry_run)
    current = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(
            indicator_id__in={r.indicator.pk for r in rows},
            period__in={r.period.label for r in rows},
            current=True,
        ).select_related("agency_return__round")
    }
    now = timezone.now()
    who = user if getattr(user, "is_authenticated", False) else None
    for row in rows:
        name = f"{row.indicator.code} {row.period.label}"
        existing = current.get(row.key)
        if existing is not None and _same(existing, row):
            result.unchanged.append(name)
            continue
        if existing is not None and existing.released:
            if not reason.strip():
                raise ServiceError(
                    f"{name} has been released: a correction needs a reason, and is kept as "
                    "a new version"
                )
            result.versioned.append(name)
            if dry_run:
                continue
            existing.current = False
            existing.save(update_fields=["current"])
            version = existing.version + 1
            target = Value(
                partnership=partnership,
                version=version,
                correction_reason=reason,
                agency_return=existing.agency_return,
            )
        elif existing is not None:
            result.updated.append(name)
            target = existing
        else:
            result.created.append(name)
            target = Value(partnership=partnership)
        if dry_run:
            continue
        target.indicator = row.indicator
        target.period = row.period.label
        target.period_start = row.period.start
        target.period_end = row.period.end
        target.value = row.value
        target.numerator = row.numerator
        target.denominator = row.denominator
        target.status = row.status
        target.note = row.note
        target.query_comment = row.comment
        target.population_year = row.population_year
        target.agency = row.agency
        if agency_return is not None:
            target.agency_return = agency_return
        target.released = released or target.released
        target.current = True
        target.entered_by = who
        target.entered_at = now
        target.save()
    if dry_run:
        transaction.set_rollback(True)
    return result


def import_values(
    partnership: Partnership,
    header: list[str],
    rows: Sequence[TableRow],
    *,
    user: Any = None,
    source: str = "a file",
    dry_run: bool = False,
) -> ImportResult:
    """The business unit's import of values (the value CSV format): every row is checked
    first; the values are released at once; released ones are corrected as new versions."""
    require_columns(header, ["indicator", "period"], VALUE_COLUMNS + VALUE_EXTRA_COLUMNS)
    clean, problems = validate_values(rows, value_rules(partnership))
    if problems:
        raise ValidationFailed(problems)
    return save_values(
        partnership,
        clean,
        user=user,
        released=True,
        reason=f"Updated by import of {source}",
        dry_run=dry_run,
    )


# --- rounds and returns -------------------------------------------------------------------


def round_period(text: str) -> Period:
    try:
        period = periods.parse_period(text)
    except PeriodError as exc:
        raise ServiceError(str(exc)) from exc
    if period.kind not in ("month", "quarter", "fy"):
        raise ServiceError(
            f"‘{text}’ is not a month, quarter or financial year: a round collects one of them"
        )
    return period


@transaction.atomic
def open_round(
    partnership: Partnership, *, period: str, due: date, user: Any = None
) -> CollectionRound:
    """Open a round for a period: each agency that owns active indicators gets a return."""
    found = round_period(period)
    if CollectionRound.objects.filter(period=found.label).exists():
        raise ServiceError(f"There is already a round for {found.label}")
    if due < found.end:
        raise ServiceError(f"The due date must be after the period ends ({found.end:%d %B %Y})")
    collection = CollectionRound.objects.create(
        partnership=partnership,
        period=found.label,
        period_start=found.start,
        period_end=found.end,
        due=due,
        opened_by=user if getattr(user, "is_authenticated", False) else None,
    )
    agencies = {i.owner for i, _ in selectors.expected_items(collection) if i.owner is not None}
    if not agencies:
        raise ServiceError(
            f"No active indicator with an owner agency has a figure due for {found.label}"
        )
    for agency in sorted(agencies, key=lambda a: a.name):
        AgencyReturn.objects.create(partnership=partnership, round=collection, agency=agency)
    return collection


def _editable(agency_return: AgencyReturn) -> None:
    if agency_return.round.status != RoundStatus.OPEN:
        raise ServiceError(
            f"The {agency_return.round.period} round is locked: correct a figure on its "
            "indicator’s page, with a reason"
        )
    if agency_return.status == ReturnStatus.SIGNED_OFF:
        raise ServiceError(
            f"{agency_return.agency.short_name}’s return has been signed off: correct a figure "
            "on its indicator’s page, with a reason"
        )


@transaction.atomic
def enter_return_values(
    agency_return: AgencyReturn, rows: Sequence[TableRow], *, user: Any = None
) -> ImportResult:
    """An agency's figures for its return, from the web form, its uploaded template or the
    API: all checked first; only its own indicators and the round's periods."""
    _editable(agency_return)
    rules = value_rules(
        agency_return.partnership, agency=agency_return.agency, collection=agency_return.round
    )
    clean, problems = validate_values(rows, rules)
    if problems:
        raise ValidationFailed(problems)
    result = save_values(agency_return.partnership, clean, user=user, agency_return=agency_return)
    if agency_return.status == ReturnStatus.READY and (result.created or result.updated):
        agency_return.status = ReturnStatus.DRAFT
        agency_return.save(update_fields=["status"])
    return result


@transaction.atomic
def clear_return_values(
    agency_return: AgencyReturn, items: Sequence[tuple[Indicator, Period]]
) -> int:
    """Remove draft figures an agency has cleared from its return (released ones stay)."""
    if not items:
        return 0
    _editable(agency_return)
    removed = 0
    for indicator, period in items:
        count, _ = Value.objects.filter(
            indicator=indicator,
            period=period.label,
            current=True,
            released=False,
            agency_return=agency_return,
        ).delete()
        removed += count
    return removed


def _check_complete(agency_return: AgencyReturn, *, for_sign_off: bool) -> None:
    rows = selectors.return_rows(agency_return)
    missing = [f"{r.indicator.code} {r.period.label}" for r in rows if not r.given]
    if missing:
        raise ServiceError(
            "Give every figure, or the reason it is missing (tbc if it is not yet known): "
            + ", ".join(missing)
        )
    if for_sign_off:
        open_queries = [f"{r.indicator.code} {r.period.label}" for r in rows if r.needs_comment]
        if open_queries:
            raise ServiceError(
                "Explain the large changes in a comment before signing off: "
                + ", ".join(open_queries)
            )


@transaction.atomic
def submit_return(agency_return: AgencyReturn, *, user: Any = None) -> AgencyReturn:
    """A contributor says the return is complete and ready for the lead to sign off."""
    _editable(agency_return)
    _check_complete(agency_return, for_sign_off=False)
    agency_return.status = ReturnStatus.READY
    agency_return.submitted_by = user if getattr(user, "is_authenticated", False) else None
    agency_return.submitted_at = timezone.now()
    agency_return.save(update_fields=["status", "submitted_by", "submitted_at"])
    _tell_signers(agency_return)
    return agency_return


def _tell_signers(agency_return: AgencyReturn) -> None:
    """Notify the agency's safeguarding leads that its return waits for their sign-off."""
    collection = agency_return.round
    url = reverse(
        "performance:return",
        kwargs={
            "partnership": agency_return.partnership.slug,
            "pk": collection.pk,
            "agency": agency_return.agency_id,
        },
    )
    notify_all(
        people_with(Role.AGENCY_LEAD, agency_return.agency_id),
        "return.submitted",
        text=f"{agency_return.agency.short_name} return for {collection.period} is ready for "
        "you to sign off",
        url=url,
    )


@transaction.atomic
def sign_off_return(
    agency_return: AgencyReturn, *, user: Any = None, by_business_unit: bool = False
) -> AgencyReturn:
    """The agency lead signs the return off: its figures are released to the partnership.
    For an agency with no lead the business unit signs off in its place (`by_business_unit`),
    and the return records it."""
    _editable(agency_return)
    if by_business_unit and not selectors.agencies_without_lead([agency_return.agency_id]):
        raise ServiceError(
            f"{agency_return.agency.short_name} has an agency safeguarding lead: they sign "
            "the return off"
        )
    _check_complete(agency_return, for_sign_off=True)
    agency_return.signed_off_by_business_unit = by_business_unit
    agency_return.status = ReturnStatus.SIGNED_OFF
    agency_return.signed_off_by = user if getattr(user, "is_authenticated", False) else None
    agency_return.signed_off_at = timezone.now()
    if agency_return.submitted_at is None:
        agency_return.submitted_at = agency_return.signed_off_at
        agency_return.submitted_by = agency_return.signed_off_by
    agency_return.save()
    agency_return.values.filter(current=True).update(released=True)
    return agency_return


@transaction.atomic
def lock_round(collection: CollectionRound, *, user: Any = None) -> CollectionRound:
    """The business unit locks the round: no more entries; every figure in it is released;
    later changes are corrections with a reason, kept as new versions."""
    if collection.status == RoundStatus.LOCKED:
        raise ServiceError(f"The {collection.period} round is already locked")
    collection.status = RoundStatus.LOCKED
    collection.locked_by = user if getattr(user, "is_authenticated", False) else None
    collection.locked_at = timezone.now()
    collection.save(update_fields=["status", "locked_by", "locked_at"])
    Value.objects.filter(agency_return__round=collection, current=True).update(released=True)
    return collection


@transaction.atomic
def correct_value(
    value: Value,
    row: TableRow,
    *,
    reason: str,
    user: Any = None,
) -> Value:
    """A late correction of a released figure: checked like any other; kept as a new
    version with its reason; the earlier version stays in the history."""
    if not value.current:
        raise ServiceError("Only the current version of a figure can be corrected")
    if not value.released:
        raise ServiceError("This figure is still a draft in its return: change it there")
    if not reason.strip():
        raise ServiceError("Say why the figure is corrected")
    rules = value_rules(value.partnership)
    fields = dict(row.fields)
    fields["indicator"] = value.indicator.code
    fields["period"] = value.period
    clean, problems = validate_values([TableRow(row.number, fields)], rules)
    if problems:
        raise ValidationFailed(problems)
    save_values(value.partnership, clean, user=user, released=True, reason=reason.strip())
    return Value.objects.get(indicator=value.indicator, period=value.period, current=True)


@transaction.atomic
def override_rag(
    indicator: Indicator, *, period: str, rag: str, reason: str, user: Any = None
) -> RagOverride:
    """Rate an indicator for a period by judgement, in place of the rule: only with a reason."""
    if rag not in ("R", "A", "G"):
        raise ServiceError("Choose red, amber or green")
    if not reason.strip():
        raise ServiceError("Give the reason for overriding the computed rating")
    if not Value.objects.filter(
        indicator=indicator, period=period, current=True, released=True, value__isnull=False
    ).exists():
        raise ServiceError(f"{indicator.code} has no released figure for {period} to rate")
    override, _ = RagOverride.objects.update_or_create(
        indicator=indicator,
        period=period,
        defaults={
            "partnership": indicator.partnership,
            "rag": rag,
            "reason": reason.strip(),
            "by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return override


@transaction.atomic
def remove_override(override: RagOverride) -> None:
    override.delete()


def request_reminders(collection: CollectionRound) -> tuple[int, list[str]]:
    """Queue reminder emails to the contributors and leads of every agency whose return is
    not signed off. Returns how many agencies will be emailed, and the agencies that cannot
    be: nobody who acts for them has an email address."""
    from .tasks import send_round_reminders

    if collection.status != RoundStatus.OPEN:
        raise ServiceError(f"The {collection.period} round is locked: nobody needs reminding")
    chased = list(
        collection.returns.exclude(status=ReturnStatus.SIGNED_OFF).select_related("agency")
    )
    if not chased:
        raise ServiceError("Every return has been signed off: nobody needs reminding")
    reachable = [r.agency_id for r in chased if selectors.return_contacts(r.agency_id)]
    unreachable = sorted(
        r.agency.short_name or r.agency.name for r in chased if r.agency_id not in reachable
    )
    if reachable:
        send_round_reminders.enqueue(round_id=collection.pk, agency_ids=reachable)
    return len(reachable), unreachable
