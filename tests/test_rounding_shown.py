"""Every figure written into words is rounded once, half away from zero (`kaplan.rounding`), the same in
every view: a pack's summary, its health reasons, the risk report and the charts never disagree by a
digit because one of them used Python's own format (half to even: 0.25 → 0.2, 62.5 → 62).
"""

from __future__ import annotations

import csv
import io

TODAY = "2027-01-15"

# 2025: four quarters of revenue 100,000 and gross profit 30,000 (margin 30%).
# 2026: four quarters of revenue 100,250 and gross profit 29,824.375.
R2 = """\
kaplan: 1
account: {id: r2, name: Round Two}
plan:
  owner: Kim
  period: {start: 2026-01-01, end: 2027-12-31}
  last_reviewed: 2027-01-01
financials:
  currency: EUR
  periods:
    - {period: 2025-Q1, revenue: 100000, gross_profit: 30000}
    - {period: 2025-Q2, revenue: 100000, gross_profit: 30000}
    - {period: 2025-Q3, revenue: 100000, gross_profit: 30000}
    - {period: 2025-Q4, revenue: 100000, gross_profit: 30000}
    - {period: 2026-Q1, revenue: 100250, gross_profit: 29824.375}
    - {period: 2026-Q2, revenue: 100250, gross_profit: 29824.375}
    - {period: 2026-Q3, revenue: 100250, gross_profit: 29824.375}
    - {period: 2026-Q4, revenue: 100250, gross_profit: 29824.375}
"""


