from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.modules import Register, SafeboardModule
from safeboard.partnership.roles import Role

REGULATIONS = "The Children (Private Arrangements for Fostering) Regulations 2005, regulation 8"


class PrivateFosteringConfig(SafeboardModule):
    """Private fostering: notifications, arrangements, assessment and statutory visits."""

    name = "safeboard.private_fostering"
    label = "private_fostering"
    verbose_name = "Private fostering"
    url_prefix = "private-fostering/"
    demo_order = 62
    registers = (
        Register(
            "private_fostering",
            "Private fostering",
            roles=frozenset({Role.PRIVATE_FOSTERING_OFFICER}),
            description="Privately fostered children, their carers and the visits to them.",
        ),
    )
    clocks = (
        ClockKind(
            "private_fostering.first_visit",
            "First visit to a privately fostered child",
            Length(7, Unit.WORKING_DAYS),
            source=REGULATIONS + ": within 7 working days of the notification",
            starts="the local authority was notified",
            ends="the child was visited",
            register="private_fostering",
        ),
        ClockKind(
            "private_fostering.visit",
            "Visit in the arrangement's first year",
            Length(42, Unit.DAYS),
            source=REGULATIONS + ": at intervals of not more than 6 weeks in the first year",
            starts="the last visit",
            ends="the child was visited",
            register="private_fostering",
        ),
        ClockKind(
            "private_fostering.later_visit",
            "Visit after the arrangement's first year",
            Length(84, Unit.DAYS),
            source=REGULATIONS + ": at intervals of not more than 12 weeks after the first year",
            starts="the last visit",
            ends="the child was visited",
            register="private_fostering",
        ),
    )
