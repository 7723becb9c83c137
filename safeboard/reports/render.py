"""Render a report document as HTML (the preview, the accessible edition, the PDF's source),
PDF (WeasyPrint) and Word (python-docx). One document, one set of figures, every format."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from safeboard.reporting.document import (
    Block,
    Chart,
    Document,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
)

from . import charts, narrative

Progress = Callable[[int, str], None]
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _noop(percent: int, stage: str) -> None:
    pass


# Control characters (pasted from other programs: Word's line break is a vertical tab) mean
# nothing in a report, and XML, so Word, cannot hold them. Tab, newline and carriage return
# stay; a vertical tab or form feed becomes a space; the others go.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_SPACES = str.maketrans({"\x0b": " ", "\x0c": " "})


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROLS.sub("", value.translate(_SPACES))
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def printable(doc: Document) -> Document:
    """`doc` without control characters in any of its text: the one gate through which every
    format (preview, HTML, PDF, Word) takes a document's text."""
    return Document.from_json(_clean(doc.to_json()))


def file_name(doc: Document, fmt: str) -> str:
    base = slugify(f"{doc.partnership} annual report {doc.year} {doc.edition}")
    if doc.version and doc.version > 1:
        base += f"-v{doc.version}"
    return f"{base}.{fmt}"


# --- HTML ---------------------------------------------------------------------------------


class HtmlRenderer:
    """Blocks to HTML. `charts`: "embed" (vega-embed in the browser) or "svg" (inline)."""

    def __init__(self, doc: Document, *, chart_mode: str = "embed") -> None:
        self.doc = doc
        self.chart_mode = chart_mode
        self.numbers = {key: index for index, key in enumerate(doc.figures, start=1)}

    def figure(self, key: str) -> str:
        found: Figure | None = self.doc.figures.get(key)
        if found is None:
            return f'<strong class="sb-missing-figure">[[{escape(key)}]]</strong>'
        number = self.numbers[key]
        if self.chart_mode == "image":  # print: a link to the source, no hover text
            return f'<a class="sb-figure" href="#source-{number}">{escape(found.text)}</a>'
        tip = f"{found.label}. Source: {found.source}" if found.source else found.label
        return (
            f'<a class="sb-figure" href="#source-{number}" title="{escape(tip)}" '
            f'aria-describedby="source-{number}">{escape(found.text)}</a>'
        )

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            level = min(max(block.level, 3), 4)
            size = "m" if level == 3 else "s"
            return f'<h{level} class="govuk-heading-{size}">{escape(block.text)}</h{level}>'
        if isinstance(block, Paragraph):
            html = narrative.render_html(block.markdown, self.figure)
            html = html.replace("<p>", '<p class="govuk-body">')
            html = html.replace("<ul>", '<ul class="govuk-list govuk-list--bullet">')
            html = html.replace("<ol>", '<ol class="govuk-list govuk-list--number">')
            return html
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Chart):
            return self.chart(block)
        return ""

    def cell(self, text: str, key: str | None) -> str:
        if key and key in self.doc.figures:
            return self.figure(key)
        return str(escape(text))

    def table(self, table: Table) -> str:
        numeric = [
            any(row[i].numeric for row in table.rows if i < len(row))
            for i in range(len(table.columns))
        ]
        head = "".join(
            f'<th scope="col" class="govuk-table__header'
            f'{" govuk-table__header--numeric" if numeric[i] else ""}">{escape(c)}</th>'
            for i, c in enumerate(table.columns)
        )
        body = []
        for index, row in enumerate(table.rows):
            total = table.total_row and index == len(table.rows) - 1
            cells = []
            for i, cell in enumerate(row):
                content = self.cell(cell.text, cell.figure)
                if i == 0:
                    cells.append(f'<th scope="row" class="govuk-table__header">{content}</th>')
                else:
                    css = "govuk-table__cell" + (
                        " govuk-table__cell--numeric" if cell.numeric else ""
                    )
                    cells.append(f'<td class="{css}">{content}</td>')
            css = "govuk-table__row" + (" sb-total-row" if total else "")
            body.append(f'<tr class="{css}">{"".join(cells)}</tr>')
        return (
            f'<div class="sb-table-wrapper"><table class="govuk-table sb-report-table">'
            f'<caption class="govuk-table__caption govuk-table__caption--s">'
            f'{escape(table.caption)}</caption><thead class="govuk-table__head">'
            f'<tr class="govuk-table__row">{head}</tr></thead>'
            f'<tbody class="govuk-table__body">{"".join(body)}</tbody></table></div>'
        )

    def chart(self, chart: Chart) -> str:
        caption = (
            '<figcaption class="govuk-body govuk-!-font-weight-bold">'
            f"{escape(chart.title)}</figcaption>"
        )
        description = (
            f'<p class="govuk-body-s sb-chart-description">{escape(chart.description)}</p>'
        )
        if self.chart_mode == "svg":
            drawing = (
                f'<div class="sb-chart-svg" role="img" aria-label="{escape(chart.description)}">'
                f"{charts.svg(chart.spec)}</div>"
            )
        elif self.chart_mode == "image":
            # For WeasyPrint: an SVG image is drawn as vectors without going through the HTML
            # parser and the CSS cascade, element by element, as inline SVG would.
            drawing = (
                f'<img class="sb-chart-image" src="{charts.svg_data_uri(chart.spec)}" '
                f'alt="{escape(chart.description)}">'
            )
        else:
            ident = charts.spec_id(chart.spec)
            payload = json.dumps(chart.spec).translate(_JSON_ESCAPES)
            drawing = (
                f'<div class="sb-chart" data-vega-spec="{ident}" role="img" '
                f'aria-label="{escape(chart.description)}"></div>'
                f'<script type="application/json" id="{ident}">{payload}</script>'
            )
        return f'<figure class="sb-report-chart">{caption}{drawing}{description}</figure>'

    def section(self, number: int, section: Section) -> dict[str, Any]:
        return {
            "number": number,
            "section": section,
            "anchor": section.anchor,
            "html": mark_safe(self.blocks(section.blocks)),  # noqa: S308
        }

    def blocks(self, blocks: list[Block]) -> str:
        """The blocks in order; a heading and what follows it down to its chart are kept
        together on paper (`.sb-keep-together`), so no heading is left at the foot of a page
        with its chart on the next."""
        parts: list[str] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            end = _chart_after(blocks, index) if isinstance(block, Heading) else None
            if end is None:
                parts.append(self.block(block))
                index += 1
                continue
            inner = "".join(self.block(b) for b in blocks[index : end + 1])
            parts.append(f'<div class="sb-keep-together">{inner}</div>')
            index = end + 1
        return "".join(parts)

    def context(self) -> dict[str, Any]:
        sections = [self.section(i, s) for i, s in enumerate(self.doc.sections, start=1)]
        sources = [
            {"number": self.numbers[key], "figure": fig} for key, fig in self.doc.figures.items()
        ]
        return {"doc": self.doc, "sections": sections, "sources": sources}


