"""A count is said with its noun in the singular for one and in the plural otherwise, by one function
(`kaplan.plural.counted`): never "1 open loops", "1 plan(s)" or "1 day(s)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaplan.plural import counted, word

PLAN = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Sam}
financials:
  currency: EUR
  periods:
    - {period: 2026-Q1, revenue: 100000}
"""


@pytest.mark.parametrize("n, noun, plural, said", [
    (0, "day", None, "0 days"),
    (1, "day", None, "1 day"),
    (2, "day", None, "2 days"),
    (1, "opportunity", "opportunities", "1 opportunity"),
    (3, "opportunity", "opportunities", "3 opportunities"),
    (1, "open loop", None, "1 open loop"),
])
def test_a_count_takes_the_singular_only_for_one(n, noun, plural, said):
    assert counted(n, noun, plural) == said
    assert word(n, noun, plural) == said.split(" ", 1)[1]


def test_the_days_the_clock_writes_are_counted_the_same_way():
    from kaplan.clock import days, days_ago

    assert [days(0), days(1), days(2), days_ago(1), days_ago(64)] == ["0 days", "1 day", "2 days", "1 day ago",
                                                                      "64 days ago"]


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n")
    (tmp_path / "plans" / "acme.yaml").write_text(PLAN)
    # one row, one value to change (2026-Q2's revenue), in one plan
    (tmp_path / "won.csv").write_text("account,period,revenue\nacme,2026-Q2,120000\n")
    return tmp_path


def test_an_import_of_one_row_into_one_plan_says_so_in_the_singular(kaplan, portfolio: Path):
    dry = kaplan("import", "won.csv", "--as", "financials", "--profile", "kaplan", "--dry-run", cwd=portfolio)
    assert dry.exit_code == 0, dry.stderr
    assert "kaplan: would change 1 plan; nothing written (--dry-run)" in dry.stderr, dry.stderr  # was "1 plan(s)"
    done = kaplan("import", "won.csv", "--as", "financials", "--profile", "kaplan", cwd=portfolio)
    assert done.exit_code == 0, done.stderr
    # was "1 row(s) of won.csv (kaplan profile): 1 value(s) changed in 1 plan(s)"
    assert "kaplan: 1 row of won.csv (kaplan profile): 1 value changed in 1 plan" in done.stderr, done.stderr
    assert "revenue: 120000" in (portfolio / "plans" / "acme.yaml").read_text()


def test_the_cache_of_one_portfolio_says_one(kaplan, portfolio: Path):
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code == 0
    r = kaplan("cache", "info", cwd=portfolio)
    assert r.exit_code == 0, r.stderr
    assert "; 1 portfolio, " in r.stdout, r.stdout  # was "1 portfolio(s)"
    assert "portfolio(s)" not in r.stdout and "set(s)" not in r.stdout


ONE_OF_EACH = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Jo, created: 2026-01-01}
relationships:
  strength: 3
  rituals:
    - {name: Ops call, kind: operating_meeting, cadence: weekly, last_held: 2026-11-01}
objectives:
  - {id: o1, title: Grow}
actions:
  - {id: a1, action: Call, objective: o1, owner: Jo, due: 2026-11-01, status: planned}
voice_of_customer:
  nps:
    - {date: 2026-11-20, respondent: Ann, score: 9}
service:
  kpis:
    - {name: Uptime, target: 99, actual: 90}
"""


def test_one_of_each_count_is_said_in_the_singular_in_check_health_and_every_pack(kaplan, tmp_path: Path):
    """One response in a one-month window (minimum 1), a weekly ritual of 1 day (last held 2026-11-01,
    23 days before 2026-11-24: lapsed), one open action (due 2026-11-01: overdue), one KPI (90 < 99)."""
    from openpyxl import load_workbook
    from pptx import Presentation

    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nnps: {window_months: 1, min_responses: 1}\n"
                                          "cadence_days: {weekly: 1}\n")
    (tmp_path / "plans" / "acme.yaml").write_text(ONE_OF_EACH)
    day = "2026-11-24"
    ritual = "`Ops call` (weekly: every 1 day) was last held 2026-11-01 (23 days ago)"
    check = kaplan("check", "--today", day, cwd=tmp_path).stdout
    assert ritual in check and "every 1 days" not in check
    reasons = kaplan("risk", "--format", "json", "--today", day, cwd=tmp_path).json()["accounts"][0]["reasons"]
    texts = [r if isinstance(r, str) else r.get("reason", r.get("text", "")) for r in reasons]
    assert "1 of 1 open action overdue" in texts and "1 of 1 KPI below target (Uptime)" in texts
    assert ritual in texts
    for fmt in ("md", "html"):
        pack = kaplan("report", "acme", "--format", fmt, "--today", day, cwd=tmp_path).stdout
        assert "1 of 1 action overdue." in pack and "actions overdue" not in pack, fmt
        assert "every 1 days" not in pack, fmt
    html = kaplan("report", "acme", "--format", "html", "--today", day, cwd=tmp_path).stdout
    assert "1 response in the last month · 0 open loops" in html  # the NPS card, was "in the last 1 months"
    assert kaplan("report", "acme", "--format", "pptx", "--today", day, "-o", "a.pptx", cwd=tmp_path).exit_code == 0
    deck = Presentation(str(tmp_path / "a.pptx"))
    shown = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "1 response in the last month · 0 open loops" in shown  # was "1 in the last 1 months"
    assert kaplan("report", "acme", "--format", "xlsx", "--today", day, "-o", "a.xlsx", cwd=tmp_path).exit_code == 0
    caption = load_workbook(tmp_path / "a.xlsx")["NPS by quarter"]["A1"].comment.text
    assert "a span with fewer than 1 response has too few for a score" in caption
