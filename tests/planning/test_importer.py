"""Importing a business plan from a spreadsheet: everything is checked first, nothing is
written if any row is wrong, every problem is listed with its row; the export writes the same
format back, so a round trip is lossless. And the `plan` command that does both."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from safeboard.core import tenancy
from safeboard.core.tables import read_table
from safeboard.partnership.models import GroupKind
from safeboard.planning import importer, services
from safeboard.planning.models import Action, Plan, Progress, State, Theme

from .. import factories as f

pytestmark = pytest.mark.django_db

HEADER = "theme,ref,action,owner,due,aim,update,status,links"
GOOD = f"""{HEADER}
Exploitation,1.1,Refresh the strategy,CE Subgroup,Jul-17,Shared view,2017-03-14: agreed,green,1.2
Exploitation,1.2,Publish a problem profile,Alpha Police,July 2017,,,not started,
Exploitation,1.3,Map missing children,POL,2017-07,,2017-05-01: Profile published,complete,"1.1, 1.2"
Neglect,2.1,Roll out the graded care profile,Pat Person,31/03/2018,Earlier help,,Amber,
Neglect,7.2a,Report take-up,agency: Alpha Hospitals Trust,"ongoing, review July 2017",,,G,
"""


@pytest.fixture
def owners(alpha: Any, police: Any, health: Any) -> None:
    f.group(alpha, "CE Subgroup", GroupKind.SUBGROUP)
    f.person(alpha, "Pat Person", police)


@pytest.fixture
def empty_plan(alpha: Any) -> Plan:
    with tenancy.partnership_scope(alpha):
        return services.create_plan(partnership=alpha, first_year=2016, last_year=2018)


def run_import(plan: Plan, text: str, name: str = "plan.csv", **kwargs: Any) -> Any:
    with tenancy.partnership_scope(plan.partnership):
        return importer.import_plan(plan, text.encode(), name, today=date(2018, 1, 1), **kwargs)


def test_a_valid_plan_is_imported(alpha: Any, owners: None, empty_plan: Plan) -> None:
    report = run_import(empty_plan, GOOD)
    assert report.ok and report.written, report.problems
    assert report.lines() == ["Imported 5 actions in 2 themes (2 new) into Business plan 2016-19."]
    with tenancy.partnership_scope(alpha):
        themes = list(Theme.objects.filter(plan=empty_plan).values_list("number", "title"))
        actions = {a.reference: a for a in Action.objects.filter(plan=empty_plan)}
        assert themes == [(1, "Exploitation"), (2, "Neglect")]
        first = actions["1.1"]
        assert first.owner.name == "CE Subgroup" and first.group == first.owner
        assert first.due == first.original_due == date(2017, 7, 31)
        assert first.aim == "Shared view" and first.status == Progress.GREEN
        update = first.updates.get()
        assert (update.date, update.text, update.author_name) == (
            date(2017, 3, 14),
            "agreed",
            "Imported from the plan file",
        )
        assert {a.reference for a in first.links.all()} == {"1.2", "1.3"}
        assert actions["1.2"].owner_agency.short_name == "POL"
        assert actions["1.2"].status == Progress.NOT_STARTED and not actions["1.2"].updates.exists()
        done = actions["1.3"]
        assert done.state == State.COMPLETE and done.completed_on == date(2017, 5, 1)
        assert done.completion_update.text == "Profile published"
        assert actions["2.1"].owner_person.name == "Pat Person"
        assert actions["2.1"].due == date(2018, 3, 31) and actions["2.1"].status == Progress.AMBER
        ongoing = actions["7.2a"]
        assert ongoing.ongoing and ongoing.review_date == date(2017, 7, 31) and ongoing.due is None
        assert ongoing.status == Progress.GREEN


def test_every_problem_is_listed_with_its_row_and_nothing_is_written(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    text = f"""{HEADER}
Exploitation,1.1,Strategy,CE Subgroup,Jul-17,,,green,
Exploitation,1.1,Duplicate,CE Subgroup,Jul-17,,,green,
Exploitation,1.2,Links,CE Subgroup,Jul-17,,,green,9.9
Exploitation,1.3,Bad date,CE Subgroup,end of summer,,,green,
Exploitation,1.4,Bad status,CE Subgroup,Jul-17,,,purple,
Exploitation,1.5,Complete without update,CE Subgroup,Jul-17,,,complete,
Exploitation,1.6,Unknown owner,The Mayor,Jul-17,,,green,
Exploitation,1.7,Update without status,CE Subgroup,Jul-17,,Working on it,,
Exploitation,1.8,Ongoing without review,CE Subgroup,ongoing,,,green,

