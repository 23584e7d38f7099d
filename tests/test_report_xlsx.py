"""`kaplan report --format xlsx`: the workbook finance gets, opened back with openpyxl cell by cell.

Figures are checked against the HTML pack of the same day (the same pack data, so the same numbers),
and every free-text field of a plan is filled with something a spreadsheet would run as a formula
to prove that no cell of the workbook is one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile

import pytest
from openpyxl import load_workbook

from _report_repo import ACCOUNT, copy_plain
from conftest import EXAMPLES, TODAY
from test_report import Tables

from kaplan.reading.loader import load_plan
from kaplan.model import Plan

DAY = TODAY.isoformat()


@pytest.fixture(scope="module")
def examples_book(tmp_path_factory):
    """The portfolio workbook and HTML pack of the 13 example plans, made once for the module."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    out = tmp_path_factory.mktemp("xlsx")
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(EXAMPLES)
    try:
        for fmt in ("xlsx", "html"):
            r = runner.invoke(app, ["report", "--portfolio", "-f", fmt, "--today", DAY, "-o", str(out / f"p.{fmt}")],
                              catch_exceptions=False)
            assert r.exit_code == 0, r.output
    finally:
        os.chdir(cwd)
    return load_workbook(out / "p.xlsx"), Tables((out / "p.html").read_text(encoding="utf-8")).tables


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def rows(ws) -> list[dict]:
    head = header(ws)
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_portfolio_workbook_sheets(examples_book):
    wb, _ = examples_book
    ids = sorted(p.stem for p in (EXAMPLES / "plans").glob("*.yaml"))
    assert wb.sheetnames[:6] == ["Ranking", "Risk", "Allocation", "Concentration", "Cross-sell", "Offerings"]
    assert sorted(wb.sheetnames[6:]) == ids  # one financials sheet per account, named by its id
    assert [r["Account id"] for r in rows(wb["Ranking"])] == wb.sheetnames[6:]  # in ranking order
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title  # the header row stays in view
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
        for col in range(1, ws.max_column + 1):
            assert ws.column_dimensions[ws.cell(1, col).column_letter].width >= 8


def test_cross_sell_sheets(examples_book):
    wb, html = examples_book
    cross = rows(wb["Cross-sell"])
    # Halvorsen: 12 cells; Suzhou × APM and Aftermarket × Field service not offered, Suzhou × QMS held by
    # Hexaport = 3. Corvane: 10 cells; Gas grid × APM and Corporate IT × GIS migration not offered,
    # Electricity grid × SCADA held by Veyrant = 3; the tie goes to the better-ranked account
    assert [(r["Account id"], r["Open white space (cells)"], r["Cells recorded"]) for r in cross[:2]] == [
        ("halvorsen-drives", 3, 12), ("corvane-energy", 3, 10)]
    assert cross[0]["Won"] == "MES, APM, QMS" and cross[0]["Lacks (competitor or not offered)"] == "Field service"
    # the same rows as the HTML's table, counts as numbers
    assert [[r["Account"], f"{r['Open white space (cells)']} of {r['Cells recorded']} cells", r["Won"] or "–",
             r["Open, not won yet"] or "–", r["Lacks (competitor or not offered)"] or "–"] for r in cross] == \
        html["cross-sell"][1:]
    assert [[r["Offering"], str(r["Won in (accounts)"]), str(r["Open in (accounts)"]),
             str(r["White space in (accounts)"])] for r in rows(wb["Offerings"])] == html["offerings"][1:]


def test_figures_are_numbers_equal_to_the_html(examples_book):
    wb, html = examples_book
    ranking = {r["Account"]: r for r in rows(wb["Ranking"])}
    # the HTML ranking: # Account Owner Score Key Tier Quadrant ABC Revenue Margin Health
    table = html["ranking"][1:]
    assert len(table) == len(ranking) == 13
    revenue = next(h for h in header(wb["Ranking"]) if h.startswith("Revenue TTM"))
    assert revenue == "Revenue TTM (EUR)"  # the examples' reporting currency
    for cells in table:
        row = ranking[cells[1]]
        assert row["Rank"] == int(cells[0])
        assert isinstance(row["Score"], (int, float)) and f"{row['Score']:.1f}" == cells[3]
        assert isinstance(row[revenue], int)
        assert f"{row[revenue]:,.0f}" == cells[8]
        assert f"{row['Margin %']:.1f}%" == cells[9]
    # the number format shows them as the pack does
    ws = wb["Ranking"]
    head = header(ws)
    assert ws.cell(2, head.index(revenue) + 1).number_format == "#,##0"
    assert ws.cell(2, head.index("Margin %") + 1).number_format == '0.0"%"'
    # concentration: value, share and cumulative share as in the ABC table
    conc = rows(wb["Concentration"])
    for cells, row in zip(html["abc"][1:], conc, strict=True):
        assert (row["Account"], row["ABC"]) == (cells[0], cells[1])
        assert (f"{row['Share %']:.1f}%", f"{row['Cumulative %']:.1f}%") == (cells[3], cells[4])
    # risk: health score as in the risk table, worst first
    for cells, row in zip(html["risk"][1:], rows(wb["Risk"]), strict=True):
        assert (row["Account"], str(row["Health"])) == (cells[2], cells[1])