def _chart_after(blocks: list[Block], start: int, reach: int = 3) -> int | None:
    """The index of the chart a heading introduces: within `reach` blocks of it, before any
    other heading or table; None when there is none."""
    for index in range(start + 1, min(start + 1 + reach, len(blocks))):
        block = blocks[index]
        if isinstance(block, Chart):
            return index
        if isinstance(block, Heading | Table):
            return None
    return None


def html_fragment(doc: Document, *, chart_mode: str = "embed") -> SafeString:
    """The report's body, for pages inside Safeboard."""
    doc = printable(doc)
    # The template escapes text; blocks are built from escaped parts.
    return mark_safe(  # noqa: S308
        render_to_string(
            "reports/_document.html", HtmlRenderer(doc, chart_mode=chart_mode).context()
        )
    )


def _css() -> str:
    return (Path(settings.BASE_DIR) / "safeboard" / "reports" / "print.css").read_text()


def standalone_html(doc: Document, progress: Progress = _noop) -> str:
    """A single, self-contained, accessible HTML file: styles inside, charts as SVG."""
    doc = printable(doc)
    progress(10, "Drawing the charts")
    renderer = HtmlRenderer(doc, chart_mode="svg")
    context = renderer.context()
    progress(80, "Writing the page")
    return render_to_string("reports/standalone.html", {**context, "css": mark_safe(_css())})  # noqa: S308


def pdf(doc: Document, progress: Progress = _noop) -> bytes:
    """A4 tagged PDF (PDF/UA) with a contents page, page numbers, running headers and vector
    charts."""
    from weasyprint import CSS, HTML

    doc = printable(doc)
    progress(5, "Drawing the charts")
    total = sum(1 for s in doc.sections for b in s.blocks if isinstance(b, Chart)) or 1
    done = 0
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Chart):
                charts.svg(block.spec)  # warms the cache; the renderer reuses it
                done += 1
                progress(5 + int(45 * done / total), f"Drawing chart {done} of {total}")
    renderer = HtmlRenderer(doc, chart_mode="image")
    html = render_to_string("reports/print.html", renderer.context())
    progress(55, "Laying out the pages")
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(string=_css())]
    )
    progress(90, "Writing the PDF")
    # Tagged (PDF/UA-1): the document's language, its headings, lists, tables with their
    # header cells, and each chart as a figure with its description as alternative text.
    return document.write_pdf(pdf_variant="pdf/ua-1")


# --- Word ---------------------------------------------------------------------------------


