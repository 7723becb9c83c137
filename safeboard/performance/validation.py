"""Validation of indicator and value rows, whatever they come from: a CSV or XLSX file, the
web form, an agency's uploaded template or the API. Everything is checked before anything is
written, and every problem names its row and column (`core.tables.TableProblem`):

    Row 12: value 20.1 disagrees with 87 / 443 = 19.6
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safeboard.core import periods
from safeboard.core.dates import DateParseError, parse_due
from safeboard.core.periods import Period, PeriodError
from safeboard.core.statistics import Missing, format_number, ratio, round_half_up
from safeboard.core.tables import TableProblem
from safeboard.partnership import selectors as partnership_selectors
from safeboard.partnership.models import Agency
from safeboard.reporting import registry

from .models import (
    DEFAULT_DECIMALS,
    FREQUENCY_KINDS,
    RATIO_UNITS,
    Frequency,
    Indicator,
    PeriodKind,
    Polarity,
    Unit,
)
from .rag import TargetError, parse_target, parse_tolerance

VALUE_COLUMNS = [
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "status",
    "agency",
    "note",
]
# Also read from agencies' templates and the web form: the answer to a change query, and the
# title and unit columns of the template (for people; ignored).
VALUE_EXTRA_COLUMNS = ["comment", "title", "unit"]
INDICATOR_COLUMNS = [
    "code",
    "title",
    "unit",
    "polarity",
    "decimals",
    "frequency",
    "period_kind",
    "target",
    "tolerance",
    "definition",
    "owner",
    "themes",
    "national_code",
    "order",
    "measure",
    "effective_from",
]
# Statuses that may stand beside a figure: tbc (to be confirmed: a provisional figure) and u
# (low reliability). The others (c, x, z) are reasons a figure is absent.
STATUS_WITH_VALUE = ("tbc", "u")
WITH_STATUS = re.compile(r"^(?P<number>.*\d.*?)\s*\(\s*(?P<status>tbc|u)\s*\)\s*$", re.IGNORECASE)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
MISSING_CODES = {m.value for m in Missing}
EXAMPLE_PERIOD = {"month": "2017-03", "quarter": "2016-17 Q4", "fy": "2016-17"}


@dataclass
class CleanValue:
    """A validated value row, ready to be written."""

    row: int
    indicator: Indicator
    period: Period
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    note: str = ""
    comment: str = ""
    agency: Agency | None = None
    population_year: int | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.indicator.pk, self.period.label)


# No count, rate, percentage, number of days or sum of money a partnership reports comes near
# this; beyond it a figure is a typing error (and would not print).
LARGEST_FIGURE = 1e12


def parse_number(text: str) -> float:
    """A number as people type it: '1,234', '19.6', '19.6%'. ValueError otherwise."""
    cleaned = text.strip().replace(",", "").replace("£", "").removesuffix("%").strip()
    if not cleaned or not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


def shown(number: float, decimals: int) -> str:
    return format_number(number, decimals)


def plain_number(number: float) -> str:
    """A number as given, without trailing zeros, with thousands separators: 69,200."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.10f}".rstrip("0").rstrip(".")


def value_period(indicator: Indicator, text: str) -> Period:
    """The period `text` names for `indicator`, or PeriodError saying what fits.

    A flow indicator takes periods of its frequency (a quarter for a quarterly one). A
    snapshot indicator takes the date at the end of such a period, or the period itself
    (read as its last day).
    """
    period = periods.parse_period(text)
    kind = FREQUENCY_KINDS[Frequency(indicator.frequency)]
    freq = Frequency(indicator.frequency).label.lower()
    if indicator.period_kind == PeriodKind.FLOW:
        if period.kind == "fy" and kind in ("month", "quarter"):
            # The year's figure of a monthly or quarterly indicator, as boards report it:
            # kept as the year's value (the scorecard compares it with its parts).
            return period
        if period.kind != kind:
            raise PeriodError(
                f"period ‘{text}’ does not fit the {freq} indicator {indicator.code}: give a "
                f"{periods.KIND_NAMES[kind]} such as {EXAMPLE_PERIOD[kind]}"
            )
        return period
    if period.kind == kind:
        return periods.Snapshot(period.end)
    if period.kind == "snapshot":
        try:
            periods.period_of_kind_ending(kind, period.end)
        except PeriodError:
            raise PeriodError(
                f"period ‘{text}’ does not fit the {freq} snapshot indicator {indicator.code}: "
                f"give the last day of a {periods.KIND_NAMES[kind]}, such as "
                f"{periods.parse_period(EXAMPLE_PERIOD[kind]).end.isoformat()}"
            ) from None
        return period
    raise PeriodError(
        f"period ‘{text}’ does not fit the {freq} snapshot indicator {indicator.code}: give "
        f"the last day of a {periods.KIND_NAMES[kind]}, such as "
        f"{periods.parse_period(EXAMPLE_PERIOD[kind]).end.isoformat()}"
    )


