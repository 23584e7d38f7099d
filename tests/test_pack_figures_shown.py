"""Figures of the review packs as a key account manager reads them: no budget reads "no budget set",
never "Budget 0 / 0"; the deck's quadrant counts are the four quadrants, the Unplaced counted apart;
and every figure a template prints takes its decimals from `kaplan.rounding`, never from the template.

Each portfolio is written here (or by `kaplan init`); each expected figure is worked out beside it.
"""

from __future__ import annotations

import re

import pytest

from conftest import REPO, dedent
from test_portfolio_pack_formats import deck_text, html_text, pack
from test_portfolio_money import plan_text as plan, portfolio as write_portfolio

DAY = "2026-11-24"


def md_plain(md: str) -> str:
    return md.replace("\\", "")  # Markdown escapes the dots of `kaplan.yaml`


# ------------------------------------------------------------------ no budget set

REQUEST = """
    investment:
      - {id: eng, description: On-site engineer, amount: 90000}
"""


def requesting(folder):
    """alpha asks for 90,000; it has revenue, so it has a score (its request can be allocated)."""
    (folder / "plans" / "alpha.yaml").write_text(plan("alpha", "EUR", "{period: 2025, revenue: 100000}", REQUEST))
    return folder


def test_a_portfolio_without_a_budget_says_so_in_every_format(kaplan, tmp_path):
    # `kaplan init` writes `available: 0` (the default): no budget is set. alpha asks for 90,000.
    assert kaplan("init", str(tmp_path), "--quiet").exit_code == 0
    assert "available: 0\n" in (tmp_path / "kaplan.yaml").read_text()
    folder = requesting(tmp_path)
    md = md_plain(pack(kaplan, folder, "md"))
    assert "| no budget set |" in md  # the summary table's "Budget granted / available"
    assert "**Budget:** no budget set; 90,000 requested." in md
    assert "No budget set (scoring.budget.available in kaplan.yaml); requested 90,000 EUR." in md
    assert "0 / 0" not in md and "Budget 0" not in md and "0 available" not in md
    html = html_text(pack(kaplan, folder, "html"))
    assert "Budget none set no budget in kaplan.yaml; 90k requested" in html  # the summary card
    assert "No budget set (scoring.budget.available in kaplan.yaml); requested 90,000 EUR." in html
    assert "Budget 0" not in html and "of 0 available" not in html
    deck = deck_text(pack(kaplan, folder, "pptx"))
    assert "BUDGET | none set | no budget in kaplan.yaml" in deck
    assert "Investment allocation: no budget set" in deck
    assert "of 0 granted" not in deck and "granted of 0" not in deck
    table = kaplan("score", "--budget", "--today", DAY, cwd=folder).stdout
    assert "No budget set (scoring.budget.available in kaplan.yaml); requested 90,000 EUR." in table
    assert "Budget 0" not in table


def test_a_budget_that_is_set_is_shown_with_what_is_left(kaplan, tmp_path):
    # available 100,000; alpha asks for 90,000 and is granted all of it: 100,000 − 90,000 = 10,000 left.
    write_portfolio(tmp_path, "kaplan: 1\nscoring: {budget: {available: 100000}}\n")
    folder = requesting(tmp_path)
    words = "Budget 100,000 EUR; requested 90,000; granted 90,000; left 10,000."
    md = md_plain(pack(kaplan, folder, "md"))
    assert words in md and "| 90,000 / 100,000 |" in md
    assert "**Budget:** 90,000 requested against 100,000 available." in md
    html = html_text(pack(kaplan, folder, "html"))
    assert words in html and "Budget 90k granted of 100k available; 90k requested" in html
    deck = deck_text(pack(kaplan, folder, "pptx"))
    assert "BUDGET | 90k | granted of 100k" in deck and "Investment allocation: 90,000 of 100,000 granted" in deck
    assert words in kaplan("score", "--budget", "--today", DAY, cwd=folder).stdout


# ------------------------------------------------------------------ quadrants: the Unplaced apart

MATRIX = """
    kaplan: 1
    scoring:
      criteria:
        volume: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}
      matrix: {attractiveness: {volume: 1}, strength: {volume: 1}}
"""


