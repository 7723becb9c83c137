from __future__ import annotations

from typing import Any

from safeboard.core.navigation import register_nav, register_panel


def _panel(request: Any) -> dict[str, Any] | None:
    from .models import Report, ReportStatus

    report = Report.objects.order_by("-year").first()
    if report is None:
        return None
    return {"report": report, "published": report.status == ReportStatus.PUBLISHED}


def register() -> None:
    register_nav("Annual report", "reports:list", perm="reports.view", order=80)
    register_panel("reports/panel.html", _panel, perm="reports.view", order=70)
