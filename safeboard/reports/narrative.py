"""Narrative text: Markdown with embedded figures (`[[key]]` or `[[key:arg]]`).

Embedding a figure instead of typing it keeps text and tables in agreement: the number comes
from the records when the report is built. Typed numbers that duplicate a known figure, and
placeholders left in the text, are found here for the checks before publishing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import markdown as md
import nh3
from django.utils.html import escape

REFERENCE = re.compile(r"\[\[\s*([a-z][a-z0-9_.]*(?::[^\]\s:]+)*)\s*\]\]")
# Placeholders in any case (tbc, TBC), but INSERT only in capitals ("INSERT REPORT LINK"):
# "we insert clauses into contracts" is a sentence, not a gap.
PLACEHOLDER = re.compile(
    r"\b(TBC|TBA|TODO|FIXME|XXX+)\b|(?-i:\bINSERT\b(?: [A-Z]+\b)*)|\[\s*insert[^\]]*\]"
    r"|\?\?\?+|lorem ipsum",
    re.IGNORECASE,
)
# Numbers as people type them: 1,234  12.5  67%  £1,200 (years such as 2016 are left alone).
TYPED_NUMBER = re.compile(
    r"(?<![\w.,/\[:-])£?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.,/\[:-])£?\d+(?:\.\d+)?%?"
)
YEAR = re.compile(r"^(19|20)\d\d$")

ALLOWED_TAGS = {
    "p",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
}


def references(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each embedded figure: its key and its arguments."""
    for match in REFERENCE.finditer(text or ""):
        key, *args = match.group(1).split(":")
        yield key, args


def reference_key(key: str, args: list[str]) -> str:
    return ":".join([key, *args])


def placeholders(text: str) -> list[str]:
    return [m.group(0).strip() for m in PLACEHOLDER.finditer(text or "")]


def typed_numbers(text: str) -> list[str]:
    """Numbers typed into the text (not embedded figures, not years)."""
    without_refs = REFERENCE.sub(" ", text or "")
    found = []
    for match in TYPED_NUMBER.finditer(without_refs):
        token = match.group(0)
        if YEAR.match(token):
            continue
        found.append(token)
    return found


def render_html(text: str, figure_html: Callable[[str], str]) -> str:
    """Markdown to safe HTML, each `[[key]]` replaced by `figure_html(full key)`."""
    tokens: dict[str, str] = {}

    def hold(match: re.Match[str]) -> str:
        token = f"SBFIGURE{len(tokens):04d}X"
        tokens[token] = match.group(1)
        return token

    source = REFERENCE.sub(hold, text or "")
    html = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    html = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https", "http", "mailto"}
    )
    for token, key in tokens.items():
        html = html.replace(token, figure_html(key))
    return html


def plain_text(text: str, figure_text: Callable[[str], str]) -> str:
    """The text with figures filled in and Markdown marks removed (for Word and checks)."""
    filled = REFERENCE.sub(lambda m: figure_text(m.group(1)), text or "")
    return re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", filled)


def escape_text(value: str) -> str:
    return str(escape(value))


_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def split_tables(text: str) -> list[tuple[str, object]]:
    """Split narrative into ("text", markdown) and ("table", (header, rows)) parts, so typed
    tables become real tables whose totals can be checked."""
    parts: list[tuple[str, object]] = []
    lines = (text or "").split("\n")
    buffer: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _TABLE_LINE.match(line) and index + 1 < len(lines) and _RULE.match(lines[index + 1]):
            if "".join(buffer).strip():
                parts.append(("text", "\n".join(buffer).strip()))
            buffer = []
            header = _cells(line)
            rows = []
            index += 2
            while index < len(lines) and _TABLE_LINE.match(lines[index]):
                rows.append(_cells(lines[index]))
                index += 1
            parts.append(("table", (header, rows)))
            continue
        buffer.append(line)
        index += 1
    if "".join(buffer).strip():
        parts.append(("text", "\n".join(buffer).strip()))
    return parts


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]
