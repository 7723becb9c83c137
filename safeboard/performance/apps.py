from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safeboard.performance"
    label = "performance"
    verbose_name = "Performance: dataset, collection rounds and scorecards"

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers models with the audit trail)
            panels,
            tasks,  # noqa: F401  (registers the background tasks)
        )

        panels.register()
