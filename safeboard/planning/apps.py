from safeboard.core.modules import ActionSource, SafeboardModule


class PlanningConfig(SafeboardModule):
    name = "safeboard.planning"
    label = "planning"
    verbose_name = "Planning: business plan, actions, risks and challenge"
    url_prefix = "planning/"
    demo_order = 30
    # The tracker's own sources; every other module declares the sources it feeds.
    action_sources = (
        ActionSource("business_plan", "Business plan", model="planning.Plan", order=0),
        ActionSource("meeting", "Meeting", model="partnership.Meeting", order=10),
        ActionSource("challenge", "Challenge log", model="planning.Challenge", order=60),
        ActionSource("inspection", "Inspection recommendation", manual=True, order=70),
        ActionSource("other", "Other", manual=True, order=99),
    )
