from __future__ import annotations

from typing import Any

from safeboard.core.navigation import register_nav, register_panel
from safeboard.performance.rules import member_reads


def _panel(request: Any) -> dict[str, Any] | None:
    from .models import Report, ReportStatus

    if not request.user.has_perm("reports.view", request.partnership):
        return None
    report = Report.objects.order_by("-year").first()
    if report is None:
        return None
    return {"report": report, "published": report.status == ReportStatus.PUBLISHED}


def register() -> None:
    register_nav("Annual report", "reports:list", order=80, visible=member_reads)
    register_panel("reports/panel.html", _panel, order=70)