,,,,,,,,
Exploitation,,,,,,,,
"""
    report = run_import(empty_plan, text)
    assert not report.ok and not report.written
    assert [str(p) for p in report.problems] == [
        "Row 3: the reference 1.1 is used twice (rows 2 and 3)",
        "Row 4: links to 9.9, which is not a reference in the plan",
        "Row 5: due date: ‘end of summer’ is not a date: give a date (2017-07-31, 31/07/2017 "
        "or 31 July 2017) or a month (Jul-17, July 2017 or 2017-07)",
        "Row 6: the status ‘purple’ is not one of not started, red, amber, green, complete",
        "Row 7: the action is complete but has no update: the update is the evidence of completion",
        "Row 8: owner ‘The Mayor’ is not a group, agency or person of this partnership: add "
        "them first, or use the name of a group, agency or person",
        "Row 9: the update has no status: give not started, red, amber, green or complete",
        "Row 10: due date: ‘ongoing’ has no review date: write it as ‘ongoing, review July 2017’",
        "Row 13: the reference (ref) is empty",
        "Row 13: the action is empty",
        "Row 13: the owner is empty: give a group, agency or person",
        "Row 13: the due date is empty",
    ]
    assert report.lines()[0] == "Nothing was imported: 12 problems in the file."
    with tenancy.partnership_scope(alpha):
        assert not Action.objects.exists() and not Theme.objects.exists()


def test_a_row_with_another_problem_still_has_its_links_checked(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    """Every problem is listed: an unknown owner does not hide a link to nowhere."""
    text = f"""{HEADER}
