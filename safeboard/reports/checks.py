"""Checks before a report may be approved: each problem names its section and says what to fix.

Errors block approval: placeholders left in the text (TBC, INSERT ...), required sections left
empty, figures that cannot be found or have no source, totals that differ from the sum of their
parts, and a figure shown with two values. Warnings do not block: a number typed into the text
that is also a figure the report knows (embed it, so it stays right).
"""

from __future__ import annotations

import math
import re

from safeboard.reporting.document import Cell, Document, Figure, Problem, Section, Table

from . import narrative


def run(doc: Document) -> list[Problem]:
    problems = list(doc.problems)
    known_texts: dict[str, list[Figure]] = {}
    for figure in doc.figures.values():
        if figure.unit != "text":
            known_texts.setdefault(figure.text, []).append(figure)
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
                problems.extend(_check_totals(section, block, typed=section.narrative))
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
                for token, context in narrative.typed_numbers_in_context(text):
                    same = duplicated(token, context, known_texts.get(token, []))
                    if same is not None:
                        problems.append(
                            Problem(
                                "warning",
                                f"‘{token}’ is typed, and is the figure [[{same.key}]]: "
                                "embed the figure so the text stays right if the data change",
                                section.key,
                            )
                        )
    return problems


def duplicated(token: str, context: str, candidates: list[Figure]) -> Figure | None:
    """The figure a typed number duplicates, if any. A number merely equal to a figure is not
    enough ("18" in "under the age of 18", "1" in "Priority Area 1"): the words around it must
    name the figure's subject (share a word with its label or source), or the number must be
    unlikely to coincide by chance (100 or more, or with decimals)."""
    for figure in candidates:
        if narrative.unlikely_by_chance(token) or narrative.same_subject(
            context, figure.label, figure.source
        ):
            return figure
    return None


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


# A column or row of percentages, rates, averages or ratios is never added up.
NOT_ADDITIVE = re.compile(
    r"%|\bper\s?cent|\bpercentage|\brates?\b|\baverage|\bmean\b|\bmedian\b|\bratio\b"
    r"|\bper\s+[\d,]+\b|\bproportion",
    re.IGNORECASE,
)


def _not_additive(text: str) -> bool:
    return bool(NOT_ADDITIVE.search(text or ""))


def _quote(names: list[str]) -> str:
    quoted = [f"‘{n}’" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _check_totals(section: Section, table: Table, *, typed: bool = False) -> list[Problem]:
    """Totals of counts and money are checked; percentages and rates are never summed (a
    column whose heading or cells are percentages or rates, or a total row labelled so). For a
    table typed into the text, a note says what was checked."""
    problems = []
    if table.total_row and len(table.rows) >= 2:
        *parts, total = table.rows
        label = total[0].text if total else ""
        if _not_additive(label):
            if typed:
                problems.append(
                    Problem(
                        "note",
                        f"In ‘{table.caption}’, ‘{label}’ is a row of percentages or rates: "
                        "not added up",
                        section.key,
                    )
                )
            parts = []
        checked, skipped = [], []
        for index, cell in enumerate(total if parts else []):
            expected = _number(cell)
            if expected is None or not cell.numeric:
                continue
            column = table.columns[index] if index < len(table.columns) else str(index + 1)
            texts = [cell.text] + [row[index].text for row in parts if index < len(row)]
            if _not_additive(column) or any(t.strip().endswith("%") for t in texts):
                skipped.append(column)
                continue
            values = [_number(row[index]) for row in parts if index < len(row)]
            if any(v is None for v in values):
                continue  # a suppressed or missing part: nothing to add up
            checked.append(column)
            actual = sum(v for v in values if v is not None)
            if not math.isclose(actual, expected, abs_tol=0.5e-6):
                problems.append(
                    Problem(
                        "error",
                        f"In ‘{table.caption}’, the total of ‘{column}’ is "
                        f"{cell.text} but its parts add up to {_fmt(actual)}",
                        section.key,
                    )
                )
        if typed and (checked or skipped):
            message = f"In ‘{table.caption}’, checked the row ‘{label}’ against the {len(parts)} "
            message += f"rows above it in {_quote(checked)}" if checked else "rows above it"
            if skipped:
                message += f"; not added up: {_quote(skipped)} (a percentage or rate)"
            problems.append(Problem("note", message, section.key))
    if table.total_column:
        for row in table.rows:
            cells = [
                c
                for i, c in enumerate(row)
                if c.numeric
                and not c.text.strip().endswith("%")
                and not _not_additive(table.columns[i] if i < len(table.columns) else "")
            ]
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
