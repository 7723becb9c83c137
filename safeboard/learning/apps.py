from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.modules import ActionSource, Register, SafeboardModule
from safeboard.partnership.roles import Role

# The register of case reviews (case records before and after publication).
CASE_REVIEWS = "case_reviews"
WORKING_TOGETHER = (
    "Working Together to Safeguard Children 2023, chapter 5 (and the Child Safeguarding "
    "Practice Review Panel's practice guidance)"
)


class LearningConfig(SafeboardModule):
    """Learning from case reviews: serious incident notifications, rapid reviews, local child
    safeguarding practice reviews and practice reviews, their clocks, lessons, themes,
    recommendations and dissemination."""

    name = "safeboard.learning"
    label = "learning"
    verbose_name = "Learning from case reviews"
    url_prefix = "reviews/"
    demo_order = 50
    # Case records are opened by the case review officer only: no role opens every register,
    # and the business unit opens the restricted papers register, not this one
    # (docs/roles-and-permissions.md). Other members see published reviews and counts.
    registers = (
        Register(
            CASE_REVIEWS,
            "Case reviews",
            roles=frozenset({Role.CASE_REVIEW_OFFICER}),
            description="Serious incidents, rapid reviews and practice reviews of children, "
            "before and after publication.",
        ),
    )
    action_sources = (
        ActionSource(
            "case_review",
            "Case review recommendation",
            model="learning.Recommendation",
            register=CASE_REVIEWS,
            order=20,
        ),
    )
    clocks = (
        ClockKind(
            "case_reviews.notification",
            "Notification to the national Panel",
            Length(5, Unit.WORKING_DAYS),
            source=WORKING_TOGETHER + ": the local authority notifies the Panel within 5 "
            "working days of becoming aware of a serious incident.",
            starts="the incident becoming known",
            ends="the notification sent",
            register=CASE_REVIEWS,
        ),
        ClockKind(
            "case_reviews.rapid_review",
            "Rapid review",
            Length(15, Unit.WORKING_DAYS),
            source=WORKING_TOGETHER + ": the partners hold a rapid review and send it to the "
            "Panel within 15 working days of the notification.",
            starts="the notification sent",
            ends="the rapid review held",
            register=CASE_REVIEWS,
        ),
        ClockKind(
            "case_reviews.publication",
            "Publication of the local review",
            Length(6, Unit.MONTHS),
            source=WORKING_TOGETHER + ": a local child safeguarding practice review is "
            "published within 6 months of the decision to hold it.",
            starts="the decision to hold a local review",
            ends="the review published",
            register=CASE_REVIEWS,
        ),
    )
