"""The arrangements a partnership worked under on a date, and the words that follow them.

Until 2019 a Local Safeguarding Children Board (Children Act 2004, section 13) of "partner
agencies" led the work; from then, the statutory safeguarding partners (the local authority,
the health body and the police: section 16E) with relevant agencies. The health body was the
clinical commissioning group (CCG) until 30 June 2022 and the integrated care board (ICB) from
1 July 2022. A report for 2016-17 says "the Board" and "partner agencies"; one for 2025-26
"the partnership", "statutory safeguarding partners" and "integrated care board". The date
each partnership changed is `Partnership.partners_from` (by default 29 September 2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Partnership

# Every Local Safeguarding Children Board had been replaced by this day.
LAST_LSCB_DAY = date(2019, 9, 28)
PARTNERS_DEFAULT = date(2019, 9, 29)
ICB_FROM = date(2022, 7, 1)


@dataclass(frozen=True)
class Era:
    key: str  # "lscb" or "partners"
    name: str  # what the arrangement was called
    body: str  # what leads the work, inside a sentence
    members: str  # who takes part, inside a sentence
    core_members: str  # the members named in law, inside a sentence
    health_body: str  # "clinical commissioning group" or "integrated care board"
    health_short: str  # "CCG" or "ICB"
    glossary: dict[str, str]


def _health(day: date) -> tuple[str, str, dict[str, str]]:
    if day >= ICB_FROM:
        return (
            "integrated care board",
            "ICB",
            {"ICB": "Integrated care board: the NHS body that plans and buys health services"},
        )
    return (
        "clinical commissioning group",
        "CCG",
        {
            "CCG": "Clinical commissioning group: the NHS body that planned and bought health "
            "services until July 2022"
        },
    )


def era_on(partnership: Partnership, day: date) -> Era:
    """The arrangements in force on `day` (for a year's report: its last day)."""
    health, short, health_terms = _health(day)
    start = partnership.partners_from or PARTNERS_DEFAULT
    if day < start:
        return Era(
            "lscb",
            "Local Safeguarding Children Board",
            "the Board",
            "partner agencies",
            "statutory board partners",
            health,
            short,
            {
                "LSCB": "Local Safeguarding Children Board: the statutory body (Children Act "
                "2004, section 13) through which partner agencies agreed how they would "
                "cooperate to safeguard children, and checked how well they did",
                "Partner agencies": "The bodies that sat on the Board: the local authority, "
                "health bodies, the police, probation, schools and others",
                **health_terms,
            },
        )
    return Era(
        "partners",
        "multi-agency safeguarding arrangements",
        "the partnership",
        "statutory safeguarding partners and relevant agencies",
        "statutory safeguarding partners",
        health,
        short,
        {
            "Safeguarding partners": f"The local authority, the {health} and the chief officer "
            "of police, who share the duty to make arrangements to safeguard children in the "
            "area (Children Act 2004, section 16E)",
            "Relevant agencies": "Other bodies the safeguarding partners name to take part in "
            "the arrangements: schools, probation, housing and others",
            **health_terms,
        },
    )


def fill(text: str, era: Era) -> str:
    """A fixed sentence in the words of an era: {body}, {Body}, {members}, {core_members},
    {health_body} are replaced ("{Body} brings together …" is "The Board brings together …"
    in 2016-17)."""
    words = {
        "{body}": era.body,
        "{Body}": era.body[:1].upper() + era.body[1:],
        "{members}": era.members,
        "{core_members}": era.core_members,
        "{health_body}": era.health_body,
    }
    for token, word in words.items():
        text = text.replace(token, word)
    return text
