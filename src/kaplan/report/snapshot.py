"""The portfolio on one day, read once: every plan loaded, scored, placed and assessed.

Both packs are built from a snapshot, so rendering all account packs reads, scores and assesses
the portfolio once, and every pack agrees with every other (and with `kaplan score` / `kaplan risk`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kaplan.config import Portfolio
from kaplan.health.model import Health
from kaplan.health.portfolio import assess_plans
from kaplan.overdue import ReviewStatus, status_of
from kaplan.reading.loader import LoadedPlan, contained, display_path, load_plan, open_portfolio
from kaplan.commands.score import PortfolioScore, score_loaded


class NoSuchAccount(LookupError):
    """No plan in the portfolio has this account id."""


class InvalidPlan(NoSuchAccount):
    """The account's plan exists but has errors, so it cannot be reported on."""


@dataclass
class Snapshot:
    portfolio: Portfolio
    today: _dt.date
    loaded: list[LoadedPlan]
    score: PortfolioScore
    health: dict[str, Health]
    history_cache: dict = field(default_factory=dict, repr=False)
    """Plans read from git per revision, shared by every pack rendered from this snapshot."""

    @property
    def skipped(self) -> list[LoadedPlan]:
        """Plans with errors, left out of every pack (`kaplan check` says why)."""
        return self.score.skipped

    @property
    def account_ids(self) -> list[str]:
        """Every scored account, best-ranked first."""
        return [a.account_id for a in self.score.accounts]

    def review_status(self, account_id: str) -> ReviewStatus:
        """Whether the account's plan is overdue for review, held to its tier's cadence too."""
        a = self.score.account(account_id)
        return status_of(self.loaded_plan(account_id).plan, a.tier.review_cadence if a.tier else None, self.today,
                         self.portfolio.config)

    def loaded_plan(self, account_id: str) -> LoadedPlan:
        for lp in self.loaded:
            if lp.plan is not None and lp.plan.account.id == account_id:
                return lp
        invalid = [lp for lp in self.loaded if lp.plan is None and lp.path.stem == account_id]
        if invalid:
            raise InvalidPlan(f"the plan {invalid[0].display} has errors; run `kaplan check` and fix them first")
        known = ", ".join(sorted(self.account_ids)) or "none"
        raise NoSuchAccount(f"no plan for account {account_id!r} (accounts: {known})")


def snapshot(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
             today: _dt.date | None = None) -> Snapshot:
    """Read, score and assess the portfolio's plans (or the given files and folders) on `today`."""
    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    today = today or _dt.date.today()
    from kaplan.commands.check import plan_files

    loaded = [_load(p, portfolio, explicit=p in paths) for p in plan_files(portfolio, paths)]
    score = score_loaded(loaded, portfolio.config.scoring, portfolio.config.currency)
    valid = [(lp, lp.plan) for lp in loaded if lp.plan is not None]
    health = {pid: h for pid, (_, h) in assess_plans(valid, portfolio.config, today).items()}
    return Snapshot(portfolio, today, loaded, score, health)


def _load(path: Path, portfolio: Portfolio, explicit: bool) -> LoadedPlan:
    """The plan, unless it is a link out of the portfolio: that is never read (see `_containment`)."""
    display = display_path(path)
    refused = contained(path.absolute(), portfolio.root, display, explicit=explicit)
    return LoadedPlan(path, display, findings=[refused]) if refused else load_plan(path, display)
