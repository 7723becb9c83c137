"""The audit trail's navigation entry."""

from safeboard.core.navigation import register_nav


def register() -> None:
    register_nav("Audit", "audit:trail", perm="partnership.view_audit", order=90)