Exploitation,1.1,Strategy,CE Subgroup,Jul-17,,,green,
Exploitation,1.2,Unknown owner,The Mayor,Jul-17,,,green,"1.1, 9.9"
Exploitation,,No reference,CE Subgroup,Jul-17,,,green,8.8
"""
    report = run_import(empty_plan, text)
    assert [(p.row, p.column, str(p)) for p in report.problems] == [
        (
            3,
            "owner",
            "Row 3: owner ‘The Mayor’ is not a group, agency or person of this partnership: "
            "add them first, or use the name of a group, agency or person",
        ),
        (3, "links", "Row 3: links to 9.9, which is not a reference in the plan"),
        (4, "ref", "Row 4: the reference (ref) is empty"),
        (4, "links", "Row 4: links to 8.8, which is not a reference in the plan"),
    ]
    assert not report.written


def test_problems_in_a_file_name_their_row_and_column(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    """Rows are those of the spreadsheet: blank rows count."""
    text = f"{HEADER}\n\n,,,,,,,,\nT,1,A,CE Subgroup,someday,,,purple,\n"
    report = run_import(empty_plan, text)
    assert [(p.row, p.column) for p in report.problems] == [(4, "due"), (4, "status")]
    report = run_import(empty_plan, "theme,ref,action,due\nT,1,A,Jul-17\n")
    assert [(p.row, p.column) for p in report.problems] == [(1, "owner")]


def test_a_dry_run_checks_without_writing(alpha: Any, owners: None, empty_plan: Plan) -> None:
    report = run_import(empty_plan, GOOD, dry_run=True)
    assert report.ok and not report.written
    assert report.lines() == [
        "The file is valid: 5 actions in 2 themes (2 new) would be imported into Business plan "
        "2016-19 (dry run: nothing written)."
    ]
    with tenancy.partnership_scope(alpha):
        assert not Action.objects.exists()


def test_a_reference_already_in_the_plan_and_a_link_to_it(
    alpha: Any, owners: None, empty_plan: Plan, police: Any
) -> None:
    with tenancy.partnership_scope(alpha):
        services.create_action(
            partnership=alpha,
            plan=empty_plan,
            reference="1.1",
            text="x",
            owner=police,
            due=date(2017, 1, 31),
        )
    text = f"{HEADER}\nT,1.1,Again,POL,Jul-17,,,,\nT,1.2,Linked,POL,Jul-17,,,,1.1\n"
    report = run_import(empty_plan, text)
    assert [str(p) for p in report.problems] == [
        "Row 2: the reference 1.1 is already in Business plan 2016-19"
    ]


def test_a_shared_name_needs_its_kind(alpha: Any, police: Any, empty_plan: Plan) -> None:
    f.group(alpha, "POL", GroupKind.SUBGROUP)  # a group named like the police's short name
    report = run_import(empty_plan, f"{HEADER}\nT,1,A,POL,Jul-17,,,,\n")
    assert "could be group POL, agency Alpha Police" in str(report.problems[0])
    report = run_import(empty_plan, f"{HEADER}\nT,1,A,agency: POL,Jul-17,,,,\n")
    assert report.ok


def test_a_future_update_and_a_missing_column(alpha: Any, owners: None, empty_plan: Plan) -> None:
    report = run_import(empty_plan, f"{HEADER}\nT,1,A,POL,Jul-17,,2019-01-01: later,green,\n")
    assert str(report.problems[0]) == "Row 2: the update is dated 1 January 2019, in the future"
    report = run_import(empty_plan, "theme,ref,action,due\nT,1,A,Jul-17\n")
    assert [str(p) for p in report.problems] == [
        "Row 1: the header has no column owner: the columns are theme, ref, action, owner, "
        "due, aim, update, status, links"
    ]


def test_extra_columns_are_ignored_and_said_so(alpha: Any, owners: None, empty_plan: Plan) -> None:
    report = run_import(empty_plan, f"{HEADER},comments\nT,1,A,POL,Jul-17,,,,,whatever\n")
    assert report.ok and report.ignored_columns == ["comments"]
    assert report.lines()[0] == "Columns ignored: comments"


def test_a_closed_plan_takes_no_import(alpha: Any, owners: None, empty_plan: Plan) -> None:
    with tenancy.partnership_scope(alpha):
        later = services.create_plan(partnership=alpha, first_year=2019, last_year=2021)
        services.close_plan(empty_plan, next_plan=later, by=None)
    report = run_import(empty_plan, GOOD)
    assert [str(p) for p in report.problems] == [
        "Business plan 2016-19 is closed: import into the next plan"
    ]


def test_a_file_that_is_not_a_table(alpha: Any, empty_plan: Plan) -> None:
    report = run_import(empty_plan, "hello", name="plan.pdf")
    assert str(report.problems[0]).startswith("The file must be a CSV file")
    with tenancy.partnership_scope(alpha):
        report = importer.import_plan(empty_plan, b"not a zip", "plan.xlsx")
    assert str(report.problems[0]).startswith("The file is not an Excel workbook")


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_plan_with_real_dates_and_numbers(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    data = _workbook(
        [
            HEADER.split(","),
            ["Exploitation", 1.3, "Strategy", "POL", date(2017, 7, 14), None, None, "R", None],
            ["Exploitation", 2, "Profile", "POL", "Jul-17", None, None, None, "1.3"],
        ]
    )
    with tenancy.partnership_scope(alpha):
        report = importer.import_plan(empty_plan, data, "plan.xlsx", today=date(2018, 1, 1))
        assert report.ok, report.problems
        actions = {a.reference: a for a in Action.objects.filter(plan=empty_plan)}
        assert set(actions["2"].links.all()) == {actions["1.3"]}
    assert actions["1.3"].due == date(2017, 7, 14) and actions["1.3"].status == Progress.RED


def test_an_excel_date_shown_as_a_month_is_the_end_of_that_month(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    """Excel turns a typed `Jul-17` into 1 July 2017 shown as `mmm-yy`: it means July."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for ref, when, shown in (
        ("1", date(2017, 7, 1), "mmm-yy"),
        ("2", date(2017, 9, 1), "mmmm yyyy"),
        ("3", date(2017, 7, 1), "dd/mm/yyyy"),
    ):
        sheet.append(["Exploitation", ref, f"Action {ref}", "POL", when])
        sheet.cell(row=sheet.max_row, column=5).number_format = shown
    out = io.BytesIO()
    book.save(out)
    with tenancy.partnership_scope(alpha):
        report = importer.import_plan(
            empty_plan, out.getvalue(), "plan.xlsx", today=date(2018, 1, 1)
        )
        assert report.ok, report.problems
        due = dict(Action.objects.filter(plan=empty_plan).values_list("reference", "due"))
    assert due == {"1": date(2017, 7, 31), "2": date(2017, 9, 30), "3": date(2017, 7, 1)}


