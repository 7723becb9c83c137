from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.reports import services


@pytest.fixture
def report(alpha: Any, alice: Any, year_data: dict[str, Any]) -> Any:
    with tenancy.partnership_scope(alpha):
        created = services.create_report(
            partnership=alpha, year=2016, by=alice, as_at=date(2017, 6, 30)
        )
        texts = {
            "foreword": "The board met [[attendance.meetings]] times and agencies filled "
            "[[attendance.overall_rate]] of their places.",
            "priorities": "- Neglect\n- Exploitation",
        }
        for section in created.sections.filter(key__in=texts):
            services.save_text(section, title=section.title, text=texts[section.key])
    return created


def section(report: Any, key: str) -> Any:
    with tenancy.partnership_scope(report.partnership):
        return report.sections.get(key=key)


def write(report: Any, key: str, text: str) -> None:
    with tenancy.partnership_scope(report.partnership):
        row = report.sections.get(key=key)
        services.save_text(row, title=row.title, text=text)
