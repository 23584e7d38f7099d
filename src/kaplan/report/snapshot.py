"""The portfolio on one day, read once: every plan read, scored, placed and assessed.

Both packs are built from a snapshot, so rendering all account packs reads, scores and assesses
the portfolio once, and every pack agrees with every other (and with `kaplan score` / `kaplan risk`,
which read the plans the same way: `kaplan.reading.portfolio.read`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kaplan.config import Portfolio
from kaplan.health.model import Health
from kaplan.health.portfolio import assess_summaries
from kaplan.overdue import ReviewStatus
from kaplan.reading.loader import LoadedPlan, open_portfolio
from kaplan.reading.portfolio import Reading, read
from kaplan.commands.score import PortfolioScore, score_summaries


class NoSuchAccount(LookupError):
    """No plan in the portfolio has this account id."""


class InvalidPlan(NoSuchAccount):
    """The account's plan exists but has errors, so it cannot be reported on."""


@dataclass
class Snapshot:
    portfolio: Portfolio
    today: _dt.date
    reading: Reading
    score: PortfolioScore
    health: dict[str, Health]
    history_cache: dict = field(default_factory=dict, repr=False)
    """Plans read from git per revision, shared by every pack rendered from this snapshot."""

    @property
    def skipped(self) -> list:
        """Plans with errors, left out of every pack (`kaplan check` says why)."""
        return self.score.skipped

    @property
    def account_ids(self) -> list[str]:
        """Every scored account, best-ranked first."""
        return [a.account_id for a in self.score.accounts]

    @property
    def paths(self) -> list[str]:
        """The plan files read."""
        return [s.path for s in self.reading.targets]

    def review_status(self, account_id: str) -> ReviewStatus:
        """Whether the account's plan is overdue for review, held to its tier's cadence too."""
        a = self.score.account(account_id)
        return self.summary(account_id).review_status(a.tier.review_cadence if a.tier else None, self.today,
                                                      self.portfolio.config)

    def summary(self, account_id: str):
        """What was read of the account's (valid) plan: its `PlanSummary`."""
        s = self.reading.by_account.get(account_id)
        if s is None:
            raise NoSuchAccount(f"no plan for account {account_id!r}")
        return s

    def loaded_plan(self, account_id: str) -> LoadedPlan:
        """The account's whole plan (read from its file on first use)."""
        s = self.reading.by_account.get(account_id)
        if s is not None:
            lp = self.reading.loaded(s)
            if lp.plan is not None:
                return lp
            raise InvalidPlan(f"the plan {s.display} changed while it was read; run the command again")
        invalid = [s for s in self.reading.invalid if account_id in (s.account_id, Path(s.path).stem)]
        if invalid:
            raise InvalidPlan(f"the plan {invalid[0].display} has errors; run `kaplan check` and fix them first")
        known = ", ".join(sorted(self.account_ids)) or "none"
        raise NoSuchAccount(f"no plan for account {account_id!r} (accounts: {known})")


def snapshot(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
             today: _dt.date | None = None, cache: bool = True) -> Snapshot:
    """Read, score and assess the portfolio's plans (or the given files and folders) on `today`."""
    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    today = today or _dt.date.today()
    reading = read(portfolio, paths, today, cache=cache)
    config = portfolio.config
    score = score_summaries(reading.targets, config.scoring, config.currency)
    health = {}
    for s, _, h in assess_summaries(reading.targets, config, today):
        health.setdefault(s.account_id, h)
    return Snapshot(portfolio, today, reading, score, health)
