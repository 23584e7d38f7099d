"""Scoring the portfolio: criteria → 0-100 score, rank, key-account flag, matrix quadrant, tier.

score = Σ(weightᵢ × normalisedᵢ) / Σ weightᵢ over the criteria that count toward the score. An account
with no criterion of the score that has a value (Σ weight = 0; only with `missing: exclude`) has no
score: no rank, key-account status or tier, listed after the ranked accounts.
The score is kept as shown, rounded to one decimal (`kaplan.rounding`), and everything is decided
on it: ranks are by that score (highest first), then trailing-12-month revenue (highest first), then
account id (alphabetical), so equal scores always rank the same way and float noise never decides;
key-account status, tiers and the budget order use the same number. Every score carries its explanation:
each criterion's raw value, normalised value, weight and contribution; contributions sum to the score.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kaplan import metrics, rounding
from kaplan.findings import Issue
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kaplan.reading.loader import LoadedPlan
from kaplan.model import Plan
from kaplan.money import Converter, CurrencySettings, converter
from kaplan.nps import NpsConfig
from kaplan.scoring.normalise import normalise
from kaplan.config.scoring import Scoring, Tier


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
    score: float | None
    """None when no criterion of the score has a value (Σ weight = 0): no score, rank, key status or tier."""
    contributions: list[Contribution]
    attractiveness: float | None
    """None when no criterion of the axis has a figure for the account."""
    strength: float | None
    quadrant: str
    revenue: float | None
    """TTM revenue in the reporting currency (None without revenue or without a rate)."""
    gross_profit: float | None
    """TTM gross profit in the reporting currency."""
    margin_pct: float | None
    currency: str | None = None
    """The account's own currency (its plan's `financials.currency`)."""
    rate: float | None = 1.0
    """Reporting units per unit of the account's currency; None when kaplan.yaml has no rate for it."""
    revenue_months: int | None = None
    """Months of the trailing twelve with revenue recorded (the TTM's coverage)."""
    margin_profit: float | None = None
    """Gross profit of the periods with both figures, in the reporting currency (margin's numerator)."""
    margin_revenue: float | None = None
    """Revenue of the periods with both figures, in the reporting currency (margin's denominator)."""
    rank: int | None = 0
    """1 for the highest score; None for an account with no score."""
    key: bool = False
    tier: Tier | None = None
    abc: str | None = None
    notes: list[Issue] = field(default_factory=list)
    exact: float | None = None
    """The score before rounding (what the contributions add up to); `score` is the one shown and used."""

    @property
    def tier_name(self) -> str | None:
        return self.tier.name if self.tier else None


UNPLACED = "Unplaced"
"""The quadrant of an account with no figure for one of the matrix's axes: it is not placed at 0."""


def quadrant(attractiveness: float | None, strength: float | None, split: float) -> str:
    """Strategic (attractive, strong), Star (attractive, weak), Status (less attractive, strong),
    Streamline; `UNPLACED` when an axis has no figure at all. Each axis is compared with `split` as it
    is shown (`rounding.AXIS_PLACES`): an axis of 49.96 reads 50.0, and is on the upper side of 50."""
    if attractiveness is None or strength is None:
        return UNPLACED
    attractiveness = rounding.rounded(attractiveness, rounding.AXIS_PLACES)
    strength = rounding.rounded(strength, rounding.AXIS_PLACES)
    if attractiveness >= split:
        return "Strategic" if strength >= split else "Star"
    return "Status" if strength >= split else "Streamline"


def _weighted_row(axis: list[tuple[int | None, float]], row: tuple, worst: bool) -> float | None:
    """Σ(weight × value) / Σ weight over the axis's criteria that have a value in this row (with
    `missing: worst`, a missing value counts as 0); None when none has (a missing figure is
    missing, never zero)."""
    values = [(w, None if k is None else row[k]) for k, w in axis]
    used = [(w, 0.0 if v is None else v) for w, v in values] if worst else [(w, v) for w, v in values if v is not None]
    total = sum(w for w, _ in used)
    return sum(w * v for w, v in used) / total if total else None


