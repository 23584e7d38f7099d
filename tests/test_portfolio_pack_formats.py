"""The portfolio pack says the same in every format: Markdown, HTML, the deck and the workbook.

Each portfolio is written here; each expected figure is worked out by hand beside it.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook
from pptx import Presentation

from conftest import dedent
from test_portfolio_money import plan_text as plan, portfolio as write_portfolio

DAY = "2026-11-24"


def pack(kaplan, folder, fmt: str, today: str = DAY):
    out = folder / f"portfolio.{fmt}"
    r = kaplan("report", "--portfolio", "--format", fmt, "--out", str(out), "--today", today, cwd=folder)
    assert r.exit_code in (0, 1), r.stdout + r.stderr  # 1: `check` findings (a currency with no rate)
    assert out.exists(), r.stdout + r.stderr
    if fmt == "pptx":
        return Presentation(str(out))
    if fmt == "xlsx":
        return load_workbook(out)
    return out.read_text(encoding="utf-8")


def deck_text(prs) -> str:
    """Every text of the deck (boxes, cards, table cells), one shape per line."""
    lines = []
    for s in prs.slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                lines.append(sh.text_frame.text.replace("\n", " | "))
            if sh.has_table:
                lines += [" | ".join(c.text for c in r.cells) for r in sh.table.rows]
    return "\n".join(lines)


def html_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ------------------------------------------------------------------ concentration, rates, left out

RATES = """
    kaplan: 1
    currency:
      reporting: EUR
      rates:
        GBP: {rate: 1.16, as_of: 2026-09-30}
"""


def rated_portfolio(tmp_path):
    """Revenue over the year 2025 (a whole TTM): alpha £500,000 × 1.16 = €580,000; bravo €150,000;
    delta €120,000; echo €100,000; foxtrot €55,000; charlie $999,999 has no rate and counts nowhere.
    Total 580,000 + 150,000 + 120,000 + 100,000 + 55,000 = 1,005,000. Top 20 % of the 5 accounts with a
    value = ceil(1) = 1 account: alpha, 580,000 ÷ 1,005,000 = 57.71 % → 57.7 % (58 % at no decimals)."""
    year = "{{period: 2025, revenue: {}}}"
    return write_portfolio(
        tmp_path, RATES,
        alpha=plan("alpha", "GBP", year.format(500000)), bravo=plan("bravo", "EUR", year.format(150000)),
        charlie=plan("charlie", "USD", year.format(999999)), delta=plan("delta", "EUR", year.format(120000)),
        echo=plan("echo", "EUR", year.format(100000)), foxtrot=plan("foxtrot", "EUR", year.format(55000)))


def test_the_deck_shows_the_top_share_as_the_other_formats_do(kaplan, tmp_path):
    folder = rated_portfolio(tmp_path)
    md = pack(kaplan, folder, "md")
    assert "the top 20% of accounts (1) bring 57.7% of revenue" in md
    html = html_text(pack(kaplan, folder, "html"))
    assert "Concentration 57.7% of revenue from the top 20%" in html  # the summary card
    assert "bring 57.7% of revenue" in html
    text = deck_text(pack(kaplan, folder, "pptx"))
    assert "CONCENTRATION | 57.7% | from the top 20%" in text
    assert "Concentration: the top 20% of accounts bring 57.7%" in text
    assert "58%" not in text


def test_the_deck_states_the_rates_and_the_accounts_left_out(kaplan, tmp_path):
    folder = rated_portfolio(tmp_path)
    rates = "figures in EUR (1 GBP = 1.16 EUR, rate of 2026-09-30; no rate from USD to EUR in kaplan"
    left_out = "No rate into EUR in kaplan.yaml, so left out of every total: Charlie."
    md = pack(kaplan, folder, "md").replace("\\", "")  # Markdown escapes the dot of kaplan.yaml
    assert rates in md and left_out in md
    html = html_text(pack(kaplan, folder, "html"))
    assert rates in html and left_out in html
    prs = pack(kaplan, folder, "pptx")
    title_slide = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert rates in title_slide, title_slide
    assert left_out in deck_text(prs)


# ------------------------------------------------------------------ a missing total is missing, not 0

def summary_row(md: str) -> dict[str, str]:
    """The Markdown pack's executive summary table, header → cell."""
    lines = md.split("## Executive summary")[1].strip().splitlines()
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in (lines[0], lines[2])]
    return dict(zip(*cells))


