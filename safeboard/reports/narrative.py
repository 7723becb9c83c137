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


def typed_numbers_in_context(text: str, window: int = 6) -> list[tuple[str, str]]:
    """Each typed number with the words around it (`window` words either side, within its
    sentence): what the duplicate check reads to decide whether the number is the figure."""
    without_refs = REFERENCE.sub(" ", text or "")
    found = []
    for match in TYPED_NUMBER.finditer(without_refs):
        token = match.group(0)
        if YEAR.match(token):
            continue
        line_start = without_refs.rfind("\n", 0, match.start()) + 1
        if not without_refs[line_start : match.start()].strip(" #*|>-"):
            continue  # a heading's or list item's number (2.3 The role of the board)
        before = re.split(r"[.!?;:\n]\s", without_refs[: match.start()])[-1]
        if LABEL_WORD.search(before):
            continue  # a label's number: Priority Area 1, Section 4, Table 2
        after = re.split(r"[.!?;:\n]\s", without_refs[match.end() :])[0]
        words = WORD.findall(before)[-window:] + WORD.findall(after)[:window]
        found.append((token, " ".join(words)))
    return found


# Words that make the number after them a name, not a figure.
LABEL_WORD = re.compile(
    r"\b(priority|area|section|appendix|table|figure|page|chapter|paragraph|step|phase|stage|"
    r"level|tier|objective|theme|recommendation|action|standard|principle|outcome|part|no\.?|"
    r"number|version|item|point|key stage|year|aged?|under)\s*$",
    re.IGNORECASE,
)


WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
# Words too common in a safeguarding report to say what a number is about.
_GENERIC_WORDS = """
    about after also been before being between board's child children from have their there
    these they this those which while with were year years young people number numbers total
    than that what when where will would each more most over under into only other some such
    very much many through during within across whole report safeguarding partnership
    """
GENERIC = frozenset(_GENERIC_WORDS.split())


def stems(text: str, *, names: bool = True) -> set[str]:
    """The content words of a text, crudely stemmed (first five letters, lower case), for
    comparing the words around a number with a figure's label and source. With
    `names=False`, capitalised words are left out (in a figure's source they are names of
    agencies and places, not what the figure is about)."""
    out = set()
    for word in WORD.findall(text or ""):
        if not names and word[0].isupper():
            continue
        lower = word.lower().strip("’'-")
        if len(lower) >= 4 and lower not in GENERIC:
            out.add(lower[:5])
    return out


def unlikely_by_chance(token: str) -> bool:
    """A number large or precise enough that typing it by coincidence is unlikely: 100 or
    more, or three significant digits with decimals (56.6, 88.2%; not 2.4%)."""
    plain = token.replace("£", "").replace(",", "").rstrip("%")
    try:
        value = float(plain)
    except ValueError:
        return False
    digits = len(plain.replace(".", "").replace("-", "").lstrip("0"))
    return abs(value) >= 100 or ("." in plain and digits >= 3)


def same_subject(context: str, label: str, source: str = "") -> bool:
    """Whether the words around a number name the subject of a figure: share a content word
    with its label, or with the lower-case words of its source."""
    words = stems(context)
    return bool(words & (stems(label) | stems(source, names=False)))


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