@dataclass
class ValueRules:
    """What value rows are checked against: the partnership's indicators and agencies, its
    child population by financial year, and (for an agency's return) which indicators and
    periods it may give."""

    indicators: Mapping[str, Indicator]
    agencies: Mapping[str, Agency]
    populations: Mapping[int, int] = field(default_factory=dict)
    agency: Agency | None = None
    expected: set[tuple[int, str]] | None = None
    context: str = ""

    def indicator(self, code: str) -> Indicator | None:
        return self.indicators.get(code.strip().lower())

    def population_for(self, period: Period) -> tuple[int, int] | None:
        """The child population for the financial year `period` falls in (by its last day);
        failing that, the latest earlier year's (ONS estimates come out a year late)."""
        year = periods.fy_containing(period.end).start.year
        return partnership_selectors.estimate_for(dict(self.populations), year)


def validate_values(
    rows: Iterable[Any], rules: ValueRules
) -> tuple[list[CleanValue], list[TableProblem]]:
    """Check every row (objects with `.number` and `.get(column)`), return the clean rows and
    every problem. Nothing should be written unless there are no problems."""
    clean: list[CleanValue] = []
    problems: list[TableProblem] = []
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        result = _validate_value(row, rules, problems)
        if result is None:
            continue
        if result.key in seen:
            problems.append(
                TableProblem(
                    row.number,
                    "period",
                    f"{result.indicator.code} for {result.period.label} is given twice "
                    f"(also in row {seen[result.key]})",
                )
            )
            continue
        seen[result.key] = row.number
        clean.append(result)
    return clean, problems