def test_no_gross_profit_anywhere_is_no_total_and_no_margin_note(kaplan, tmp_path):
    # Revenue over 2025 and no gross profit or margin in any plan: revenue 100,000 + 300,000 = 400,000;
    # gross profit over no account is no value; margin has no period with both figures, so no value and
    # no note about its sums. Top share: ceil(20 % × 2) = 1 account, 300,000 ÷ 400,000 = 75.0 %.
    folder = write_portfolio(tmp_path, RATES, alpha=plan("alpha", "EUR", "{period: 2025, revenue: 100000}"),
                             bravo=plan("bravo", "EUR", "{period: 2025, revenue: 300000}"))
    md = pack(kaplan, folder, "md")
    row = summary_row(md)
    assert (row["Revenue (TTM)"], row["Gross profit"], row["Margin"]) == ("400,000", "–", "–")
    assert "Margin:" not in md and "gross profit 0" not in md
    assert "the top 20% of accounts (1) bring 75.0% of revenue" in md
    html = html_text(pack(kaplan, folder, "html"))
    assert "Revenue (TTM) 400k gross profit – · margin –" in html and "Margin:" not in html
    assert "REVENUE (TTM) | 400k | gross profit – · margin –" in deck_text(pack(kaplan, folder, "pptx"))


def test_no_financials_at_all_is_no_revenue_and_no_top_share(kaplan, tmp_path):
    # No plan records a period: revenue and gross profit are sums over no account (no value), and the
    # top share's denominator (Σ positive revenue) is 0, so the share is undefined: "–", never 0.0 %.
    folder = write_portfolio(tmp_path, "kaplan: 1\n", alpha=plan("alpha"), bravo=plan("bravo"))
    md = pack(kaplan, folder, "md")
    row = summary_row(md)
    assert (row["Revenue (TTM)"], row["Gross profit"], row["Margin"]) == ("–", "–", "–")
    assert "the top 20% of accounts (0) bring – of revenue" in md
    assert "0.0%" not in md
    html = html_text(pack(kaplan, folder, "html"))
    assert "Revenue (TTM) – gross profit – · margin –" in html
    assert "Concentration – of revenue" in html and "bring – of revenue" in html
    text = deck_text(pack(kaplan, folder, "pptx"))
    assert "REVENUE (TTM) | – | gross profit – · margin –" in text
    assert "CONCENTRATION | – |" in text and "0.0%" not in text
    ranking = pack(kaplan, folder, "xlsx")["Ranking"]  # the workbook: no figure is written as 0
    head = [c.value for c in ranking[1]]
    for row in ranking.iter_rows(min_row=2, values_only=True):
        cells = dict(zip(head, row))
        assert cells["Revenue TTM (EUR)"] is None and cells["Gross profit TTM (EUR)"] is None
    doc = kaplan("score", "--format", "json", "--today", DAY, cwd=folder).json()
    assert doc["concentration"]["top_share_pct"] is None


# ------------------------------------------------------------------ renewals: within the horizon or passed

def renewing(account: str, renewal: str) -> str:
    return dedent(f"""
        kaplan: 1
        account: {{id: {account}, name: {account.title()}}}
        plan: {{owner: Jo}}
        financials:
          currency: EUR
          contract: {{value: 100000, start: 2025-01-01, renewal_date: {renewal}}}
    """)


def test_a_renewal_exactly_at_the_horizon_is_within_it(kaplan, tmp_path):
    # Today 2026-11-24; the horizon is 180 days (the default): 6 days to Nov 30, + 31 (Dec) + 31 (Jan)
    # + 28 (Feb) + 31 (Mar) + 30 (Apr) = 157 to Apr 30, + 23 = 180 days to 2027-05-23. So:
    #   at:     2027-05-23, 180 days: 180 ≤ 180, within;
    #   beyond: 2027-05-24, 181 days: outside;
    #   passed: 2026-11-23, −1 day: passed, listed.
    plans = {"at": renewing("at", "2027-05-23"), "beyond": renewing("beyond", "2027-05-24"),
             "passed": renewing("passed", "2026-11-23")}
    folder = write_portfolio(tmp_path, "kaplan: 1\n", **plans)
    account = folder / "at.md"
    r = kaplan("report", "at", "--format", "md", "--out", str(account), "--today", DAY, cwd=folder)
    assert "contract renews in 180 days (2027-05-23)" in account.read_text(encoding="utf-8"), r.stdout
    md = pack(kaplan, folder, "md")
    assert "**Renewals** within 180 days or passed: 2." in md
    rows = [line for line in md.splitlines() if re.match(r"\| (At|Beyond|Passed) \| Jo \| 20", line)]
    assert [row.split(" | ")[2:4] for row in rows] == [["2026-11-23", "-1"], ["2027-05-23", "180"]]
    html = pack(kaplan, folder, "html")
    assert "Renewals 2 within 180 days or passed" in html_text(html)
    table = html.split('<table class="renewals">')[1].split("</table>")[0]
    assert "<td>At</td>" in table and "<td>Passed</td>" in table and "Beyond" not in table
    assert "RENEWALS | 2 | within 180 days or passed" in deck_text(pack(kaplan, folder, "pptx"))


