"""The partnership's part of the annual report: the local picture (areas and children), the
partners, the structure of groups, and attendance at the board."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q

from safeboard.core import words
from safeboard.core.periods import Period
from safeboard.core.statistics import percentage_change
from safeboard.partnership import eras, selectors
from safeboard.partnership.models import (
    Agency,
    Area,
    AreaPopulation,
    Group,
    GroupKind,
    MemberRole,
    PartnerStatus,
)
from safeboard.reporting import figures, registry
from safeboard.reporting.context import ReportContext
from safeboard.reporting.document import Block, Cell, Chart, Document, Figure, Paragraph, Table
from safeboard.reporting.registry import headline


def _year(ctx: ReportContext, args: list[str] | tuple[str, ...]) -> Period:
    if args:
        from safeboard.core.periods import parse_period

        period = parse_period(args[0])
        if period.kind != "fy":
            raise ValueError(f"‘{args[0]}’ is not a financial year: write it as 2016-17")
        return period
    return ctx.year


def _estimate(ctx: ReportContext, year: Period) -> selectors.PopulationEstimate:
    """The child population the figures for `year` use (`selectors.population_estimate`:
    the year's estimate, else the latest earlier one), the same for every figure."""
    found = ctx.memo(
        f"population-{year.label}", lambda: selectors.population_estimate(year.start.year)
    )
    if found is None:
        raise LookupError(
            f"no child population is recorded for every area for {year.label} or earlier"
        )
    return cast(selectors.PopulationEstimate, found)


def _estimate_words(estimate: selectors.PopulationEstimate) -> str:
    return (
        f"the {estimate.label} estimate (ONS mid-{estimate.year}), the latest recorded"
        if estimate.is_earlier
        else f"the {estimate.label} estimate (ONS mid-{estimate.year})"
    )


@registry.figure("population.children", "Children aged 0 to 17 living in the area")
def population_children(ctx: ReportContext, *args: str) -> Figure:
    """Children aged 0 to 17 in the partnership's areas (optionally for another year): the
    estimate the year's rates use, with its year."""
    year = _year(ctx, args)
    estimate = _estimate(ctx, year)
    label = f"Children aged 0 to 17, {year.label}"
    if estimate.is_earlier:
        label += f" ({estimate.label} estimate)"
    return figures.count(
        "population.children",
        label,
        estimate.children,
        f"Child population records of {', '.join(estimate.areas)}: {_estimate_words(estimate)}, "
        f"used for {year.label}",
    )


@registry.figure("population.change", "Change in the child population over five years")
def population_change(ctx: ReportContext, *args: str) -> Figure:
    """Percentage change in the child population since an earlier year (default 5 years)."""
    earlier = _year(ctx, args) if args else ctx.year.shift(-4)
    before = _estimate(ctx, earlier)
    now = _estimate(ctx, ctx.year)
    return figures.change(
        "population.change",
        f"Change in the child population, {before.label} to {now.label}",
        percentage_change(before.children, now.children),
        f"Child population records: {before.children:,} in {before.label}, "
        f"{now.children:,} in {now.label}",
    )


def _agencies_in(year: Period) -> list[Agency]:
    return list(
        Agency.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year.start))
        .order_by("status", "name")
    )


@registry.figure("agencies.count", "Agencies in the partnership during the year")
def agencies_count(ctx: ReportContext, *args: str) -> Figure:
    year = _year(ctx, args)
    count = len(_agencies_in(year))
    return figures.count(
        "agencies.count",
        f"Agencies in the partnership, {year.label}",
        count,
        f"Agency records valid at any time between {year.start} and {year.end}",
        people=False,
    )


def _board_report(ctx: ReportContext, year: Period) -> selectors.AttendanceReport:
    def compute() -> selectors.AttendanceReport:
        boards = list(Group.objects.filter(kind=GroupKind.BOARD, partnership=ctx.partnership))
        return selectors.attendance_by_agency(year, boards)

    return ctx.memo(f"board-attendance-{year.label}", compute)


def _attendance_source(report: selectors.AttendanceReport) -> str:
    return (
        f"Attendance records of {words.plural(report.meetings, 'board meeting')} held between "
        f"{words.day(report.year.start)} and {words.day(report.year.end)}: {report.attended} of "
        f"{words.plural(report.expected, 'agency place')} filled"
    )


