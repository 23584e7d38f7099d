"""The portfolio pack says the same in every format: Markdown, HTML, the deck and the workbook.

Each portfolio is written here; each expected figure is worked out by hand beside it.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook
from pptx import Presentation

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
