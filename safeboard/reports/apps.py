from safeboard.core.modules import SafeboardModule


class ReportsConfig(SafeboardModule):
    name = "safeboard.reports"
    label = "reports"
    verbose_name = "Annual report"
    url_prefix = "reports/"
    demo_order = 90

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import sections  # noqa: F401  (the report's own sections)

        super().ready()
        # Each module's `report.py` registers its sections and figures.
        autodiscover_modules("report")