BOARD_ATTENDANCE = registry.measure(
    "board_attendance",
    "Attendance at board meetings (agencies’ places filled)",
    figure="attendance.overall_rate",
)


@registry.figure("attendance.overall_rate", "Attendance at board meetings, all agencies")
def attendance_rate(ctx: ReportContext, *args: str) -> Figure:
    year = _year(ctx, args)
    report = _board_report(ctx, year)
    if report.overall_rate is None:
        raise LookupError(f"no board attendance is recorded for {year.label}")
    return figures.percent(
        "attendance.overall_rate",
        f"Board attendance, {year.label}",
        report.overall_rate,
        _attendance_source(report),
        measure=BOARD_ATTENDANCE if year == ctx.year else "",
    )


@registry.figure("attendance.meetings", "Board meetings held in the year")
def attendance_meetings(ctx: ReportContext, *args: str) -> Figure:
    year = _year(ctx, args)
    report = _board_report(ctx, year)
    return figures.count(
        "attendance.meetings",
        f"Board meetings held, {year.label}",
        report.meetings,
        _attendance_source(report),
        people=False,
    )


@registry.figure("attendance.target", "The partnership's target for attendance")
def attendance_target(ctx: ReportContext, *args: str) -> Figure:
    report = _board_report(ctx, ctx.year)
    return figures.percent(
        "attendance.target",
        "Attendance target",
        report.target,
        "The partnership’s standard for attendance at board meetings",
    )


headline("population.children", order=10)
headline("attendance.overall_rate", order=20)
headline("attendance.meetings", order=21)
headline("agencies.count", order=22)


@registry.section("local.picture", "The local picture", order=100, part="local")
def local_picture(ctx: ReportContext, doc: Document) -> list[Block]:
    blocks: list[Block] = []
    areas = list(Area.objects.order_by("name"))
    years = [ctx.year.shift(-i) for i in range(4, -1, -1)]
    populations = {
        (p.area_id, p.year): p.children
        for p in AreaPopulation.objects.filter(year__in=[y.start.year for y in years])
    }
    names = ", ".join(
        f"{a.name} (LA {a.la_number}{', ' + a.region if a.region else ''})" for a in areas
    )
    blocks.append(Paragraph(f"The partnership covers {names}."))
    total = None
    try:
        total = doc.add_figure(population_children(ctx), "local.picture")
        estimate = _estimate(ctx, ctx.year)
        if estimate.is_earlier:
            blocks.append(
                Paragraph(
                    f"The child population for {ctx.year.label} is not yet published: the "
                    f"figures use the {estimate.label} estimate, [[population.children]] "
                    "children aged 0 to 17 living in the area, the population on which the "
                    "rates per 10,000 children in this report rest."
                )
            )
        else:
            blocks.append(
                Paragraph(
                    f"In {ctx.year.label} [[population.children]] children aged 0 to 17 lived "
                    f"in the area ({_estimate_words(estimate)}), the population on which the "
                    "rates per 10,000 children in this report rest."
                )
            )
    except LookupError as exc:
        blocks.append(Paragraph(f"The child population is not recorded: {exc}."))
    try:
        doc.add_figure(population_change(ctx), "local.picture")
        blocks.append(
            Paragraph("Over five years the child population changed by [[population.change]].")
        )
    except LookupError:
        pass
    rows = []
    series = []
    for year in years:
        values = [populations.get((a.pk, year.start.year)) for a in areas]
        known = all(v is not None for v in values)
        row = [Cell(year.label)]
        row += [
            Cell(
                f"{v:,}" if v is not None else "x",
                numeric=True,
                value=float(v) if v is not None else None,
            )
            for v in values
        ]
        if len(areas) > 1:
            value = sum(v for v in values if v is not None) if known else None
            row.append(
                Cell(
                    f"{value:,}" if value is not None else "x",
                    numeric=True,
                    value=float(value) if value is not None else None,
                )
            )
        rows.append(row)
        if known:
            series.append({"year": year.label, "children": sum(v for v in values if v)})
    columns = ["Financial year", *[a.name for a in areas]] + (
        ["All areas"] if len(areas) > 1 else []
    )
    blocks.append(
        Table(
            "Children aged 0 to 17 (ONS mid-year estimates)",
            columns,
            rows,
            total_column=len(areas) > 1,
        )
    )
    if len(series) >= 2 and total is not None:
        blocks.append(
            Chart(
                "Children aged 0 to 17",
                _population_spec(series),
                f"Line chart of the child population from {series[0]['year']} "
                f"({series[0]['children']:,}) to {series[-1]['year']} "
                f"({series[-1]['children']:,}).",
            )
        )
    return blocks