def test_the_quadrant_counts_leave_the_unplaced_out_of_the_quadrants_in_every_format(kaplan, tmp_path):
    # Both axes are volume, min-max over the portfolio: alpha (100,000) is the lowest → 0 on both axes,
    # Streamline; bravo (300,000) the highest → 100 on both, Strategic; charlie has no revenue, so no
    # value on an axis: Unplaced, in no quadrant. Strategic · Star · Status · Streamline = 1 · 0 · 0 · 1.
    folder = write_portfolio(tmp_path, MATRIX, alpha=plan("alpha", "EUR", "{period: 2025, revenue: 100000}"),
                             bravo=plan("bravo", "EUR", "{period: 2025, revenue: 300000}"), charlie=plan("charlie"))
    deck = deck_text(pack(kaplan, folder, "pptx"))
    assert "QUADRANTS | 1 · 0 · 0 · 1 | strategic · star · status · streamline; 1 unplaced" in deck
    html = html_text(pack(kaplan, folder, "html"))
    assert "Quadrants 1 · 0 · 0 · 1 strategic · star · status · streamline; 1 unplaced" in html
    md = pack(kaplan, folder, "md")
    assert "**Quadrants:** 1 strategic, 0 star, 0 status, 1 streamline; 1 unplaced." in md


def test_the_quadrant_counts_name_no_unplaced_when_every_account_is_placed(kaplan, tmp_path):
    folder = write_portfolio(tmp_path, MATRIX, alpha=plan("alpha", "EUR", "{period: 2025, revenue: 100000}"),
                             bravo=plan("bravo", "EUR", "{period: 2025, revenue: 300000}"))
    deck = deck_text(pack(kaplan, folder, "pptx"))
    assert "QUADRANTS | 1 · 0 · 0 · 1 | strategic · star · status · streamline\n" in deck
    assert "unplaced" not in deck.lower().split("quadrants |")[1].split("\n")[0]


# ------------------------------------------------------------------ decimals: kaplan.rounding's, once

_HARD_CODED = re.compile(r"\|\s*(?:number|fixed|round|format)\b"  # filters whose decimals the caller picks
                         r"|\|\s*\w+\s*\(\s*\d"  # any filter given a count of decimals: `|pct(0)`
                         r"|%[-+ 0#]*\d*\.\d+[fdg]|\{:[^}]*\.\d+f\}")  # Python's own formats


def test_no_template_writes_its_own_number_format():
    # A figure's decimals are written once, in kaplan.rounding (through the pack's filters `score`,
    # `health`, `axis`, `wallet`, `probability`, `mean`, `fte`, `pct`, `money`…); a template that says
    # `|pct(0)` or `|number(1)` would keep its digits when the definition changes.
    found = []
    for path in sorted((REPO / "templates" / "report").rglob("*.j2")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(REPO)}:{n}: {m.group(0)}" for m in _HARD_CODED.finditer(line)]
    assert found == []


WALLET = """
    kaplan: 1
    account: {id: alpha, name: Alpha}
    plan: {owner: Jo}
    relationships: {strength: 3}
    financials:
      currency: EUR
      periods:
        - {period: 2026-Q1, revenue: 300000, client_category_spend: 1125000}
        - {period: 2026-Q2, revenue: 300000, client_category_spend: 1125000}
        - {period: 2026-Q3, revenue: 300000, client_category_spend: 1125000}
"""


def account_pack(kaplan, folder, fmt: str) -> str:
    out = folder / f"alpha.{fmt}"
    r = kaplan("report", "alpha", "--format", fmt, "--out", str(out), "--today", DAY, cwd=folder)
    assert out.exists(), r.stdout + r.stderr
    if fmt == "pptx":
        from pptx import Presentation
        return deck_text(Presentation(str(out)))
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("places, shown", [(0, "27%"), (1, "26.7%")])
def test_share_of_wallet_takes_its_decimals_from_the_one_definition(kaplan, tmp_path, monkeypatch, places, shown):
    # Share of wallet = 900,000 ÷ 3,375,000 = 26.666… %: 27 % as a whole percent, 26.7 % with one decimal.
    # Every pack follows `kaplan.rounding.WALLET_PLACES`, whatever it says.
    monkeypatch.setattr("kaplan.rounding.WALLET_PLACES", places)
    folder = write_portfolio(tmp_path, "kaplan: 1\n", alpha=dedent(WALLET))
    assert f"share of wallet {shown}" in account_pack(kaplan, folder, "md")
    assert f"Share of wallet {shown}" in html_text(account_pack(kaplan, folder, "html"))
    assert f"SHARE OF WALLET | {shown}" in account_pack(kaplan, folder, "pptx")


# ------------------------------------------------------------------ the workbook's summary sheet

SUMMARY_CONFIG = """
    kaplan: 1
    currency:
      reporting: EUR
      rates:
        GBP: {rate: 1.16, as_of: 2026-09-30}
    scoring:
      budget: {available: 100000}
"""


def summary(wb) -> dict:
    ws = wb["Summary"]
    assert [c.value for c in ws[1]] == ["Figure", "Value", "Note"]
    return {r[0].value: (r[1].value, r[1].number_format, r[2].value) for r in ws.iter_rows(min_row=2)}


