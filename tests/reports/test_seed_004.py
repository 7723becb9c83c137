"""Seed 004 re-entered through Safeboard as a new user would (its board and seats, their
attendance, its LSCB performance indicators, its narrative, budget and attendance appendix as
typed tables), and its 2015-16 report checked: every check of the kinds of issue 10 fires where
the seed is wrong, and none fires where it is right.

What the seed gets wrong, and the check that must say so:
- placeholders: "INSERT LINK HERE TO RESPONSE TABLE", "Approved by LSCB on: TBC",
  "Date of Publication: TBC";
- totals: contributions 350,146 (the parts add up to 350,092); CDOP income 98,000 (98,500);
  income 482,013 (481,513); CDOP expenditure 97,000 (96,500); training 136,000 with a part
  typed "73.000" (63,073);
- one measure, two values: attendance at LSCB meetings 67% (its indicator) and the rate its
  attendance records give;
- the child population typed (274,733) rather than embedded: a warning.
What it gets right, where a check must stay quiet: the central, SCR and total expenditure;
the "OVERALL %" row of percentages (never summed); numbers that merely coincide.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeboard.core import tenancy
from safeboard.partnership import services as ps
from safeboard.partnership.models import Agency, Area, AreaPopulation, GroupKind, MemberRole
from safeboard.reports import checks, services

from .. import factories as f
from ..performance.conftest import indicator, put
from . import seed_004 as seed
from .conftest import write
from .test_document import build

pytestmark = pytest.mark.django_db

# Appendix 3: each seat, its agency (None: it holds none) and its attendance (%) at the six
# board meetings of 2015-16.
SEATS = [
    ("Independent Chair", None, 100),
    ("LCC (DCS)", "LCC", 100),
    ("LCC (Lead Member)", "LCC", 50),
    ("LCC - CSC", "LCC", 33),
    ("LCC – Safeguarding, Inspection & Audit", "LCC", 50),
    ("Chorley &South Ribble, West Lancashire and Preston CCG", "CSR CCG", 100),
    ("Fylde & Wyre and Lancashire North CCG", "FW CCG", 83),
    ("East Lancashire CCG", "EL CCG", 83),
    ("Blackpool Teaching Hospital NHS Foundation Trust", "BTH", 100),
    ("East Lancashire Hospital Trust", "ELHT", 100),
    ("Lancashire Care Foundation Trust", "LCFT", 100),
    ("Lancashire Teaching Hospital Trust NHS (1)", "LTH", 100),
    ("Lancashire Teaching Hospital Trust NHS (2)", "LTH", 50),
    ("Southport and Ormskirk Hospital Trust", "SOHT", 17),
    ("University Hospital of Morecambe Bay", "UHMB", 67),
    ("CDOP Chair", None, 67),
    ("NHS England", "NHSE", 33),
    ("Cumbria and Lancashire CRC", "CRC", 83),
    ("Probation", "NPS", 67),
    ("Lancashire Constabulary", "POLICE", 83),
    ("District Councils", "DC", 50),
    ("Cafcass", "CAFCASS", 100),
    ("VCFS - Childrens Society", "TCS", 83),
    ("VCFS – HARV", "HARV", 33),
    ("Primary Schools", "PRI", 67),
    ("Secondary Schools", "SEC", 50),
    ("Colleges", "COL", 50),
    ("Governor Services", "GOV", 100),
]
MEETINGS = [date(2015, m, 15) for m in (5, 7, 9, 11)] + [date(2016, 1, 15), date(2016, 3, 15)]

ATTENDANCE = (
    "| Agency | % Atn |\n|---|---|\n"
    + "".join(f"| {name} | {pct} |\n" for name, _, pct in SEATS)
    + "| OVERALL % | 67 |\n"
)

BUDGET = """The below details the contribution and expenditure against the LSCB budget during
2015/16.

| Contributions to Board | Annual Budget |
|---|---|
| North Lancashire CCG | 26,041 |
| Fylde & Wyre CCG | 26,041 |
| Greater Preston CCG | 22,107 |
| West Lancashire CCG | 11,693 |
| Chorley & South Ribble CCG | 18,283 |
| East Lancashire CCG | 52,028 |
| Police | 60,331 |
| Probation Service | 18,377 |
| Cafcass | 550 |
| Lancashire County Council | 148,008 |
| Transfer funding to Serious Case Reviews | -33,367 |
| Total | 350,146 |

