"""The rules `kaplan check` runs, one function each, found through a registry.

A rule is a function that yields `Issue`s (a place in the plan's data and a message); it never
prints and never decides the exit code. Its docstring is its user documentation, shown by
`kaplan check --explain RULE`. File-level problems found while reading (syntax, encoding…) are
registered here too, for their documentation, with no function.
"""

from __future__ import annotations

import datetime as _dt
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..config import Config
from ..findings import Issue, Severity
from ..model import Plan


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan: the date, the config and the file it came from."""

    today: _dt.date
    config: Config
    path: Path | None = None
    portfolio: object | None = None
    """The `Portfolio` being checked (portfolio-wide rules read the rest of its plans through it)."""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str
    scope: str  # "file" (found while reading), "plan" or "portfolio"
    check: Callable | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id


REGISTRY: dict[str, Rule] = {}

PlanRule = Callable[[Plan, Context], Iterator[Issue]]


def rule(rule_id: str, severity: Severity = Severity.WARNING, scope: str = "plan"):
    """Register the decorated function as rule `rule_id`."""

    def register(func):
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(rule_id, severity, inspect.cleandoc(func.__doc__ or ""), scope, func)
        return func

    return register


def document(rule_id: str, severity: Severity, doc: str) -> None:
    """Register a file-level rule that the reader enforces, for its documentation."""
    REGISTRY[rule_id] = Rule(rule_id, severity, inspect.cleandoc(doc), "file")


def severity_of(rule_id: str, config: Config) -> Severity | None:
    """The severity a finding of `rule_id` has under `config`, or None when the rule is off."""
    level = config.rules.get(rule_id)
    if level == "off":
        return None
    if level is not None:
        return Severity(level)
    known = REGISTRY.get(rule_id)
    return known.severity if known else Severity.ERROR


_cache: list = [None, None, None]  # (plans, ctx, result): portfolio rules share one scoring


def scored_in_portfolio(plans, ctx: Context) -> list:
    """(loaded plan, AccountScore) for each valid checked plan, scored among the whole portfolio.

    Checking one file still places it among all the portfolio's plans, so tiers and health do not
    depend on which files were named on the command line.
    """
    if _cache[0] is plans and _cache[1] is ctx:
        return _cache[2]
    from ..loader import discover, load_plan
    from ..scoring.engine import score_plans

    checked = {lp.path.resolve(): lp for lp in plans if lp.plan is not None}
    everyone = dict(checked)
    if ctx.portfolio is not None and ctx.portfolio.plans_dir.is_dir():
        for path in discover(ctx.portfolio):
            if path.resolve() not in everyone:
                other = load_plan(path)
                if other.plan is not None:
                    everyone[path.resolve()] = other
    by_id = {}
    for a in score_plans([(lp, lp.plan) for lp in everyone.values()], ctx.config.scoring):
        by_id.setdefault(a.account_id, a)
    result = [(lp, by_id[lp.plan.account.id]) for lp in checked.values() if lp.plan.account.id in by_id]
    _cache[:] = [plans, ctx, result]
    return result


def plan_rules() -> list[Rule]:
    return [r for r in REGISTRY.values() if r.scope == "plan"]


def portfolio_rules() -> list[Rule]:
    return [r for r in REGISTRY.values() if r.scope == "portfolio"]


from . import alignment, customer, dates, file, portfolio, references, relationships, tiers, health  # noqa: E402,F401