def _export(plan: Plan, fmt: str = "csv") -> bytes:
    with tenancy.partnership_scope(plan.partnership):
        return importer.export_table(plan, fmt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_round_trip_is_lossless(alpha: Any, owners: None, empty_plan: Plan, fmt: str) -> None:
    tricky = f"""{HEADER}
Exploitation,1.10,"=HYPERLINK(""http://evil"")",POL,Jul-17,"- a list, with ""quotes""
and a new line",2017-03-14: draft,amber,1.2
Exploitation,1.2,+Plus sign first,CE Subgroup,2017-07-03,@aim,,red,
Exploitation,1.9,Early,Pat Person,July 2017,,2017-06-01: done and dusted,complete,"1.10, 1.2"
Neglect,7.2a,Ongoing,agency: Alpha Hospitals Trust,"ongoing, review 2017-12-31",,,not started,
"""
    assert run_import(empty_plan, tricky).written
    first = _export(empty_plan, fmt)
    table = read_table(first, f"plan.{fmt}")
    assert table.header == importer.COLUMNS
    rows = [list(row.cells) for row in table.rows]
    assert rows[0][:4] == ["Exploitation", "1.2", "+Plus sign first", "CE Subgroup"]
    assert [row[1] for row in rows] == ["1.2", "1.9", "1.10", "7.2a"]
    assert rows[2][2] == '=HYPERLINK("http://evil")'  # text, never a formula
    with tenancy.partnership_scope(alpha):
        second_plan = services.create_plan(partnership=alpha, first_year=2019, last_year=2021)
        report = importer.import_plan(second_plan, first, f"plan.{fmt}", today=date(2018, 1, 1))
        assert report.written, report.problems
    assert _export(second_plan, "csv") == _export(empty_plan, "csv")
    # The file reads as people wrote it; cells a spreadsheet would run as formulas are
    # escaped with an apostrophe, which the import takes off again.
    lines = list(csv.reader(io.StringIO(_export(empty_plan, "csv").decode("utf-8-sig"))))
    assert lines[3] == [
        "Exploitation",
        "1.10",
        '\'=HYPERLINK("http://evil")',
        "Alpha Police",
        "2017-07-31",
        '\'- a list, with "quotes"\nand a new line',
        "2017-03-14: draft",
        "amber",
        "1.2, 1.9",
    ]
    assert lines[2][6:8] == ["2017-06-01: done and dusted", "complete"]
    assert lines[4][:5] == [
        "Neglect",
        "7.2a",
        "Ongoing",
        "Alpha Hospitals Trust",
        "ongoing, review 2017-12-31",
    ]


def test_an_xlsx_export_stores_text_not_formulas(
    alpha: Any, owners: None, empty_plan: Plan
) -> None:
    run_import(empty_plan, f'{HEADER}\nT,1,"=1+1",POL,Jul-17,,,,\n')
    book = load_workbook(io.BytesIO(_export(empty_plan, "xlsx")))
    cell = book.active["C2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


# --- the command line ---------------------------------------------------------------------


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_plan_import_and_export_commands(alpha: Any, owners: None, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text(GOOD.replace("2017-03-14", "2016-03-14").replace("2017-05-01", "2016-05-01"))
    out = command("import", "--partnership", "alpha", "--plan", "2016-19", "--dry-run", str(source))
    assert "would be imported into Business plan 2016-19 (dry run: nothing written)" in out
    with tenancy.partnership_scope(alpha):
        assert not Plan.objects.exists()  # the dry run created nothing, not even the plan
    out = command("import", "--partnership", "alpha", "--plan", "2016-19", str(source))
    assert "Imported 5 actions in 2 themes (2 new) into Business plan 2016-19." in out
    assert "Created Business plan 2016-19." in out
    target = tmp_path / "out.xlsx"
    assert "Wrote Business plan 2016-19" in command(
        "export", "--partnership", "alpha", "--plan", "2016-19", "-o", str(target)
    )
    table = read_table(target.read_bytes(), "out.xlsx")
    assert table.header == importer.COLUMNS and [r.get("ref") for r in table.rows] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "7.2a",
    ]
    csv_out = command("export", "--partnership", "alpha", "--plan", "2016-19")
    assert csv_out.splitlines()[0] == HEADER
    assert "2016-19\tActive\t5 actions" in command("list", "--partnership", "alpha")


def test_plan_import_command_reports_problems_and_fails(
    alpha: Any, owners: None, tmp_path: Path
) -> None:
    source = tmp_path / "plan.csv"
    source.write_text(f"{HEADER}\nT,1,A,POL,someday,,,,\nT,1,B,POL,Jul-17,,,,\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problems: nothing was imported"):
        call_command(
            "plan", "import", "--partnership", "alpha", "--plan", "2016-19", str(source), stdout=out
        )
    assert "Row 2: due date: ‘someday’ is not a date" in out.getvalue()
    assert "Row 3: the reference 1 is used twice (rows 2 and 3)" in out.getvalue()
    with tenancy.partnership_scope(alpha):
        assert not Plan.objects.exists()


def test_plan_commands_explain_wrong_input(alpha: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is not a plan’s years"):
        command("import", "--partnership", "alpha", "--plan", "someday", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="does not exist"):
        command("import", "--partnership", "alpha", "--plan", "2016-19", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="has no business plan 2030-33"):
        command("export", "--partnership", "alpha", "--plan", "2030-33")
    with pytest.raises(CommandError, match="--output"):
        command("export", "--partnership", "alpha", "--plan", "2030-33", "--format", "xlsx")
    with pytest.raises(CommandError, match="no partnership"):
        command("list", "--partnership", "nowhere")
