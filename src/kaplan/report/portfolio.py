"""The portfolio pack as data: what the steering committee looks at across all key accounts.

Ranking, tiers and key-account flags, the portfolio matrix, concentration (ABC and the top-fifth
share) and the allocation all come from scoring; the risk table, stale plans and renewals come from
the health model's signals. This module only selects and orders them, and adds the counts and totals
the one-page executive summary shows.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..config import Portfolio
from ..health.model import Health, Signal
from ..risk import RiskRow
from ..rules.dates import last_review
from ..scoring.allocation import AllocationResult
from ..scoring.concentration import ConcentrationResult
from ..scoring.engine import AccountScore
from ..scoring.settings import QUADRANTS, Scoring
from .snapshot import Snapshot


@dataclass(frozen=True)
class Placed:
    """One account as the portfolio sees it: its score and its health."""

    score: AccountScore
    health: Health
    currency: str

    @property
    def account_id(self) -> str:
        return self.score.account_id


@dataclass(frozen=True)
class ParetoRow:
    score: AccountScore
    value: float
    share_pct: float
    cumulative_pct: float
    abc: str


@dataclass(frozen=True)
class DateRow:
    """An account with a date that needs attention (a stale review, a renewal) and the signal saying so."""

    placed: Placed
    date: _dt.date | None
    days: int | None
    """Days since (stale review) or until (renewal; negative when passed)."""
    signal: Signal
    value: float | None = None
    """The contract's value per year (renewals)."""


@dataclass
class PortfolioPack:
    kind = "portfolio"
    today: _dt.date
    portfolio: Portfolio
    scoring: Scoring
    accounts: list[Placed]
    """Ranked, best first."""
    risk: list[RiskRow]
    """Worst health first, as `kaplan risk` orders them."""
    concentration: ConcentrationResult
    pareto: list[ParetoRow]
    allocation: AllocationResult
    stale: list[DateRow]
    renewals: list[DateRow]
    unreviewed: list[Placed]
    """Accounts whose plan records no review at all."""
    skipped: list[str]
    """Plans left out because they have errors."""

    @property
    def currency(self) -> str:
        codes = sorted({p.currency for p in self.accounts})
        return codes[0] if len(codes) == 1 else "mixed currencies"

    @property
    def key_accounts(self) -> list[Placed]:
        return [p for p in self.accounts if p.score.key]

    @property
    def revenue(self) -> float:
        return sum(p.score.revenue or 0.0 for p in self.accounts)

    @property
    def gross_profit(self) -> float:
        return sum(p.score.gross_profit or 0.0 for p in self.accounts)

    @property
    def margin_pct(self) -> float | None:
        with_profit = [p.score for p in self.accounts if p.score.gross_profit is not None and p.score.revenue]
        revenue = sum(a.revenue for a in with_profit)
        return sum(a.gross_profit for a in with_profit) / revenue * 100 if revenue else None

    def count(self, colour: str) -> int:
        return sum(1 for p in self.accounts if p.health.colour == colour)

    @property
    def quadrants(self) -> dict[str, list[Placed]]:
        return {q: [p for p in self.accounts if p.score.quadrant == q] for q in QUADRANTS}

    @property
    def tiers(self) -> dict[str, list[Placed]]:
        out: dict[str, list[Placed]] = {t.name: [] for t in self.scoring.tiers}
        for p in self.accounts:
            out.setdefault(p.score.tier_name or "none", []).append(p)
        return {k: v for k, v in out.items() if v}

    @property
    def top_risks(self) -> list[RiskRow]:
        return [r for r in self.risk if r.health.level != "low"][:3]


def portfolio_pack(snap: Snapshot) -> PortfolioPack:
    """The portfolio pack on the snapshot's day."""
    plans = {lp.plan.account.id: lp for lp in snap.loaded if lp.plan is not None}
    placed = [Placed(a, snap.health[a.account_id], plans[a.account_id].plan.financials.currency)
              for a in snap.score.accounts]
    by_id = {p.account_id: p for p in placed}
    risk = sorted((RiskRow(p.account_id, p.score.name, p.score.owner, p.score.tier_name, p.score.path, p.health)
                   for p in placed), key=lambda r: (r.health.score, r.account_id))
    conc = snap.score.concentration
    metric = "revenue" if conc.metric == "revenue_ttm" else "gross_profit"
    pareto = []
    for account_id in sorted(conc.classes, key=lambda k: conc.cumulative_pct[k]):
        a = by_id[account_id].score
        value = getattr(a, metric) or 0.0
        pareto.append(ParetoRow(a, value, value / conc.total * 100 if conc.total else 0.0,
                                conc.cumulative_pct[account_id], conc.classes[account_id]))
    stale, renewals, unreviewed = [], [], []
    for p in placed:
        plan = plans[p.account_id].plan
        if last_review(plan) is None:
            unreviewed.append(p)
        for s in p.health.signals:
            if s.name == "review_overdue" and s.value < 100:
                last = last_review(plan)
                stale.append(DateRow(p, last, (snap.today - last).days if last else None, s))
            if s.name == "renewal" and s.value < 100:
                when = plan.financials.contract.renewal_date
                renewals.append(DateRow(p, when, (when - snap.today).days, s, plan.financials.contract.value))
    stale.sort(key=lambda r: (-(r.days or 0), r.placed.account_id))
    renewals.sort(key=lambda r: (r.date, r.placed.account_id))
    return PortfolioPack(snap.today, snap.portfolio, snap.score.scoring, placed, risk, conc, pareto,
                         snap.score.allocation, stale, renewals, unreviewed, [lp.display for lp in snap.skipped])
