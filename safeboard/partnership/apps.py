from safeboard.core.modules import Register, SafeboardModule

from .roles import Role


class PartnershipConfig(SafeboardModule):
    """The partnership kernel and its governance: partnerships, areas, agencies, people and
    roles, groups, meetings, attendance and papers."""

    name = "safeboard.partnership"
    label = "partnership"
    verbose_name = "Partnership and governance"
    url_prefix = ""
    demo_order = 10
    registers = (
        Register(
            "restricted_papers",  # models.RESTRICTED_PAPERS
            "Restricted meeting papers",
            roles=frozenset({Role.BUSINESS_UNIT_ADMIN}),
            description="Meeting papers about individual children, families or staff.",
        ),
    )

    not_audited = {
        "Notification": "a person's own messages about records whose changes are audited "
        "themselves; many, and about nothing but that person's reading them",
    }

    def ready(self) -> None:
        super().ready()
        from safeboard.accounts.twofactor import require_two_factor_when

        from .access import holds_two_factor_role

        require_two_factor_when(holds_two_factor_role)