def _validate_value(row: Any, rules: ValueRules, problems: list[TableProblem]) -> CleanValue | None:
    n = row.number
    before = len(problems)

    def problem(field_name: str, message: str) -> None:
        problems.append(TableProblem(n, field_name, message))

    code = row.get("indicator")
    indicator = rules.indicator(code) if code else None
    if not code:
        problem("indicator", "indicator is missing: give the indicator’s code")
    elif indicator is None:
        problem("indicator", f"indicator ‘{code}’ is unknown in this partnership")
    elif rules.agency is not None and indicator.owner_id != rules.agency.pk:
        problem(
            "indicator", f"indicator {indicator.code} is not one of {rules.agency.short_name}’s"
        )
        indicator = None

    period: Period | None = None
    period_text = row.get("period")
    if not period_text:
        problem("period", "period is missing: give it, such as 2016-17 Q4")
    elif indicator is not None:
        try:
            period = value_period(indicator, period_text)
        except PeriodError as exc:
            message = str(exc)
            problem("period", message if message.startswith("period") else f"period {message}")
        expected = rules.expected
        if (
            period is not None
            and expected is not None
            and ((indicator.pk, period.label) not in expected)
        ):
            problem(
                "period",
                f"{indicator.code} for {period.label} is not collected in {rules.context}",
            )
            period = None

    status = row.get("status").lower()
    raw_value = row.get("value")
    if not status and raw_value.lower() in MISSING_CODES:
        status, raw_value = raw_value.lower(), ""  # a reason typed in the value column
    if marked := WITH_STATUS.match(raw_value):
        # "1412 (tbc)": the figure, and its status.
        raw_value = marked.group("number")
        if status and status != marked.group("status").lower():
            problem(
                "status",
                f"status ‘{row.get('status')}’ disagrees with the value’s "
                f"‘({marked.group('status')})’",
            )
        status = marked.group("status").lower()
    if status and status not in MISSING_CODES:
        problem(
            "status",
            f"status ‘{row.get('status')}’ is not a reason: use c (suppressed), x (not "
            "available), z (not applicable), u (low reliability) or tbc (to be confirmed)",
        )

    numbers: dict[str, float | None] = {}
    for name, text in (
        ("value", raw_value),
        ("numerator", row.get("numerator")),
        ("denominator", row.get("denominator")),
    ):
        if not text:
            numbers[name] = None
            continue
        try:
            numbers[name] = parse_number(text)
        except ValueError:
            problem(name, f"{name} ‘{text}’ is not a number")
            numbers[name] = None

    agency = None
    agency_text = row.get("agency")
    if agency_text:
        agency = rules.agencies.get(agency_text.lower())
        if agency is None:
            problem("agency", f"agency ‘{agency_text}’ is unknown in this partnership")
        elif rules.agency is not None and agency.pk != rules.agency.pk:
            problem("agency", f"agency {agency.short_name} is not this return’s agency")
    if len(problems) > before or indicator is None or period is None:
        return None

    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    given = [name for name in ("value", "numerator", "denominator") if numbers[name] is not None]
    if status and not (given and status in STATUS_WITH_VALUE):
        if given:
            problem(
                given[0],
                f"give a figure or a reason for its absence, not both: {given[0]} and "
                f"status {status}",
            )
            return None
        return CleanValue(
            n,
            indicator,
            period,
            None,
            None,
            None,
            status,
            note=row.get("note"),
            comment=row.get("comment"),
            agency=agency or indicator.owner,
        )
    if value is None and numerator is None:
        problem(
            "value",
            "value is missing: give a value, a numerator or a status (c, x, z, u or tbc)",
        )
        return None

    unit = Unit(indicator.unit)
    d = indicator.decimals
    population_year = None
    for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if (number is not None and not math.isfinite(number)) or (
            number is not None and abs(number) >= LARGEST_FIGURE
        ):
            problem(
                name,
                f"{name} is too large: no figure of a partnership's dataset reaches "
                f"{LARGEST_FIGURE:,.0f}",
            )
        elif name != "value" and number is not None and number < 0:
            problem(name, f"{name} {plain_number(number)} is negative")
    if denominator is not None and denominator == 0:
        problem("denominator", "denominator is 0: a rate or percentage needs more than none")
    if numerator is not None and denominator is not None and numerator > denominator > 0:
        problem(
            "numerator",
            f"numerator {plain_number(numerator)} is larger than denominator "
            f"{plain_number(denominator)}",
        )
    if len(problems) > before:
        return None

    computed: float | None = None
    working = ""
    if unit in RATIO_UNITS and numerator is not None:
        multiplier = indicator.multiplier or 1
        if denominator is None and unit == Unit.RATE_PER_10000:
            found = rules.population_for(period)
            if found is None:
                problem(
                    "denominator",
                    f"denominator is missing and no child population is recorded for "
                    f"{periods.fy_containing(period.end).label} or earlier: give the "
                    "denominator or record the population",
                )
                return None
            population_year, denominator = found
        if denominator is not None:
            computed = ratio(numerator, denominator, multiplier)
            working = f"{plain_number(numerator)} / {plain_number(denominator)}"
            if unit != Unit.PERCENT:
                working += f" x {multiplier:,}"
        elif value is None:
            problem(
                "denominator",
                "denominator is missing: give it with the numerator, or give the value",
            )
            return None
    elif unit not in RATIO_UNITS and numerator is not None:
        if denominator is not None:
            problem(
                "denominator",
                f"denominator is only for percentages and rates, not a {unit.label.lower()}",
            )
            return None
        if value is None:
            value = numerator

    if (
        value is not None
        and computed is not None
        and round_half_up(value, d) != round_half_up(computed, d)
    ):
        problem(
            "value",
            f"value {plain_number(value)} disagrees with {working} = {shown(computed, d)}",
        )
        return None
    final = value if value is not None else computed
    assert final is not None
    if unit == Unit.PERCENT and not 0 <= final <= 100:
        problem("value", f"value {plain_number(final)} is outside 0 to 100 for a percentage")
    elif unit == Unit.COUNT and final < 0:
        problem("value", f"value {plain_number(final)} is negative: a count cannot be")
    elif unit == Unit.COUNT and not float(final).is_integer():
        problem("value", f"value {plain_number(final)} is not a whole number: a count must be")
    elif unit in (Unit.RATE_PER_1000, Unit.RATE_PER_10000, Unit.DAYS) and final < 0:
        problem("value", f"value {plain_number(final)} is negative")
    if len(problems) > before:
        return None
    return CleanValue(
        n,
        indicator,
        period,
        final,
        numerator,
        denominator,
        status if status in STATUS_WITH_VALUE else "",
        note=row.get("note"),
        comment=row.get("comment"),
        agency=agency or indicator.owner,
        population_year=population_year,
    )


# --- indicator rows -----------------------------------------------------------------------


@dataclass
class CleanIndicator:
    """A validated indicator row. `fields` holds the columns the file gave (an empty cell
    clears the field); `themes`, `target` and `tolerance` are None when the file has no such
    column or cell."""

    row: int
    code: str
    fields: dict[str, Any]
    themes: list[str] | None
    target: tuple[float | None, float | None] | None
    tolerance: tuple[float, bool] | None
    # The date a changed definition takes effect (`effective_from`); None: the import's day.
    effective_from: date | None = None


def _choice(text: str, choices: type[Any], aliases: Mapping[str, str] | None = None) -> str:
    wanted = text.strip().lower()
    if aliases and wanted in aliases:
        return aliases[wanted]
    for value, label in choices.choices:
        if wanted in {value, str(label).lower()}:
            return str(value)
    raise ValueError(text)


