"""Every format of a pack shows the same figure: the workbook and the deck against what
`kaplan score --budget` and the Markdown pack print, worked out by hand on plans written here.

- the allocation's amounts in the reporting currency (converted before they are shown, as allocated);
- the people (FTE) a request was granted, beside the money;
- each period's share of wallet in the workbook (revenue ÷ the client's category spend);
- a decision past its due date marked overdue wherever it is shown, the client's pack included.
"""

from __future__ import annotations

from openpyxl import load_workbook
from pptx import Presentation

from conftest import dedent
from test_portfolio_money import plan_text as money_plan, portfolio as money_portfolio

DAY = "2026-11-24"

CONFIG = """
    kaplan: 1
    currency:
      reporting: EUR
      rates:
        USD: {rate: 0.9, as_of: 2026-09-30}
        GBP: {rate: 1.16, as_of: 2026-09-30}
    scoring:
      criteria:
        volume: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}
      matrix: {attractiveness: {volume: 1}, strength: {volume: 1}}
      budget: {available: 500000, people: 3}
"""


def plan_text(account: str, currency: str, revenue: int, extra: str = "") -> str:
    return money_plan(account, currency, f"{{period: 2026-Q3, revenue: {revenue}}}", extra)


def portfolio(tmp_path, **plans: str):
    return money_portfolio(tmp_path, CONFIG, **plans)


