"""What a report is built from: the partnership, the year, the date the data are taken as at,
and the edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safeboard.core.periods import Period
from safeboard.partnership.models import Partnership


@dataclass
class ReportContext:
    partnership: Partnership
    year: Period  # the financial year the report covers
    as_at: date  # records as they stood on this date
    edition: str = "board"  # "board" or "public"
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> date:
        """The date a figure "at the end of the year" describes: the year's last day, or the
        report's date if that is sooner (a report drafted during the year). Every selector a
        report uses takes this date (or `year`) as an argument: records are read as they stood
        then (see docs/reports.md, "Figures as at a date")."""
        return min(self.as_at, self.year.end)

    @property
    def public(self) -> bool:
        return self.edition == "public"

    def memo(self, key: str, compute: Any) -> Any:
        """Compute something once per build (several sections may need it)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]