def _population_spec(series: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 480,
        "height": 200,
        "data": {"values": series},
        "mark": {"type": "line", "point": True, "color": "#1d5c63"},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": "Financial year",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "children",
                "type": "quantitative",
                "title": "Children",
                "scale": {"zero": False},
            },
            "tooltip": [{"field": "year"}, {"field": "children", "format": ","}],
        },
    }


@registry.section("governance.partners", "The partners", order=300, part="governance")
def partners(ctx: ReportContext, doc: Document) -> list[Block]:
    agencies = _agencies_in(ctx.year)
    doc.add_figure(agencies_count(ctx), "governance.partners")
    partners_ = [a for a in agencies if a.status == PartnerStatus.SAFEGUARDING_PARTNER]
    era = eras.era_on(ctx.partnership, ctx.year.end)
    count = figures.agreeing(doc.figures.get("agencies.count"), public=ctx.public)
    if era.key == "lscb":
        opening = (
            f"[[agencies.count]] {words.noun(count, 'partner agency sat', 'partner agencies sat')} "
            "on the Board during the year. "
        )
    else:
        opening = (
            f"[[agencies.count]] {words.noun(count, 'agency was', 'agencies were')} part of the "
            "partnership during the year. "
        )
    blocks: list[Block] = [
        Paragraph(
            opening
            + (
                f"The {era.core_members} were {_join([a.name for a in partners_])}."
                if partners_
                else ""
            )
        )
    ]
    status_words = {
        PartnerStatus.SAFEGUARDING_PARTNER: era.core_members[:-1].capitalize(),
        PartnerStatus.RELEVANT_AGENCY: "Partner agency" if era.key == "lscb" else "Relevant agency",
    }
    rows = []
    for agency in agencies:
        note = ""
        if agency.valid_from and agency.valid_from > ctx.year.start:
            note = f"from {agency.valid_from.day} {agency.valid_from:%B %Y}"
        if agency.valid_to and agency.valid_to < ctx.year.end:
            note = f"until {agency.valid_to.day} {agency.valid_to:%B %Y}"
        rows.append(
            [
                Cell(agency.name),
                Cell(agency.get_sector_display()),
                Cell(status_words.get(PartnerStatus(agency.status), agency.get_status_display())),
                Cell(note),
            ]
        )
    blocks.append(
        Table(
            f"Agencies in the partnership, {ctx.year.label}",
            ["Agency", "Sector", "Status", "Membership"],
            rows,
        )
    )
    return blocks


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@registry.section("governance.structure", "How the partnership works", order=310, part="governance")
def structure(ctx: ReportContext, doc: Document) -> list[Block]:
    day = ctx.day
    groups = list(
        selectors.groups_in(ctx.year).prefetch_related(
            "memberships__person", "memberships__agency", "objectives"
        )
    )
    tree = selectors.group_tree(groups)
    rows = []
    for group, depth in tree:
        chairs = [
            m for m in group.memberships.all() if m.role == MemberRole.CHAIR and m.is_active(day)
        ]
        chair = (
            ", ".join(
                f"{m.who}{f' ({m.represents.short_name})' if m.represents else ''}" for m in chairs
            )
            or "Not recorded"
        )
        indent = "— " * depth
        rows.append(
            [
                Cell(indent + group.name),
                Cell(group.get_kind_display()),
                Cell(chair),
                Cell(str(group.objectives.count())),
            ]
        )
    era = eras.era_on(ctx.partnership, ctx.year.end)
    lead = (
        "The Board leads the work of its partner agencies"
        if era.key == "lscb"
        else "The board leads the partnership"
    )
    blocks: list[Block] = [
        Paragraph(
            f"{lead}; its executive and subgroups do most of the work, each under terms of "
            "reference with numbered objectives."
        ),
        Table("The partnership’s groups", ["Group", "Kind", "Chair", "Objectives"], rows),
    ]
    return blocks


