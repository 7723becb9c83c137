"""The report kernel: what a module needs to contribute to the annual report.

- `registry`: register a generated section (`@section`), a narrative section, a figure that
  narrative can embed (`@figure`), and a figure for the one-page summary (`headline`);
- `document`: the blocks a section returns (paragraphs, tables, charts) and `Figure`;
- `figures`: helpers that make figures with consistent wording and formatting;
- `context`: `ReportContext`, what a section is built from (partnership, year, date, edition).

It sits between the partnership kernel and the feature modules: modules import it, and the
reports app (the report's records, workflow, checks and rendering) builds on it.
"""
