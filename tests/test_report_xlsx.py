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
    assert wb.sheetnames[:7] == ["Summary", "Ranking", "Risk", "Allocation", "Concentration", "Cross-sell", "Offerings"]
    assert sorted(wb.sheetnames[7:]) == ids  # one financials sheet per account, named by its id
    assert [r["Account id"] for r in rows(wb["Ranking"])] == wb.sheetnames[7:]  # in ranking order
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
    assert wb.sheetnames == ["Financials", "Contacts", "Objectives", "Actions", "NPS", "NPS by quarter",
                             "Service KPIs", "Risks", "Whitespace", "Working together"]
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


PEOPLE = """\
kaplan: 1
account: {id: hoff, name: Hoff Retail}
plan: {owner: Dana Keller}
relationships:
  strength: 3
  contacts:
    - {id: ceo, name: Lena Hoff, title: Chief Executive, buying_role: economic_buyer, decision_authority: high,
       influence: 5, attitude: supporter, strength: 4, our_owner: Sam Ortiz, last_contact: 2026-11-02,
       initiatives: [Store energy programme, Opex review], targets: [EBIT 8%]}
    - {id: cfo, name: Marco Reiter, title: "=CFO()", buying_role: decision_maker, attitude: neutral, strength: 2,
       reports_to: ceo, our_owner: Dana Keller, last_contact: 2026-11-10}
    - {id: it, name: Jonas Berg, title: IT Operations Lead, buying_role: technical, attitude: opponent, strength: 2,
       reports_to: cfo, last_contact: 2026-09-01, left: 2026-10-01}
    - {id: coo, name: Ute Wahl}
voice_of_customer:
  nps:
    - {date: 2026-11-23, respondent: "+Bob", score: 2}
    - {date: 2025-06-10, respondent: ceo, score: 10}
    - {date: 2026-02-10, respondent: ceo, score: 9}
    - {date: 2026-03-12, respondent: Priya Shah, score: 7, comment: Fine so far.}
    - {date: 2026-05-20, respondent: Ute Wahl, score: 10}
    - {date: 2026-06-02, respondent: cfo, score: 9}
    - {date: 2026-09-15, respondent: it, score: 5, comment: Too many alerts.,
       follow_up: {owner: Dana Keller, due: 2026-09-17, closed: 2026-09-20, note: Thresholds tuned}}
    - {date: 2026-10-20, respondent: cfo, score: 6, follow_up: {owner: Dana Keller, due: 2026-10-22}}
    - {date: 2026-11-20, respondent: Ann Lee, score: 3, follow_up: {owner: Sam Ortiz, due: 2026-11-26}}
"""


