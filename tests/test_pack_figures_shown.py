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