def test_account_financials_sheet_equals_the_account_pack(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    assert kaplan("report", ACCOUNT, "-f", "xlsx", "--today", DAY, "-o", tmp_path / "a.xlsx", cwd=folder).exit_code == 0
    assert kaplan("report", ACCOUNT, "-f", "html", "--today", DAY, "-o", tmp_path / "a.html").exit_code == 0
    wb = load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["Financials", "Objectives", "Actions", "Service KPIs", "Risks", "Whitespace",
                             "Working together"]
    # the grid cell by cell as the HTML pack shows it: an unrecorded pair is an empty cell
    grid = [[c.value for c in row] for row in wb["Whitespace"].iter_rows()]
    assert grid == [["Buying unit", "Energy Analytics", "Cold Chain Insight", "Checkout Monitor"],
                    ["German stores", "won", "open", "competitor (Kassensys)"],
                    ["Austrian stores", "open", "not offered", None],
                    ["Distribution centres", "not offered", "competitor", "not relevant"]]
    periods = Tables((tmp_path / "a.html").read_text(encoding="utf-8")).tables["periods"]
    fin = rows(wb["Financials"])
    assert len(fin) == len(periods) - 1 > 0
    for cells, row in zip(periods[1:], fin):
        # Period Revenue Target Gross-profit Margin Cost-to-serve CtS% Discounts
        assert row["Period"] == cells[0]
        assert (f"{row['Revenue (EUR)']:,.0f}" if row["Revenue (EUR)"] is not None else "–") == cells[1]
        assert (f"{row['Margin %']:.1f}%" if row["Margin %"] is not None else "–") == cells[4]
    # dates are dates: the actions' due dates read back as datetimes with a date format
    plan = load_plan(folder / "plans" / f"{ACCOUNT}.yaml").plan
    dues = [c for c in wb["Actions"]["D"][1:] if c.value is not None]
    assert [c.value.date() for c in dues] == [a.due for a in plan.actions if a.due]
    assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dues)


FORMULAS = ["=HYPERLINK(\"http://evil.invalid\",\"x\")", "+1+2", "-3+4", "@SUM(A1:A2)", "\t=5+6", "\r=7+8",
            "=1+1\x01"]


def _arm(doc: dict) -> int:
    """Fill every free-text field of a plan with a formula (cycling through FORMULAS); returns how many."""
    armed = 0

    def walk(node):
        nonlocal armed
        keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else ()
        for k in keys:
            if isinstance(node[k], (dict, list)):
                walk(node[k])
            elif isinstance(node[k], str):
                old, node[k] = node[k], FORMULAS[armed % len(FORMULAS)]
                try:
                    Plan.model_validate(doc)
                    armed += 1
                except Exception:  # an id, an enum, a date or a period: not free text
                    node[k] = old

    walk(doc)
    return armed


@pytest.mark.parametrize("target", ["portfolio", ACCOUNT])
def test_no_cell_is_a_formula(kaplan, tmp_path, target):
    folder = copy_plain(tmp_path / "portfolio")
    path = folder / "plans" / f"{ACCOUNT}.yaml"
    doc = load_plan(path).plan.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert _arm(doc) > 60
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    args = ["--portfolio"] if target == "portfolio" else [ACCOUNT]
    r = kaplan("report", *args, "-f", "xlsx", "--today", DAY, "-o", tmp_path / "out.xlsx", cwd=folder)
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(tmp_path / "out.xlsx")
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert "=HYPERLINK(\"http://evil.invalid\",\"x\")" in texts  # stored, as text
    assert any(t.startswith(("+1+2", "-3+4", "@SUM")) for t in texts)
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:  # and no formula element anywhere in the file
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_binary_formats_refuse_a_terminal_and_pipe_otherwise(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    r = kaplan("report", "--portfolio", "-f", "xlsx", "--today", DAY, cwd=folder)
    assert r.exit_code == 0  # CliRunner's output is a pipe, not a terminal: the workbook goes to it
    assert r.stdout.startswith("PK")  # a zip file
    r = kaplan("report", "--portfolio", "-f", "docx", "--today", DAY)
    assert r.exit_code == 2 and "unknown format 'docx'" in r.stderr


def test_writes_a_dated_cell_as_a_date(tmp_path):
    """`put` keeps dates as dates and text as text, whatever the text looks like."""
    from openpyxl import Workbook

    from kaplan.report.xlsx import put

    ws = Workbook().active
    put(ws["A1"], dt.date(2026, 11, 24))
    put(ws["A2"], "2026-11-24")
    put(ws["A3"], "=A1")
    assert ws["A1"].is_date and ws["A2"].data_type == "s" and ws["A3"].data_type == "s"
