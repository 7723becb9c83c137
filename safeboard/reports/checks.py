"""Checks before a report may be approved: each problem names its section and says what to fix.

Errors block approval: placeholders left in the text (TBC, INSERT ...), required sections left
empty, figures that cannot be found or have no source, totals that differ from the sum of their
parts, and a figure shown with two values. Warnings do not block: a number typed into the text
that is also a figure the report knows (embed it, so it stays right).
"""

from __future__ import annotations

import math

from safeboard.reporting.document import Cell, Document, Problem, Section, Table

from . import narrative


def run(doc: Document) -> list[Problem]:
    problems = list(doc.problems)
    known_texts: dict[str, str] = {}
    for figure in doc.figures.values():
        if figure.unit != "text" and figure.text not in known_texts:
            known_texts[figure.text] = figure.key
        if not figure.source.strip():
            problems.append(
                Problem(
                    "error",
                    f"The figure ‘{figure.label}’ has no source",
                    _section_of(doc, figure.key),
                )
            )
    for section in doc.sections:
        problems.extend(section.problems)
        for block in section.blocks:
            if isinstance(block, Table):
                problems.extend(_check_totals(section, block))
            if isinstance(block, Table) and section.narrative:
                # A table typed into a narrative: its cells are text someone wrote.
                cells = "\n".join(c.text for row in block.rows for c in row)
                for found in narrative.placeholders(cells):
                    problems.append(
                        Problem(
                            "error",
                            f"‘{found}’ in the table ‘{block.caption}’ is a placeholder: "
                            "write the figure or remove it",
                            section.key,
                        )
                    )
            if block.kind == "paragraph" and section.narrative:
                text = block.markdown  # type: ignore[attr-defined]
                for found in narrative.placeholders(text):
                    problems.append(
                        Problem(
                            "error",
                            f"‘{found}’ is a placeholder: write the text or remove it",
                            section.key,
                        )
                    )
                for token in narrative.typed_numbers(text):
                    key = known_texts.get(token)
                    if key:
                        problems.append(
                            Problem(
                                "warning",
                                f"‘{token}’ is typed, and is the figure [[{key}]]: embed "
                                "the figure so the text stays right if the data change",
                                section.key,
                            )
                        )
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _section_of(doc: Document, key: str) -> str:
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Table) and any(c.figure == key for r in block.rows for c in r):
                return section.key
            if block.kind == "paragraph" and f"[[{key}" in block.markdown:  # type: ignore[attr-defined]
                return section.key
    return ""


def _number(cell: Cell) -> float | None:
    if cell.value is not None:
        return cell.value
    text = cell.text.replace(",", "").replace("£", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _check_totals(section: Section, table: Table) -> list[Problem]:
    problems = []
    if table.total_row and len(table.rows) >= 2:
        *parts, total = table.rows
        for index, cell in enumerate(total):
            expected = _number(cell)
            if expected is None or not cell.numeric:
                continue
            values = [_number(row[index]) for row in parts if index < len(row)]
            if any(v is None for v in values):
                continue  # a suppressed or missing part: nothing to add up
            actual = sum(v for v in values if v is not None)
            if not math.isclose(actual, expected, abs_tol=0.5e-6):
                problems.append(
                    Problem(
                        "error",
                        f"In ‘{table.caption}’, the total of ‘{table.columns[index]}’ is "
                        f"{cell.text} but its parts add up to {_fmt(actual)}",
                        section.key,
                    )
                )
    if table.total_column:
        for row in table.rows:
            cells = [c for c in row if c.numeric]
            if len(cells) < 2:
                continue
            *addends, total_cell = cells
            expected = _number(total_cell)
            values = [_number(c) for c in addends]
            if expected is None or any(v is None for v in values):
                continue
            actual = sum(v for v in values if v is not None)
            if not math.isclose(actual, expected, abs_tol=0.5e-6):
                problems.append(
                    Problem(
                        "error",
                        f"In ‘{table.caption}’, the row ‘{row[0].text}’ totals {total_cell.text} "
                        f"but its parts add up to {_fmt(actual)}",
                        section.key,
                    )
                )
    return problems


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