| Child Death Overview Panel | Annual Budget |
|---|---|
| Lancashire County Council | 74,000 |
| Blackpool | 9,800 |
| Blackburn with Darwen | 14,700 |
| Total | 98,000 |

| Income | Annual Budget |
|---|---|
| Contributions to Board | 350,146 |
| Serious Case Reviews (Funding from main contributions) | 33,367 |
| Child Death Overview Panel | 98,000 |
| TOTAL LSCB INCOME 14/15 | 482,013 |

| Central | Annual Budget |
|---|---|
| Staffing Costs | 186,144 |
| Transport | 1,000 |
| Printing and Stationery | 2,000 |
| Telephones | 1,000 |
| Panel/Professional Fees | 20,000 |
| Venues (Meetings/Room Bookings & Hospitality) | 2,000 |
| Other Expenses | 2,000 |
| Total | 214,144 |

| Child Death Overview | Annual Budget |
|---|---|
| Staffing Costs | 59,000 |
| Transport | 1,000 |
| Printing and Stationery | 500 |
| Venues (Meetings/Room Bookings & Hospitality) | 1,000 |
| Other Expenses | 35,000 |
| Total | 97,000 |

| Serious Case Review | Annual Budget |
|---|---|
| Staffing Costs | 23,000 |
| Professional Fees | 45,000 |
| Venues (Meetings/Room Bookings & Hospitality) | 3,000 |
| Other Expenses | 6,000 |
| Total | 77,000 |

| Training | Annual Budget |
|---|---|
| Staffing Costs | 73.000 |
| Transport | 1,000 |
| Printing and Stationery | 1,000 |
| Staff Subsistence | 1,000 |
| Professional Fees | 30,000 |
| Venues (Meetings/Room Bookings & Hospitality) | 15,000 |
| General/Other Expenses | 15,000 |
| Total | 136,000 |

| Expenditure | Annual Budget |
|---|---|
| Central | 214,144 |
| Child Death Overview | 97,000 |
| Serious Case Review | 77,000 |
| Training | 136,000 |
| TOTAL LSCB EXPENDITURE | 524,144 |
"""


@pytest.fixture
def lancashire(alpha: Any, alice: Any) -> Any:
    """The seed's LSCB for 2015-16, entered through the services a page or import uses."""
    p = alpha
    with tenancy.unscoped():
        agencies = {
            short: ps.save(Agency(name=short, short_name=short, sector="other"), p)
            for short in sorted({a for _, a, _ in SEATS if a})
        }
    board = f.group(
        p, "Lancashire Safeguarding Children Board", GroupKind.BOARD, established=date(2006, 4, 1)
    )
    f.group(
        p,
        "Serious Case Review Group",
        GroupKind.SUBGROUP,
        parent=board,
        established=date(2010, 4, 1),
    )
    f.group(
        p,
        "Pan-Lancashire Safeguarding Partnership",
        GroupKind.SUBGROUP,
        parent=board,
        established=date(2019, 9, 29),
    )  # later arrangements: not in the 2015-16 report
    with tenancy.partnership_scope(p):
        area = Area.objects.get()
        ps.set_population(area, 2014, 274733)  # the latest estimate the seed had
        seats = []
        for name, short, _ in SEATS:
            person = f.person(p, name, agencies[short] if short else None)
            role = MemberRole.CHAIR if name == "Independent Chair" else MemberRole.MEMBER
            seats.append(ps.add_member(board, person=person, role=role))
        for number, when in enumerate(MEETINGS, start=1):
            ps.record_attendance(
                f.meeting(board, when),
                [
                    ps.AttendanceLine(
                        seat,
                        seat.person,
                        None,
                        "present" if number <= round(pct * 6 / 100) else "apologies",
                    )
                    for seat, (_, _, pct) in zip(seats, SEATS, strict=True)
                ],
            )
    # The LSCB performance indicators (section 4), as the indicator and value files hold them.
    attendance = indicator(
        p,
        "LSCB1",
        title="Attendance at LSCB Meetings",
        unit="percent",
        frequency="annual",
        measure="board_attendance",
        target=(80.0, 80.0),
    )
    for year, value in (("2013-14", 75), ("2014-15", 69), ("2015-16", 67)):
        put(p, attendance, year, value)
    plan = indicator(
        p,
        "LSCB2",
        title="Percentage of Business Plan Actions completed within timescales",
        unit="percent",
        frequency="annual",
        measure="plan_completed_in_time",
        target=(90.0, 90.0),
    )
    put(p, plan, "2013-14", 90)
    put(p, plan, "2014-15", 95)
    put(p, plan, "2015-16", status="tbc")  # "Under review"
    scr = indicator(
        p,
        "LSCB3",
        title="SCRs referrals considered within timescale",
        unit="percent",
        frequency="annual",
        target=(100.0, 100.0),
    )
    for year in ("2013-14", "2014-15", "2015-16"):
        put(p, scr, year, 100)
    cdop = indicator(
        p, "LSCB4", title="Number of cases reviewed by CDOP", unit="count", frequency="annual"
    )
    put(p, cdop, "2013-14", status="x")
    put(p, cdop, "2014-15", 84)
    put(p, cdop, "2015-16", 86)
    with tenancy.partnership_scope(p):
        report = services.create_report(partnership=p, year=2015, by=alice, as_at=date(2016, 6, 30))
    write(report, "foreword", seed.FOREWORD)
    write(
        report,
        "introduction",
        seed.CONTEXT + "\n\n" + seed.SUBGROUPS + "\n\n" + seed.CDOP + "\n\n" + seed.CSE,
    )
    write(report, "priorities", BUDGET + "\n\n" + ATTENDANCE + "\n\n" + seed.CLOSING)
    return report