@dataclass(frozen=True)
class ScoringInput:
    """What scoring needs from one plan: who it is and its metrics (see `metrics.all_metrics`)."""

    account_id: str
    name: str
    owner: str
    path: str
    metrics: dict
    currency: str | None = None
    """The plan's currency; its money metrics are converted to the reporting one before scoring."""


def score_plans(plans: list[tuple[LoadedPlan, Plan]], scoring: Scoring,
                currency: CurrencySettings | None = None, *, today: _dt.date | None = None,
                nps: NpsConfig | None = None) -> list[AccountScore]:
    """Score, rank, flag, place and tier every plan. `plans` are (loaded file, valid plan) pairs; NPS
    is the survey window's ending `today` (default: the real date), with `nps` settings."""
    return score_inputs([ScoringInput(p.account.id, p.account.name, p.plan.owner, lp.display,
                                      metrics.all_metrics(p, today, nps), p.financials.currency) for lp, p in plans],
                        scoring, currency=currency)


def converted(inputs: list[ScoringInput], currency: CurrencySettings | None) -> tuple[Converter, list[dict]]:
    """The portfolio's converter and each account's metrics with its money in the reporting currency
    (None where kaplan.yaml has no rate for the account's currency)."""
    conv = converter(currency, [entry.currency for entry in inputs])
    out = []
    for entry in inputs:
        rate = conv.rate(entry.currency)
        if rate == 1.0:
            out.append(entry.metrics)
            continue
        values = dict(entry.metrics)
        for name in metrics.MONEY:
            if name in values:
                values[name] = None if rate is None or values[name] is None else values[name] * rate
        out.append(values)
    return conv, out


def score_inputs(inputs: list[ScoringInput], scoring: Scoring, explain: bool = True,
                 currency: CurrencySettings | None = None) -> list[AccountScore]:
    """Score, rank, flag, place and tier accounts from their metrics, money converted to the reporting
    currency by `currency` (kaplan.yaml's `currency:`).

    With `explain` false the scores, ranks, quadrants and tiers are the same, but no account carries
    its explanation (contributions and notes): what portfolio-wide rules need, for less work.
    """
    criteria = scoring.criteria
    names = list(criteria)
    conv, values_per_plan = converted(inputs, currency)
    raw = {name: [v[c.source] for v in values_per_plan] for name, c in criteria.items()}
    norm = {name: normalise(criteria[name], raw[name]) for name in names}
    # Per account, the criteria are read by position from one row of normalised values; sums run over
    # the criteria in their configured order, so every score is the same to the last bit.
    scored = [(k, n, criteria[n].weight) for k, n in enumerate(names) if criteria[n].in_score]
    worst = scoring.missing == "worst"
    matrix = scoring.matrix
    axes = [[(names.index(n) if n in criteria else None, w) for n, w in axis.items()]
            for axis in (matrix.attractiveness, matrix.strength)]
    noted = [n for n in names if criteria[n].in_score or n in matrix.attractiveness or n in matrix.strength]
    results: list[AccountScore] = []
    rows = list(zip(*(norm[n] for n in names))) if names else [()] * len(inputs)
    for i, (entry, row) in enumerate(zip(inputs, rows)):
        if worst:
            row = tuple(0.0 if v is None else v for v in row) if None in row else row
        total_weight = sum(w for k, _, w in scored if row[k] is not None)
        contributions = []
        points = []
        for k, n, w in scored:
            value = row[k]
            share = w / total_weight if value is not None and total_weight else 0.0
            points.append(share * value if value is not None else 0.0)
            if explain:
                original = norm[n][i]
                contributions.append(Contribution(n, criteria[n].source, raw[n][i], original, w, share,
                                                  points[-1], original is None))
        exact = sum(points) if total_weight else None  # no criterion with a value: no score at all
        attractiveness, strength = (_weighted_row(axis, row, worst) for axis in axes)
        notes = [_missing_note(n, criteria[n].source, worst) for n in noted if norm[n][i] is None] if explain else []
        if explain and exact is None:
            notes.insert(0, Issue((), "no criterion of the score has a value: no score, so no rank, key-account "
                                  "status or tier", "record the data of at least one criterion of the score", key=False))
        rate = conv.rate(entry.currency)
        if explain and rate is None:
            notes.insert(0, Issue(("financials", "currency"), f"{conv.words(entry.currency)}: this account's "
                                  "money is left out of the portfolio's figures",
                                  f"add `{entry.currency}: {{rate: …, as_of: YYYY-MM-DD}}` under `currency.rates` "
                                  "in kaplan.yaml", key=False))
        metrics_of = values_per_plan[i]
        months = entry.metrics.get("revenue_months")
        results.append(AccountScore(
            account_id=entry.account_id, name=entry.name, owner=entry.owner, path=entry.path,
            score=None if exact is None else rounding.score(exact), exact=exact, contributions=contributions, attractiveness=attractiveness, strength=strength,
            quadrant=quadrant(attractiveness, strength, matrix.split), revenue=metrics_of["revenue_ttm"],
            gross_profit=metrics_of["gross_profit_ttm"], margin_pct=metrics_of["margin_pct"],
            currency=entry.currency, rate=rate, revenue_months=None if months is None else int(months),
            margin_profit=metrics_of.get("margin_profit"), margin_revenue=metrics_of.get("margin_revenue"),
            notes=notes))
    ranked = sorted((a for a in results if a.score is not None), key=lambda a: (-a.score, -(a.revenue or 0.0), a.account_id))
    for rank, a in enumerate(ranked, start=1):
        a.rank = rank
        a.key = a.score >= scoring.key_account_threshold
        a.tier = assign_tier(a, scoring.tiers)
    unscored = sorted((a for a in results if a.score is None), key=lambda a: (-(a.revenue or 0.0), a.account_id))
    for a in unscored:  # like any account without a value: listed after the ranking, never placed in it
        a.rank, a.key, a.tier = None, False, None
    return ranked + unscored


