from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeboard.partnership"
    label = "partnership"
    verbose_name = "Partnership and governance"

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            panels,
        )

        panels.register()
