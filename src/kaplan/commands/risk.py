"""`kaplan risk` as a library call: every account's health and risk, worst first, and what changed.

With `since`, the plans as they were at that git revision are assessed too, so the report says
which accounts got worse, which improved, and the new reasons. Both sides are judged as of the same
day (`today`), so the comparison differs only in what the plans say; `judge_then=True` judges the
earlier side as of its commit date instead. Either way a plan whose content did not change is never
said to have changed: its move, if any, is put down to time passing or to its place in the portfolio.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kaplan import rounding, years
from kaplan.reading import history
from kaplan.changes import PlanChanges, compare, health_change
from kaplan.config import Portfolio
from kaplan.health.model import Health
from kaplan.health.portfolio import assess_plans, assess_summaries
from kaplan.reading.loader import LoadedPlan, open_portfolio

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
    plan_changed: bool | None = None
    """Whether the plan's content differs from the compared revision (None: not compared)."""
    unchanged_cause: str = "its place in the portfolio changed"
    """Why an unchanged plan's health can still move: the words used when it did."""

    @property
    def change(self) -> str | None:
        """before → after in words, or None when there is nothing to compare with."""
        if self.before is None:
            return None
        words = health_change(self.before, self.health)
        if self.plan_changed is False:
            if words == "no change":
                return "no change"
            moved = [f"health {rounding.fixed(self.before.score)} → {rounding.fixed(self.health.score)}"]
            if self.before.level != self.health.level:
                moved.append(f"{self.before.colour} → {self.health.colour}")
            return (f"plan unchanged; {', '.join(moved)} because {self.unchanged_cause}"
                    + _moved_signals(self.before, self.health))
        phrases = self.plan_changes.phrases() if self.plan_changes else []
        if phrases:
            words = ("" if words == "no change" else words + "; ") + "plan: " + ", ".join(phrases)  # all: bad news first
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
    since_commit: str | None = None
    """The commit `since` named, once read."""
    since_date: _dt.date | None = None
    """That commit's date."""
    history_left_out: list[str] = field(default_factory=list)
    """What was said of each plan file at `since` too large to read (`history.MAX_BYTES`)."""


def _moved_signals(before: Health, after: Health) -> str:
    """': review overdue 90 → 100, …' for the signals whose value moved, or '' when none did."""
    was = {s.name: s.value for s in before.signals}
    now = {s.name: s.value for s in after.signals}
    shown = {name: (rounding.fixed(was.get(name, 100)), rounding.fixed(now.get(name, 100)))
             for name in sorted(set(was) | set(now))}
    moved = [f"{name.replace('_', ' ')} {a} → {b}" for name, (a, b) in shown.items() if a != b]
    return ": " + ", ".join(moved) if moved else ""


def risk_report(paths: Iterable[Path | str] = (), *, portfolio: Portfolio | None = None,
                today: _dt.date | None = None, since: str | None = None, cache: bool = True,
                judge_then: bool = False) -> RiskReport:
    """Assess every plan; sorted worst first (lowest health, then account id).

    With `since`, each account is compared with itself at that revision, both judged as of `today`
    (or, with `judge_then`, the earlier side as of its commit date).
    """
    from kaplan.reading.portfolio import read

    paths = [Path(p) for p in paths]
    portfolio = portfolio or open_portfolio(paths[0] if paths else None)
    today = today or _dt.date.today()
    reading = read(portfolio, paths, today, cache=cache)
    summaries = reading.targets
    rows, seen = [], set()
    for s, score, health in assess_summaries(summaries, portfolio.config, today):
        if s.account_id in seen:
            continue
        seen.add(s.account_id)
        rows.append(RiskRow(s.account_id, s.name, s.owner, score.tier_name, s.display, health))
    rows.sort(key=lambda r: (r.health.score, r.account_id))
    report = RiskReport(rows, today, since, skipped=[s for s in summaries if not s.usable])
    if since is not None:
        current = {}
        for s in summaries:
            if s.usable and s.account_id not in current:
                plan = reading.loaded(s).plan
                if plan is not None:
                    current[s.account_id] = plan
        try:
            _compare(report, portfolio, since, current, judge_then)
        except history.HistoryUnavailable as exc:
            report.history_note = str(exc)
    return report


def _compare(report: RiskReport, portfolio: Portfolio, since: str, current: dict | None = None,
             judge_then: bool = False) -> None:
    folder = portfolio.plans_dir
    history.repo_root(folder)
    commit = history.resolve(folder, since)
    report.since_commit = commit
    report.since_date = history.commit_day(folder, commit)
    if judge_then and years.outside(report.since_date) is not None:  # committed with a clock set far off
        raise history.HistoryUnavailable(
            f"--judge-then: the commit {commit[:12]} is dated {report.since_date}, outside the years "
            f"{years.FIRST_YEAR}-{years.LAST_YEAR} kaplan works with; compare without --judge-then")
    then = report.since_date if judge_then else report.today
    refused: dict[str, str] = {}
    old = history.plans_at(folder, commit, refused=refused)
    report.history_left_out = list(refused.values())
    unread = {Path(name).stem for name in refused}  # a plan's file is named after its account
    from kaplan.reading.loader import LoadedPlan as _LP

    pairs = [(_LP(Path(f"{pid}.yaml"), f"{pid}.yaml", plan), plan) for pid, plan in old.items()]
    before = assess_plans(pairs, portfolio.config, then) if pairs else {}
    for row in report.rows:
        if row.account_id in before:
            row.before = before[row.account_id][1]
            if current and row.account_id in current and row.account_id in old:
                row.plan_changed = old[row.account_id] != current[row.account_id]
                row.plan_changes = compare(old[row.account_id], current[row.account_id])
                if then != report.today:
                    row.unchanged_cause = f"time passed ({then} → {report.today})"
        elif row.account_id not in unread:  # a plan there too large to read is not new: it was not read
            report.new_accounts.append(row.account_id)
