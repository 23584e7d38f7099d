"""`kaplan score` as a library call: rank the portfolio and say which accounts deserve investment.

`score_portfolio()` loads the plans, scores and ranks them (engine), classes them ABC
(concentration) and shares out the investment budget (allocation). The CLI only presents the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..config import Portfolio
from ..findings import Finding, Severity
from ..loader import LoadedPlan, discover, load_plan, open_portfolio
from .allocation import AllocationResult, allocate
from .concentration import ConcentrationResult, concentration
from .engine import AccountScore, Contribution, score_plans
from .settings import Scoring

@dataclass
class PortfolioScore:
    accounts: list[AccountScore]
    """Ranked, best first."""
    concentration: ConcentrationResult
    allocation: AllocationResult
    scoring: Scoring
    skipped: list[LoadedPlan]
    """Plans that could not be scored because they have errors (run `kaplan check`)."""
    notes: list[Finding]
    """Missing values and other things the user should know, located in the plans."""

    def account(self, account_id: str) -> AccountScore | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)


def with_weights(scoring: Scoring, weights: dict[str, float]) -> Scoring:
    """A copy of `scoring` with some criteria weights replaced (for what-if questions)."""
    unknown = sorted(set(weights) - set(scoring.criteria))
    if unknown:
        raise ValueError(f"unknown criterion {unknown[0]!r}; criteria: {', '.join(scoring.criteria)}")
    bad = [k for k, v in weights.items() if not v > 0]
    if bad:
        raise ValueError(f"the weight of {bad[0]!r} must be above zero")
    criteria = {name: (c.model_copy(update={"weight": float(weights[name])}) if name in weights else c)
                for name, c in scoring.criteria.items()}
    return scoring.model_copy(update={"criteria": criteria})


def score_loaded(loaded: list[LoadedPlan], scoring: Scoring) -> PortfolioScore:
    valid = [(lp, lp.plan) for lp in loaded if lp.plan is not None]
    accounts = score_plans(valid, scoring)
    conc = concentration({a.account_id: (a.revenue if scoring.concentration.metric == "revenue_ttm"
                                         else a.gross_profit) for a in accounts}, scoring.concentration)
    for a in accounts:
        a.abc = conc.classes.get(a.account_id)
    by_id = {a.account_id: a for a in accounts}
    requests = [(lp.plan.account.id, by_id[lp.plan.account.id].score, req)
                for lp, _ in valid for req in lp.plan.investment]
    notes = []
    lookup = {lp.plan.account.id: lp for lp, _ in valid}
    for a in accounts:
        lp = lookup[a.account_id]
        for issue in a.notes:
            line, col = lp.locate(issue.at, key=issue.key)
            notes.append(Finding(lp.display, line, col, "score-missing-value", Severity.WARNING,
                                 issue.message, issue.hint))
    return PortfolioScore(accounts, conc, allocate(requests, scoring.budget), scoring,
                          [lp for lp in loaded if lp.plan is None], notes)


def score_portfolio(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
                    weights: dict[str, float] | None = None) -> PortfolioScore:
    """Score the portfolio's plans (or the given files and folders) with its `kaplan.yaml` scoring."""
    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    scoring = portfolio.config.scoring
    if weights:
        scoring = with_weights(scoring, weights)
    loaded = [load_plan(p) for p in discover(portfolio, paths)]
    return score_loaded(loaded, scoring)
