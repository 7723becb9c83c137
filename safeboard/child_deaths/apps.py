from safeboard.core.clocks import ClockKind, Length, Unit
from safeboard.core.modules import ActionSource, Register, SafeboardModule
from safeboard.partnership.roles import Role

REGISTER = "child_deaths"


class ChildDeathsConfig(SafeboardModule):
    name = "safeboard.child_deaths"
    label = "child_deaths"
    verbose_name = "Child death reviews"
    url_prefix = "child-deaths/"
    demo_order = 60
    registers = (
        Register(
            REGISTER,
            "Child deaths",
            roles=frozenset({Role.CDOP_COORDINATOR}),
            description="Notifications of the deaths of children resident in the area, the "
            "agencies' reporting forms and the panel's reviews.",
        ),
    )
    action_sources = (
        ActionSource(
            "child_death_review",
            "Child death review recommendation",
            model="child_deaths.Recommendation",
            register=REGISTER,
            order=40,
        ),
    )
    clocks = (
        ClockKind(
            "child_deaths.agency_form",
            "Agency reporting form returned",
            Length(15, Unit.WORKING_DAYS),
            source="No national length: the Child Death Review Statutory and Operational "
            "Guidance (England), 2018, and the national forms set no time for an agency's "
            "Reporting Form. 15 working days is Safeboard's local default, not a national "
            "rule: set the partnership's own length on the clocks settings page.",
            starts="the form is requested from the agency",
            ends="the form is received",
            register=REGISTER,
        ),
    )
