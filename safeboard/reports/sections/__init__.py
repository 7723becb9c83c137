"""Sections the reports app writes itself: the report's own (summary on a page, foreword,
priorities, glossary) and the partnership's chapters (the local picture and governance), built
from the partnership kernel's selectors. Feature modules add theirs in `<app>/report.py`."""

from . import partnership, report  # noqa: F401  (each registers its sections)
