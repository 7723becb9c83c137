"""The report's own sections: the summary on a page, the foreword, priorities and glossary.
Modules add theirs in `<app>/report.py`."""

from __future__ import annotations

from safeboard.partnership import eras
from safeboard.reporting import registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Document, Paragraph, Table


@registry.section("summary", "The year on a page", order=10, part="summary")
def summary(ctx: ReportContext, doc: Document) -> list[Block]:
    rows = []
    for key, args in registry.headlines():
        try:
            figure = registry.call_resolver(key, ctx, list(args))
        except (KeyError, LookupError, ValueError):
            continue
        figure.key = ":".join([key, *args])
        figure = doc.add_figure(figure, "summary")
        rows.append([Cell(figure.label), Cell.of(figure)])
    blocks: list[Block] = [
        Paragraph(
            f"The main figures of {ctx.partnership.name} for the financial year {ctx.year.label} "
            f"(April {ctx.year.start.year} to March {ctx.year.end.year}), computed from the "
            "partnership’s records. Each is explained in the sections that follow."
        )
    ]
    if rows:
        blocks.append(Table(f"Key figures, {ctx.year.label}", ["Figure", "Value"], rows))
    return blocks


registry.narrative(
    "foreword",
    "Foreword",
    order=20,
    part="introduction",
    hint="The chair’s view of the year: what went well, what did not, and what comes next. "
    "Embed figures as [[key]] so the text always agrees with the tables.",
)
registry.narrative(
    "introduction",
    "About the partnership",
    order=30,
    part="introduction",
    required=False,
    hint="What the partnership is for and how it works.",
    default_text=(
        # In the words of the arrangements of the report's year (partnership.eras.fill).
        "{Body} brings together the agencies that work with children in the area: the "
        "council, the police and health services, who are its {core_members}, and schools, "
        "colleges, probation, CAFCASS, housing, youth justice and the voluntary sector. It "
        "coordinates what each agency does to safeguard and promote the welfare of children, "
        "and checks that what they do is effective."
    ),
)
registry.narrative(
    "priorities",
    "Priorities for next year",
    order=800,
    part="priorities",
    hint="The partnership’s priorities for the coming year and how progress will be measured.",
)

GLOSSARY = {
    "CAFCASS": "Children and Family Court Advisory and Support Service",
    "CDOP": "Child Death Overview Panel: reviews the deaths of all children in the area",
    "Child in need": "A child who needs services to reach or keep a reasonable standard of "
    "health or development (Children Act 1989, section 17)",
    "Child protection plan": "A plan for a child at risk of significant harm, agreed at a "
    "child protection conference",
    "CSE": "Child sexual exploitation",
    "Early help": "Support for children and families as soon as problems emerge",
    "LADO": "Local authority designated officer: manages allegations against people who work "
    "with children",
    "MASH": "Multi-agency safeguarding hub",
    "RAG": "Red, amber, green: a rating of performance against a target",
    "Section 11": "The duty of agencies to safeguard and promote the welfare of children "
    "(Children Act 2004, section 11), and the audit of how they meet it",
    "Statistical neighbours": "The ten local authorities most similar to this one, by the "
    "Department for Education’s model",
}


@registry.section("glossary", "Glossary", order=900, part="appendix")
def glossary(ctx: ReportContext, doc: Document) -> list[Block]:
    """The terms of the report, with those of the arrangements in force in its year (an
    LSCB's or the safeguarding partners'; a CCG's or an ICB's): partnership.eras."""
    terms = {**GLOSSARY, **eras.era_on(ctx.partnership, ctx.year.end).glossary}
    rows = [
        [Cell(term), Cell(meaning)]
        for term, meaning in sorted(terms.items(), key=lambda t: t[0].lower())
    ]
    return [Table("Terms used in this report", ["Term", "Meaning"], rows)]
