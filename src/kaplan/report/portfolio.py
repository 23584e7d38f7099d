"""The portfolio pack as data: what the steering committee looks at across all key accounts.

Ranking, tiers and key-account flags, the portfolio matrix, concentration (ABC and the top-fifth
share) and the allocation all come from scoring; the risk table, stale plans and renewals come from
the health model's signals. This module only selects and orders them, and adds the counts and totals
the one-page executive summary shows.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable

from kaplan.config import Portfolio
from kaplan.health.model import Health, Signal, due_renewal
from kaplan.commands.risk import RiskRow
from kaplan.scoring.allocation import AllocationResult
from kaplan.scoring.concentration import ConcentrationResult
from kaplan.scoring.engine import UNPLACED, AccountScore
from kaplan.config.scoring import QUADRANTS, Scoring
from kaplan.money import Converter
from kaplan.whitespace import Grid, Reach, grid, reach
from kaplan.report import capped
from kaplan.report.snapshot import Snapshot
from kaplan.views.text import budget_words, days, money, pct, people_words, recorded


def _total(values: Iterable[float | None]) -> float | None:
    """Σ of the values there are; None when there is none (a sum over no account is no value, not 0)."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass(frozen=True)
class Placed:
    """One account as the portfolio sees it: its score and its health."""

    score: AccountScore
    health: Health
    currency: str
    """The account's own currency (the portfolio's figures are in the reporting one)."""

    @property
    def account_id(self) -> str:
        return self.score.account_id

    @property
    def coverage(self) -> str:
        """`9/12 months` when the account's TTM covers fewer than 12 months, else empty."""
        months = self.score.revenue_months
        return f"{months}/12 months" if months is not None and months < 12 else ""


@dataclass(frozen=True)
class ParetoRow:
    score: AccountScore
    value: float
    share_pct: float | None
    """Share of the total of positive values; None for a zero or negative value."""
    cumulative_pct: float | None
    """None for a zero or negative value (outside the shares)."""
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
    """The contract's value per year in the reporting currency (renewals; None without a rate or a
    term to spread a total over)."""


