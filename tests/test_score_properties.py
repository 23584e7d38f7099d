"""Properties every portfolio score must have, whatever the data (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaplan.reading.loader import LoadedPlan
from kaplan.model import Plan
from kaplan.scoring.engine import score_plans
from kaplan.config.scoring import Scoring

account = st.fixed_dictionaries({
    "revenue": st.one_of(st.none(), st.integers(1, 10_000_000)),
    "margin": st.integers(-20, 60),
    "strength": st.one_of(st.none(), st.integers(1, 5)),
    "importance": st.one_of(st.none(), st.integers(1, 5)),
    "growth": st.integers(1, 5),
    "cts": st.integers(0, 30),
})
portfolios = st.lists(account, min_size=1, max_size=8)
methods = st.sampled_from(["minmax", "percentile", "log", "range"])


def plan(i: int, a: dict) -> tuple[LoadedPlan, Plan]:
    period = {"period": "2025"}
    if a["revenue"] is not None:
        period.update(revenue=a["revenue"], margin_pct=a["margin"], cost_to_serve=a["revenue"] * a["cts"] / 100)
    data = {
        "kaplan": 1, "account": {"id": f"acc-{i}", "name": f"Account {i}",
                                 "assessment": {"growth_potential": a["growth"]}},
        "plan": {"owner": "Jo"}, "financials": {"periods": [period]},
    }
    if a["importance"] is not None:
        data["account"]["assessment"]["strategic_importance"] = a["importance"]
    if a["strength"] is not None:
        data["relationships"] = {"strength": a["strength"]}
    p = Plan.model_validate(data)
    return LoadedPlan(Path(f"acc-{i}.yaml"), f"acc-{i}.yaml", p), p


def scoring_with(method: str, missing: str = "exclude") -> Scoring:
    s = Scoring(missing=missing)
    criteria = {}
    for name, c in s.criteria.items():
        lo = c.normalise.min
        norm = c.normalise.model_copy(update={"method": method}) if method != "range" or lo is not None else c.normalise
        criteria[name] = c.model_copy(update={"normalise": norm})
    return s.model_copy(update={"criteria": criteria})


def scores(accounts, scoring) -> dict[str, float]:
    return {a.account_id: a.score for a in score_plans([plan(i, a) for i, a in enumerate(accounts)], scoring)}


@settings(max_examples=60, deadline=None)
@given(portfolios, methods, st.sampled_from(["exclude", "worst"]), st.data())
def test_raising_a_higher_is_better_value_never_lowers_the_score(accounts, method, missing, data):
    i = data.draw(st.integers(0, len(accounts) - 1))
    scoring = scoring_with(method, missing)
    before = scores(accounts, scoring)[f"acc-{i}"]
    raised = [dict(a) for a in accounts]
    field = data.draw(st.sampled_from(["growth", "strength", "importance"]))
    current = raised[i][field]
    if current is None or current == 5:
        return
    raised[i][field] = current + 1
    after = scores(raised, scoring)[f"acc-{i}"]
    assert after >= before - 1e-9


@settings(max_examples=60, deadline=None)
@given(portfolios, methods, st.floats(0.01, 100))
def test_multiplying_all_weights_changes_nothing(accounts, method, factor):
    scoring = scoring_with(method)
    scaled = scoring.model_copy(update={"criteria": {
        n: c.model_copy(update={"weight": c.weight * factor}) for n, c in scoring.criteria.items()}})
    a, b = scores(accounts, scoring), scores(accounts, scaled)
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == pytest.approx(b[k], abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(portfolios, methods)
def test_ranks_are_a_permutation_and_ties_are_stable(accounts, method):
    scoring = scoring_with(method)
    first = score_plans([plan(i, a) for i, a in enumerate(accounts)], scoring)
    assert sorted(a.rank for a in first) == list(range(1, len(accounts) + 1))
    # the same portfolio given in reverse order ranks identically
    again = score_plans([plan(i, a) for i, a in reversed(list(enumerate(accounts)))], scoring)
    assert [(a.account_id, a.rank) for a in first] == [(a.account_id, a.rank) for a in again]
    for better, worse in zip(first, first[1:]):
        assert better.score >= worse.score - 1e-9


@settings(max_examples=60, deadline=None)
@given(portfolios, methods, st.sampled_from(["exclude", "worst"]))
def test_explain_contributions_sum_to_the_score_within_0_to_100(accounts, method, missing):
    for a in score_plans([plan(i, x) for i, x in enumerate(accounts)], scoring_with(method, missing)):
        assert sum(c.contribution for c in a.contributions) == pytest.approx(a.exact, abs=1e-9)
        assert abs(a.score - a.exact) <= 0.05 + 1e-9  # the score is the exact sum, as shown
        assert -1e-9 <= a.score <= 100 + 1e-9


@settings(max_examples=60, deadline=None)
@given(portfolios, methods, st.sampled_from(["exclude", "worst"]))
def test_scoring_without_explanations_ranks_and_tiers_the_same(accounts, method, missing):
    """`kaplan check` scores without building explanations; it must place every account the same."""
    from kaplan.metrics import all_metrics
    from kaplan.scoring.engine import ScoringInput, score_inputs

    scoring = scoring_with(method, missing)
    inputs = [ScoringInput(p.account.id, p.account.name, p.plan.owner, lp.display, all_metrics(p))
              for lp, p in (plan(i, a) for i, a in enumerate(accounts))]
    full = score_inputs(inputs, scoring)
    bare = score_inputs(inputs, scoring, explain=False)
    assert [(a.account_id, a.score, a.rank, a.quadrant, a.key, a.tier_name, a.attractiveness, a.strength)
            for a in full] == [(a.account_id, a.score, a.rank, a.quadrant, a.key, a.tier_name, a.attractiveness,
                                a.strength) for a in bare]
    assert all(not a.contributions and not a.notes for a in bare)


@given(st.lists(st.one_of(st.none(), st.integers(-5, 5).map(float), st.floats(-1e6, 1e6)), max_size=30))
def test_percentile_is_the_share_of_the_others_below_with_ties_counting_half(values):
    from kaplan.scoring.normalise import normalise

    criterion = Scoring().criteria["volume"]
    criterion = criterion.model_copy(update={"normalise": criterion.normalise.model_copy(
        update={"method": "percentile"}), "direction": "higher"})
    present = [v for v in values if v is not None]
    expected = [None if v is None else 50.0 if len(present) < 2 else
                (sum(1 for o in present if o < v) + 0.5 * (sum(1 for o in present if o == v) - 1))
                / (len(present) - 1) * 100 for v in values]
    assert normalise(criterion, values) == expected
