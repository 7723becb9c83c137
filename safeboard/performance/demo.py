"""Demo data for the performance module (see safeboard.core.demo): Northdale's multi-agency
dataset, modelled on the seeds' performance reports: about forty indicators from eleven
agencies and the business unit, with targets and themes; three years of quarterly, monthly
and annual figures collected in rounds (some returns late, some figures `tbc`, one corrected
after its round was locked, one definition change, one RAG override); and the current round,
open, with agencies at every stage.

The national figures of the measures the demo indicators use are imported too, from the DfE
LAIT files in settings.LAIT_DIR: by default the small extract in the repository
(`performance/data/lait/`), or the folder SAFEBOARD_LAIT_DIR names, such as the full national
files (only those measures even then, so that `make run` stays quick: reading the whole file
takes a few seconds, writing all 641,070 figures several more). Northdale borrows Wigan's LA
number for comparators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.utils import timezone

from safeboard.core import periods, tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import Period
from safeboard.core.tables import TableRow
from safeboard.reporting import registry

from . import selectors, services
from .models import AgencyReturn, CollectionRound, Frequency, Indicator, Unit, Value
from .rag import parse_target, parse_tolerance, rag
from .validation import validate_values

Q, M, A = Frequency.QUARTERLY, Frequency.MONTHLY, Frequency.ANNUAL
FLOW, SNAP = "flow", "snapshot"
CSE = "CSE and missing"
DA = "Domestic abuse"
EH = "Early help"
CP = "Child protection"
CLA = "Children looked after"
HEALTH = "Health"
WORK = "Workforce"
EFF = "Partnership effectiveness"


@dataclass(frozen=True)
class Spec:
    code: str
    title: str
    unit: str
    polarity: str
    frequency: str
    kind: str
    owner: str | None
    themes: tuple[str, ...]
    base: float  # the level at the start: a count, a percentage, or a numerator for rates
    drift: float = 0.0  # change a year, as a fraction of the base
    noise: float = 0.06
    denominator: float | None = None  # for percentages given as numerator and denominator
    national: str = ""
    target: str = ""
    tolerance: str = ""
    definition: str = ""
    numerator_definition: str = ""
    denominator_definition: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # The measure Safeboard computes that the indicator gives a value of: its values are the
    # measure's, from the records, entered by the business unit (`finish`).
    measure: str = ""


SPECS = [
    Spec(
        "CS1.1",
        "Contacts received by the front door",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NCS",
        (EH,),
        4300,
        0.04,
        definition="Contacts about a child received by the multi-agency "
        "safeguarding hub, by any route.",
    ),
    Spec(
        "CS1.2",
        "Referrals to children’s social care",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NCS",
        (CP, EH),
        760,
        0.03,
        definition="Contacts progressed to a referral: children the "
        "front door decided need an assessment by children’s social care.",
        extra={"redefined": 0.82},
    ),
    Spec(
        "CS1.3",
        "Referrals per 10,000 children",
        Unit.RATE_PER_10000,
        "none",
        A,
        FLOW,
        "NCS",
        (CP,),
        3100,
        0.03,
        national="CPP_Total_Rateper10,000",
        definition="Referrals in the year per 10,000 children aged 0 to 17.",
        numerator_definition="Referrals in the financial year",
    ),
    Spec(
        "CS1.4",
        "Re-referrals within 12 months",
        Unit.PERCENT,
        "low",
        Q,
        FLOW,
        "NCS",
        (CP,),
        19.5,
        0.04,
        denominator=760,
        national="ReReferral",
        target="20",
        definition="Referrals within 12 months of a previous referral of the same child.",
        numerator_definition="Referrals within 12 months of an earlier referral",
        denominator_definition="All referrals in the quarter",
    ),
    Spec(
        "CS1.5",
        "Assessments completed within 45 working days",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "NCS",
        (CP,),
        88,
        -0.03,
        denominator=720,
        national="Continue_Assess_Comp",
        target="85",
        tolerance="5",
        numerator_definition="Assessments completed in 45 working days",
        denominator_definition="Assessments completed in the quarter",
    ),
    Spec(
        "CS2.1",
        "Children subject to a child protection plan per 10,000",
        Unit.RATE_PER_10000,
        "none",
        Q,
        SNAP,
        "NCS",
        (CP,),
        290,
        0.05,
        national="CPP_rate",
        target="35-45",
        definition="Children subject to a child protection plan at the end of the quarter, "
        "per 10,000 children aged 0 to 17.",
        numerator_definition="Children subject to a plan on the last day of the quarter",
    ),
    Spec(
        "CS2.2",
        "Initial child protection conferences within 15 working days",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "NCS",
        (CP,),
        84,
        0.01,
        denominator=70,
        national="CP_conf_15days",
        target="85",
        numerator_definition="Conferences held within 15 working days of the strategy discussion",
        denominator_definition="Initial conferences held",
    ),
    Spec(
        "CS2.3",
        "Child protection plans lasting two years or more",
        Unit.PERCENT,
        "low",
        Q,
        SNAP,
        "NCS",
        (CP,),
        2.4,
        0.0,
        noise=0.25,
        denominator=290,
        national="CPPlans2yrsActive",
        target="3",
        tolerance="1",
        numerator_definition="Plans open two years or more",
        denominator_definition="All open plans",
    ),
    Spec(
        "CS2.4",
        "Second or subsequent child protection plans",
        Unit.PERCENT,
        "low",
        Q,
        FLOW,
        "NCS",
        (CP,),
        21,
        -0.02,
        noise=0.15,
        denominator=75,
        target="18",
        numerator_definition="Plans starting for a child who had one before",
        denominator_definition="Plans starting in the quarter",
    ),
    Spec(
        "CS3.1",
        "Children looked after per 10,000",
        Unit.RATE_PER_10000,
        "none",
        Q,
        SNAP,
        "NCS",
        (CLA,),
        640,
        0.02,
        noise=0.015,
        national="LAC",
        numerator_definition="Children looked after on the last day of the quarter",
    ),
    Spec(
        "CS3.2",
        "Children in need per 10,000",
        Unit.RATE_PER_10000,
        "none",
        Q,
        SNAP,
        "NCS",
        (CP,),
        2350,
        0.02,
        noise=0.02,
        national="CIN",
        numerator_definition="Children in need on the last day of the quarter",
    ),
    Spec(
        "CS3.3",
        "Children looked after with an up-to-date health assessment",
        Unit.PERCENT,
        "high",
        A,
        FLOW,
        "NCS",
        (CLA, HEALTH),
        86,
        0.02,
        noise=0.03,
        denominator=560,
        national="LACHealth%",
        target="90",
        numerator_definition="Children looked after for 12 months with an annual health assessment",
        denominator_definition="Children looked after for 12 months",
    ),
    Spec(
        "CS3.4",
        "Children looked after with three or more placements in the year",
        Unit.PERCENT,
        "low",
        A,
        FLOW,
        "NCS",
        (CLA,),
        11,
        0.0,
        noise=0.1,
        denominator=640,
        target="10",
        numerator_definition="Children with three or more placements",
        denominator_definition="Children looked after at 31 March",
    ),
    Spec(
        "CS4.1",
        "Average caseload of a social worker",
        Unit.NUMBER,
        "low",
        Q,
        SNAP,
        "NCS",
        (WORK,),
        19.5,
        -0.02,
        noise=0.04,
        national="Work_Force_AvgNumCase_SW",
        target="18",
        tolerance="2",
    ),
    Spec(
        "CS4.2",
        "Social worker turnover",
        Unit.PERCENT,
        "low",
        A,
        FLOW,
        "NCS",
        (WORK,),
        17,
        -0.06,
        noise=0.08,
        denominator=190,
        national="Work_Force_TO_Rate",
        target="15",
        numerator_definition="Social workers who left in the year",
        denominator_definition="Social workers in post at 30 September",
    ),
    Spec(
        "CS5.1",
        "Children privately fostered",
        Unit.COUNT,
        "none",
        Q,
        SNAP,
        "NCS",
        (CLA,),
        24,
        -0.05,
        noise=0.12,
        definition="Privately fostered children known to the council at the end of the quarter.",
    ),
    Spec(
        "CS5.2",
        "Allegations against people who work with children (LADO)",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NCS",
        (EFF,),
        62,
        0.03,
        noise=0.15,
    ),
    Spec(
        "CS5.3",
        "LADO contacts answered within one working day",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "NCS",
        (EFF,),
        78,
        0.05,
        noise=0.06,
        denominator=150,
        target="90",
        numerator_definition="Contacts answered within one working day",
        denominator_definition="Contacts received",
    ),
    Spec(
        "EH1.1",
        "Early help assessments started",
        Unit.COUNT,
        "high",
        Q,
        FLOW,
        "NCS",
        (EH,),
        610,
        0.06,
        noise=0.08,
        target="600",
    ),
    Spec(
        "EH1.2",
        "Early help cases closed with outcomes achieved",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "NCS",
        (EH,),
        72,
        0.02,
        noise=0.05,
        denominator=420,
        target="75",
        numerator_definition="Cases closed with the family’s plan achieved",
        denominator_definition="Early help cases closed",
    ),
    Spec(
        "CE1.1",
        "Missing episodes of children from home or care",
        Unit.COUNT,
        "none",
        M,
        FLOW,
        "NCS",
        (CSE,),
        175,
        0.03,
        noise=0.12,
    ),
    Spec(
        "CE1.2",
        "Return home interviews within 72 hours",
        Unit.PERCENT,
        "high",
        M,
        FLOW,
        "NCS",
        (CSE,),
        71,
        0.06,
        noise=0.07,
        denominator=120,
        target="80",
        numerator_definition="Interviews offered within 72 hours of the child’s return",
        denominator_definition="Children who returned from a missing episode",
    ),
    Spec(
        "CE1.3",
        "Children assessed at high risk of sexual exploitation",
        Unit.COUNT,
        "none",
        Q,
        SNAP,
        "NCS",
        (CSE,),
        38,
        0.05,
        noise=0.14,
    ),
    Spec(
        "PO1.1",
        "Domestic abuse notifications where a child lives at the address",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NP",
        (DA,),
        1250,
        -0.04,
        noise=0.05,
    ),
    Spec(
        "PO1.2",
        "Violent and sexual offences against children per 10,000",
        Unit.RATE_PER_10000,
        "low",
        Q,
        FLOW,
        "NP",
        (DA, CSE),
        270,
        0.09,
        noise=0.06,
        target="38",
        numerator_definition="Violent and sexual offences recorded where the victim was under 18",
    ),
    Spec(
        "PO1.3",
        "Child sexual exploitation crimes recorded",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NP",
        (CSE,),
        31,
        0.05,
        noise=0.2,
    ),
    Spec(
        "PO1.4",
        "Children detained overnight in police custody",
        Unit.COUNT,
        "low",
        Q,
        FLOW,
        "NP",
        (EFF,),
        4,
        -0.1,
        noise=0.45,
        target="2",
        tolerance="2",
    ),
    Spec(
        "PO1.5",
        "Children in cases heard at MARAC",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NP",
        (DA,),
        290,
        -0.03,
        noise=0.08,
    ),
    Spec(
        "HE1.1",
        "Initial health assessments within 20 working days",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "ICB",
        (CLA, HEALTH),
        68,
        0.08,
        noise=0.09,
        denominator=45,
        target="90",
        numerator_definition="Assessments within 20 working days of becoming looked after",
        denominator_definition="Children who became looked after",
    ),
    Spec(
        "HE1.2",
        "GP practices with safeguarding training up to date",
        Unit.PERCENT,
        "high",
        Q,
        SNAP,
        "ICB",
        (HEALTH, WORK),
        88,
        0.02,
        noise=0.03,
        denominator=41,
        target="95",
        tolerance="5",
    ),
    Spec(
        "HE2.1",
        "Under-18s attending A&E who were referred to children’s social care",
        Unit.COUNT,
        "none",
        Q,
        FLOW,
        "NHFT",
        (HEALTH,),
        140,
        0.04,
        noise=0.1,
    ),
    Spec(
        "HE2.2",
        "Hospital staff with level 3 safeguarding training",
        Unit.PERCENT,
        "high",
        Q,
        SNAP,
        "NHFT",
        (HEALTH, WORK),
        90,
        -0.03,
        noise=0.02,
        denominator=1150,
        target="90",
        tolerance="5",
    ),
    Spec(
        "HE2.3",
        "Admissions of 10 to 17 year olds for self-harm",
        Unit.COUNT,
        "low",
        Q,
        FLOW,
        "NHFT",
        (HEALTH,),
        54,
        0.04,
        noise=0.14,
        target="50",
    ),
    Spec(
        "HE2.4",
        "Babies born with neonatal abstinence syndrome",
        Unit.COUNT,
        "low",
        Q,
        FLOW,
        "NHFT",
        (HEALTH,),
        4,
        0.0,
        noise=0.5,
    ),
    Spec(
        "HE3.1",
        "Young people seen by CAMHS within 18 weeks",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "NCMH",
        (HEALTH,),
        81,
        0.04,
        noise=0.05,
        denominator=260,
        target="92",
    ),
    Spec(
        "YJ1.1",
        "First-time entrants to youth justice per 100,000 aged 10 to 17",
        Unit.NUMBER,
        "low",
        A,
        FLOW,
        "YJS",
        (EFF,),
        165,
        -0.05,
        noise=0.08,
        national="FirstYJS",
        target="150",
    ),
    Spec(
        "YJ1.2",
        "Young people in the youth justice system in suitable education",
        Unit.PERCENT,
        "high",
        Q,
        SNAP,
        "YJS",
        (EFF,),
        74,
        0.02,
        noise=0.06,
        denominator=85,
        target="80",
    ),
    Spec(
        "PR1.1",
        "Child safeguarding checks completed before a sentence report",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        "PS",
        (DA,),
        93,
        0.01,
        noise=0.03,
        denominator=140,
        target="95",
        tolerance="3",
    ),
    Spec(
        "CA1.1",
        "Care applications per 10,000 children",
        Unit.RATE_PER_10000,
        "none",
        Q,
        FLOW,
        "CAFCASS",
        (CLA,),
        38,
        0.02,
        noise=0.15,
        numerator_definition="Care applications made in the quarter",
    ),
    Spec(
        "HO1.1",
        "Families with children in temporary accommodation",
        Unit.COUNT,
        "low",
        Q,
        SNAP,
        "NH",
        (EH,),
        96,
        0.08,
        noise=0.06,
        target="90",
    ),
    Spec(
        "PB1.1",
        "Agencies’ attendance at partnership board meetings",
        Unit.PERCENT,
        "high",
        Q,
        FLOW,
        None,
        (EFF,),
        74,
        0.03,
        noise=0.05,
        denominator=17,
        target="80",
        definition="Agencies with a seat at a board meeting that came, in person or by deputy.",
        measure="board_attendance",
    ),
    Spec(
        "PB1.2",
        "Business plan actions completed on time",
        Unit.PERCENT,
        "high",
        A,
        FLOW,
        None,
        (EFF,),
        82,
        0.03,
        noise=0.05,
        denominator=44,
        target="90",
        definition="Actions of the business plan whose original due date fell in the year that "
        "were completed by it.",
        measure="plan_completed_in_time",
    ),
]

COMMENTS = [
    "Seasonal: the school holidays change the pattern every year.",
    "More children were identified after the awareness campaign.",
    "A large sibling group accounts for much of the change.",
    "Staffing gaps in the team over the quarter; recovery plan agreed.",
    "New recording system: figures checked line by line with the team manager.",
    "Reflects the multi-agency audit’s recommendations being put into practice.",
]
NOTES = [
    "",
    "",
    "",
    "Validated against the case management system.",
    "Provisional: to be confirmed at the next performance meeting.",
]


def lait_dir() -> Path:
    """Where the DfE LAIT files are: settings.LAIT_DIR (SAFEBOARD_LAIT_DIR, by default the
    extract in `performance/data/lait/`)."""
    return Path(settings.LAIT_DIR)


def load_comparators(codes: set[str]) -> bool:
    """Import the national figures of `codes` when the LAIT files are present (a folder
    named by SAFEBOARD_LAIT_DIR may lack them: the demo then has no comparators)."""
    from .lait import import_lait

    folder = lait_dir()
    data = folder / "bds_long.csv.gz"
    if not data.exists():
        return False
    dictionary = folder / "lait_data_dictionary.csv"
    neighbours = folder / "sn_may_2025.xlsx"
    import_lait(
        data,
        dictionary=dictionary if dictionary.exists() else None,
        neighbours=neighbours if neighbours.exists() else None,
        measures=codes,
    )
    return True


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnership
    # Three years of generated figures are not anyone's edits: leaving them out of the audit
    # trail keeps the demo quick to load (the trail records what people do from then on).
    with tenancy.partnership_scope(partnership), disable_auditlog():
        _Builder(ctx).build()
    load_comparators({s.national for s in SPECS if s.national})


def finish(ctx: DemoContext) -> None:
    """The business unit's indicators of measures Safeboard computes (board attendance, the
    plan's completion within timescale) take the measure's value from the records, as the
    business unit would copy it: the report shows one value of each measure."""
    partnership = ctx.partnership
    with tenancy.partnership_scope(partnership), disable_auditlog():
        rows: list[TableRow] = []
        for code, period in ctx.extra.get("measured", []):
            indicator = Indicator.objects.get(code=code)
            value = registry.measure_value(indicator.measure, partnership, period, as_at=ctx.today)
            if value is None:
                continue
            rows.append(
                TableRow(
                    len(rows) + 1,
                    {"indicator": code, "period": period.label, "value": f"{value:.1f}"},
                )
            )
        if not rows:
            return
        clean, problems = validate_values(rows, services.value_rules(partnership))
        assert not problems, problems
        services.save_values(partnership, clean, user=ctx.users["admin"], released=True)


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.p = ctx.partnership
        self.rng = ctx.rng
        self.admin = ctx.users["admin"]
        self.analyst = ctx.users["analyst"]
        self.indicators: dict[str, Indicator] = {}
        self.specs = {s.code: s for s in SPECS}
        self.current = periods.last_complete_quarter(ctx.today)
        self.first = self.current.shift(-11)

    # --- indicators ------------------------------------------------------------------
    def build(self) -> None:
        for order, spec in enumerate(SPECS, start=1):
            self.indicators[spec.code] = services.create_indicator(
                self.p,
                code=spec.code,
                title=spec.title,
                unit=spec.unit,
                polarity=spec.polarity,
                frequency=spec.frequency,
                period_kind=spec.kind,
                owner=self.ctx.agencies[spec.owner] if spec.owner else None,
                themes=spec.themes,
                national_code=spec.national,
                definition=spec.definition,
                numerator_definition=spec.numerator_definition,
                denominator_definition=spec.denominator_definition,
                source="Business unit" if spec.owner is None else "",
                order=order * 10,
                user=self.analyst,
                target=_target(spec.target),
                tolerance=_tolerance(spec.tolerance),
                measure=spec.measure,
            )
        # The dataset was set up before its first quarter, as the rounds were opened after
        # it: what existed when is what the year's report and the rounds read.
        Indicator.objects.filter(pk__in=[i.pk for i in self.indicators.values()]).update(
            created_at=_at(self.first.start - timedelta(days=1))
        )
        fy_start = periods.fy_containing(self.current.end).start
        services.set_target(
            self.indicators["CS1.5"],
            from_year=fy_start.year,
            target=(88.0, 88.0),
            tolerance=(5.0, False),
            note="Raised by the board for the year, after two years above 85%",
        )
        change = periods.fy_containing(self.first.end).next().start
        self.redefined_from = change
        services.change_definition(
            self.indicators["CS1.2"],
            effective_from=change,
            definition="Contacts progressed to a referral after a strategy discussion or a "
            "manager’s decision: children the front door decided need an assessment by "
            "children’s social care. Contacts closed with advice are no longer counted.",
            reason="Referral redefined locally, as in Lancashire in 2015: contacts closed with "
            "advice at the front door stopped being counted as referrals.",
            user=self.analyst,
        )
        self._rounds()
        self._override()

    # --- figures ---------------------------------------------------------------------
    def _level(self, spec: Spec, period: Period) -> float:
        years = (period.end - self.first.start).days / 365.25
        level = spec.base * (1 + spec.drift * years)
        if spec.extra.get("redefined") and period.start >= self.redefined_from:
            level *= spec.extra["redefined"]
        return max(level * (1 + self.rng.gauss(0, spec.noise)), 0.0)

    def _row(self, spec: Spec, period: Period, number: int) -> TableRow:
        indicator = self.indicators[spec.code]
        fields = {"indicator": spec.code, "period": period.label}
        if self.rng.random() < 0.02 and spec.owner is not None:
            fields["status"] = "tbc"
            return TableRow(number, fields)
        level = self._level(spec, period)
        if spec.unit == Unit.PERCENT:
            denominator = max(1, round((spec.denominator or 100) * (1 + self.rng.gauss(0, 0.05))))
            share = min(max(level, 0.0), 100.0)
            fields["numerator"] = str(min(denominator, round(denominator * share / 100)))
            fields["denominator"] = str(denominator)
        elif spec.unit == Unit.RATE_PER_10000:
            fields["numerator"] = str(round(level))
        elif spec.unit == Unit.COUNT:
            fields["value"] = str(round(level))
        else:
            fields["value"] = f"{level:.{indicator.decimals + 1}f}"
        if self.rng.random() < 0.12:
            fields["note"] = self.rng.choice(NOTES)
        return TableRow(number, fields)

    def _periods(self, indicator: Indicator, collection_period: Period) -> list[Period]:
        return selectors.expected_periods(indicator, collection_period)

    # --- rounds ----------------------------------------------------------------------
    def _rounds(self) -> None:
        quarters = [self.first.shift(i) for i in range(12)]
        for quarter in quarters:
            self._round(quarter, open_round=quarter == self.current)
            self._business_unit(quarter)

    def _round(self, quarter: Period, *, open_round: bool) -> None:
        due = quarter.end + timedelta(days=30)
        collection = services.open_round(self.p, period=quarter.label, due=due, user=self.admin)
        _stamp(CollectionRound, collection.pk, opened_at=_at(quarter.end + timedelta(days=1)))
        stages = CURRENT_STAGES if open_round else {}
        for agency_return in collection.returns.select_related("agency"):
            short = agency_return.agency.short_name
            stage = stages.get(short, "signed_off")
            self._fill(agency_return, quarter, stage)
            lateness = (
                self.rng.choice([-12, -5, -2, 0, 3, 9, 21, 35])
                if not open_round
                else (self.rng.choice([-6, -1, 4]))
            )
            when = _at(due + timedelta(days=lateness))
            if stage in ("ready", "signed_off"):
                services.submit_return(agency_return, user=None)
                _stamp(AgencyReturn, agency_return.pk, submitted_at=when)
            if stage == "signed_off":
                services.sign_off_return(agency_return, user=None)
                _stamp(AgencyReturn, agency_return.pk, signed_off_at=when)
            Value.objects.filter(agency_return=agency_return).update(
                entered_at=when - timedelta(days=2)
            )
        if not open_round:
            services.lock_round(collection, user=self.admin)
            _stamp(CollectionRound, collection.pk, locked_at=_at(due + timedelta(days=40)))
            self._corrections(collection, quarter)

    def _fill(self, agency_return: AgencyReturn, quarter: Period, stage: str) -> None:
        if stage == "not_started":
            return
        indicators = [i for i in self.indicators.values() if i.owner_id == agency_return.agency_id]
        rows: list[TableRow] = []
        for indicator in indicators:
            for period in self._periods(indicator, quarter):
                rows.append(self._row(self.specs[indicator.code], period, len(rows) + 1))
        if stage == "partial":
            rows = rows[: max(1, len(rows) * 2 // 3)]
        user = self._contributor(agency_return)
        services.enter_return_values(agency_return, rows, user=user)
        # Explain the large changes, as the agency would before its lead signs off.
        explained = []
        for n, row in enumerate(selectors.return_rows(agency_return), start=1):
            if row.needs_comment and row.value is not None and stage != "partial":
                explained.append(_as_row(row.value, n, self.rng.choice(COMMENTS)))
        if explained:
            services.enter_return_values(agency_return, explained, user=user)

    def _contributor(self, agency_return: AgencyReturn) -> Any:
        short = agency_return.agency.short_name
        return {"NP": self.ctx.users["police"], "NHFT": self.ctx.users["health"]}.get(
            short, self.analyst
        )

    def _business_unit(self, quarter: Period) -> None:
        """The business unit's own indicators, entered directly (no agency return)."""
        rows: list[TableRow] = []
        for code in ("PB1.1", "PB1.2"):
            indicator = self.indicators[code]
            for period in self._periods(indicator, quarter):
                row = self._row(self.specs[code], period, len(rows) + 1)
                if self.specs[code].measure:
                    # Computed from the records once every module has loaded (`finish`).
                    self.ctx.extra.setdefault("measured", []).append((code, period))
                else:
                    rows.append(row)
        if not rows:
            return
        clean, problems = validate_values(rows, services.value_rules(self.p))
        assert not problems, problems
        services.save_values(self.p, clean, user=self.admin, released=True)

    def _corrections(self, collection: CollectionRound, quarter: Period) -> None:
        """Figures left `tbc` at the deadline are confirmed later, as corrections."""
        for value in Value.objects.filter(
            agency_return__round=collection, current=True, status="tbc"
        ).select_related("indicator"):
            if self.rng.random() < 0.6:
                spec = self.specs[value.indicator.code]
                row = self._row(spec, periods.parse_period(value.period), 1)
                row.fields.pop("status", None)
                if not any(row.get(k) for k in ("value", "numerator")):
                    continue
                services.correct_value(
                    value,
                    row,
                    reason="Confirmed after the deadline: the figure was ‘tbc’ when the round "
                    "was locked.",
                    user=self.analyst,
                )

    def _override(self) -> None:
        """One rating set by judgement, with its reason, as the subgroup agreed it: the latest
        quarter in which CS2.2 was rated amber by the rule."""
        indicator = self.indicators["CS2.2"]
        targets = list(indicator.targets.all())
        for value in Value.objects.filter(
            indicator=indicator, current=True, released=True, value__isnull=False
        ).order_by("-period_end"):
            period = periods.parse_period(value.period)
            rule = selectors.rule_of(selectors.target_for(targets, period))
            if rag(value.value, indicator.decimals, indicator.polarity, rule) != "A":
                continue
            services.override_rag(
                indicator,
                period=value.period,
                rag="G",
                reason="The conferences held late were for one sibling group of five, delayed "
                "at the family’s request; every other conference was on time. Agreed by the "
                "Performance and Quality Assurance Subgroup.",
                user=self.analyst,
            )
            return


# Where each agency is in the current round.
CURRENT_STAGES = {
    "NCS": "signed_off",
    "ICB": "signed_off",
    "PS": "signed_off",
    "CAFCASS": "signed_off",
    "NHFT": "ready",
    "NP": "partial",
    "YJS": "partial",
    "NCMH": "not_started",
    "NH": "not_started",
}


def _target(text: str) -> tuple[float | None, float | None] | None:
    return parse_target(text) if text else None


def _tolerance(text: str) -> tuple[float, bool] | None:
    return parse_tolerance(text) if text else None


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _stamp(model: Any, pk: int, **fields: Any) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _as_row(value: Value, number: int, comment: str) -> TableRow:
    def text(x: float | None) -> str:
        return "" if x is None else repr(x)

    return TableRow(
        number,
        {
            "indicator": value.indicator.code,
            "period": value.period,
            "value": "" if value.numerator is not None else text(value.value),
            "numerator": text(value.numerator),
            "denominator": "" if value.population_year else text(value.denominator),
            "status": value.status,
            "note": value.note,
            "comment": comment,
        },
    )