def score_summaries(summaries: list, config, explain: bool = True) -> list[tuple[object, AccountScore]]:
    """(plan summary, its AccountScore) for every plan of `summaries` that scoring counts (a usable
    one: `PlanSummary.usable`), scored together: what `score`, `risk` and the portfolio rules of
    `check` place each plan by, so they give it one tier. Each plan gets its own score, even where two
    plans claim one account (`duplicate-account` says so)."""
    usable = [s for s in summaries if s.usable]
    scored = score_inputs([s.scoring_input() for s in usable], config.scoring, explain=explain,
                          currency=config.currency)
    by_file = {a.path: a for a in scored}  # `scoring_input` names each plan by its file
    return [(s, by_file[s.display]) for s in usable]


def tiers_of(summaries: list, config) -> list[tuple[object, Tier | None]]:
    """(plan summary, its tier) for every plan of `summaries` that scoring counts, as
    `score_summaries` places them: what the portfolio rules of `kaplan check` hold each plan to."""
    return [(s, a.tier) for s, a in score_summaries(summaries, config, explain=False)]


def tier_inputs(summaries: list) -> list:
    """Everything of `summaries` that their tiers depend on besides the config (`tiers_of`): which
    plans scoring counts, in order, and what it scores each by. The same inputs and config give the
    same tiers, so a tier worked out once can be kept while these stay the same."""
    return [[s.display, s.account_id, s.currency, [s.metrics.get(name) for name in metrics.ALL]]
            for s in summaries if s.usable]


def _missing_note(criterion: str, source: str, worst: bool) -> Issue:
    return Issue(metrics.SOURCE_LOCATION.get(source, ()),
                 f"no value for criterion `{criterion}` (source `{source}`): "
                 + ("scored as the worst value" if worst else "left out and its weight shared among the other criteria"),
                 _MISSING_HINTS.get(source, "record the data the source needs"), key=True)


_MISSING_HINTS = {
    "nps": "the survey window holds too few responses for an NPS (fewer than `nps.min_responses`, default 5): "
           "survey more of the client's contacts",
}
"""Why a source can have no value when the plan records some of its data."""


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
