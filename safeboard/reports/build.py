"""Build a report's document from its sections and the records."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING, cast

from safeboard.core import tenancy
from safeboard.core.periods import FinancialYear
from safeboard.reporting import registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Cell, Document, Figure, Paragraph, Problem, Section, Table

from . import narrative

if TYPE_CHECKING:
    from .models import Report

log = logging.getLogger(__name__)
NUMBER = re.compile(r"^£?-?[\d,]+(\.\d+)?%?$")
# A last row labelled Total, Totals, Grand total, Overall or All is a total row; whether it is
# added up (counts and money) or not (percentages, rates) is for the checks to say.
TOTAL_LABEL = re.compile(r"^\s*(\*\*)?(grand\s+)?(totals?|overall|all|sum)\b", re.IGNORECASE)


def build_document(
    report: Report, edition: str = "board", *, as_at: date | None = None
) -> Document:
    """The report as it stands now: generated sections rebuilt from the records as at the
    report's date, narrative with its figures filled in, and the problems found."""
    from . import checks

    partnership = report.partnership
    with tenancy.partnership_scope(partnership):
        ctx = ReportContext(
            partnership=partnership,
            year=FinancialYear(report.year),
            as_at=as_at or report.as_at,
            edition=edition,
        )
        doc = Document(
            title=report.title,
            partnership=partnership.name,
            year=ctx.year.label,
            edition=edition,
            as_at=ctx.as_at.isoformat(),
            version=report.version,
        )
        for row in report.sections.filter(hidden=False).order_by("position", "pk"):
            spec = registry.get_section(row.key)
            if edition == "public" and (row.board_only or (spec is not None and not spec.public)):
                continue
            section = Section(
                key=row.key,
                title=row.title,
                section_id=row.pk,
                narrative=spec is None or spec.builder is None,
            )
            if section.narrative:
                _narrative(ctx, doc, section, row.text, required=row.required)
            else:
                assert spec is not None and spec.builder is not None
                try:
                    section.blocks = spec.builder(ctx, doc)
                except Exception as exc:  # a section that fails must not sink the report
                    log.exception("report section %s failed", row.key)
                    section.problems.append(
                        Problem("error", f"This section could not be built: {exc}", row.key)
                    )
            doc.sections.append(section)
        doc.problems = checks.run(doc)
    return doc


def _narrative(
    ctx: ReportContext, doc: Document, section: Section, text: str, *, required: bool
) -> None:
    if required and not (text or "").strip():
        section.problems.append(
            Problem(
                "error",
                "This section is empty: write it, or hide it if the report does not need it",
                section.key,
            )
        )
    for key, args in narrative.references(text):
        full = narrative.reference_key(key, args)
        if full in doc.figures:
            continue
        try:
            figure = registry.call_resolver(key, ctx, args)
        except KeyError:
            section.problems.append(
                Problem(
                    "error",
                    f"[[{full}]] is not a figure Safeboard knows: check its name in the "
                    "list of figures",
                    section.key,
                )
            )
            continue
        except (LookupError, ValueError) as exc:
            section.problems.append(Problem("error", f"[[{full}]]: {exc}", section.key))
            continue
        figure.key = full
        doc.add_figure(figure, section.key)
    for kind, content in narrative.split_tables(text):
        if kind == "text":
            section.blocks.append(Paragraph(str(content)))
        else:
            header, rows = cast(tuple[list[str], list[list[str]]], content)
            section.blocks.append(_typed_table(section.title, header, rows, doc))


def _typed_table(title: str, header: list[str], rows: list[list[str]], doc: Document) -> Table:
    """A table typed into narrative: cells may embed figures; a last row labelled Total(s),
    Overall or All is checked against the sum of the rows above it (see checks)."""

    def cell(text: str) -> Cell:
        refs = list(narrative.references(text))
        if len(refs) == 1 and narrative.REFERENCE.fullmatch(text.strip()):
            key = narrative.reference_key(*refs[0])
            figure: Figure | None = doc.figures.get(key)
            if figure is not None:
                return Cell.of(figure)
        plain = text.strip().strip("*")
        if NUMBER.match(plain):
            return Cell(plain, numeric=True)
        return Cell(plain)

    cells = [[cell(t) for t in row] for row in rows]
    for row in cells:
        for c in row:
            if c.numeric and c.value is None and not c.text.endswith("%"):
                c.value = _count(c.text)
    total_row = bool(rows) and bool(TOTAL_LABEL.match(rows[-1][0]))
    # A table whose headings or row labels name people (children, deaths, referrals ...)
    # counts people: the public edition suppresses its small counts (core.disclosure).
    labels = " ".join([*header, *(row[0] for row in rows if row)])
    counts = bool(PEOPLE.search(labels)) and not MONEY.search(" ".join(header))
    return Table(f"{title}: table", header, cells, total_row=total_row, counts=counts)


# Words that make a typed table one of counts of people (for disclosure control).
PEOPLE = re.compile(
    r"\b(child(ren)?|young people|people|persons?|famil(y|ies)|adults?|parents?|carers?|"
    r"staff|pupils?|students?|victims?|deaths?|referrals?|cases?|allegations?|"
    r"notifications?|assessments?|plans?|looked after|care leavers?|missing|offenders?|"
    r"patients?|mothers?|babies|infants?|girls?|boys?|households?)\b",
    re.IGNORECASE,
)
MONEY = re.compile(r"£|\b(budget|income|spend|expenditure|contribution|cost)s?\b", re.IGNORECASE)


def _count(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("£", ""))
    except ValueError:
        return None
