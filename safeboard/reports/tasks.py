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
