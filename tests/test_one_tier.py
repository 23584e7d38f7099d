"""One tier per plan: `check` (its review and tier rules), `score` and `risk` place a plan in the
same tier, because they score the same plans the same way (`scoring.engine.score_summaries`)."""

from __future__ import annotations

import datetime as dt

CONFIG = """\
kaplan: 1
scoring:
  criteria:
    importance: {source: strategic_importance, weight: 1, normalise: {method: minmax}}
  matrix: {attractiveness: {importance: 1}, strength: {importance: 1}}
  tiers:
    - {name: strategic, when: {min_score: 75}, review_cadence: monthly}
    - {name: core, review_cadence: semiannual}
"""
PLAN = """\
kaplan: 1
account: {{id: {id}, name: {id}, assessment: {{strategic_importance: {importance}}}}}
plan:
  owner: Ann Kam
  last_reviewed: {reviewed}
  review_cadence: semiannual
"""
TODAY = dt.date(2028, 2, 15)


def _portfolio(write, plans: dict[str, tuple[int, str, str]]) -> None:
    write("kaplan.yaml", CONFIG)
    for name, (importance, reviewed, extra) in plans.items():
        write(f"plans/{name}.yaml", PLAN.format(id=name.split("-")[0], importance=importance, reviewed=reviewed) + extra)


def _findings(kaplan, tmp_path, rule: str) -> dict[str, str]:
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    return {f["path"].split("/")[-1]: f["message"] for f in r.json()["findings"] if f["rule"] == rule}


def _tiers(kaplan, tmp_path) -> list[tuple[str, float, str]]:
    r = kaplan("score", "--today", TODAY.isoformat(), "--format", "json", "--skip-invalid", cwd=tmp_path)
    return [(a["account"], a["score"], a["tier"]) for a in r.json()["accounts"]]


def test_a_plan_left_out_of_scores_does_not_move_the_tiers_check_holds_others_to(kaplan, write, tmp_path):
    """`top`'s periods overlap (its figures are wrong), so scores leave it out. Min-max over the two
    left, importance 1 and 3: `mid` scores (3 − 1) ÷ (3 − 1) × 100 = 100, tier strategic (monthly,
    31 days), and its last review 2027-12-01 is 76 days before 2028-02-15: overdue. Counting `top`
    (importance 5) would make `mid` 50, tier core (semiannual), not overdue."""
    overlap = "financials:\n  periods:\n    - {period: 2027-Q1, revenue: 1000}\n    - {period: 2027-01, revenue: 500}\n"
    _portfolio(write, {"low": (1, "2028-01-01", ""), "mid": (3, "2027-12-01", ""), "top": (5, "2028-01-01", overlap)})
    assert _tiers(kaplan, tmp_path) == [("mid", 100.0, "strategic"), ("low", 0.0, "core")]
    stale = _findings(kaplan, tmp_path, "review-stale")
    assert list(stale) == ["mid.yaml"]
    assert "76 days ago" in stale["mid.yaml"] and "as tier `strategic` requires" in stale["mid.yaml"]


def test_two_plans_of_one_account_are_left_out_of_the_tiers(kaplan, write, tmp_path):
    """`alpha` and `alpha-2` both claim account `alpha` (an error of its own): neither is scored (which
    is the account's plan is not known), so `low` is scored alone (min-max of one value: 50, core), and
    neither plan of `alpha` is held to a tier: `alpha`'s review 76 days ago is within its own cadence."""
    _portfolio(write, {"low": (1, "2028-01-01", ""), "alpha": (3, "2027-12-01", ""),
                       "alpha-2": (5, "2028-01-01", "")})
    assert _tiers(kaplan, tmp_path) == [("low", 50.0, "core")]
    assert "alpha.yaml" not in _findings(kaplan, tmp_path, "review-stale")
