"""`kaplan risk` as a library call: every account's health and risk, worst first, and what changed.

With `since`, the plans as they were at that git revision are assessed too (on the day of that
commit), so the report says which accounts got worse, which improved, and the new reasons.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import history
from .changes import PlanChanges, compare, health_change
from .config import Portfolio
from .health.model import Health
from .health.portfolio import assess_plans
from .loader import LoadedPlan, discover, load_plan, open_portfolio

LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass
class RiskRow:
    account_id: str
    name: str
    owner: str
    tier: str | None
    path: str
    health: Health
    before: Health | None = None
    plan_changes: PlanChanges | None = None
    """What the plan itself says differently from the compared revision."""

    @property
    def change(self) -> str | None:
        """before → after in words, or None when there is nothing to compare with."""
        if self.before is None:
            return None
        words = health_change(self.before, self.health)
        phrases = self.plan_changes.phrases() if self.plan_changes else []
        if phrases:
            words = ("" if words == "no change" else words + "; ") + "plan: " + ", ".join(phrases[:4])
        return words

    @property
    def trend(self) -> str | None:
        if self.before is None:
            return None
        delta = self.health.score - self.before.score
        return "worse" if delta < -0.05 else "better" if delta > 0.05 else "same"


@dataclass
class RiskReport:
    rows: list[RiskRow]
    today: _dt.date
    since: str | None = None
    history_note: str | None = None
    """Why no comparison was made, when `since` was asked for but could not be read."""
    skipped: list[LoadedPlan] = field(default_factory=list)
    new_accounts: list[str] = field(default_factory=list)


def risk_report(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
                today: _dt.date | None = None, since: str | None = None) -> RiskReport:
    """Assess every plan; sorted worst first (lowest health, then account id)."""
    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    today = today or _dt.date.today()
    loaded = [load_plan(p) for p in discover(portfolio, paths)]
    valid = [(lp, lp.plan) for lp in loaded if lp.plan is not None]
    assessed = assess_plans(valid, portfolio.config, today)
    rows = []
    for lp, plan in valid:
        score, health = assessed[plan.account.id]
        if any(r.account_id == plan.account.id for r in rows):
            continue
        rows.append(RiskRow(plan.account.id, plan.account.name, plan.plan.owner, score.tier_name, lp.display, health))
    rows.sort(key=lambda r: (r.health.score, r.account_id))
    report = RiskReport(rows, today, since, skipped=[lp for lp in loaded if lp.plan is None])
    if since is not None:
        try:
            _compare(report, portfolio, since, {plan.account.id: plan for _, plan in valid})
        except history.HistoryUnavailable as exc:
            report.history_note = str(exc)
    return report


def _compare(report: RiskReport, portfolio: Portfolio, since: str, current: dict | None = None) -> None:
    folder = portfolio.plans_dir
    history.repo_root(folder)
    commit = history.resolve(folder, since)
    then = _dt.date.fromisoformat(history._git(folder, "show", "-s", "--format=%cs", commit).decode().strip())
    old = history.plans_at(folder, commit)
    from .loader import LoadedPlan as _LP

    pairs = [(_LP(Path(f"{pid}.yaml"), f"{pid}.yaml", plan), plan) for pid, plan in old.items()]
    before = assess_plans(pairs, portfolio.config, then) if pairs else {}
    for row in report.rows:
        if row.account_id in before:
            row.before = before[row.account_id][1]
            if current and row.account_id in current and row.account_id in old:
                row.plan_changes = compare(old[row.account_id], current[row.account_id])
        else:
            report.new_accounts.append(row.account_id)
