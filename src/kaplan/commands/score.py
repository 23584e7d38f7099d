"""`kaplan score` as a library call: rank the portfolio and say which accounts deserve investment.

`score_portfolio()` reads the plans (through `kaplan.reading.portfolio.read`, as every command does),
scores and ranks them (engine), classes them ABC (concentration) and shares out the investment
budget (allocation). `score_summaries()` does the same for plans already read. The CLI only
presents the result.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kaplan.config import Portfolio
from kaplan.findings import Finding, Severity
from kaplan.reading.loader import LoadedPlan, load_plan, open_portfolio
from kaplan.model.plan import InvestmentRequest
from kaplan.scoring.allocation import AllocationResult, allocate
from kaplan.scoring.concentration import ConcentrationResult, concentration
from kaplan.scoring.engine import AccountScore, score_inputs
from kaplan.config.scoring import WEIGHT_MAX, Scoring
from kaplan.money import Converter, CurrencySettings, converter


@dataclass
class PortfolioScore:
    accounts: list[AccountScore]
    """Ranked, best first."""
    concentration: ConcentrationResult
    allocation: AllocationResult
    scoring: Scoring
    skipped: list
    """Plans that could not be scored because they have errors (each has `.display`; run `kaplan check`)."""
    converter: Converter = field(default_factory=lambda: Converter("EUR"))
    """The reporting currency and the rates into it: every money figure here is in that currency."""
    _where: dict = field(default_factory=dict, repr=False)
    _notes: list[Finding] | None = field(default=None, repr=False)

    def account(self, account_id: str) -> AccountScore | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    @property
    def ranked(self) -> int:
        """How many accounts have a rank (a score): the N of "rank 3 of N"."""
        return sum(1 for a in self.accounts if a.rank is not None)

    @property
    def note_count(self) -> int:
        return sum(len(a.notes) for a in self.accounts)

    @property
    def notes(self) -> list[Finding]:
        """Missing values and other things the user should know, located in the plans (read on first use)."""
        if self._notes is None:
            self._notes = []
            for a in self.accounts:
                if not a.notes:
                    continue
                lp = self._where.get(a.account_id)
                if not isinstance(lp, LoadedPlan):
                    lp = load_plan(Path(lp[0]), lp[1])
                for issue in a.notes:
                    line, col = lp.locate(issue.at, key=issue.key)
                    self._notes.append(Finding(lp.display, line, col, "score-missing-value", Severity.WARNING,
                                               issue.message, issue.hint))
        return self._notes


def weight_problem(value: float) -> str | None:
    """What is wrong with `value` as a criterion's weight (None when nothing is): the bounds of
    `kaplan.yaml`'s weights, so no what-if weight can make a score infinite, NaN or all zeros."""
    if not 0 < value <= WEIGHT_MAX:  # NaN fails both comparisons
        return f"a weight must be a number above 0 and at most {WEIGHT_MAX:g}, as in kaplan.yaml"
    return None


def with_weights(scoring: Scoring, weights: dict[str, float]) -> Scoring:
    """A copy of `scoring` with some criteria weights replaced (for what-if questions)."""
    unknown = sorted(set(weights) - set(scoring.criteria))
    if unknown:
        raise ValueError(f"unknown criterion {unknown[0]!r}; criteria: {', '.join(scoring.criteria)}")
    for name, value in weights.items():
        if (problem := weight_problem(value)) is not None:
            raise ValueError(f"the weight of {name!r}: {problem}")
    criteria = {name: (c.model_copy(update={"weight": float(weights[name])}) if name in weights else c)
                for name, c in scoring.criteria.items()}
    return scoring.model_copy(update={"criteria": criteria})


def _finish(accounts: list[AccountScore], requests: list[tuple[str, InvestmentRequest]], scoring: Scoring,
            skipped: list, where: dict, conv: Converter) -> PortfolioScore:
    conc = concentration({a.account_id: (a.revenue if scoring.concentration.metric == "revenue_ttm"
                                         else a.gross_profit) for a in accounts}, scoring.concentration)
    for a in accounts:
        a.abc = conc.classes.get(a.account_id)
    by_id = {a.account_id: a for a in accounts}
    money = [(account, by_id[account].score, req, by_id[account].currency, by_id[account].rank)
             for account, req in requests if account in by_id]
    return PortfolioScore(accounts, conc, allocate(money, scoring.budget, conv), scoring, skipped, conv, where)


def score_summaries(summaries: list, scoring: Scoring, currency: CurrencySettings | None = None) -> PortfolioScore:
    """Score plan summaries (see `kaplan.reading.summary`), as `kaplan check` reads them."""
    valid = [s for s in summaries if s.usable]
    accounts = score_inputs([s.scoring_input() for s in valid], scoring, currency=currency)
    requests = [(s.account_id, InvestmentRequest.model_validate(req)) for s in valid for req in s.investment]
    where = {}
    for s in valid:
        where.setdefault(s.account_id, (s.path, s.display))
    return _finish(accounts, requests, scoring, [s for s in summaries if not s.usable], where,
                   converter(currency, [s.currency for s in valid]))


def score_portfolio(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
                    weights: dict[str, float] | None = None, cache: bool = True,
                    today: _dt.date | None = None) -> PortfolioScore:
    """Score the portfolio's plans (or the given files and folders) with its `kaplan.yaml` scoring, on
    `today` (default: the real date; NPS is the survey window's ending that day)."""
    from kaplan.reading.portfolio import read

    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    scoring = portfolio.config.scoring
    if weights:
        scoring = with_weights(scoring, weights)
    return score_summaries(read(portfolio, paths, today, cache=cache).targets, scoring, portfolio.config.currency)


__all__ = ["score_portfolio", "score_summaries", "PortfolioScore", "with_weights", "weight_problem"]
