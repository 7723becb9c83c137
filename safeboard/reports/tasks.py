"""Background work of the reports module (Django tasks, run by `python -m safeboard db_worker`)."""

from __future__ import annotations

from django_tasks import task

from safeboard.core import tenancy


@task()
def build_report_file(build_id: int) -> None:
    """Build a report's PDF, Word or HTML file, recording progress for the page that waits."""
    from .models import ReportBuild
    from .services import run_build

    with tenancy.unscoped():
        build = ReportBuild.objects.select_related("report__partnership", "version").get(
            pk=build_id
        )
    with tenancy.partnership_scope(build.partnership):
        run_build(build)


@task()
def prepare_report_charts(report_id: int) -> int:
    """Convert the report's charts for print ahead of any file build (they are kept on disk by
    spec), so the first PDF or Word file a user asks for does not wait for them. Returns the
    number of charts."""
    from safeboard.reporting.document import Chart

    from . import charts
    from .models import Report
    from .services import document

    with tenancy.unscoped():
        report = Report.objects.select_related("partnership").get(pk=report_id)
    count = 0
    with tenancy.partnership_scope(report.partnership):
        for edition in ("board", "public"):
            for section in document(report, edition).sections:
                for block in section.blocks:
                    if isinstance(block, Chart):
                        charts.svg(block.spec)
                        charts.png(block.spec)
                        count += 1
    return count