def test_seed_004_report_has_no_false_and_no_missed_check(lancashire: Any) -> None:
    doc = build(lancashire)
    errors = sorted(p.message for p in checks.blocking(doc.problems))
    warnings = sorted(p.message for p in doc.problems if p.severity == "warning")
    by_agency = doc.figures["attendance.overall_rate"]
    expected_errors = sorted(
        [
            "‘INSERT LINK HERE TO RESPONSE TABLE’ is a placeholder: write the text or remove it",
            "‘TBC’ is a placeholder: write the text or remove it",
            "‘TBC’ is a placeholder: write the text or remove it",
            "In ‘Priorities for next year: table’, the total of ‘Annual Budget’ is 350,146 but "
            "its parts add up to 350,092",
            "In ‘Priorities for next year: table’, the total of ‘Annual Budget’ is 98,000 but "
            "its parts add up to 98,500",
            "In ‘Priorities for next year: table’, the total of ‘Annual Budget’ is 482,013 but "
            "its parts add up to 481,513",
            "In ‘Priorities for next year: table’, the total of ‘Annual Budget’ is 97,000 but "
            "its parts add up to 96,500",
            "In ‘Priorities for next year: table’, the total of ‘Annual Budget’ is 136,000 but "
            "its parts add up to 63,073",
            "Attendance at board meetings (agencies’ places filled) has two values in the "
            f"report: {by_agency.text} ({by_agency.label}) and 67.0% (Attendance at LSCB "
            "Meetings, 2015-16). One measure, one value: correct the records, or unlink the "
            "indicator from the measure if it measures something else",
        ]
    )
    assert errors == expected_errors
    assert warnings == [
        "‘274,733’ is typed, and is the figure [[population.children]]: embed the figure so "
        "the text stays right if the data change"
    ]
    notes = [p.message for p in doc.problems if p.severity == "note"]
    assert any("‘OVERALL %’ is a row of percentages or rates: not added up" in n for n in notes)
    # The population the figures use is named with its year; the board's later subgroup is
    # not in the year's structure; the independent chair and the CDOP chair are their own
    # rows of attendance, and the council's four seats are shown by seat too.
    assert "2014-15" in doc.figures["population.children"].label
    text = "\n".join(
        c.text
        for s in doc.sections
        for b in s.blocks
        if hasattr(b, "rows")
        for row in b.rows
        for c in row  # type: ignore[attr-defined]
    )
    assert "Pan-Lancashire Safeguarding Partnership" not in text
    assert "Independent Chair (no agency)" in text and "CDOP Chair (no agency)" in text
    assert "LCC (Lead Member), LCC" in text
    assert "statutory safeguarding partner" not in text.lower()
    with tenancy.partnership_scope(lancashire.partnership):
        assert AreaPopulation.objects.count() == 1