UNIT_ALIASES = {
    "%": Unit.PERCENT,
    "percentage": Unit.PERCENT,
    "rate per 10,000": Unit.RATE_PER_10000,
    "rate per 10000": Unit.RATE_PER_10000,
    "rate per 1,000": Unit.RATE_PER_1000,
    "rate per 1000": Unit.RATE_PER_1000,
    "£": Unit.MONEY,
}
POLARITY_ALIASES = {"higher": "high", "lower": "low", "neither": "none", "-": "none"}
PERIOD_KIND_ALIASES = {"at period end": "snapshot", "over the period": "flow"}


def validate_indicators(
    rows: Iterable[Any], agencies: Mapping[str, Agency]
) -> tuple[list[CleanIndicator], list[TableProblem]]:
    clean: list[CleanIndicator] = []
    problems: list[TableProblem] = []
    seen: dict[str, int] = {}
    for row in rows:
        n = row.number
        before = len(problems)

        def problem(name: str, message: str, n: int = n) -> None:
            problems.append(TableProblem(n, name, message))

        code = row.get("code")
        if not code:
            problem("code", "code is missing")
        elif not CODE_PATTERN.match(code):
            problem(
                "code",
                f"code ‘{code}’ must be up to 20 letters, digits, dots, hyphens or underscores",
            )
        elif code.lower() in seen:
            problem("code", f"code {code} is given twice (also in row {seen[code.lower()]})")
        title = row.get("title")
        if not title:
            problem("title", "title is missing")
        elif len(title) > 200:
            problem("title", "title is longer than 200 characters")
        values: dict[str, Any] = {"title": title}
        for name, choices, aliases, required in (
            ("unit", Unit, UNIT_ALIASES, True),
            ("polarity", Polarity, POLARITY_ALIASES, True),
            ("frequency", Frequency, None, False),
            ("period_kind", PeriodKind, PERIOD_KIND_ALIASES, False),
        ):
            text = row.get(name)
            if not text:
                if required:
                    problem(name, f"{name} is missing")
                continue
            try:
                values[name] = _choice(text, choices, aliases)
            except ValueError:
                accepted = ", ".join(str(v) for v in choices.values)
                problem(name, f"{name.replace('_', ' ')} ‘{text}’ is not one of {accepted}")
        decimals_text = row.get("decimals")
        if decimals_text:
            if decimals_text.isdigit() and int(decimals_text) <= 4:
                values["decimals"] = int(decimals_text)
            else:
                problem("decimals", f"decimals ‘{decimals_text}’ must be a whole number 0 to 4")
        elif "unit" in values:
            values["decimals"] = DEFAULT_DECIMALS[Unit(values["unit"])]
        target = tolerance = None
        try:
            target = parse_target(row.get("target"))
        except TargetError as exc:
            problem("target", f"target {exc}")
        if row.get("tolerance"):
            try:
                tolerance = parse_tolerance(row.get("tolerance"))
            except TargetError as exc:
                problem("tolerance", f"tolerance {exc}")
        owner = None
        owner_text = row.get("owner")
        if owner_text:
            owner = agencies.get(owner_text.lower())
            if owner is None:
                problem("owner", f"owner ‘{owner_text}’ is not an agency of this partnership")
        if "owner" in row.fields:
            values["owner"] = owner
        national = row.get("national_code")
        if len(national) > 80:
            problem("national_code", "national code is longer than 80 characters")
        if "national_code" in row.fields:
            values["national_code"] = national
        if "definition" in row.fields:
            values["definition"] = row.get("definition")
        order_text = row.get("order")
        if "order" in row.fields:
            if not order_text:
                values["order"] = None
            elif order_text.isdigit() and int(order_text) < 2**31:
                values["order"] = int(order_text)
            else:
                problem(
                    "order",
                    f"order ‘{order_text}’ must be a whole number (the position in the "
                    "scorecard); leave it empty to follow the code’s numbers",
                )
        measure_text = row.get("measure")
        if "measure" in row.fields:
            known = registry.measures()
            if measure_text and measure_text not in known:
                problem(
                    "measure",
                    f"measure ‘{measure_text}’ is not one Safeboard computes: use one of "
                    + ", ".join(known)
                    + ", or leave it empty",
                )
            values["measure"] = measure_text
        effective_from = None
        if row.get("effective_from"):
            try:
                effective_from = parse_due(row.get("effective_from"))
            except DateParseError as exc:
                problem("effective_from", f"effective from: {exc}")
        themes = (
            [t.strip() for t in row.get("themes").split(";") if t.strip()]
            if "themes" in row.fields
            else None
        )
        if len(problems) > before:
            continue
        seen[code.lower()] = n
        clean.append(
            CleanIndicator(
                n,
                code,
                values,
                themes,
                target if "target" in row.fields else None,
                tolerance,
                effective_from,
            )
        )
    return clean, problems
