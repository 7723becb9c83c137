from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeboard.reports"
    label = "reports"
    verbose_name = "Annual report"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        from . import models, panels, sections  # noqa: F401  (the report's own sections)

        # Each module's `report.py` registers its sections and figures.
        autodiscover_modules("report")
        for model in (
            models.Report,
            models.ReportSection,
            models.ReviewComment,
            models.ReportVersion,
        ):
            auditlog.register(model)
        panels.register()
