"""Scoring the portfolio: criteria → 0-100 score, rank, key-account flag, matrix quadrant, tier.

score = Σ(weightᵢ × normalisedᵢ) / Σ weightᵢ over the criteria that count toward the score.
Ranks are by score (highest first), then trailing-12-month revenue (highest first), then account id
(alphabetical), so equal scores always rank the same way. Every score carries its explanation:
each criterion's raw value, normalised value, weight and contribution; contributions sum to the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import metrics
from ..findings import Issue
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..loader import LoadedPlan
from ..model import Plan
from .normalise import normalise
from .settings import Scoring, Tier


@dataclass(frozen=True)
class Contribution:
    criterion: str
    source: str
    raw: float | None
    normalised: float | None
    weight: float
    share: float
    """The weight's share of the weights used for this account (0-1)."""
    contribution: float
    """Points this criterion adds to the score."""
    missing: bool = False


@dataclass
class AccountScore:
    account_id: str
    name: str
    owner: str
    path: str
    score: float
    contributions: list[Contribution]
    attractiveness: float
    strength: float
    quadrant: str
    revenue: float | None
    gross_profit: float | None
    margin_pct: float | None
    rank: int = 0
    key: bool = False
    tier: Tier | None = None
    abc: str | None = None
    notes: list[Issue] = field(default_factory=list)

    @property
    def tier_name(self) -> str | None:
        return self.tier.name if self.tier else None


def quadrant(attractiveness: float, strength: float, split: float) -> str:
    """Strategic (attractive, strong), Star (attractive, weak), Status (less attractive, strong), Streamline."""
    if attractiveness >= split:
        return "Strategic" if strength >= split else "Star"
    return "Status" if strength >= split else "Streamline"


def _weighted(parts: list[tuple[float, float | None]], missing: str) -> float:
    if missing == "worst":
        parts = [(w, 0.0 if n is None else n) for w, n in parts]
    used = [(w, n) for w, n in parts if n is not None]
    total = sum(w for w, _ in used)
    return sum(w * n for w, n in used) / total if total else 0.0


@dataclass(frozen=True)
class ScoringInput:
    """What scoring needs from one plan: who it is and its metrics (see `metrics.all_metrics`)."""

    account_id: str
    name: str
    owner: str
    path: str
    metrics: dict


def score_plans(plans: list[tuple[LoadedPlan, Plan]], scoring: Scoring) -> list[AccountScore]:
    """Score, rank, flag, place and tier every plan. `plans` are (loaded file, valid plan) pairs."""
    return score_inputs([ScoringInput(p.account.id, p.account.name, p.plan.owner, lp.display,
                                      metrics.all_metrics(p)) for lp, p in plans], scoring)


def score_inputs(inputs: list[ScoringInput], scoring: Scoring, explain: bool = True) -> list[AccountScore]:
    """Score, rank, flag, place and tier accounts from their metrics.

    With `explain` false the scores, ranks, quadrants and tiers are the same, but no account carries
    its explanation (contributions and notes): what portfolio-wide rules need, for less work.
    """
    criteria = scoring.criteria
    names = list(criteria)
    values_per_plan = [entry.metrics for entry in inputs]
    raw = {name: [v[c.source] for v in values_per_plan] for name, c in criteria.items()}
    norm = {name: normalise(criteria[name], raw[name]) for name in names}
    scored = [n for n in names if criteria[n].in_score]
    weight = {n: criteria[n].weight for n in names}
    worst = scoring.missing == "worst"
    matrix = scoring.matrix
    noted = [n for n in names if criteria[n].in_score or n in matrix.attractiveness or n in matrix.strength]
    results: list[AccountScore] = []
    for i, entry in enumerate(inputs):
        values = {n: norm[n][i] for n in names}
        if worst:
            values_for_score = {n: (0.0 if values[n] is None else values[n]) for n in scored}
        else:
            values_for_score = {n: values[n] for n in scored if values[n] is not None}
        total_weight = sum(weight[n] for n in values_for_score)
        contributions = []
        points = []
        for n in scored:
            used = n in values_for_score
            share = weight[n] / total_weight if used and total_weight else 0.0
            points.append(share * values_for_score[n] if used else 0.0)
            if explain:
                c = criteria[n]
                contributions.append(Contribution(n, c.source, raw[n][i], values[n], c.weight, share,
                                                  points[-1], values[n] is None))
        score = sum(points)
        attractiveness = _weighted([(w, values.get(n)) for n, w in matrix.attractiveness.items()], scoring.missing)
        strength = _weighted([(w, values.get(n)) for n, w in matrix.strength.items()], scoring.missing)
        notes = [_missing_note(n, criteria[n].source, worst) for n in noted if values[n] is None] if explain else []
        metrics_of = values_per_plan[i]
        results.append(AccountScore(
            account_id=entry.account_id, name=entry.name, owner=entry.owner, path=entry.path,
            score=score, contributions=contributions, attractiveness=attractiveness, strength=strength,
            quadrant=quadrant(attractiveness, strength, matrix.split), revenue=metrics_of["revenue_ttm"],
            gross_profit=metrics_of["gross_profit_ttm"], margin_pct=metrics_of["margin_pct"], notes=notes))
    ranked = sorted(results, key=lambda a: (-round(a.score, 9), -(a.revenue or 0.0), a.account_id))
    for rank, a in enumerate(ranked, start=1):
        a.rank = rank
        a.key = a.score >= scoring.key_account_threshold
        a.tier = assign_tier(a, scoring.tiers)
    return ranked


def _missing_note(criterion: str, source: str, worst: bool) -> Issue:
    return Issue(metrics.SOURCE_LOCATION.get(source, ()),
                 f"no value for criterion `{criterion}` (source `{source}`): "
                 + ("scored as the worst value" if worst else "left out and its weight shared among the other criteria"),
                 "record the data the source needs", key=True)


def assign_tier(account: AccountScore, tiers: list[Tier]) -> Tier | None:
    """The first tier whose conditions all hold (min_score ≤ score < max_score, quadrant, key)."""
    for tier in tiers:
        w = tier.when
        if w is None:
            return tier
        if w.min_score is not None and account.score < w.min_score:
            continue
        if w.max_score is not None and account.score >= w.max_score:
            continue
        if w.quadrant and account.quadrant not in w.quadrant:
            continue
        if w.key is not None and account.key != w.key:
            continue
        return tier
    return None