@registry.section("governance.attendance", "Attendance at the board", order=320, part="governance")
def attendance(ctx: ReportContext, doc: Document) -> list[Block]:
    report = _board_report(ctx, ctx.year)
    if report.overall_rate is None:
        return [Paragraph(f"No board attendance is recorded for {ctx.year.label}.")]
    doc.add_figure(attendance_rate(ctx), "governance.attendance")
    doc.add_figure(attendance_meetings(ctx), "governance.attendance")
    doc.add_figure(attendance_target(ctx), "governance.attendance")
    blocks: list[Block] = [
        Paragraph(
            "The board met [[attendance.meetings]] "
            + words.noun(
                figures.agreeing(doc.figures.get("attendance.meetings"), public=ctx.public),
                "time",
            )
            + ". Agencies filled "
            "[[attendance.overall_rate]] of their places, against the partnership’s standard of "
            "[[attendance.target]]. An agency counts once a meeting, whether it sent its member "
            "or a deputy; a member who holds no agency (such as an independent chair) counts as "
            "their own place."
        )
    ]
    rows = []
    below = []
    for row in report.rows:
        name = row.label
        rate = row.rate or 0.0
        rows.append(
            [
                Cell(name),
                Cell(str(row.expected), numeric=True, value=row.expected),
                Cell(str(row.attended), numeric=True, value=row.attended),
                Cell(f"{rate:.0f}%", numeric=True),
            ]
        )
        if rate < report.target:
            below.append(name)
    overall = Cell.of(doc.figures["attendance.overall_rate"])
    rows.append(
        [
            Cell("Overall"),
            Cell(str(report.expected), numeric=True, value=report.expected),
            Cell(str(report.attended), numeric=True, value=report.attended),
            overall,
        ]
    )
    blocks.append(
        Table(
            f"Board attendance by agency, {ctx.year.label}",
            ["Agency", "Meetings with a place", "Meetings attended", "Attendance"],
            rows,
            total_row=True,
        )
    )
    if below:
        blocks.append(Paragraph(f"Below the standard: {_join(below)}."))
    seats = selectors.attendance_by_seat(ctx.year, report.groups)
    if len(seats.rows) > len(report.rows):
        # An agency with several seats: each seat's attendance too (they may differ).
        blocks.append(
            Table(
                f"Board attendance by seat, {ctx.year.label}",
                ["Seat", "Meetings with the seat", "Meetings attended", "Attendance"],
                [
                    [
                        Cell(row.label),
                        Cell(str(row.expected), numeric=True, value=row.expected),
                        Cell(str(row.attended), numeric=True, value=row.attended),
                        Cell(f"{row.rate or 0:.0f}%", numeric=True),
                    ]
                    for row in seats.rows
                ],
            )
        )
    blocks.append(
        Chart(
            f"Board attendance by agency, {ctx.year.label}",
            _attendance_spec(report),
            f"Bar chart of each agency’s attendance at board meetings in {ctx.year.label}, "
            f"with the target of {report.target:.0f}% marked; {len(below)} of "
            f"{words.plural(len(report.rows), 'agency')} "
            f"{words.noun(len(below), 'was', 'were')} below it.",
        )
    )
    return blocks


def _attendance_spec(report: selectors.AttendanceReport) -> dict[str, Any]:
    values = [
        {
            "agency": r.short_label,
            "name": r.label,
            "rate": round(r.rate or 0, 1),
            "status": "Below target" if (r.rate or 0) < report.target else "At or above",
        }
        for r in report.rows
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 480,
        "height": {"step": 16},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {"field": "agency", "type": "nominal", "sort": "-x", "title": None},
                    "x": {
                        "field": "rate",
                        "type": "quantitative",
                        "title": "Attendance (%)",
                        "scale": {"domain": [0, 100]},
                    },
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": ["At or above", "Below target"],
                            "range": ["#1d5c63", "#d4351c"],
                        },
                    },
                    "tooltip": [
                        {"field": "name", "title": "Agency"},
                        {"field": "rate", "title": "Attendance %"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#0b0c0c", "aria": False},
                "encoding": {"x": {"datum": report.target}},
            },
        ],
    }