@dataclass(frozen=True)
class CrossSell:
    """An account's whitespace as the portfolio sees it: which offerings it has and lacks."""

    placed: Placed
    grid: Grid


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
    """Plans overdue for review (`kaplan.overdue`), including those not yet reviewed and older than their cadence."""
    renewals: list[DateRow]
    unreviewed: list[Placed]
    """Plans not yet reviewed and not yet overdue."""
    skipped: list[str]
    """Plans left out because they have errors."""

    converter: Converter | None = None
    """The reporting currency and its rates (every money figure of the pack is converted by it)."""
    cross_sell: list[CrossSell] = field(default_factory=list)
    """Accounts with a whitespace grid, the most open white space first (then by rank)."""
    offerings: list[Reach] = field(default_factory=list)
    """Every offering the grids name, with the number of accounts it is won, open or white space in."""
    no_whitespace: list[Placed] = field(default_factory=list)
    """Accounts whose plan records no whitespace grid, by rank."""

    @property
    def currency(self) -> str:
        """The reporting currency every figure of the pack is in."""
        return self.converter.reporting if self.converter else "EUR"

    @property
    def other_currencies(self) -> list[str]:
        """The accounts' currencies other than the reporting one, by code: those the pack needs a rate for."""
        return sorted({p.currency for p in self.accounts if p.currency != self.currency}) if self.converter else []

    @property
    def rates(self) -> list[str]:
        """The rates used, in words (`1 GBP = 1.17 EUR, rate of 2026-09-30`), one per other currency."""
        return [self.converter.words(c) for c in self.other_currencies]

    @property
    def currency_words(self) -> str:
        """`EUR (1 GBP = 1.17 EUR, rate of 2026-09-30)`: the reporting currency and the rates used."""
        return self.currency + (f" ({'; '.join(self.rates)})" if self.rates else "")

    @property
    def partial_words(self) -> str:
        return ", ".join(f"{p.score.name} ({p.coverage})" for p in self.partial)

    @property
    def unconverted(self) -> list[Placed]:
        """Accounts whose currency has no rate: their money is left out of every total."""
        return [p for p in self.accounts if p.score.rate is None]

    @property
    def partial(self) -> list[Placed]:
        """Accounts whose TTM covers fewer than 12 months (their revenue is what those months hold)."""
        return [p for p in self.accounts if p.coverage]

    @property
    def summary_notes(self) -> list[str]:
        """What the executive summary says beside its totals, in the words every format shows: the
        accounts left out of every total (no rate), the short TTMs, and a margin over other sums."""
        notes = []
        if self.unconverted:
            notes.append(f"No rate into {self.currency} in kaplan.yaml, so left out of every total: "
                         f"{', '.join(p.score.name for p in self.unconverted)}.")
        if self.partial:
            notes.append(f"Trailing twelve months covering fewer than 12 months: {self.partial_words}.")
        if self.margin_note:
            notes.append(f"Margin: {self.margin_note}.")
        return notes

    @property
    def skipped_words(self) -> str:
        """The plans left out of the pack because of their errors, in words ("" when none)."""
        return (f"Left out because their plans have errors (run kaplan check): {', '.join(self.skipped)}."
                if self.skipped else "")

    @property
    def key_accounts(self) -> list[Placed]:
        return [p for p in self.accounts if p.score.key]

    @property
    def revenue(self) -> float | None:
        """Σ the accounts' converted TTM revenue; None when no account has one (missing, never 0)."""
        return _total(p.score.revenue for p in self.accounts)

    @property
    def gross_profit(self) -> float | None:
        """Σ the accounts' converted TTM gross profit; None when no account has one."""
        return _total(p.score.gross_profit for p in self.accounts)

    def _margin_sums(self) -> tuple[float, float]:
        both = [p.score for p in self.accounts if p.score.margin_profit is not None and p.score.margin_revenue is not None]
        return sum(a.margin_profit for a in both), sum(a.margin_revenue for a in both)

    @property
    def margin_pct(self) -> float | None:
        """Gross profit ÷ revenue, both summed over the same periods: those that have both figures."""
        profit, revenue = self._margin_sums()
        return profit / revenue * 100 if revenue else None

    @property
    def margin_note(self) -> str:
        """Says so when the margin's sums are not the revenue and gross profit totals shown (nothing when
        there is no margin: no period has both figures)."""
        profit, revenue = self._margin_sums()
        if self.margin_pct is None:
            return ""
        if abs(profit - (self.gross_profit or 0.0)) > 0.5 or abs(revenue - (self.revenue or 0.0)) > 0.5:
            return (f"margin {pct(self.margin_pct)} is gross profit {money(profit)} ÷ revenue {money(revenue)}, "
                    "over the periods with both figures")
        return ""

    @property
    def names(self) -> dict[str, str]:
        """Each account's name by its id: tables of requests and rows keyed by id show the name."""
        return {p.account_id: p.score.name for p in self.accounts}

    def count(self, colour: str) -> int:
        return sum(1 for p in self.accounts if p.health.colour == colour)

    def template_lookups(self) -> dict:
        """The methods a template may call, as values to look up (`pack.count("red")`; see `inert`)."""
        return {"count": ({c: self.count(c) for c in ("green", "amber", "red")}, 0)}

    @property
    def quadrants(self) -> dict[str, list[Placed]]:
        placed = {q: [p for p in self.accounts if p.score.quadrant == q] for q in QUADRANTS}
        unplaced = [p for p in self.accounts if p.score.quadrant == UNPLACED]
        return {**placed, UNPLACED: unplaced} if unplaced else placed

    @property
    def quadrant_counts(self) -> list[tuple[str, int]]:
        """How many accounts each of the four quadrants holds, in their order; the Unplaced (no value on an
        axis) are no quadrant and are counted apart (`unplaced`)."""
        quadrants = self.quadrants
        return [(q, len(quadrants[q])) for q in QUADRANTS]

    @property
    def unplaced(self) -> list[Placed]:
        """Accounts with no value on a matrix axis: in no quadrant."""
        return self.quadrants.get(UNPLACED, [])

    @property
    def renewal_words(self) -> str:
        """What the summary says beside the count of renewals: `within 180 days or passed`."""
        return f"within {days(self.portfolio.config.health.renewal_horizon_days)} or passed"

    @property
    def key_words(self) -> str:
        """What the summary says beside the count of accounts: `2 key (score ≥ 60)`."""
        return f"{len(self.key_accounts)} key (score ≥ {recorded(self.scoring.key_account_threshold)})"

    @property
    def budget_set(self) -> bool:
        """Whether kaplan.yaml sets a budget to allocate (`scoring.allocation.budget_set`)."""
        return self.allocation.budget_set

    @property
    def budget_words(self) -> str:
        """The allocation's money in one sentence (`kaplan.views.text.budget_words`)."""
        return budget_words(self.allocation)

    @property
    def people_words(self) -> str:
        """The allocation's people in one sentence (`kaplan.views.text.people_words`); "" when none are asked."""
        return people_words(self.allocation)

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
    placed = [Placed(a, snap.health[a.account_id], a.currency) for a in snap.score.accounts]
    conv = snap.score.converter
    by_id = {p.account_id: p for p in placed}
    risk = sorted((RiskRow(p.account_id, p.score.name, p.score.owner, p.score.tier_name, p.score.path, p.health)
                   for p in placed), key=lambda r: (r.health.score, r.account_id))
    conc = snap.score.concentration
    pareto = []
    for account_id in conc.order:  # by the metric, highest first, as the classes were given
        a = by_id[account_id].score
        value = conc.values[account_id]
        inside = account_id in conc.cumulative_pct
        pareto.append(ParetoRow(a, value, value / conc.total * 100 if inside else None,
                                conc.cumulative_pct.get(account_id), conc.classes[account_id]))
    stale, renewals, unreviewed = [], [], []
    for p in placed:
        review = snap.review_status(p.account_id)
        if review.overdue:
            signal = next(s for s in p.health.signals if s.name == "review_overdue")
            stale.append(DateRow(p, review.last, review.age, signal))
        elif not review.reviewed:
            unreviewed.append(p)
        for s in p.health.signals:
            if due_renewal(s):  # passed, or renewal − today ≤ the horizon (100 on the horizon's day)
                contract = snap.loaded_plan(p.account_id).plan.financials.contract
                when = contract.renewal_date
                renewals.append(DateRow(p, when, (when - snap.today).days, s,
                                        conv.convert(contract.annual_value, p.currency)))
    stale.sort(key=lambda r: (-(r.days or 0), r.placed.account_id))
    renewals.sort(key=lambda r: (r.date, r.placed.account_id))
    summaries: dict = {}
    for s in snap.reading.valid:  # the first plan of an account id, as `snap.summary` finds it
        summaries.setdefault(s.account_id, s)
    grids = [CrossSell(p, grid(summaries[p.account_id].whitespace, capped.ROWS_SHOWN)) for p in placed]  # placed: by rank
    cross_sell = sorted((c for c in grids if c.grid.rows), key=lambda c: -c.grid.white_space)  # stable: rank
    return PortfolioPack(snap.today, snap.portfolio, snap.score.scoring, placed, risk, conc, pareto,
                         snap.score.allocation, stale, renewals, unreviewed, [lp.display for lp in snap.skipped],
                         conv, cross_sell, reach(c.grid for c in cross_sell),
                         [c.placed for c in grids if not c.grid.rows])
