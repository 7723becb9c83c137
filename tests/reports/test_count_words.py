"""Counts embedded in the report's fixed sentences agree with their nouns through
`core.words` ("1 open risk", "[[plan.overdue]] action was overdue"), never "1 open risks"
(issue 10). A scan of every module's report code finds a count written straight before a
plural noun, in an f-string (`{len(rows)} agencies`) or after an embedded figure
(`[[plan.actions]] actions`); and a report whose counts are 1 reads in the singular."""

from __future__ import annotations

import ast
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import safeboard
from safeboard.core import tenancy
from safeboard.planning import services as planning
from safeboard.planning.models import Plan
from safeboard.reporting.document import Paragraph

from .test_document import build

ROOT = Path(safeboard.__file__).parent
# What a report's sentences are built in: each module's report.py, the reports app's own
# sections and its checks.
FILES = sorted(
    [*ROOT.glob("*/report.py"), *ROOT.glob("reports/sections/*.py"), ROOT / "reports/checks.py"]
)
# A word straight after a count that is a plural noun: "agencies", "reviews", "times"; not a
# verb or other word that ends in s ("is", "was", "has", "does", "its", "as", "this").
NOT_NOUNS = {"is", "was", "has", "does", "its", "as", "this", "his", "us", "plus", "across"}
PLURAL = re.compile(r"^ (?:[a-z\-]+ )?([a-z\-]+s)\b")
# ("[[lado.referred_in_time]] of allegations": a share of them, not a count.)
EMBEDDED = re.compile(r"\[\[([a-z_.]+(?::[^\]]*)?)\]\] (?!of )(?:[a-z\-]+ )?([a-z\-]+s)\b")
# Fields that are not counts: labels, codes, titles, names, texts, years and dates, and what
# what core.words already wrote (a word such as "more" or "fewer" is not a count).
# The suppression marker (`c`) takes the plural: it must not tell that a hidden count is 1.
NOT_COUNTS = re.compile(r"(label|code|title|name|text|year|when|day|word|SUPPRESSED)")


def _plural_after(text: str) -> str | None:
    found = PLURAL.match(text)
    if found is None:
        return None
    words = text.split()
    first = words[0] if words else ""
    noun = found.group(1)
    if first in NOT_NOUNS or noun in NOT_NOUNS:
        return None
    return noun


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = node.values
            for field, after in itertools.pairwise(parts):
                if not (isinstance(field, ast.FormattedValue) and isinstance(after, ast.Constant)):
                    continue
                expression = ast.unparse(field.value)
                noun = _plural_after(str(after.value))
                if noun and not NOT_COUNTS.search(expression):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {{{expression}}} {noun}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in EMBEDDED.finditer(node.value):
                if match.group(2) not in NOT_NOUNS:
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: [[{match.group(1)}]] "
                        f"{match.group(2)}"
                    )
    return found


def test_the_scan_finds_a_count_before_a_plural_noun(tmp_path: Path) -> None:
    sample = tmp_path / "report.py"
    sample.write_text(
        'a = f"It holds {len(risks)} open risks"\n'
        'b = "The plan has [[plan.actions]] actions."\n'
        "c = f\"The plan {plan.label} has [[plan.actions]] {words.noun(n, 'action')}\"\n"
        "d = f\"{words.plural(n, 'open risk')} and {row.indicator.code} has no rank\"\n",
        encoding="utf-8",
    )
    global ROOT
    kept, ROOT = ROOT, tmp_path
    try:
        found = _findings(sample)
    finally:
        ROOT = kept
    assert found == [
        "report.py:1: {len(risks)} risks",
        "report.py:2: [[plan.actions]] actions",
    ]


def test_no_count_in_the_reports_sentences_bypasses_core_words() -> None:
    assert len(FILES) >= 8
    found = [finding for path in FILES for finding in _findings(path)]
    assert not found, "counts before plural nouns, not through core.words:\n" + "\n".join(found)


def _text(doc: Any) -> str:
    return " ".join(b.markdown for s in doc.sections for b in s.blocks if isinstance(b, Paragraph))


@pytest.mark.django_db
def test_a_count_of_one_reads_in_the_singular(report: Any, police: Any) -> None:
    with tenancy.partnership_scope(report.partnership):
        plan = planning.create_plan(partnership=report.partnership, first_year=2016, last_year=2016)
        planning.create_action(
            partnership=report.partnership,
            plan=plan,
            reference="1",
            text="Audit neglect cases",
            owner=police,
            due=date(2017, 1, 31),
        )
        assert Plan.objects.count() == 1
    doc = build(report)
    text = _text(doc)
    assert "has [[plan.actions]] action." in text
    assert "[[plan.overdue]] action was overdue" in text
    assert doc.figures["plan.actions"].value == 1 and doc.figures["plan.overdue"].value == 1
