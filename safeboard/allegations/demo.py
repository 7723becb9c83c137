"""The demo LADO service: the partnership's lists, and about 300 allegations and 150
consultations in the last complete financial year (with the current year so far), generated
from a fixed seed so every load is the same; timeliness near the seed's (65% concluded within
a month, 77% within three, 93% within twelve); a few repeat subjects; a quarter's audit
sample with findings."""

from __future__ import annotations

import random
from datetime import date, timedelta

from auditlog.context import disable_auditlog

from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import FinancialYear, current_financial_year
from safeboard.core.workdays import add_working_days

from . import services
from .models import Allegation, AuditItem, Kind, Rating, Term, TermList

SEED = 1407
FIRST = [
    "Adam",
    "Beth",
    "Carl",
    "Dawn",
    "Euan",
    "Faye",
    "Glen",
    "Hana",
    "Ivor",
    "Jade",
    "Kyle",
    "Lena",
    "Mark",
    "Nina",
    "Owen",
    "Pam",
    "Reece",
    "Sara",
    "Tom",
    "Vera",
]
LAST = [
    "Ashworth",
    "Barton",
    "Crompton",
    "Dunne",
    "Ellison",
    "Fairclough",
    "Greenhalgh",
    "Holden",
    "Ingham",
    "Jolly",
    "Kenyon",
    "Leach",
    "Marsden",
    "Nuttall",
    "Openshaw",
]
SETTINGS = {
    "School staff": ["{} Primary School", "{} Academy", "{} High School"],
    "Early years": ["{} Nursery", "{} Childminding"],
    "Foster carer": ["{} fostering household"],
    "Residential worker": ["{} Children's Home"],
    "Social care staff": ["Northdale Children's Services ({} team)"],
    "Health": ["{} Health Centre", "Northdale General Hospital ({} ward)"],
    "Police": ["Northdale Police ({} station)"],
    "Voluntary organisation": ["{} Youth Project"],
    "Faith group": ["{} Church", "{} Mosque"],
    "Sports and leisure": ["{} Football Club", "{} Swimming Club"],
    "Transport": ["{} Taxis"],
    "Other": ["{} Tutoring"],
}
PLACES = [
    "Oakfield",
    "Riverside",
    "Hillcrest",
    "Moorside",
    "Westgate",
    "Brookhouse",
    "Elmwood",
    "Fernlea",
    "Highfield",
    "Kingsway",
    "Larkhill",
    "Parkside",
]
EMPLOYER_WEIGHTS = {
    "School staff": 34,
    "Early years": 9,
    "Foster carer": 12,
    "Residential worker": 9,
    "Social care staff": 5,
    "Health": 6,
    "Police": 4,
    "Voluntary organisation": 5,
    "Faith group": 3,
    "Sports and leisure": 6,
    "Transport": 4,
    "Other": 3,
}
CATEGORY_WEIGHTS = {"Physical": 48, "Emotional": 14, "Sexual": 27, "Neglect": 11}
REFERRER_FOR = {
    "School staff": "Education",
    "Early years": "Early years",
    "Foster carer": "Children's social care",
    "Residential worker": "Children's social care",
    "Social care staff": "Children's social care",
    "Health": "Health",
    "Police": "Police",
}
DEFINITION_WEIGHTS = {
    "Substantiated": 28,
    "Unsubstantiated": 33,
    "Unfounded": 20,
    "False": 5,
    "Malicious": 2,
    "No further action": 12,
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _days_to_conclude(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.65:
        return rng.randint(2, 28)
    if roll < 0.77:
        return rng.randint(32, 88)
    if roll < 0.93:
        return rng.randint(95, 360)
    return rng.randint(370, 480)


def load(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    p = ctx.partnership
    # Generated history, not changes anyone made: left out of the audit trail.
    with tenancy.partnership_scope(p), disable_auditlog():
        services.ensure_default_terms(p)
        conduct, _ = services.add_term(p, TermList.CATEGORY, "Conduct")
        services.retire_term(conduct, date(2016, 4, 1))
        terms = {(t.list, t.name): t for t in Term.objects.all()}
        this_year = current_financial_year(ctx.today)
        last_year = FinancialYear(this_year.start.year - 1)
        items: list[tuple[Allegation, list[Term] | None]] = []
        adults: list[tuple[str, str, str, str]] = []
        counter = 0
        # The last complete year in full; of this one, the last eight weeks (open cases and
        # their running clocks).
        recent = max(this_year.start, ctx.today - timedelta(days=56))
        for first, last in (
            (last_year.start, last_year.end),
            (recent, ctx.today - timedelta(days=1)),
        ):
            days = (last - first).days + 1
            if days < 1:
                continue
            allegations = round(300 * days / 365)
            consultations = round(150 * days / 365)
            plan = [Kind.ALLEGATION] * allegations + [Kind.CONSULTATION] * consultations
            received_days = sorted(rng.randrange(days) for _ in plan)
            rng.shuffle(plan)
            for kind, offset in zip(plan, received_days, strict=True):
                counter += 1
                received = first + timedelta(days=offset)
                while received.weekday() >= 5 and received > first:
                    received -= timedelta(days=1)
                items.append(_contact(ctx, rng, terms, kind, received, counter, adults))
        # Written in bulk (a few queries for the whole year), as an import is.
        services.save_contacts(p, items, tell=False)
        made = [a for a, _ in items]
        # A quarter's audit sample of the last year, with findings on most cases.
        quarter = f"{last_year.label} Q3"
        sample = services.draw_audit_sample(
            p,
            quarter=quarter,
            size=8,
            on=last_year.end - timedelta(days=60),
            by="Helen Carter",
            seed=SEED,
        )
        for item in AuditItem.objects.filter(sample=sample)[:6]:
            services.record_finding(
                item,
                rating=rng.choice([Rating.GOOD, Rating.GOOD, Rating.REQUIRES_IMPROVEMENT]),
                findings="Threshold decision recorded; strategy discussion within timescale.",
                audited_on=sample.drawn_on + timedelta(days=14),
            )
        sample.summary = "Decisions were sound; feedback forms were not always sent."
        sample.save(update_fields=["summary"])
    ctx.extra["allegations"] = {"contacts": made, "sample": sample}


def _contact(
    ctx: DemoContext,
    rng: random.Random,
    terms: dict[tuple[str, str], Term],
    kind: str,
    received: date,
    counter: int,
    adults: list[tuple[str, str, str, str]],
) -> tuple[Allegation, list[Term] | None]:
    if adults and rng.random() < 0.04:
        # A repeat subject: the same adult, in the same setting.
        name, role, employer, setting = rng.choice(adults)
    else:
        employer = _pick(rng, EMPLOYER_WEIGHTS)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        role = {
            "School staff": "Teacher",
            "Early years": "Nursery practitioner",
            "Foster carer": "Foster carer",
            "Residential worker": "Residential care worker",
            "Transport": "Driver",
        }.get(employer, "Staff member")
        setting = rng.choice(SETTINGS[employer]).format(rng.choice(PLACES))
        adults.append((name, role, employer, setting))
    referrer = REFERRER_FOR.get(employer) if rng.random() < 0.6 else None
    referrer = referrer or rng.choice(
        ["Police", "Children's social care", "Ofsted", "Employer", "Parent or carer", "Health"]
    )
    a = Allegation(
        reference=f"LADO-{received.year}-{counter:04d}",
        kind=kind,
        received=received,
        known=add_working_days(received, -rng.choice([0, 0, 0, 0, 1, 1, 1, 2, 3])),
        referrer=terms[(TermList.REFERRER, referrer)],
        adult_name=name,
        adult_role=role,
        employer_name=setting,
        employer_type=terms[(TermList.EMPLOYER, employer)],
        regulated_setting=employer in {"School staff", "Early years", "Residential worker"},
        children=f"Child {chr(65 + counter % 26)} (aged {rng.randint(2, 17)})",
        category=terms[(TermList.CATEGORY, _pick(rng, CATEGORY_WEIGHTS))],
        restraint=employer in {"Residential worker", "School staff"} and rng.random() < 0.12,
    )
    outcomes: list[Term] = []
    if kind == Kind.CONSULTATION:
        a.advice = "Advice given to the employer; below the harm threshold."
        a.concluded = received
    else:
        criterion = rng.choice(["harmed_child", "offence", "risk_of_harm", "unsuitable"])
        setattr(a, criterion, True)
        a.employer_started = received + timedelta(days=rng.randint(0, 3))
        if (a.category and a.category.name == "Sexual") or rng.random() < 0.2:
            a.police_started = received + timedelta(days=rng.randint(0, 2))
        concluded = received + timedelta(days=_days_to_conclude(rng))
        if concluded < ctx.today:
            a.concluded = concluded
            a.employer_ended = max(concluded, a.employer_started)
            if a.police_started:
                a.police_ended = max(a.police_started, concluded - timedelta(days=3))
            definition = _pick(rng, DEFINITION_WEIGHTS)
            outcomes.append(terms[(TermList.OUTCOME, definition)])
            if definition == "Substantiated":
                for action, chance in (
                    ("Dismissal", 0.3),
                    ("Referral to the barring service", 0.4),
                    ("Referral to a regulator", 0.15),
                    ("Conviction", 0.1),
                ):
                    if rng.random() < chance:
                        outcomes.append(terms[(TermList.OUTCOME, action)])
            elif rng.random() < 0.15:
                outcomes.append(terms[(TermList.OUTCOME, "Resignation")])
            if a.police_started and rng.random() < 0.5:
                outcomes.append(terms[(TermList.OUTCOME, "Criminal investigation")])
            a.feedback_sent = concluded
            if rng.random() < 0.4:
                a.feedback_returned = concluded + timedelta(days=rng.randint(3, 30))
        elif rng.random() < 0.3:
            outcomes.append(terms[(TermList.OUTCOME, "Suspension")])
    return a, outcomes