@pytest.fixture(scope="module")
def people_book(tmp_path_factory):
    """The account workbook of PEOPLE on 2026-11-24, through the real CLI (2 responses make an NPS)."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    folder = tmp_path_factory.mktemp("people")
    (folder / "plans").mkdir()
    (folder / "kaplan.yaml").write_text("kaplan: 1\nnps: {min_responses: 2}\n", encoding="utf-8")
    (folder / "plans" / "hoff.yaml").write_text(PEOPLE, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        r = CliRunner().invoke(app, ["report", "hoff", "-f", "xlsx", "--today", DAY, "-o", str(folder / "a.xlsx")],
                               catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert r.exit_code == 0, r.output
    return load_workbook(folder / "a.xlsx")


def cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def framed(ws, columns: str, last_row: int) -> None:
    """The header row frozen, a filter over the whole table, every column readable."""
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{columns}{last_row}"
    assert all(ws.cell(1, j).font.bold for j in range(1, ws.max_column + 1))
    for j in range(1, ws.max_column + 1):
        assert ws.column_dimensions[ws.cell(1, j).column_letter].width >= 8


def test_account_workbook_has_contacts_and_nps_sheets(people_book):
    assert people_book.sheetnames == ["Financials", "Contacts", "Objectives", "Actions", "NPS", "NPS by quarter",
                                      "Service KPIs", "Risks"]


def test_contacts_sheet_cell_by_cell(people_book):
    ws = people_book["Contacts"]
    d = dt.datetime
    assert cells(ws) == [
        ["Contact", "Title", "Buying role", "Decision authority", "Influence (1-5)", "Attitude", "Strength (1-5)",
         "Reports to", "Our owner", "Last contact", "Left", "Drives", "Measured on"],
        ["Lena Hoff", "Chief Executive", "economic buyer", "high", 5, "supporter", 4, None, "Sam Ortiz",
         d(2026, 11, 2), None, "Store energy programme; Opex review", "EBIT 8%"],
        ["Marco Reiter", "=CFO()", "decision maker", None, None, "neutral", 2, "Lena Hoff", "Dana Keller",
         d(2026, 11, 10), None, None, None],
        ["Jonas Berg", "IT Operations Lead", "technical", None, None, "opponent", 2, "Marco Reiter", None,
         d(2026, 9, 1), d(2026, 10, 1), None, None],
        ["Ute Wahl", None, None, None, None, None, None, None, None, None, None, None, None],
    ]
    framed(ws, "M", 5)
    assert ws["B3"].data_type == "s" and ws["B3"].quotePrefix  # "=CFO()" is text, never a formula
    assert ws["E2"].data_type == "n" and ws["G2"].number_format == "0"
    assert ws["J2"].is_date and ws["K4"].is_date and ws["J2"].number_format == "yyyy-mm-dd"
    assert "relationship strength 3.0/5" in ws["A1"].comment.text  # one decimal, as every pack shows it


def test_nps_sheet_cell_by_cell(people_book):
    ws = people_book["NPS"]
    d = dt.datetime
    # The survey window on 2026-11-24: responses dated 2025-11-25 … 2026-11-24, so all but 2025-06-10.
    # Follow-ups: closed; open and due 2026-10-22 (passed: overdue); open and due 2026-11-26 (on time);
    # the detractor "+Bob" has none. A promoter or passive without one has nothing to follow up.
    assert cells(ws) == [
        ["Date", "Respondent", "Contact", "Score", "Category", "In survey window", "Comment", "Follow-up",
         "Follow-up owner", "Follow-up due", "Follow-up closed", "Follow-up note"],
        [d(2025, 6, 10), "ceo", "Lena Hoff", 10, "promoter", "no", None, None, None, None, None, None],
        [d(2026, 2, 10), "ceo", "Lena Hoff", 9, "promoter", "yes", None, None, None, None, None, None],
        [d(2026, 3, 12), "Priya Shah", None, 7, "passive", "yes", "Fine so far.", None, None, None, None, None],
        [d(2026, 5, 20), "Ute Wahl", None, 10, "promoter", "yes", None, None, None, None, None, None],
        [d(2026, 6, 2), "cfo", "Marco Reiter", 9, "promoter", "yes", None, None, None, None, None, None],
        [d(2026, 9, 15), "it", "Jonas Berg", 5, "detractor", "yes", "Too many alerts.", "closed", "Dana Keller",
         d(2026, 9, 17), d(2026, 9, 20), "Thresholds tuned"],
        [d(2026, 10, 20), "cfo", "Marco Reiter", 6, "detractor", "yes", None, "open, overdue", "Dana Keller",
         d(2026, 10, 22), None, None],
        [d(2026, 11, 20), "Ann Lee", None, 3, "detractor", "yes", None, "open", "Sam Ortiz", d(2026, 11, 26), None,
         None],
        [d(2026, 11, 23), "+Bob", None, 2, "detractor", "yes", None, "none", None, None, None, None],
    ]
    framed(ws, "L", 10)
    assert ws["B10"].data_type == "s" and ws["B10"].quotePrefix  # "+Bob" stays text
    assert ws["A2"].is_date and ws["J7"].is_date and ws["D2"].data_type == "n"
    # in the window: 8 responses, promoters 9, 10, 9 = 3, detractors 5, 6, 3, 2 = 4: (3 − 4) ÷ 8 × 100 = −12.5
    assert ws["A1"].comment.text.startswith("NPS -13 (8 responses in the last 12 months)")


def test_nps_by_quarter_sheet_cell_by_cell(people_book):
    ws = people_book["NPS by quarter"]
    d = dt.datetime
    assert cells(ws) == [
        ["Span", "From", "To", "Responses", "Promoters", "Passives", "Detractors", "NPS", "Enough responses"],
        # the window: (3 − 4) ÷ 8 × 100 = −12.5, shown as the pack shows it: −13 (half away from zero)
        ["Survey window (the last 12 months)", d(2025, 11, 25), d(2026, 11, 24), 8, 3, 1, 4, -13, "yes"],
        # 2025-Q2: one response, fewer than the 2 an NPS needs: no score
        ["2025-Q2", d(2025, 4, 1), d(2025, 6, 30), 1, 1, 0, 0, None, "no"],
        ["2026-Q1", d(2026, 1, 1), d(2026, 3, 31), 2, 1, 1, 0, 50, "yes"],    # (1 − 0) ÷ 2 × 100
        ["2026-Q2", d(2026, 4, 1), d(2026, 6, 30), 2, 2, 0, 0, 100, "yes"],   # (2 − 0) ÷ 2 × 100
        ["2026-Q3", d(2026, 7, 1), d(2026, 9, 30), 1, 0, 0, 1, None, "no"],
        ["2026-Q4", d(2026, 10, 1), d(2026, 12, 31), 3, 0, 0, 3, -100, "yes"],  # (0 − 3) ÷ 3 × 100
    ]
    framed(ws, "I", 7)
    assert ws["H2"].data_type == "n" and ws["H2"].number_format == "+0;-0;+0"  # signed, as the pack shows NPS
    assert ws["B2"].is_date and ws["C7"].is_date


def test_the_workbook_s_nps_is_the_html_pack_s(people_book, tmp_path, kaplan):
    """The same figure in both: the HTML headline card and survey window say −13 over 8 responses."""
    folder = tmp_path / "p"
    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("kaplan: 1\nnps: {min_responses: 2}\n", encoding="utf-8")
    (folder / "plans" / "hoff.yaml").write_text(PEOPLE, encoding="utf-8")
    assert kaplan("report", "hoff", "-f", "html", "--today", DAY, "-o", tmp_path / "a.html", cwd=folder).exit_code == 0
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "NPS -13 (8 responses in the last 12 months)" in html
    window = cells(people_book["NPS by quarter"])[1]
    assert f"NPS {window[7]:+d} ({window[3]} responses in the last 12 months)" in html


@pytest.mark.parametrize("args, title, author", [
    ((ACCOUNT,), f"Acme Retail Group · account review pack · {DAY}", "Dana Keller"),  # the fixture plan's owner
    ((ACCOUNT, "--audience", "client"), f"Acme Retail Group · progress report · {DAY}", ""),
    (("--portfolio",), f"Key account portfolio review · {DAY}", ""),
])
def test_a_workbook_carries_the_pack_s_properties_and_none_of_openpyxl_s(kaplan, tmp_path, args, title, author):
    """File › Properties of a workbook: the pack's title, the plan's owner as author of an internal
    account workbook (nobody of a client's or the portfolio's), the report's day as created and
    modified (never the clock's), and nothing openpyxl writes of itself ("openpyxl", "Microsoft Excel
    Compatible / Openpyxl 3.1.5")."""
    folder = copy_plain(tmp_path / "portfolio")
    r = kaplan("report", *args, "-f", "xlsx", "--today", DAY, "-o", tmp_path / "book.xlsx", cwd=folder)
    assert r.exit_code == 0, r.stderr
    props = load_workbook(tmp_path / "book.xlsx").properties
    assert props.title == title
    assert (props.creator, props.lastModifiedBy) == ((author, author) if author else (None, None))
    assert props.created == props.modified == dt.datetime(TODAY.year, TODAY.month, TODAY.day)
    with zipfile.ZipFile(tmp_path / "book.xlsx") as book:
        core, app = book.read("docProps/core.xml"), book.read("docProps/app.xml")
    assert f"<dc:title>{title}</dc:title>".encode() in core
    assert f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>".encode() in core
    stamp = f"{DAY}T00:00:00Z".encode()
    assert core.count(stamp) == 2 and b"<dcterms:created" in core and b"<dcterms:modified" in core
    assert b"<Application" not in app and b"<AppVersion" not in app  # no property at all: each is optional
    for leaked in (b"openpyxl", b"Openpyxl", b"Microsoft Excel"):
        assert leaked not in core + app, leaked
