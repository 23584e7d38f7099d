"""Scores that use NPS read the survey window ending on the day asked for, whichever way the plans
were read: from the files (score, report), or as they were in git (risk --since, the pack's
since-last-review). The clock of the machine never enters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kaplan.config import Config
from kaplan.health.portfolio import assess_plans
from kaplan.model import Plan

# Five responses in 2024: inside the 12-month window ending 2024-12-31, outside any window ending
# in 2026 or later. NPS = (3 promoters - 1 detractor) / 5 x 100 = 40.
RESPONSES = [{"date": f"2024-0{m}-10", "respondent": f"r{m}", "score": s}
             for m, s in zip(range(1, 6), (10, 9, 9, 7, 3))]


def _plan(account_id: str, responses: list) -> Plan:
    return Plan.model_validate({
        "kaplan": 1, "account": {"id": account_id, "name": account_id.title()}, "plan": {"owner": "kam"},
        "voice_of_customer": {"nps": responses},
    })


def _config() -> Config:
    return Config.model_validate({"scoring": {"criteria": {"loyalty": {"source": "nps", "weight": 1}}}})


def test_assessing_plans_scores_nps_as_of_the_day_given():
    plans = [_plan("alpha", RESPONSES), _plan("beta", [])]
    pairs = [(type("Read", (), {"display": f"{p.account.id}.yaml"})(), p) for p in plans]
    assessed = assess_plans(pairs, _config(), dt.date(2024, 12, 31))
    alpha = assessed["alpha"][0]
    loyalty = next(c for c in alpha.contributions if c.criterion == "loyalty")
    assert loyalty.raw == 40.0
    later = assess_plans(pairs, _config(), dt.date(2027, 1, 1))["alpha"][0]
    assert next(c for c in later.contributions if c.criterion == "loyalty").raw is None


def test_kaplan_score_takes_the_day_and_reads_nps_for_it(kaplan, tmp_path: Path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nscoring:\n  criteria:\n    loyalty: {source: nps, weight: 1}\n"
                                          "  matrix: {attractiveness: {loyalty: 1}, strength: {loyalty: 1}}\n")
    plans = tmp_path / "plans"
    plans.mkdir()
    lines = "".join(f"    - {{date: {r['date']}, respondent: {r['respondent']}, score: {r['score']}}}\n"
                    for r in RESPONSES)
    (plans / "alpha.yaml").write_text("kaplan: 1\naccount: {id: alpha, name: Alpha}\nplan: {owner: kam}\n"
                                      f"voice_of_customer:\n  nps:\n{lines}")
    inside = kaplan("score", "--explain", "alpha", "--format", "json", "--today", "2024-12-31", cwd=tmp_path)
    outside = kaplan("score", "--explain", "alpha", "--format", "json", "--today", "2027-01-01", cwd=tmp_path)
    assert '"raw": 40.0' in inside.stdout, inside.stdout
    assert '"raw": 40.0' not in outside.stdout and '"raw": null' in outside.stdout, outside.stdout