def report(kaplan, tmp_path, *args: str, fmt: str) -> object:
    out = tmp_path / f"out-{'-'.join(args) or 'portfolio'}.{fmt}"
    r = kaplan("report", *args, "-f", fmt, "--today", DAY, "-o", out, cwd=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    if fmt == "xlsx":
        return load_workbook(out)
    if fmt == "pptx":
        return Presentation(str(out))
    return out.read_text(encoding="utf-8")


def sheet_rows(ws) -> list[dict]:
    head = [c.value for c in ws[1]]
    return [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]


def slide_tables(prs, title_start: str) -> list[list[str]]:
    """The rows (header first) of the tables on the slides whose title starts with `title_start`."""
    rows = []
    for s in prs.slides:
        if s.shapes.title is not None and s.shapes.title.text.startswith(title_start):
            for shape in s.shapes:
                if shape.has_table:
                    rows += [[c.text for c in r.cells] for r in shape.table.rows]
    return rows


def md_table(md: str, header_start: str) -> list[list[str]]:
    """The rows (header first) of the Markdown table whose header starts with `header_start`."""
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    out = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        out.append([c.strip() for c in line.strip().strip("|").split("|")])
    return [out[0]] + out[2:]


INVESTING = dict(
    # New York, $400,000 TTM = €360,000 (ranked first); London, £100,000 = €116,000
    ny=plan_text("ny", "USD", 400000, """
        investment:
          - {id: hub, description: Regional hub, amount: 200000}
    """),
    london=plan_text("london", "GBP", 100000, """
        investment:
          - {id: desk, description: Service desk, amount: 100000}
          - {id: team, description: Onsite team, people_fte: 5}
    """),
)


def test_the_allocation_shows_converted_amounts_in_every_format(kaplan, tmp_path):
    portfolio(tmp_path, **INVESTING)
    # $200,000 × 0.9 = €180,000; £100,000 × 1.16 = €116,000 (both granted in full of €500,000)
    ny, london = round(200_000 * 0.9), round(100_000 * 1.16)  # shown to the unit
    budget = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    assert [(r["request"], r["amount"]) for r in budget["requests"] if r["amount"]] == [("hub", ny), ("desk", london)]
    wb = report(kaplan, tmp_path, "--portfolio", fmt="xlsx")
    amounts = {r["Request"]: r["Amount (EUR)"] for r in sheet_rows(wb["Allocation"])}
    assert amounts["Regional hub"] == ny and amounts["Service desk"] == london
    prs = report(kaplan, tmp_path, "--portfolio", fmt="pptx")
    table = slide_tables(prs, "Investment allocation")
    amount = table[0].index("Amount")
    shown = {row[2]: row[amount] for row in table[1:]}
    assert shown["Regional hub"] == "180,000" and shown["Service desk"] == "116,000"
    md = report(kaplan, tmp_path, "--portfolio", fmt="md")
    rows = md_table(md, "| # | Account | Request")
    assert {r[2]: r[4] for r in rows[1:]}["Regional hub"] == "180,000"


def test_every_pack_shows_the_people_granted(kaplan, tmp_path):
    portfolio(tmp_path, **INVESTING)
    # 3 FTE available, "Onsite team" asks for 5: it gets 3 (partly funded) and no money (it asks none)
    granted = "0 + 3 FTE"
    budget = kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout
    assert granted in budget
    for fmt in ("md", "html"):
        pack = report(kaplan, tmp_path, "--portfolio", fmt=fmt)
        assert granted in pack, fmt
        account = report(kaplan, tmp_path, "london", fmt=fmt)
        assert granted in account, fmt
    md = report(kaplan, tmp_path, "--portfolio", fmt="md")
    rows = md_table(md, "| # | Account | Request")
    team = next(r for r in rows[1:] if r[2] == "Onsite team")
    assert team[rows[0].index("Granted")] == granted
    wb = report(kaplan, tmp_path, "--portfolio", fmt="xlsx")
    row = next(r for r in sheet_rows(wb["Allocation"]) if r["Request"] == "Onsite team")
    assert (row["People (FTE)"], row["People granted (FTE)"], row["Granted (EUR)"]) == (5, 3, 0)
    prs = report(kaplan, tmp_path, "--portfolio", fmt="pptx")
    table = slide_tables(prs, "Investment allocation")
    team = next(r for r in table[1:] if r[2] == "Onsite team")
    assert team[table[0].index("Granted")] == granted



def test_people_are_shown_to_one_decimal_in_every_format_and_the_setting_as_written(kaplan, tmp_path):
    """People (FTE) are shown with one decimal, half away from zero (`kaplan.rounding.FTE_PLACES`), the same
    figure in every format; `budget.people`, a setting, as written."""
    config = CONFIG.replace("people: 3", "people: 2.25")
    money_portfolio(tmp_path, config, acme=plan_text("acme", "EUR", 1000, """
        investment:
          - {id: a, description: Team A, people_fte: 1.25}
          - {id: b, description: Team B, people_fte: 1.25}
    """))
    # 2.25 FTE available: Team A gets its 1.25 (shown 1.3: half away from zero, where Python's format
    # says 1.2), Team B the 2.25 − 1.25 = 1 left. Requested 1.25 + 1.25 = 2.5; granted 2.25 → 2.3.
    words = "People: 2.5 FTE requested, 2.25 available, 2.3 granted."
    rows = {"Team A": ("1.3", "0 + 1.3 FTE"), "Team B": ("1.3", "0 + 1 FTE")}
    budget = kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout
    table = md_table(budget, "| # | Account | Request")
    people, granted = table[0].index("People (FTE)"), table[0].index("Granted")
    assert {r[2]: (r[people], r[granted]) for r in table[1:]} == rows
    assert words in budget
    doc = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    assert [(r["people_fte"], r["people_granted"]) for r in doc["requests"]] == [(1.3, 1.3), (1.3, 1.0)]
    assert (doc["people_available"], doc["people_requested"], doc["people_granted"]) == (2.25, 2.5, 2.3)
    csv = kaplan("score", "--budget", "--format", "csv", cwd=tmp_path).stdout.splitlines()
    head = csv[0].split(",")
    assert [(line.split(",")[head.index("people_fte")], line.split(",")[head.index("people_granted")])
            for line in csv[1:]] == [("1.3", "1.3"), ("1.3", "1.0")]
    for fmt in ("md", "html"):
        pack = report(kaplan, tmp_path, "--portfolio", fmt=fmt)
        assert words in pack, fmt
        assert "0 + 1.3 FTE" in pack and "1.25 FTE" not in pack, fmt
    md = report(kaplan, tmp_path, "--portfolio", fmt="md")
    table = md_table(md, "| # | Account | Request")
    assert {r[2]: (r[people], r[granted]) for r in table[1:]} == rows
    account = report(kaplan, tmp_path, "acme", fmt="md")
    assert "0 + 1.3 FTE" in account and "1.25 FTE" not in account
    wb = report(kaplan, tmp_path, "--portfolio", fmt="xlsx")
    cells = {r["Request"]: (r["People (FTE)"], r["People granted (FTE)"]) for r in sheet_rows(wb["Allocation"])}
    assert cells == {"Team A": (1.3, 1.3), "Team B": (1.3, 1.0)}
    prs = report(kaplan, tmp_path, "--portfolio", fmt="pptx")
    table = slide_tables(prs, "Investment allocation")
    assert {r[2]: r[table[0].index("Granted")] for r in table[1:]} == {k: v[1] for k, v in rows.items()}


def test_the_workbook_shows_each_periods_share_of_wallet(kaplan, tmp_path):
    portfolio(tmp_path, acme=dedent("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        financials:
          currency: EUR
          periods:
            - {period: 2026-Q2, revenue: 30000, client_category_spend: 120000}
            - {period: 2026-Q3, revenue: 40000, share_of_wallet_pct: 30}
            - {period: 2026-Q1, revenue: 10000}
    """))
    # Q2: 30,000 ÷ 120,000 × 100 = 25 %; Q3 states 30 %; Q1 has neither
    expected = {"2026-Q1": None, "2026-Q2": 30_000 / 120_000 * 100, "2026-Q3": 30}
    account = report(kaplan, tmp_path, "acme", fmt="xlsx")
    assert {r["Period"]: r["Share of wallet %"] for r in sheet_rows(account["Financials"])} == expected
    whole = report(kaplan, tmp_path, "--portfolio", fmt="xlsx")
    assert {r["Period"]: r["Share of wallet %"] for r in sheet_rows(whole["acme"])} == expected


OPEN_DECISIONS = """
    reviews:
      - date: 2026-09-01
        kind: quarterly_review
        decisions:
          - {decision: Renew the SLA, decision_makers: [Ann], due: 2026-11-01}
          - {decision: Pick a pilot site, decision_makers: [Ann], due: 2026-12-15}
"""


def test_an_overdue_decision_is_marked_in_every_format_and_audience(kaplan, tmp_path):
    portfolio(tmp_path, acme=plan_text("acme", "EUR", 1000, OPEN_DECISIONS))
    # due 2026-11-01, today 2026-11-24: 30 − 1 = 29 days of November … 24 − 1 = 23 days late
    late = "(overdue, 23 days)"
    for audience in ("internal", "client"):
        for fmt in ("md", "html"):
            pack = report(kaplan, tmp_path, "acme", "--audience", audience, fmt=fmt)
            assert pack.count(late) == 1, (audience, fmt)  # the SLA; the pilot site is not due yet
        prs = report(kaplan, tmp_path, "acme", "--audience", audience, fmt="pptx")
        rows = {r[0]: r for r in slide_tables(prs, "Decisions needed")}
        due = slide_tables(prs, "Decisions needed")[0].index("Due")
        assert rows["Renew the SLA"][due] == f"2026-11-01 {late}", audience
        assert rows["Pick a pilot site"][due] == "2026-12-15", audience
    wb = report(kaplan, tmp_path, "acme", "--audience", "client", fmt="xlsx")
    days = {r["Decision"]: r["Days overdue"] for r in sheet_rows(wb["Decisions"])}
    assert days == {"Renew the SLA": 23, "Pick a pilot site": None}


def test_a_period_s_share_of_wallet_is_whole_in_the_workbook_as_in_the_pack(kaplan, tmp_path):
    portfolio(tmp_path, m=dedent("""
        kaplan: 1
        account: {id: m, name: Em}
        plan: {owner: Jo}
        financials:
          currency: EUR
          periods:
            - {period: 2026-Q3, revenue: 1000.5, client_category_spend: 8000}
    """))
    # 1,000.5 ÷ 8,000 × 100 = 12.50625 %: shown whole, 13 % (the workbook said 12.5)
    assert "share of wallet 13%" in report(kaplan, tmp_path, "m", fmt="md")
    r = kaplan("report", "--all", "-f", "xlsx", "--today", DAY, "-o", tmp_path / "x", cwd=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    for wb in (load_workbook(tmp_path / "x" / "m.xlsx"), report(kaplan, tmp_path, "m", fmt="xlsx")):
        (row,) = sheet_rows(wb["Financials"])
        assert row["Share of wallet %"] == 13
        cell = wb["Financials"].cell(row=2, column=list(row).index("Share of wallet %") + 1)
        assert cell.number_format == '0"%"'  # shown as 13%, not 13.0%
