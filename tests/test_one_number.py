"""One number, one label (issue 12 item 5): a figure is rounded once, the way it is shown, and its band,
key-account flag, rank and budget place are decided on the number shown, in every view.

The portfolio here scores each account by its margin alone (range 0-100, weight 1), so an account's
score is its margin: gross profit ÷ revenue × 100, worked out by hand below.
"""

from __future__ import annotations

import io
import re

from conftest import TODAY

from kaplan.health.model import Signal, combine
from kaplan.config import Config

CONFIG = """\
kaplan: 1
scoring:
  criteria:
    profitability: {source: margin_pct, weight: 1, normalise: {method: range, min: 0, max: 100}}
  key_account_threshold: 60
  matrix: {attractiveness: {profitability: 1}, strength: {profitability: 1}}
  tiers: [{name: all}]
  budget: {available: 100, rule: score}
"""
PLAN = """\
kaplan: 1
account: {{id: {id}, name: {name}}}
plan: {{owner: Jo}}
financials:
  periods:
    - {{period: "2025", revenue: 100000, gross_profit: {profit}}}
investment:
  - {{id: ask, description: "Request of {id}", amount: 60}}
"""


def portfolio(tmp_path, **profits):
    (tmp_path / "kaplan.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "plans").mkdir()
    for pid, profit in profits.items():
        (tmp_path / "plans" / f"{pid}.yaml").write_text(PLAN.format(id=pid, name=pid.title(), profit=profit),
                                                      encoding="utf-8")
    return tmp_path


def test_rounding_is_half_away_from_zero_on_the_decimal_digits():
    from kaplan import rounding

    assert rounding.score(88.05) == 88.1  # stored as 88.04999…, still shown 88.1
    assert rounding.score(88.1496) == 88.1 and rounding.score(59.96) == 60.0
    assert rounding.health(75.39) == 75 and rounding.health(75.5) == 76 and rounding.health(50.49) == 50


def test_a_signed_figure_is_rounded_the_same_way_and_never_shows_minus_zero():
    """An NPS of (3 promoters − 4 detractors) ÷ 8 × 100 = −12.5 shows as −13 in every view (Python's own
    format would say −12); −1 ÷ 250 × 100 = −0.4 shows as +0."""
    from kaplan import rounding
    from kaplan.views import text

    assert rounding.signed((3 - 4) / 8 * 100) == text.signed((3 - 4) / 8 * 100) == "-13"
    assert rounding.signed(12.5) == "+13" and rounding.signed(-1 / 250 * 100) == "+0" == text.signed(-0.4)


def test_every_view_shows_the_same_score_as_the_budget(kaplan, tmp_path):
    portfolio(tmp_path, acme=88149.6)  # margin 88,149.6 / 100,000 × 100 = 88.1496 → shown 88.1
    table = kaplan("score", cwd=tmp_path).stdout
    assert " 88.1 " in table
    assert kaplan("score", "--format", "json", cwd=tmp_path).json()["accounts"][0]["score"] == 88.1
    assert "| 88.1 |" in kaplan("score", "--format", "markdown", cwd=tmp_path).stdout
    assert "acme,Acme,88.1," in kaplan("score", "--format", "csv", cwd=tmp_path).stdout
    budget = kaplan("score", "--budget", cwd=tmp_path).stdout
    assert " 88.1 " in budget and "88.2" not in budget  # 88.15 (two places) shown with one was 88.2
    assert "| 88.1 |" in kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout
    explained = kaplan("score", "--explain", "acme", cwd=tmp_path).stdout
    assert "score 88.1 (88.1496 before rounding)," in explained


def test_the_key_account_flag_follows_the_score_shown(kaplan, tmp_path):
    portfolio(tmp_path, acme=59960)  # margin 59.96 → shown 60.0, and the threshold is 60
    (row,) = kaplan("score", "--format", "json", cwd=tmp_path).json()["accounts"]
    assert row["score"] == 60.0 and row["key"] is True


def test_equal_shown_scores_rank_by_revenue_then_id_and_the_budget_follows(kaplan, tmp_path):
    # bravo 70.04, alpha 70.01: both shown 70.0; same revenue, so the id decides: alpha, then bravo
    portfolio(tmp_path, bravo=70040, alpha=70010)
    rows = kaplan("score", "--format", "json", cwd=tmp_path).json()["accounts"]
    assert [(r["account"], r["rank"], r["score"]) for r in rows] == [("alpha", 1, 70.0), ("bravo", 2, 70.0)]
    requests = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()["requests"]
    # 100 available, 60 asked each: the first in order is funded, the second gets the 40 left
    assert [(r["account"], r["status"]) for r in requests] == [("alpha", "funded"), ("bravo", "partly funded")]


def test_health_is_banded_as_shown():
    config = Config()
    assert (config.health.red_max, config.health.amber_max) == (50, 75)
    # two signals of equal weight: (100 + 50.78) / 2 = 75.39, shown 75, which the bands call amber
    h = combine("acme", [Signal("a", 100, 1, "fine"), Signal("b", 50.78, 1, "not fine")], config)
    assert h.exact == 75.39 and h.score == 75 and (h.level, h.colour) == ("medium", "amber")
    # (100 + 51) / 2 = 75.5, shown 76: green
    h = combine("acme", [Signal("a", 100, 1, "fine"), Signal("b", 51, 1, "not fine")], config)
    assert h.score == 76 and h.colour == "green"


def test_the_risk_table_and_json_show_the_health_with_its_band(kaplan, tmp_path):
    from kaplan.commands.risk import RiskReport, RiskRow
    from kaplan.views import risk as view

    config = Config()
    h = combine("acme", [Signal("a", 100, 1, "fine"), Signal("b", 50.78, 1, "not fine")], config)
    report = RiskReport([RiskRow("acme", "Acme", "Jo", None, "plans/acme.yaml", h)], TODAY)
    out = io.StringIO()
    view.table(report, report.rows, out)
    assert re.search(r"AMBER\s+│\s+75 ", out.getvalue())
    out = io.StringIO()
    view.json_out(report, report.rows, out)
    assert '"health": 75,' in out.getvalue() and '"colour": "amber"' in out.getvalue()


def test_an_80_column_terminal_never_cuts_account_ids(kaplan, tmp_path):
    ids = ["st-aldric-hospital-trust", "northumbrian-water-board", "kestrel-freight"]
    (tmp_path / "plans").mkdir()
    for pid in ids:
        (tmp_path / "plans" / f"{pid}.yaml").write_text(
            f"kaplan: 1\naccount: {{id: {pid}, name: {pid.replace('-', ' ').title()} Group Holdings}}\n"
            "plan: {owner: Jo Owner-Longname, last_reviewed: 2026-01-01}\n", encoding="utf-8")
    r = kaplan("risk", "--today", TODAY.isoformat(), cwd=tmp_path, env={"COLUMNS": "80", "FORCE_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    lines = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout).splitlines()
    assert max(len(line) for line in lines) <= 80
    for pid in ids:
        assert any(f" {pid} " in line for line in lines), pid
    assert "…" not in r.stdout