# ------------------------------------------------------------------ one way to word a count

ONE = """
    kaplan: 1
    account: {id: solo, name: Solo}
    plan: {owner: Jo}
    financials:
      currency: EUR
      periods: [{period: 2025, revenue: 100000}]
      contract: {value: 100000, start: 2025-01-01, renewal_date: 2026-11-25, notice_days: 1}
    reviews:
      - date: 2026-10-01
        kind: quarterly_review
        decisions:
          - {decision: Pick a supplier, due: 2026-11-23}
"""


def test_one_of_a_count_is_worded_in_the_singular_in_every_pack(kaplan, tmp_path):
    # One plan; its decision was due 2026-11-23, 1 day before 2026-11-24; the renewal horizon is 1 day
    # and the contract renews on 2026-11-25 (in 1 day: within it); the top 20 % of 1 account is 1 account.
    folder = write_portfolio(tmp_path, "kaplan: 1\nhealth: {renewal_horizon_days: 1}\n", solo=dedent(ONE))
    for audience in ("internal", "client"):
        for fmt in ("md", "html", "pptx"):
            out = folder / f"solo-{audience}.{fmt}"
            r = kaplan("report", "solo", "--audience", audience, "--format", fmt, "--out", str(out), "--today", DAY,
                       cwd=folder)
            assert r.exit_code in (0, 1), r.stdout + r.stderr
            shown = deck_text(Presentation(str(out))) if fmt == "pptx" else out.read_text(encoding="utf-8")
            assert "2026-11-23 (overdue, 1 day)" in shown.replace('<span class="late">', ""), (audience, fmt)
            assert "1 days" not in shown, (audience, fmt)
    account = (folder / "solo-internal.md").read_text(encoding="utf-8")
    assert "renewal 2026-11-25 · notice 1 day" in account
    md = pack(kaplan, folder, "md")
    assert "1 account · figures in EUR" in md and "**Renewals** within 1 day or passed: 1." in md
    html = html_text(pack(kaplan, folder, "html"))
    assert "from the top 20% (1 account)" in html and "from 1 plan." in html and "within 1 day or passed" in html
    text = deck_text(pack(kaplan, folder, "pptx"))
    assert "1 account · figures in EUR" in text and "from the top 20% (1 account)" in text
    for shown in (md, html, text):
        assert "1 accounts" not in shown and "1 days" not in shown and "1 plans" not in shown


def test_the_deck_names_the_plans_left_out_for_their_errors(kaplan, tmp_path):
    # b's period ends before it starts (`date-order`): its figures would be wrong, so every pack leaves
    # it out and says so, the deck as the Markdown pack does.
    broken = plan("bravo").replace("plan: {owner: Jo}", "plan: {owner: Jo, period: {start: 2026-05-01, end: 2026-01-01}}")
    assert "end: 2026-01-01" in broken
    folder = write_portfolio(tmp_path, "kaplan: 1\n", alpha=plan("alpha", "EUR", "{period: 2025, revenue: 10}"),
                             bravo=broken)
    words = "Left out because their plans have errors (run kaplan check): plans/bravo.yaml."
    for fmt in ("md", "pptx"):
        out = folder / f"portfolio.{fmt}"
        r = kaplan("report", "--portfolio", "--skip-invalid", "--format", fmt, "--out", str(out), "--today", DAY,
                   cwd=folder)
        assert r.exit_code == 0, r.stdout + r.stderr
        shown = deck_text(Presentation(str(out))) if fmt == "pptx" else out.read_text(encoding="utf-8")
        assert words in shown.replace("\\", ""), fmt
