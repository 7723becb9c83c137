"""The child death register of the demo: Northdale and Southmoor share Northdale's child death
overview panel. Two years of deaths of both partnerships' residents, reviews in every state,
late forms from two agencies (the police and the hospital trust), and recommendations that are
actions in the tracker (some released, some still in the register). All fictional."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from safeboard.core import tenancy
from safeboard.partnership.models import Agency, Area

from . import services
from .constants import Category, Domain, Ethnicity, JarReason, Place, Sex

FIRST = [
    "Ava",
    "Noah",
    "Isla",
    "Leo",
    "Mia",
    "Oscar",
    "Ruby",
    "Jack",
    "Zara",
    "Ethan",
    "Amira",
    "Kai",
]
SURNAMES = ["Hart", "Begum", "Nowak", "Okoro", "Price", "Singh", "Walsh", "Evans", "Ali", "Reid"]
LATE_AGENCIES = ("NP", "NHFT")  # the two agencies whose forms are late
LEARNING = [
    "Safe sleep advice was not repeated after the family moved.",
    "Information about the child's condition was not shared between the two hospitals.",
    "The family's housing was overcrowded and cold; a referral was not followed up.",
    "Water safety messages did not reach families new to the area.",
]


def nhs_number(rng: Any) -> str:
    """A random valid NHS number (for the demo only)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def load(ctx: Any) -> None:
    panel = ctx.groups.get("cdop")
    if panel is None or ctx.other_partnership is None:
        return
    rng, today = ctx.rng, ctx.today
    with tenancy.unscoped():
        northdale_area = Area.objects.filter(partnership=ctx.partnership).first()
        southmoor_area = Area.objects.filter(partnership=ctx.other_partnership).first()
        southmoor_agencies = list(Agency.objects.filter(partnership=ctx.other_partnership))
    deaths = []
    with tenancy.partnership_scope(ctx.partnership):
        # Deaths spread over the last two years, oldest first; every third one a Southmoor child.
        for n in range(24):
            died = today - timedelta(days=730 - n * 30 - rng.randint(0, 20))
            if n == 23:
                died = today - timedelta(days=5)  # just notified
            area = southmoor_area if n % 3 == 2 else northdale_area
            age_days = rng.choice([3, 20, 120, 300, 900, 2500, 4200, 5800])
            sudden = rng.random() < 0.35
            death = services.notify(
                partnership=ctx.partnership,
                panel=panel,
                home_area=area,
                first_name=FIRST[n % len(FIRST)],
                surname=SURNAMES[(n * 7) % len(SURNAMES)],
                nhs_number=nhs_number(rng),
                date_of_birth=died - timedelta(days=age_days),
                date_of_death=died,
                sex=[Sex.MALE, Sex.FEMALE][n % 2] if n != 5 else Sex.UNKNOWN,
                ethnicity=rng.choice(Ethnicity.values),
                place_of_death=Place.HOME if sudden else Place.HOSPITAL,
                notified_on=died + timedelta(days=1),
                notifier="Paediatrician on call",
                notifier_agency=ctx.agencies["NHFT"],
                expected=not sudden,
                jar_needed=sudden,
                jar_reasons=[JarReason.SUDDEN] if sudden else [],
            )
            deaths.append(death)
            _progress(ctx, death, n, southmoor_agencies)
        completed = [d for d in deaths if d.review_or_none() and d.review.completed_on]
        outstanding = [f for d in deaths for f in d.forms.all() if f.received_on is None]
        ctx.extra["child_deaths"] = {
            "deaths": deaths,
            "completed": completed[-1],
            "open": deaths[-1],
            "form": outstanding[0],
        }


def _progress(ctx: Any, death: Any, n: int, southmoor_agencies: list[Any]) -> None:
    rng, today = ctx.rng, ctx.today
    age = (today - death.date_of_death).days
    if age < 20:
        return  # just notified
    agencies = [ctx.agencies["NHFT"], ctx.agencies["NP"], ctx.agencies["NCS"]]
    if death.partnership_id != ctx.partnership.pk and southmoor_agencies:
        agencies = [ctx.agencies["NHFT"], *southmoor_agencies[:1], ctx.agencies["NP"]]
    requested = death.date_of_death + timedelta(days=7)
    forms = services.request_forms(death, agencies=agencies, requested_on=requested)
    if death.jar_needed:
        services.record_meeting(
            death,
            kind="jar",
            held_on=death.date_of_death + timedelta(days=2),
            agencies=agencies[:2],
            attendance="Designated doctor for child deaths\nDetective sergeant\nSocial worker",
        )
    recent = age < 150
    for form in forms:
        short = form.agency.short_name
        if recent and short in LATE_AGENCIES:
            continue  # still outstanding: late or nearly due
        late = short in LATE_AGENCIES and rng.random() < 0.6
        received = form.due + timedelta(days=rng.randint(3, 25) if late else -rng.randint(0, 5))
        received = min(max(received, form.requested_on), today)
        services.receive_form(form, received_on=received, complete=rng.random() > 0.1)
    if recent:
        return
    services.record_meeting(
        death,
        kind="cdrm",
        held_on=min(death.date_of_death + timedelta(days=60), today),
        agencies=agencies,
        attendance="Consultant paediatrician\nHealth visitor\nSocial worker",
    )
    # Older deaths are reviewed: completed 4 to 14 months after the death.
    months = rng.choice([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
    completed = death.date_of_death + timedelta(days=30 * months + rng.randint(0, 20))
    if completed > today - timedelta(days=7):
        services.record_review(
            death,
            panel_date=today + timedelta(days=14),  # scheduled
            completed_on=None,
            category=None,
            modifiable=None,
        )
        return
    category = rng.choice(Category.values)
    modifiable = category in (1, 2, 3, 10) or rng.random() < 0.2
    review = services.record_review(
        death,
        panel_date=completed,
        completed_on=completed,
        category=category,
        modifiable=modifiable,
        modifiable_factors=LEARNING[n % len(LEARNING)] if modifiable else "",
        learning=LEARNING[(n + 1) % len(LEARNING)],
    )
    services.add_factor(
        review,
        domain=Domain.SOCIAL if modifiable else Domain.CHILD,
        description="Parental smoking" if modifiable else "Prematurity",
        grade=2 if modifiable else 1,
    )
    if modifiable:
        services.add_recommendation(
            review,
            partnership=ctx.partnership,
            text="Share this learning with every agency: " + LEARNING[n % len(LEARNING)].lower(),
            owner=ctx.agencies["ICB"],
            due=completed + timedelta(days=120),
        )
        if n % 2 == 0:
            services.release_recommendations(review, on=min(completed + timedelta(days=14), today))
