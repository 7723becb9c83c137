"""What modules plug into the annual report: generated sections and figures.

Each module of Safeboard describes its part of the report in `<app>/report.py`, found at
start-up (`apps.ReportsConfig.ready`):

    from safeboard.reporting.registry import figure, headline, section

    @section("governance.attendance", "Attendance at the board", order=330, part="governance")
    def attendance(ctx, doc): ...            # returns a list of blocks

    @figure("attendance.overall_rate")
    def overall_rate(ctx, *args): ...        # returns a Figure

    headline("attendance.overall_rate", order=30)   # on the one-page summary

A generated section is rebuilt from the records each time; a narrative section is text that
people write, in which `[[figure key]]` embeds a figure so text and tables always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from safeboard.core.periods import Period
    from safeboard.partnership.models import Partnership

    from .context import ReportContext
    from .document import Block, Document, Figure

SectionBuilder = Callable[["ReportContext", "Document"], list["Block"]]
FigureResolver = Callable[..., "Figure"]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    order: int
    part: str
    builder: SectionBuilder | None  # None: a narrative section
    in_template: bool = True
    required: bool = False
    # Sections with restricted or agency material are left out of the public edition.
    public: bool = True
    hint: str = ""
    default_text: str = ""


_sections: dict[str, SectionSpec] = {}
_figures: dict[str, FigureResolver] = {}
_figure_help: dict[str, str] = {}
# Figures on the one-page summary, in order: (order, key, args).
_headlines: list[tuple[int, str, tuple[str, ...]]] = []


def section(
    key: str,
    title: str,
    *,
    order: int,
    part: str,
    in_template: bool = True,
    public: bool = True,
    hint: str = "",
) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a generated section."""

    def decorator(builder: SectionBuilder) -> SectionBuilder:
        _sections[key] = SectionSpec(
            key, title, order, part, builder, in_template, public=public, hint=hint
        )
        return builder

    return decorator


def narrative(
    key: str,
    title: str,
    *,
    order: int,
    part: str,
    required: bool = True,
    in_template: bool = True,
    hint: str = "",
    default_text: str = "",
) -> None:
    """Register a narrative section that people write."""
    _sections[key] = SectionSpec(
        key, title, order, part, None, in_template, required, hint=hint, default_text=default_text
    )


def figure(key: str, help_text: str = "") -> Callable[[FigureResolver], FigureResolver]:
    """Register a figure that narrative can embed as `[[key]]` or `[[key:arg:...]]`."""

    def decorator(resolver: FigureResolver) -> FigureResolver:
        _figures[key] = resolver
        _figure_help[key] = help_text or (resolver.__doc__ or "").strip().split("\n")[0]
        return resolver

    return decorator


_measures: dict[str, str] = {}
# The figure that computes each measure from the records, where one does.
_measure_figures: dict[str, str] = {}


def measure(key: str, label: str, figure: str = "") -> str:
    """Declare a measure that a computed figure gives a value of (`Figure.measure`), so an
    indicator of the dataset can be linked to it (`Indicator.measure`): one measure shown with
    two values blocks approval. `figure` names the registered figure that computes it, so
    another module reaches its value for any period (`measure_value`) without importing the
    module that computes it."""
    _measures[key] = label
    if figure:
        _measure_figures[key] = figure
    return key


def measure_value(
    key: str, partnership: Partnership, period: Period, *, as_at: date
) -> float | None:
    """The measure's value for `period` (a financial year, or a quarter where the figure
    allows it) as the records stood on `as_at`, computed by its figure; None when nothing
    computes it or the records give no value for the period. Call inside the partnership's
    scope."""
    from .context import ReportContext

    found = _figures.get(_measure_figures.get(key, ""))
    if found is None:
        return None
    try:
        value = found(ReportContext(partnership, period, as_at)).value
    except (LookupError, ValueError):
        return None
    return float(value) if value is not None else None


def measures() -> dict[str, str]:
    return dict(sorted(_measures.items()))


def measure_label(key: str) -> str:
    return _measures.get(key, key)


def sections() -> list[SectionSpec]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def get_section(key: str) -> SectionSpec | None:
    return _sections.get(key)


def resolver(key: str) -> FigureResolver | None:
    return _figures.get(key)


def figure_catalogue() -> list[tuple[str, str]]:
    """Figure keys and what they are, for the narrative editor's help."""
    return sorted(_figure_help.items())


def call_resolver(key: str, ctx: ReportContext, args: list[str]) -> Any:
    found = _figures.get(key)
    if found is None:
        raise KeyError(key)
    return found(ctx, *args)


def headline(key: str, *args: str, order: int = 50) -> None:
    """Put a registered figure on the one-page summary."""
    if not any(k == key and a == args for _, k, a in _headlines):
        _headlines.append((order, key, args))
        _headlines.sort()


def headlines() -> list[tuple[str, tuple[str, ...]]]:
    """The summary's figures in order: (key, args)."""
    return [(key, args) for _, key, args in _headlines]
