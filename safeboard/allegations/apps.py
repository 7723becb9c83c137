from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.modules import Register, SafeboardModule
from safeboard.partnership.roles import Role

TIMESCALES = (
    "Working Together to Safeguard Children (2015, 2018, 2023) and Keeping Children Safe in "
    "Education, part four: target timescales for managing allegations"
)


class AllegationsConfig(SafeboardModule):
    """Allegations against people who work with children: the LADO service's register."""

    name = "safeboard.allegations"
    label = "allegations"
    verbose_name = "Allegations against people who work with children (LADO)"
    url_prefix = "allegations/"
    demo_order = 60
    registers = (
        Register(
            "allegations",
            "Allegations against people who work with children",
            roles=frozenset({Role.LADO}),
            description="Consultations and allegations: the adults, the children, the outcomes.",
        ),
    )
    clocks = (
        ClockKind(
            "allegations.referral",
            "Allegation referred to the LADO",
            Length(1, Unit.WORKING_DAYS),
            source="Working Together to Safeguard Children: an employer reports an allegation "
            "to the LADO within one working day",
            starts="the referrer knew of the allegation",
            ends="the LADO received the referral",
            register="allegations",
        ),
        ClockKind(
            "allegations.conclusion_1m",
            "Allegation concluded within one month",
            Length(1, Unit.MONTHS),
            source=TIMESCALES + ": 80% of cases within one month",
            starts="the LADO received the allegation",
            ends="the allegation was concluded",
            register="allegations",
        ),
        ClockKind(
            "allegations.conclusion_3m",
            "Allegation concluded within three months",
            Length(3, Unit.MONTHS),
            source=TIMESCALES + ": 90% of cases within three months",
            starts="the LADO received the allegation",
            ends="the allegation was concluded",
            register="allegations",
        ),
        ClockKind(
            "allegations.conclusion_12m",
            "Allegation concluded within twelve months",
            Length(12, Unit.MONTHS),
            source=TIMESCALES + ": all but the most exceptional cases within twelve months",
            starts="the LADO received the allegation",
            ends="the allegation was concluded",
            register="allegations",
        ),
    )