def docx(doc: Document, progress: Progress = _noop) -> bytes:
    """A Word document on A4: headings as Word headings (the navigation pane works), tables
    as real tables, charts as images with their descriptions, a contents list that shows as it
    is (no field for the reader to update), and running headers and footers with page
    numbers."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT  # noqa: F401
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = printable(doc)
    word = WordDocument()
    _a4_with_running_heads(word, doc, OxmlElement, qn)
    styles = word.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    properties = word.core_properties
    properties.title = doc.title
    properties.subject = f"{doc.partnership}, {doc.year}"
    properties.author = doc.partnership

    word.add_heading(doc.title, level=0)
    word.add_paragraph(
        f"{doc.partnership}. Financial year {doc.year}. "
        f"{'Public' if doc.edition == 'public' else 'Board'} edition"
        f"{f', version {doc.version}' if doc.version else ''}. "
        f"Figures as at {doc.as_at}."
    )
    if doc.correction:
        correction = word.add_paragraph()
        correction.add_run("Corrected edition. ").bold = True
        correction.add_run(doc.correction)
    word.add_heading("Contents", level=1)
    for number, section in enumerate(doc.sections, start=1):
        word.add_paragraph(f"{number}. {section.title}", style="List Paragraph")
    word.add_paragraph("Sources of figures", style="List Paragraph")
    word.add_page_break()

    total = len(doc.sections) or 1
    for number, section in enumerate(doc.sections, start=1):
        progress(5 + int(85 * number / total), f"Writing section {number} of {total}")
        word.add_heading(f"{number}. {section.title}", level=1)
        for block in section.blocks:
            if isinstance(block, Heading):
                word.add_heading(block.text, level=2 if block.level <= 3 else 3)
            elif isinstance(block, Paragraph):
                _markdown_to_word(word, block.markdown, lambda key: _figure_text(doc, key))
            elif isinstance(block, Table):
                _word_table(word, block, doc)
            elif isinstance(block, Chart):
                word.add_paragraph(block.title, style="Caption")
                word.add_picture(io.BytesIO(charts.png(block.spec)), width=Cm(15.5))
                image = word.paragraphs[-1]
                image.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _alt_text(word, block.description)
                word.add_paragraph(block.description, style="Caption")
    word.add_heading("Sources of figures", level=1)
    for index, (_key, figure) in enumerate(doc.figures.items(), start=1):
        word.add_paragraph(
            f"{index}. {figure.label}: {figure.text}. {figure.source}", style="List Number"
        )
    progress(95, "Writing the file")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _figure_text(doc: Document, key: str) -> str:
    found = doc.figures.get(key)
    return found.text if found else f"[[{key}]]"


def _a4_with_running_heads(word: Any, doc: Document, oxml: Any, qn: Any) -> None:
    """A4 pages with 2.5 cm margins; the partnership and the report's title at the head of
    every page but the first, the edition and "Page N of M" at its foot."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    section.different_first_page_header_footer = True  # the title page has none
    head = section.header.paragraphs[0]
    head.text = f"{doc.partnership} · {doc.title}"
    foot = section.footer.paragraphs[0]
    foot.text = f"{'Public' if doc.edition == 'public' else 'Board'} edition · Page "
    _field(foot, "PAGE", "1", oxml, qn)
    foot.add_run(" of ")
    _field(foot, "NUMPAGES", "1", oxml, qn)
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for paragraph in (head, foot):
        for run in paragraph.runs:
            run.font.size = Pt(8)


def _field(paragraph: Any, code: str, shown: str, oxml: Any, qn: Any) -> None:
    """A simple field (PAGE, NUMPAGES) Word computes as it lays out the pages."""
    field = oxml("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = oxml("w:r")
    text = oxml("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _alt_text(word: Any, description: str) -> None:
    inline = word.inline_shapes[-1]._inline
    doc_pr = inline.docPr
    doc_pr.set("descr", description)
    doc_pr.set("title", description[:100])


_INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def _add_runs(paragraph: Any, text: str) -> None:
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def _markdown_to_word(word: Any, text: str, figure_text: Callable[[str], str]) -> None:
    filled = narrative.REFERENCE.sub(lambda m: figure_text(m.group(1)), text)
    filled = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", filled)
    for chunk in re.split(r"\n\s*\n", filled):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(re.match(r"^\s*[-*] ", line) for line in lines):
            for line in lines:
                _add_runs(word.add_paragraph(style="List Bullet"), re.sub(r"^\s*[-*] ", "", line))
        elif all(re.match(r"^\s*\d+[.)] ", line) for line in lines):
            for line in lines:
                _add_runs(
                    word.add_paragraph(style="List Number"), re.sub(r"^\s*\d+[.)] ", "", line)
                )
        elif lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")), 3)
            word.add_heading(lines[0].lstrip("#").strip(), level=max(level - 1, 2))
            if lines[1:]:
                _add_runs(word.add_paragraph(), " ".join(lines[1:]))
        else:
            _add_runs(word.add_paragraph(), " ".join(line.strip() for line in lines))


def _word_table(word: Any, table: Table, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    word.add_paragraph(table.caption, style="Caption")
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0].cells
    for i, title in enumerate(table.columns):
        header[i].text = title
        for run in header[i].paragraphs[0].runs:
            run.bold = True
    _repeat_header(grid.rows[0])
    for index, row in enumerate(table.rows):
        cells = grid.add_row().cells
        total = table.total_row and index == len(table.rows) - 1
        for i, cell in enumerate(row[: len(table.columns)]):
            text = _figure_text(doc, cell.figure) if cell.figure in doc.figures else cell.text
            cells[i].text = text
            paragraph = cells[i].paragraphs[0]
            if cell.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if total or (i == 0 and total):
                for run in paragraph.runs:
                    run.bold = True


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
