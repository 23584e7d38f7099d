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

from kaplan.clock import Clock
from kaplan.config import Config
from kaplan.findings import Issue, Severity
from kaplan.model import Plan


class Context:
    """What a rule may know besides the plan: the date, the config and the file it came from.

    A plan rule asks `clock` whether its dates have passed (see `kaplan.clock`), so the check cache
    knows for which days its findings hold; reading `today` itself makes them hold for this day only.
    """

    __slots__ = ("clock", "config", "path", "portfolio", "placed")

    def __init__(self, today: _dt.date | Clock, config: Config, path: Path | None = None,
                 portfolio: object | None = None, placed: list | None = None):
        self.clock = Clock.of(today)
        self.config = config
        self.path = path
        self.portfolio = portfolio
        """The `Portfolio` being checked."""
        self.placed = placed
        """(plan summary, tier) of the plans the portfolio rules are given, as `tiers_in_portfolio`
        would work them out, when the caller has them already (None: worked out when asked)."""

    @property
    def today(self) -> _dt.date:
        return self.clock.today


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


def severity_of(rule_id: str, config: Config, path: str | None = None) -> Severity | None:
    """The severity a finding of `rule_id` in the file at `path` has under `config` (its `overrides`
    for that path, else its `rules`, else the rule's default), or None when the rule is off there."""
    level = config.rules.get(rule_id)
    if path is not None:
        for override in config.overrides:
            if rule_id in override.rules and override.applies_to(path):
                level = override.rules[rule_id]
    if level == "off":
        return None
    if level is not None:
        return Severity(level)
    known = REGISTRY.get(rule_id)
    return known.severity if known else Severity.ERROR


def floor(config: Config) -> tuple[Config, list[str]]:
    """`config` with every file-level rule (`syntax`, `schema`, `encoding`…) at least as severe as its
    default, in `rules` and in every entry of `overrides`; and the ids of the rules whose lower
    setting in `kaplan.yaml` was set aside.

    This is `kaplan check --rules-floor`: `kaplan.yaml` lives in the repository it checks, so a pull
    request that changes it can switch off the very rules that would catch a broken plan. CI passes
    the flag, and the file-level rules then hold whatever the pull request says.
    """
    lowered: list[str] = []
    rules_kept = _floored(config.rules, lowered)
    overrides = [o.model_copy(update={"rules": _floored(o.rules, lowered)}) for o in config.overrides]
    if not lowered:
        return config, []
    return config.model_copy(update={"rules": rules_kept, "overrides": overrides}), list(dict.fromkeys(lowered))


def _floored(levels: dict[str, str], lowered: list[str]) -> dict[str, str]:
    """`levels` without the settings that put a file-level rule below its default (noted in `lowered`)."""
    order = [Severity.WARNING, Severity.ERROR]
    kept = {}
    for rule_id, level in levels.items():
        known = REGISTRY.get(rule_id)
        if known is not None and known.scope == "file" and (
                level == "off" or order.index(Severity(level)) < order.index(known.severity)):
            lowered.append(rule_id)
        else:
            kept[rule_id] = level
    return kept


_cache: list = [None, None, None]  # (summaries, ctx, result): portfolio rules share one scoring


def tiers_in_portfolio(summaries, ctx: Context) -> list:
    """(plan summary, tier or None) for every plan of the portfolio that scoring counts, scored
    together as `score` and `risk` score them (`scoring.engine.tiers_of`), so a plan's tier is the
    one they give it.

    Portfolio rules receive the summaries of the whole portfolio (see `checker.check`), so tiers do
    not depend on which files were named on the command line.
    """
    if ctx.placed is not None:
        return ctx.placed
    if _cache[0] is summaries and _cache[1] is ctx:
        return _cache[2]
    from kaplan.scoring.engine import tiers_of

    result = tiers_of(summaries, ctx.config)
    _cache[:] = [summaries, ctx, result]
    return result


def unsilenceable() -> set[str]:
    """Rules no `# kaplan: disable` comment can silence: the file-level ones, and those `suppressions`
    protects (a duplicate account, a file named for another account)."""
    from kaplan.suppressions import PROTECTED

    return {r.id for r in REGISTRY.values() if r.scope == "file"} | PROTECTED


PORTFOLIO_PLACES: tuple[tuple[tuple, bool], ...] = (
    (("plan",), False), (("plan",), True), (("plan", "last_reviewed"), False), (("plan", "review_cadence"), False),
    (("relationships",), False), (("account", "id"), False), (("financials", "currency"), False))
"""Where portfolio-wide rules point in a plan (path, and whether at its key): located when the plan is
read, so their findings need no second read of the file. A place not listed is still found, by one."""


def plan_rules() -> list[Rule]:
    return [r for r in REGISTRY.values() if r.scope == "plan"]


def portfolio_rules() -> list[Rule]:
    return [r for r in REGISTRY.values() if r.scope == "portfolio"]


from kaplan.rules import alignment, customer, dates, file, promises, references, relationships, review, tiers, health  # noqa: E402,F401
from kaplan.rules import portfolio as _portfolio_rules  # noqa: E402,F401
from kaplan.rules import whitespace  # noqa: E402,F401
from kaplan.rules import suppression  # noqa: E402,F401


def listing(config: Config) -> list[dict]:
    """Every rule with its default severity and the one in force under `config` (`off` included),
    and the per-path `overrides` that change it: what `kaplan check --list-rules` shows."""
    out = []
    for r in sorted(REGISTRY.values(), key=lambda r: r.id):
        in_force = severity_of(r.id, config)
        out.append({
            "id": r.id, "default": r.severity.value, "severity": in_force.value if in_force else "off",
            "scope": r.scope, "summary": r.summary,
            "overrides": [{"files": list(o.files), "severity": o.rules[r.id]}
                          for o in config.overrides if r.id in o.rules],
        })
    return out