def test_the_workbook_sums_up_the_portfolio_as_the_html_pack_does(kaplan, tmp_path):
    # Revenue and gross profit over 2025 (a whole TTM):
    #   alpha £500,000 × 1.16 = €580,000, gross profit £100,000 × 1.16 = €116,000; asks for £50,000 × 1.16 = €58,000;
    #   bravo €150,000, gross profit €30,000; asks for €60,000;
    #   charlie $999,999: no rate into EUR, left out of every total.
    # Revenue 580,000 + 150,000 = 730,000; gross profit 116,000 + 30,000 = 146,000; margin 146,000 ÷
    # 730,000 = 20.0 %. Top 20 % of the 2 accounts with a value: ceil(0.4) = 1, alpha: 580,000 ÷ 730,000
    # = 79.45… % → 79.5 %. Budget 100,000; requested 58,000 + 60,000 = 118,000; granted 100,000; left 0.
    year = "{{period: 2025, revenue: {}, gross_profit: {}}}"
    asks = "investment:\n  - {{id: ask, description: Ask, amount: {}}}\n"
    folder = write_portfolio(
        tmp_path, SUMMARY_CONFIG,
        alpha=plan("alpha", "GBP", year.format(500000, 100000)) + asks.format(50000),
        bravo=plan("bravo", "EUR", year.format(150000, 30000)) + asks.format(60000),
        charlie=plan("charlie", "USD", "{period: 2025, revenue: 999999}"))
    s = summary(pack(kaplan, folder, "xlsx"))
    assert s["Figures in"][0] == "EUR"
    assert s["Rate GBP → EUR"][:1] + s["Rate GBP → EUR"][2:] == (1.16, "rate of 2026-09-30")
    assert s["Rate USD → EUR"] == (None, "General", "no rate from USD to EUR in kaplan.yaml: left out of every total")
    assert s["Accounts"][0] == 3
    assert s["Revenue TTM (EUR)"][:2] == (730000, "#,##0")
    assert s["Gross profit TTM (EUR)"][:2] == (146000, "#,##0")
    assert s["Margin %"][:2] == (20.0, '0.0"%"')
    assert s["Concentration: share of revenue %"] == (79.5, '0.0"%"', "from the top 20% (1 account)")
    assert (s["Budget available (EUR)"][0], s["Requested (EUR)"][0], s["Granted (EUR)"][0], s["Left (EUR)"][0]) == \
        (100000, 118000, 100000, 0)
    assert s["Note"][0] == "No rate into EUR in kaplan.yaml, so left out of every total: Charlie."
    html = html_text(pack(kaplan, folder, "html"))  # the same figures, as the HTML pack's summary shows them
    assert "Revenue (TTM) 730k gross profit 146k · margin 20.0%" in html
    assert "Concentration 79.5% of revenue from the top 20% (1 account)" in html
    assert "Budget 100k granted of 100k available; 118k requested" in html
    assert "1 GBP = 1.16 EUR, rate of 2026-09-30; no rate from USD to EUR in kaplan.yaml" in html
    assert "No rate into EUR in kaplan.yaml, so left out of every total: Charlie." in html


def test_the_workbook_says_when_no_budget_is_set_and_counts_the_unplaced_apart(kaplan, tmp_path):
    # The quadrants as in the deck's test above: 1 · 0 · 0 · 1, charlie Unplaced; no budget in kaplan.yaml.
    folder = write_portfolio(tmp_path, MATRIX, alpha=plan("alpha", "EUR", "{period: 2025, revenue: 100000}"),
                             bravo=plan("bravo", "EUR", "{period: 2025, revenue: 300000}"), charlie=plan("charlie"))
    s = summary(pack(kaplan, folder, "xlsx"))
    assert s["Budget available (EUR)"][0] == "no budget set" and "Left (EUR)" not in s
    assert [s[q][0] for q in ("Strategic", "Star", "Status", "Streamline", "Unplaced")] == [1, 0, 0, 1, 1]


# ------------------------------------------------------------------ the summary cards say what the HTML says

def test_the_deck_cards_word_renewals_and_key_accounts_as_the_html_does(kaplan, tmp_path):
    # A threshold of 0 makes every scored account a key account: 2 of 2. No contract: no renewal.
    folder = write_portfolio(tmp_path, "kaplan: 1\nscoring: {key_account_threshold: 0}\n",
                             alpha=plan("alpha", "EUR", "{period: 2025, revenue: 100000}"),
                             bravo=plan("bravo", "EUR", "{period: 2025, revenue: 300000}"))
    deck = deck_text(pack(kaplan, folder, "pptx"))
    html = html_text(pack(kaplan, folder, "html"))
    assert "ACCOUNTS | 2 | 2 key (score ≥ 0)" in deck and "Accounts 2 2 key (score ≥ 0)" in html
    assert "RENEWALS | 0 | within 180 days or passed" in deck and "Renewals 0 within 180 days or passed" in html
