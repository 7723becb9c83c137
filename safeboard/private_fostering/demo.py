"""The demo private fostering service: its officer's sign-in, about a dozen arrangements over
the last two years (some notified after they began, some visits late, two overdue now), and
the awareness campaigns and briefings. Generated from a fixed seed, relative to today."""

from __future__ import annotations

import random
from datetime import timedelta

from auditlog.context import disable_auditlog

from safeboard.accounts.models import User
from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.core.periods import current_financial_year
from safeboard.partnership import services as partnership_services
from safeboard.partnership.models import Person, Role

from . import services
from .models import ActivityKind, Arrangement, EndReason, Source

DEMO_SIGN_INS = [("fostering", "private fostering officer (private fostering register)")]
SEED = 1408
SOURCES = [
    Source.PARENT,
    Source.SCHOOL,
    Source.SCHOOL,
    Source.HEALTH,
    Source.CARER,
    Source.SOCIAL_CARE,
    Source.POLICE,
    Source.PARENT,
    Source.SCHOOL,
    Source.HOUSING,
    Source.HEALTH,
    Source.VOLUNTARY,
    Source.CHILD,
]
CHILDREN = [
    "Amira",
    "Bilal",
    "Chloe",
    "Dariusz",
    "Esi",
    "Farah",
    "Gabriel",
    "Hollie",
    "Idris",
    "Jana",
    "Kofi",
    "Lucia",
    "Mateo",
]


def _officer(ctx: DemoContext) -> Person:
    user = User(
        username="fostering",
        first_name="Priya",
        last_name="Shah",
        email="priya.shah@northdale.example",
        is_demo=True,
    )
    user.set_password(ctx.password)
    user.save()
    ctx.users["fostering"] = user
    person = partnership_services.save(
        Person(
            name="Priya Shah",
            job_title="Private Fostering Social Worker",
            email=user.email,
            user=user,
            agency=ctx.agencies.get("NCS"),
        ),
        ctx.partnership,
    )
    partnership_services.assign_role(person, Role.PRIVATE_FOSTERING_OFFICER)
    ctx.people["fostering"] = person
    return person


def _visit_gap(rng: random.Random, allowed: int, late: bool) -> int:
    return allowed + rng.randint(3, 20) if late else rng.randint(max(allowed - 14, 7), allowed)


def load(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    p = ctx.partnership
    with tenancy.partnership_scope(p):
        _officer(ctx)
        with disable_auditlog():
            made = [_arrangement(ctx, rng, n) for n in range(len(SOURCES))]
            fy = current_financial_year(ctx.today)
            for offset, (kind, title, audience, reached) in enumerate(
                [
                    (ActivityKind.CAMPAIGN, "Private fostering awareness week", "Public", 0),
                    (
                        ActivityKind.BRIEFING,
                        "Briefing for designated safeguarding leads",
                        "Schools",
                        64,
                    ),
                    (ActivityKind.BRIEFING, "Briefing for health visitors and GPs", "Health", 38),
                    (
                        ActivityKind.TRAINING,
                        "Private fostering in multi-agency training",
                        "All agencies",
                        120,
                    ),
                ]
            ):
                services.add_activity(
                    p,
                    held_on=fy.start - timedelta(days=300 - 90 * offset),
                    kind=kind,
                    title=title,
                    audience=audience,
                    reached=reached or None,
                )
    ctx.extra["private_fostering"] = {"arrangements": made}


def _arrangement(ctx: DemoContext, rng: random.Random, n: int) -> Arrangement:
    notified = ctx.today - timedelta(days=700 - 52 * n + rng.randint(0, 20))
    after = n % 4 == 1  # notified after the arrangement began
    start = (
        notified - timedelta(days=rng.randint(10, 60))
        if after
        else notified + timedelta(days=rng.randint(0, 10))
    )
    a = services.save_arrangement(
        Arrangement(
            reference=f"PF-{notified.year}-{n + 1:03d}",
            notified=notified,
            source=SOURCES[n],
            notified_by={Source.SCHOOL: "Designated safeguarding lead"}.get(SOURCES[n], ""),
            start=start,
            child_name=f"{CHILDREN[n]} (demo)",
            child_age=rng.randint(6, 15),
            carer_name=f"Carer {n + 1} (demo)",
        ),
        ctx.partnership,
    )
    ends = None
    if n in {0, 2, 5, 7}:
        ends = notified + timedelta(days=rng.randint(150, 400))
    late_first = n in {1, 4, 9}
    day = notified
    number = 0
    while True:
        pending = services.pending_visit(a)
        if pending is None:
            break
        if number == 0:
            gap_to = pending.due + timedelta(days=rng.randint(2, 9)) if late_first else pending.due
            visit_day = gap_to if late_first else notified + timedelta(days=rng.randint(1, 5))
        else:
            allowed = (pending.due - day).days
            visit_day = day + timedelta(days=_visit_gap(rng, allowed, rng.random() < 0.15))
        # The two newest open arrangements have a visit overdue now.
        if (
            visit_day >= ctx.today
            or (ends and visit_day >= ends)
            or (n in {11, 12} and number >= 2)
        ):
            break
        services.record_visit(a, visited=visit_day, seen_alone=rng.random() < 0.8)
        day, number = visit_day, number + 1
    if ends and ends < ctx.today:
        a.assessed = notified + timedelta(days=40)
        a.assessment = "suitable"
        services.end_arrangement(
            a, ended=ends, reason=rng.choice([EndReason.RETURNED_HOME, EndReason.AGE])
        )
    else:
        a.assessed = notified + timedelta(days=35)
        a.assessment = "suitable"
        services.save_arrangement(a, ctx.partnership)
    return a
