"""The report as a document: figures, tables, charts and text, independent of any format.

Sections build these blocks from the records; renderers turn the same document into HTML,
PDF and Word, so every format shows the same figures. A document can be stored as JSON (a
published edition is frozen this way) and rendered again unchanged.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Unit = Literal["count", "percent", "rate", "number", "money", "days", "text"]
# error: blocks approval; warning: to look at; note: what a check did (which rows it added up).
Severity = Literal["error", "warning", "note"]


@dataclass
class Figure:
    """One number the report shows, with where it came from."""

    key: str
    label: str
    value: float | int | None
    text: str
    unit: Unit = "number"
    source: str = ""
    # For disclosure control: the count a rate or percentage rests on (its numerator), and
    # for a percentage of a count of people, that count (its denominator: the rest, `of`
    # less `basis`, is a count of people too).
    basis: int | None = None
    suppressed: bool = False
    # Whether the figure counts people (children, families, staff), or rests on such a count:
    # only those are suppressed when small. Counts of meetings, agencies, actions or
    # indicators are published as they are.
    people: bool = True
    # The measure the figure gives a value of (`registry.measure`), when one: two figures of
    # one measure with different values block approval (board attendance computed from the
    # registers, and an indicator of the dataset linked to the same measure).
    measure: str = ""
    of: int | None = None

    def same_value(self, other: Figure) -> bool:
        if self.value is None or other.value is None:
            return self.value is other.value and self.text == other.text
        return math.isclose(float(self.value), float(other.value), rel_tol=1e-9, abs_tol=1e-9)


@dataclass
class Cell:
    text: str
    figure: str | None = None  # key of the figure shown, when it is one
    numeric: bool = False
    value: float | None = None  # the number behind a numeric cell, for total checks

    @classmethod
    def of(cls, figure: Figure) -> Cell:
        value = float(figure.value) if isinstance(figure.value, int | float) else None
        return cls(figure.text, figure.key, figure.unit != "text", value)

    @classmethod
    def count(cls, value: int) -> Cell:
        """A count, its number kept for the table's total checks."""
        return cls(str(value), numeric=True, value=float(value))

    @classmethod
    def percent(cls, percent: int | None, *, hidden: bool = False) -> Cell:
        """A whole-number percentage: `c` when disclosure control hides it, `z` when there was
        nothing to count."""
        return cls("c" if hidden else (f"{percent}%" if percent is not None else "z"), numeric=True)

    @classmethod
    def counts(cls, rows: list[list[Any]]) -> list[list[Cell]]:
        """The rows of a table of counts: a label, then counts."""
        return [[cls(str(row[0])), *(cls.count(v) for v in row[1:])] for row in rows]


@dataclass
class Block:
    kind: str


@dataclass
class Heading(Block):
    text: str
    level: int = 3

    def __init__(self, text: str, level: int = 3) -> None:
        super().__init__("heading")
        self.text, self.level = text, level


@dataclass
class Paragraph(Block):
    """Text in Markdown; `[[figure key]]` marks an embedded figure (resolved before rendering)."""

    markdown: str

    def __init__(self, markdown: str) -> None:
        super().__init__("paragraph")
        self.markdown = markdown


@dataclass
class Table(Block):
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    # The last row holds the totals of the numeric columns; checked before publishing.
    total_row: bool = False
    # The last column holds each row's total of the numeric columns before it.
    total_column: bool = False
    # Tables of counts of people get secondary suppression in the public edition.
    counts: bool = False

    def __init__(
        self,
        caption: str,
        columns: list[str],
        rows: list[list[Cell]],
        *,
        total_row: bool = False,
        total_column: bool = False,
        counts: bool = False,
    ) -> None:
        super().__init__("table")
        self.caption, self.columns, self.rows = caption, columns, rows
        self.total_row, self.total_column, self.counts = total_row, total_column, counts


@dataclass
class Chart(Block):
    title: str
    spec: dict[str, Any]
    description: str  # the text alternative: what the chart shows, in words

    def __init__(self, title: str, spec: dict[str, Any], description: str) -> None:
        super().__init__("chart")
        self.title, self.spec, self.description = title, spec, description


@dataclass
class Problem:
    severity: Severity
    message: str
    section: str = ""  # section key


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    narrative: bool = False
    problems: list[Problem] = field(default_factory=list)
    section_id: int | None = None  # the ReportSection row, for links to fix it

    @property
    def anchor(self) -> str:
        return "section-" + self.key.replace(".", "-").replace("_", "-")


@dataclass
class Document:
    title: str
    partnership: str
    year: str
    edition: str  # "board" or "public"
    as_at: str
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: int | None = None
    # The first figure of each measure, to find another value of the same measure.
    measures: dict[str, str] = field(default_factory=dict)
    # A corrected edition says what changed from the previous version.
    correction: str = ""

    def add_figure(self, figure: Figure, section: str = "") -> Figure:
        """Register a figure; the same figure with another value is a problem to resolve."""
        existing = self.figures.get(figure.key)
        if existing is None:
            self.figures[figure.key] = figure
            self._check_measure(figure, section)
            return figure
        if not existing.same_value(figure):
            self.problems.append(
                Problem(
                    "error",
                    f"{figure.label} is shown with two values: {existing.text} and {figure.text}",
                    section,
                )
            )
        return existing

    def _check_measure(self, figure: Figure, section: str) -> None:
        if not figure.measure or figure.value is None or figure.suppressed:
            return
        first_key = self.measures.setdefault(figure.measure, figure.key)
        first = self.figures.get(first_key)
        if first is None or first is figure or first.value is None:
            return
        if abs(float(first.value) - float(figure.value)) >= 0.5:
            from .registry import measure_label

            self.problems.append(
                Problem(
                    "error",
                    f"{measure_label(figure.measure)} has two values in the report: "
                    f"{first.text} ({first.label}) and {figure.text} ({figure.label}). One "
                    "measure, one value: correct the records, or unlink the indicator from the "
                    "measure if it measures something else",
                    section,
                )
            )

    def figure_number(self, key: str) -> int:
        """Position of a figure in the list of sources (for footnote links)."""
        return list(self.figures).index(key) + 1

    # --- storage -----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        sections = []
        for raw in data["sections"]:
            blocks = [_block_from_json(b) for b in raw["blocks"]]
            sections.append(
                Section(
                    key=raw["key"],
                    title=raw["title"],
                    blocks=blocks,
                    narrative=raw["narrative"],
                    problems=[Problem(**p) for p in raw["problems"]],
                    section_id=raw["section_id"],
                )
            )
        return cls(
            title=data["title"],
            partnership=data["partnership"],
            year=data["year"],
            edition=data["edition"],
            as_at=data["as_at"],
            sections=sections,
            figures={k: Figure(**v) for k, v in data["figures"].items()},
            problems=[Problem(**p) for p in data["problems"]],
            version=data.get("version"),
            correction=data.get("correction", ""),
            measures=data.get("measures", {}),
        )


def _block_from_json(raw: dict[str, Any]) -> Block:
    kind = raw["kind"]
    if kind == "heading":
        return Heading(raw["text"], raw["level"])
    if kind == "paragraph":
        return Paragraph(raw["markdown"])
    if kind == "table":
        return Table(
            raw["caption"],
            raw["columns"],
            [[Cell(**c) for c in row] for row in raw["rows"]],
            total_row=raw["total_row"],
            total_column=raw["total_column"],
            counts=raw["counts"],
        )
    if kind == "chart":
        return Chart(raw["title"], raw["spec"], raw["description"])
    raise ValueError(f"unknown block kind {kind}")
