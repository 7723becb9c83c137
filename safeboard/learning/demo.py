"""The case reviews of the demo partnership: a year with six serious incidents notified to the
national Panel (four rapid reviews held, two of them leading to local child safeguarding
practice reviews, one published after an inquest closed, the other held by a criminal trial),
two practice reviews, a serious case review from 2016, lessons on recurring themes and
recommendations as actions in the tracker at every stage. The case review officer is the
partnership demo's `casereview` sign-in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from safeboard.core import tenancy
from safeboard.core.demo import DemoContext
from safeboard.planning import services as planning

from . import services
from .models import Kind, Outcome, ProcessKind

THEMES = [
    ("Neglect", "Chronic neglect, its recognition and escalation."),
    ("Voice of the child", "What the child’s daily life was like, and whether they were heard."),
    ("Information sharing", "Between agencies, and at transfer between areas."),
    ("Domestic abuse", "In the household, and its effect on the child."),
    ("Professional curiosity", "Looking beyond what parents say."),
    ("Safer sleep", "Co-sleeping and unsafe sleep environments for babies."),
    ("Parental mental health", "And its effect on parenting capacity."),
]


def _action(recommendation: Any) -> Any:
    assert recommendation.action is not None
    return recommendation.action


def _agencies(ctx: DemoContext, *keys: str) -> list[Any]:
    return [ctx.agencies[k] for k in keys]


def load(ctx: DemoContext) -> None:
    t = ctx.today
    officer = ctx.people.get("casereview")

    def ago(days: int) -> date:
        return t - timedelta(days=days)

    with tenancy.partnership_scope(ctx.partnership):
        themes = {
            name: services.add_theme(partnership=ctx.partnership, name=name, description=text)
            for name, text in THEMES
        }

        def case(reference: str, child: str, kind: str = Kind.RAPID_REVIEW, **fields: Any) -> Any:
            return services.create_review(
                partnership=ctx.partnership, reference=reference, child=child, kind=kind, **fields
            )

        def lessons(review: Any, *items: tuple[str, list[str]]) -> None:
            for text, names in items:
                services.add_lesson(review, text=text, themes=[themes[n] for n in names])

        # 1. A baby's death: notified in time, rapid review, local review, published after the
        # inquest closed.
        a = case(
            "CR-01",
            "Child A",
            incident_date=ago(330),
            incident_known=ago(329),
            harm="death",
            age_band="under_1",
            sex="male",
            ethnicity="white",
            disability="no",
            looked_after="no",
            child_protection_plan="no",
            known_to=_agencies(ctx, "NHFT", "ICB", "EY"),
            notified_on=ago(326),
            notification_reference="SIN-0041",
        )
        services.record_rapid_review(
            a,
            held_on=ago(310),
            agencies_present=_agencies(ctx, "NCS", "NP", "ICB", "NHFT"),
            outcome=Outcome.LCSPR,
            panel_response_on=ago(290),
            panel_response="The Panel agreed a local review would bring new learning.",
            by=officer,
        )
        services.change_local_review(
            a,
            reviewer="Independent reviewer (commissioned)",
            terms_of_reference="How agencies recognised and responded to unsafe sleep risks "
            "and the parents' alcohol use in the baby's first months.",
            scope_from=ago(700),
            scope_to=ago(330),
            family_involvement="The mother met the reviewer twice; the father declined.",
            cost=18500,
            draft_on=ago(150),
            final_on=ago(90),
        )
        for agency, name, role in (
            ("NCS", "Fiona Grant", "Head of Safeguarding"),
            ("NP", "DI Carol Marsh", "Public protection"),
            ("NHFT", "Ruth Okafor", "Head of Safeguarding"),
        ):
            services.add_panel_member(a, agency=ctx.agencies[agency], name=name, role=role)
        services.add_milestone(a, title="Practitioner event", due=ago(200), done_on=ago(198))
        services.add_milestone(a, title="Draft to the panel", due=ago(160), done_on=ago(150))
        inquest = services.add_process(a, kind=ProcessKind.INQUEST, description="Coroner’s inquest")
        services.conclude_process(inquest, on=ago(40), by=officer)
        lessons(
            a,
            (
                "Safer sleep advice was given once, at birth, and not revisited when the family’s "
                "circumstances changed.",
                ["Safer sleep", "Professional curiosity"],
            ),
            (
                "Health visiting and the GP held different pictures of the father’s drinking.",
                ["Information sharing"],
            ),
        )
        recs = [
            services.add_recommendation(
                a,
                text="Build safer sleep conversations into every health visiting contact.",
                agency=ctx.agencies["NHFT"],
                due=ago(20),
                by=officer,
            ),
            services.add_recommendation(
                a,
                text="Share alcohol misuse concerns between GP and health visitors monthly.",
                agency=ctx.agencies["ICB"],
                due=t + timedelta(days=60),
                by=officer,
            ),
            services.add_recommendation(
                a,
                text="Include safer sleep in early years practitioner training.",
                agency=ctx.agencies["EY"],
                due=t + timedelta(days=120),
                by=officer,
            ),
        ]
        services.publish(
            a,
            on=ago(30),
            url="https://northdale.example/reviews/child-a",
            in_national_repository=True,
        )
        owner = ctx.people.get("healthlead")
        planning.record_completion(
            _action(recs[0]),
            by=owner,
            evidence_text="Safer sleep is a standing item in the contact template.",
            completed_on=ago(25),
            confirm=True,
        )
        planning.record_impact(
            _action(recs[0]),
            by=officer,
            text="Audit of 40 records: safer sleep discussed at 37 contacts.",
            on=ago(5),
        )
        planning.record_completion(
            _action(recs[1]),
            by=None,
            author_name="ICB designated nurse",
            evidence_text="Monthly meetings set up.",
            completed_on=ago(3),
        )
        planning.record_update(
            _action(recs[2]),
            by=None,
            author_name="Early years lead",
            status="green",
            text="Module written; first course booked.",
            on=ago(10),
        )
        services.record_dissemination(
            a, briefing_on=ago(28), website_on=ago(30), training_updated_on=ago(15)
        )
        for key in ("NHFT", "ICB", "EY"):
            services.seek_assurance(a, agency=ctx.agencies[key], requested_on=ago(25))
        services.record_assurance(
            a.assurance.get(agency=ctx.agencies["NHFT"]),
            response="Safer sleep audit attached; practice has changed.",
            on=ago(6),
            by=officer,
        )

        # 2. Serious harm: notified late, local review held by a criminal trial.
        b = case(
            "CR-02",
            "Child B",
            incident_date=ago(205),
            incident_known=ago(204),
            harm="serious_harm",
            age_band="1_5",
            sex="female",
            ethnicity="mixed",
            disability="no",
            looked_after="no",
            child_protection_plan="yes",
            known_to=_agencies(ctx, "NCS", "NP", "NHFT", "PRI"),
            notified_on=ago(190),
            notification_reference="SIN-0057",
        )
        services.record_rapid_review(
            b,
            held_on=ago(172),
            agencies_present=_agencies(ctx, "NCS", "NP", "ICB", "PRI"),
            outcome=Outcome.LCSPR,
            decided_on=ago(170),
            by=officer,
        )
        services.change_local_review(
            b,
            reviewer="Independent reviewer (commissioned)",
            terms_of_reference="The child protection plan’s response to domestic abuse.",
            scope_from=ago(900),
            scope_to=ago(205),
            family_involvement="The mother has agreed to take part after the trial.",
        )
        services.add_panel_member(b, agency=ctx.agencies["NCS"], name="Fiona Grant")
        services.add_milestone(b, title="Practitioner event", due=ago(60))
        services.add_milestone(b, title="Draft report", due=t + timedelta(days=40))
        services.add_process(b, kind=ProcessKind.CRIMINAL_TRIAL, description="Trial listed")
        lessons(
            b,
            (
                "Domestic abuse incidents attended by police were not shared with the school.",
                ["Domestic abuse", "Information sharing"],
            ),
            (
                "Core group meetings recorded the mother’s account and not the child’s experience.",
                ["Voice of the child"],
            ),
        )
        b_rec = services.add_recommendation(
            b,
            text="Notify schools of domestic abuse incidents by the next school day.",
            agency=ctx.agencies["NP"],
            due=t + timedelta(days=45),
            by=officer,
        )
        planning.record_update(
            _action(b_rec),
            by=None,
            author_name="Public protection unit",
            status="amber",
            text="Pilot with ten schools.",
            on=ago(12),
        )

        # 3. Rapid review: no local review (the learning is in the rapid review).
        c = case(
            "CR-03",
            "Child C",
            incident_known=ago(120),
            harm="serious_harm",
            age_band="11_15",
            sex="male",
            ethnicity="black",
            disability="yes",
            looked_after="yes",
            child_protection_plan="no",
            known_to=_agencies(ctx, "NCS", "YJS", "SEC"),
            notified_on=ago(117),
        )
        services.record_rapid_review(
            c,
            held_on=ago(100),
            agencies_present=_agencies(ctx, "NCS", "NP", "YJS", "SEC"),
            outcome=Outcome.NO_LCSPR,
            no_lcspr_reason="The rapid review identified the learning; a local review would add "
            "nothing new. A practice review of exploitation pathways follows.",
            panel_response_on=ago(80),
            panel_response="The Panel agreed.",
            by=officer,
        )
        lessons(c, ("Missing episodes were not linked across agencies.", ["Information sharing"]))

        # 4. Rapid review: the national Panel reviews it.
        d = case(
            "CR-04",
            "Child D",
            incident_known=ago(60),
            harm="death",
            age_band="16_plus",
            sex="male",
            ethnicity="asian",
            disability="no",
            looked_after="no",
            child_protection_plan="no",
            notified_on=ago(56),
        )
        services.record_rapid_review(
            d,
            held_on=ago(40),
            agencies_present=_agencies(ctx, "NCS", "NP", "ICB"),
            outcome=Outcome.NATIONAL,
            by=officer,
        )

        # 5 and 6. Notified; rapid reviews to hold.
        case(
            "CR-05",
            "Child E",
            incident_known=ago(18),
            harm="serious_harm",
            age_band="under_1",
            sex="female",
            ethnicity="white",
            notified_on=ago(15),
        )
        case(
            "CR-06",
            "Child F",
            incident_known=ago(5),
            harm="serious_harm",
            age_band="6_10",
            sex="female",
            ethnicity="other",
            notified_on=ago(2),
        )

        # Two practice reviews: one published, one under way.
        g = case("PR-01", "Child G", kind=Kind.PRACTICE, incident_known=ago(400))
        lessons(
            g,
            (
                "Years of neglect were seen as separate incidents, never as a pattern.",
                ["Neglect", "Professional curiosity"],
            ),
            ("Nobody asked the children what home was like.", ["Voice of the child", "Neglect"]),
        )
        g_rec = services.add_recommendation(
            g,
            text="Use the neglect screening tool at every strategy discussion.",
            agency=ctx.agencies["NCS"],
            due=ago(60),
            by=officer,
        )
        services.publish(g, on=ago(100), url="https://northdale.example/reviews/child-g")
        planning.record_completion(
            _action(g_rec),
            by=None,
            author_name="Head of Service",
            evidence_text="Tool in use since spring.",
            completed_on=ago(70),
            confirm=True,
        )
        services.record_dissemination(
            g, briefing_on=ago(95), learning_event_on=ago(80), procedures_updated_on=ago(75)
        )
        h = case("PR-02", "Child H", kind=Kind.PRACTICE, incident_known=ago(90))
        lessons(
            h,
            (
                "Mother’s depression was not shared with the school nurse.",
                ["Parental mental health", "Information sharing"],
            ),
        )

        # A serious case review of 2016, re-categorised from an internal management review.
        j = case("SCR-2016-1", "Child J", kind=Kind.IMR)
        services.recategorise(
            j,
            to_kind=Kind.SCR,
            on=date(2016, 3, 1),
            reason="The national panel of independent experts advised a serious case review.",
            by=officer,
        )
        lessons(
            j,
            ("Neglect was tolerated for too long.", ["Neglect"]),
            ("Information held by the police was not shared.", ["Information sharing"]),
        )
        services.publish(j, on=date(2017, 2, 1), in_national_repository=True)

        ctx.extra["learning"] = {
            "published": a,
            "held": b,
            "practice": h,
            "notified": d,
            "themes": themes,
        }
