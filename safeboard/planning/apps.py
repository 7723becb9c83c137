from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "safeboard.planning"
    label = "planning"
    verbose_name = "Planning: business plan, actions, risks and challenge"

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            panels,
        )

        panels.register()