def portfolio(tmp_path, **plans: str):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    for pid, text in plans.items():
        (tmp_path / "plans" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_growth_and_margin_drop_read_the_same_in_summary_reasons_and_risk(kaplan, tmp_path):
    portfolio(tmp_path, r2=R2)
    growth = (4 * 100_250 - 4 * 100_000) / (4 * 100_000) * 100  # 1,000 ÷ 400,000 × 100 = 0.25
    margin_now = 4 * 29_824.375 / (4 * 100_250) * 100  # 119,297.5 ÷ 401,000 × 100 = 29.75
    drop = 30.0 - margin_now  # 30.00 − 29.75 = 0.25
    assert round(growth, 9) == 0.25 and round(drop, 9) == 0.25 and round(margin_now, 9) == 29.75
    # half away from zero: 0.25 → 0.3 and 29.75 → 29.8 (Python's format says 0.2 for both 0.25s)
    r = kaplan("report", "r2", "--format", "md", "--today", TODAY, "--out", tmp_path / "r2.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    pack = (tmp_path / "r2.md").read_text(encoding="utf-8")
    assert "revenue growth +0.3% like for like over all 12 months" in pack
    assert "revenue +0.3% year on year (like for like over all 12 months)" in pack
    assert "margin 29.8%, down 0.3 points year on year (from 30.0%" in pack
    assert "revenue up 0.3% while margin fell 0.3 points" in pack
    assert "0.2%" not in pack and "0.2 points" not in pack

    r = kaplan("risk", "--today", TODAY, "--format", "csv", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    (row,) = csv.DictReader(io.StringIO(r.stdout))
    assert "revenue up 0.3% while margin fell 0.3 points" in row["reasons"]

    r = kaplan("report", "r2", "--format", "html", "--today", TODAY, "--out", tmp_path / "r2.html", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    html = (tmp_path / "r2.html").read_text(encoding="utf-8")
    assert "growth +0.3% like for like" in html and "down 0.3 points" in html and "0.2 points" not in html


def test_short_money_and_words_round_half_away_from_zero():
    from kaplan import rounding
    from kaplan.views import text

    assert rounding.fixed(0.25, 1) == "0.3" and rounding.fixed(62.5) == "63" and rounding.fixed(-0.04, 1) == "0.0"
    assert rounding.fixed(1_292_465.75, 0, grouped=True) == "1,292,466"
    # three significant digits: 1,125,000 ÷ 1,000,000 = 1.125 → 1.13 (Python's `.3g` says 1.12)
    assert text.compact(1_125_000) == "1.13M" and text.compact(48_000) == "48k"
    # 999,500 rounds to 1,000,000 (three digits: 999.5k → 1,000k), which is 1M, never "1e+03k"
    assert text.compact(999_500) == "1M" and text.compact(-1_250_000) == "-1.25M"
    assert text.money(-0.4) == "0" and text.pct(27.4467) == "27.4%" and text.number(3.25) == "3.3"


R1 = """\
kaplan: 1
account: {id: r1, name: Round One}
plan:
  owner: Kim
  period: {start: 2026-01-01, end: 2027-12-31}
  last_reviewed: 2027-01-01
relationships:
  contacts:
    - {id: a, name: A, buying_role: economic_buyer, strength: 3}
    - {id: b, name: B, buying_role: sponsor, strength: 3}
    - {id: c, name: C, buying_role: coach, strength: 3}
    - {id: d, name: D, buying_role: user, strength: 4}
"""


def test_relationship_strength_reads_the_same_in_summary_and_health_reason(kaplan, tmp_path):
    portfolio(tmp_path, r1=R1)
    mean = (3 + 3 + 3 + 4) / 4  # 13 ÷ 4 = 3.25 → 3.3 (half away from zero; Python's format says 3.2)
    assert mean == 3.25
    r = kaplan("report", "r1", "--format", "md", "--today", TODAY, "--out", tmp_path / "r1.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    pack = (tmp_path / "r1.md").read_text(encoding="utf-8")
    assert "relationship 3.3/5" in pack  # the summary line
    assert "relationship strength 3.3/5 (mean of 4 current contacts)" in pack  # the health reason
    assert "3.2/5" not in pack

    r = kaplan("risk", "--today", TODAY, "--format", "csv", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    (row,) = csv.DictReader(io.StringIO(r.stdout))
    assert "relationship strength 3.3/5 (mean of 4 current contacts)" in row["reasons"]


MATRIX_CONFIG = """\
kaplan: 1
plans: plans
scoring:
  criteria:
    profitability: {source: margin_pct, weight: 1, normalise: {method: range, min: 0, max: 100}}
  matrix: {attractiveness: {profitability: 1}, strength: {profitability: 1}}
"""
MARGIN_PLAN = """\
kaplan: 1
account: {{id: {id}, name: {name}}}
plan: {{owner: Jo}}
financials:
  periods:
    - {{period: "2026", revenue: 100000, gross_profit: {profit}}}
"""


def test_a_matrix_position_reads_the_same_in_the_tooltip_and_the_quadrant_table(kaplan, tmp_path):
    """Both axes are the margin on a 0-100 range, so an account sits at (margin, margin); an axis is
    shown with one decimal, like the score, in the tooltips and the quadrant table alike."""
    portfolio(tmp_path, alpha=MARGIN_PLAN.format(id="alpha", name="Alpha", profit=62_250),
              bravo=MARGIN_PLAN.format(id="bravo", name="Bravo", profit=82_250))
    (tmp_path / "kaplan.yaml").write_text(MATRIX_CONFIG, encoding="utf-8")
    # Alpha: 62,250 ÷ 100,000 × 100 = 62.25 → 62.3; Bravo: 82,250 ÷ 100,000 × 100 = 82.25 → 82.3
    # (half away from zero; Python's format says 62.2 and 82.2)
    for fmt in ("html", "md"):
        r = kaplan("report", "--portfolio", "--today", "2026-11-24", "--out", tmp_path / f"pf.{fmt}", cwd=tmp_path)
        assert r.exit_code == 0, r.stderr
        pack = (tmp_path / f"pf.{fmt}").read_text(encoding="utf-8")
        assert "Alpha (62.3, 62.3)" in pack and "Bravo (82.3, 82.3)" in pack
        assert "62.2" not in pack and "82.2" not in pack
    html = (tmp_path / "pf.html").read_text(encoding="utf-8")
    assert "<title>Alpha: strength 62.3, attractiveness 62.3," in html
    assert "<title>Bravo: strength 82.3, attractiveness 82.3," in html
    explained = kaplan("score", "--explain", "alpha", cwd=tmp_path).stdout
    assert "(attractiveness 62.3, strength 62.3)" in explained


MACHINE_CONFIG = MATRIX_CONFIG + "  budget: {available: 1000000, rule: score}\n"
MACHINE_PLAN = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Jo}
financials:
  periods:
    - {period: "2026", revenue: 200000.5, gross_profit: 54893.5}
investment:
  - {id: ask, description: Hub, amount: 1000.5}
"""


def test_json_and_csv_carry_each_figure_as_the_table_shows_it(kaplan, tmp_path):
    """A figure in JSON or CSV is the number the views show, rounded once: never one with more
    decimals that, rounded again, gives another figure than the views (27.4467 → 27.45 → 27.5)."""
    portfolio(tmp_path, acme=MACHINE_PLAN)
    (tmp_path / "kaplan.yaml").write_text(MACHINE_CONFIG, encoding="utf-8")
    margin = 54_893.5 / 200_000.5 * 100  # = 27.44668… → 27.4 (two decimals would say 27.45)
    assert round(margin, 4) == 27.4467
    # revenue 200,000.5 → 200,001 (whole units, half away from zero); the axes are the margin → 27.4
    table = kaplan("score", cwd=tmp_path).stdout
    assert "200,001" in table and "27.4%" in table
    account = kaplan("score", "--format", "json", cwd=tmp_path).json()["accounts"][0]
    assert account["score"] == 27.4 and account["margin_pct"] == 27.4 and account["revenue"] == 200_001
    assert account["attractiveness"] == 27.4 and account["strength"] == 27.4
    (contribution,) = account["contributions"]
    assert contribution["raw"] == 27.4  # as the table shows the margin
    assert contribution["normalised"] == 27.45 and contribution["contribution"] == 27.45  # as --explain shows them
    (row,) = csv.DictReader(io.StringIO(kaplan("score", "--format", "csv", cwd=tmp_path).stdout))
    assert float(row["margin_pct"]) == 27.4 and float(row["revenue"]) == 200_001
    explained = kaplan("score", "--explain", "acme", "--format", "csv", cwd=tmp_path).stdout
    (detail,) = csv.DictReader(io.StringIO(explained))
    assert float(detail["raw"]) == 27.4 and float(detail["normalised"]) == 27.45
    explained = kaplan("score", "--explain", "acme", "--format", "markdown", cwd=tmp_path).stdout
    assert "| profitability | `margin_pct` | 27.4 | 27.45 | 1 | 27.45 |" in explained
    # the request of 1,000.5 is shown as 1,001 (whole units), and so is it carried
    budget = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    (request,) = budget["requests"]
    assert request["amount"] == request["granted"] == request["running_total"] == 1_001 == budget["granted"]
    assert "| 1,001 |" in kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout


def test_a_figure_of_any_size_is_rounded_never_an_error(kaplan, tmp_path):
    """Revenue of 0.000001 a year ago (the least a plan may record but 0) and 100,000,000,000 now is a
    growth of (1e11 − 1e-6) ÷ 1e-6 × 100 ≈ 1e19 %: its words need 20 digits and a decimal, and the
    health reason says it as it is."""
    from kaplan import rounding

    assert rounding.fixed(1e20, 1) == "100000000000000000000.0"
    assert rounding.rounded(6.178597358333666e32, 1) == 6.178597358333666e32
    assert rounding.rounded(1.7e308, 2) == 1.7e308
    portfolio(tmp_path, big=R2.replace("r2", "big").replace("revenue: 100000, gross_profit: 30000", "revenue: 0.000001")
              .replace("revenue: 100250, gross_profit: 29824.375", "revenue: 100000000000"))
    r = kaplan("risk", "--today", TODAY, "--format", "csv", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    r = kaplan("report", "big", "--format", "md", "--today", TODAY, "--out", tmp_path / "big.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "revenue growth +10000000000000000000.0% like for like" in (tmp_path / "big.md").read_text(encoding="utf-8")


def test_share_of_wallet_reads_the_same_in_explain_json_and_the_pack(kaplan, tmp_path):
    """Share of wallet is shown as a whole percentage: 42,500 ÷ 100,000 × 100 = 42.5 → 43 (Python: 42)."""
    portfolio(tmp_path, acme=("kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\nfinancials:\n"
                              "  periods:\n    - {period: \"2026\", revenue: 42500, client_category_spend: 100000}\n"))
    (tmp_path / "kaplan.yaml").write_text(
        "kaplan: 1\nplans: plans\nscoring:\n  criteria:\n"
        "    wallet: {source: share_of_wallet_pct, weight: 1, normalise: {method: range, min: 0, max: 100}}\n"
        "  matrix: {attractiveness: {wallet: 1}, strength: {wallet: 1}}\n",
        encoding="utf-8")
    r = kaplan("report", "acme", "--format", "md", "--today", "2027-01-15", "--out", tmp_path / "a.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "share of wallet 43%" in (tmp_path / "a.md").read_text(encoding="utf-8")
    (detail,) = kaplan("score", "--explain", "acme", "--format", "json", cwd=tmp_path).json()["contributions"]
    assert detail["raw"] == 43 and detail["normalised"] == 42.5  # the normalised value, to two decimals
    assert "| wallet | `share_of_wallet_pct` | 43 | 42.50 |" in kaplan(
        "score", "--explain", "acme", "--format", "markdown", cwd=tmp_path).stdout


def test_a_moved_signal_is_named_when_its_number_as_shown_moves():
    """`risk` names the signals whose value moved, before → after, each as shown (a whole number, half
    away from zero): 62.5 → 63.0 reads 63 → 63, no move; 62.4 → 62.6 reads 62 → 63, a move."""
    from kaplan.commands.risk import _moved_signals
    from kaplan.health.model import Health, Signal

    def health(value: float) -> Health:
        return Health("acme", 80.0, "low", [Signal("relationship", value, 2, "relationship")])

    assert _moved_signals(health(62.5), health(63.0)) == ""
    assert _moved_signals(health(62.4), health(62.6)) == ": relationship 62 → 63"
    assert _moved_signals(health(40.5), health(90.0)) == ": relationship 41 → 90"  # Python's format says 40


def test_the_quadrant_is_the_one_of_the_axis_as_shown(kaplan, tmp_path):
    """Strength is share of wallet alone, `range` 0..100: 49.96% → 49.96, shown 50.0 (one decimal). At
    the split of 50 the account is on the strong side, as its shown figure says: Strategic, not Star.
    Attractiveness is strategic importance 5 of 1..5 → 100."""
    (tmp_path / "kaplan.yaml").write_text(
        "kaplan: 1\nscoring:\n  matrix:\n    attractiveness: {strategic_importance: 1}\n"
        "    strength: {share_of_wallet: 1}\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "edge.yaml").write_text(
        "kaplan: 1\naccount: {id: edge, name: Edge, assessment: {strategic_importance: 5}}\nplan: {owner: Jo}\n"
        "financials:\n  currency: EUR\n  periods:\n    - {period: 2026-Q3, revenue: 1000, share_of_wallet_pct: 49.96}\n",
        encoding="utf-8")
    (row,) = kaplan("score", "--format", "json", "--today", "2026-11-24", cwd=tmp_path).json()["accounts"]
    assert (row["attractiveness"], row["strength"], row["quadrant"]) == (100.0, 50.0, "Strategic")
