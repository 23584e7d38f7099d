"""`kaplan check` as a library call: load the plans, run every rule, return the findings.

Nothing here prints. The result says how many files were read, what was found, and which exit code
that means; reporters turn it into text, JSON or CI annotations.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import rules
from .config import Portfolio
from .findings import Finding, Severity
from .loader import LoadedPlan, discover, load_plan, open_portfolio


class NoPlans(Exception):
    """The portfolio's plans folder does not exist (a usage error: wrong folder, or no plans yet)."""

    def __init__(self, portfolio: Portfolio):
        where = f"{portfolio.config_path.name} says `plans: {portfolio.config.plans}`" if portfolio.config_path \
            else "no kaplan.yaml found, so plans are looked for in `plans/`"
        super().__init__(f"there is no plans folder at {portfolio.plans_dir} ({where}); "
                         "run `kaplan new ACCOUNT` to start one, or name the files to check")


@dataclass
class CheckResult:
    files: int
    findings: list[Finding]
    plans: list[LoadedPlan] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when there are errors (or any finding under `strict`)."""
        return 1 if self.errors or (strict and self.findings) else 0


def check(paths: Iterable[Path | str] = (), *, today: _dt.date | None = None,
          portfolio: Portfolio | None = None, start: Path | None = None,
          progress: Callable[[int, int], None] | None = None) -> CheckResult:
    """Check the given plan files and folders (default: the portfolio's plans folder).

    The portfolio (its `kaplan.yaml`) is found from `start`, or from the first path given, or from
    the working folder. Raises `loader.ConfigError` when `kaplan.yaml` is invalid. `progress`, when
    given, is called as `progress(files_read, files_total)` after each file is read.
    """
    paths = [Path(p) for p in paths]
    if portfolio is None:
        portfolio = open_portfolio(start or (paths[0] if paths else None))
    today = today or _dt.date.today()
    if not paths and not portfolio.plans_dir.is_dir():
        raise NoPlans(portfolio)
    found = discover(portfolio, paths)
    loaded = []
    for p in found:
        loaded.append(load_plan(p))
        if progress is not None:
            progress(len(loaded), len(found))
    return check_loaded(loaded, portfolio, today)


def check_loaded(loaded: list[LoadedPlan], portfolio: Portfolio, today: _dt.date) -> CheckResult:
    """Run the rules over plans that are already loaded."""
    config = portfolio.config
    findings: list[Finding] = []
    for lp in loaded:
        findings.extend(_with_severity(lp.findings, config))
        if lp.plan is None:
            continue
        ctx = rules.Context(today=today, config=config, path=lp.path)
        issues = []
        for r in rules.plan_rules():
            severity = rules.severity_of(r.id, config)
            if severity is not None:
                issues.extend((r.id, severity, issue) for issue in r.check(lp.plan, ctx))
        findings.extend(_locate_all(lp, issues))
    ctx = rules.Context(today=today, config=config, portfolio=portfolio)
    by_plan: dict[int, tuple[LoadedPlan, list]] = {}
    for r in rules.portfolio_rules():
        severity = rules.severity_of(r.id, config)
        if severity is None:
            continue
        for lp, issue in r.check(loaded, ctx):
            by_plan.setdefault(id(lp), (lp, []))[1].append((r.id, severity, issue))
    for lp, issues in by_plan.values():
        findings.extend(_locate_all(lp, issues))
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return CheckResult(files=len(loaded), findings=findings, plans=loaded)


def _locate_all(lp: LoadedPlan, issues: list) -> list[Finding]:
    """Findings for a plan's issues, its positions read in one pass."""
    if not issues:
        return []
    lp.locate_all(issue.at for _, _, issue in issues)
    out = []
    for rule_id, severity, issue in issues:
        line, column = lp.locate(issue.at, key=issue.key)
        out.append(Finding(lp.display, line, column, rule_id, severity, issue.message, issue.hint))
    return out


def _with_severity(found: list[Finding], config) -> list[Finding]:
    out = []
    for f in found:
        severity = rules.severity_of(f.rule, config)
        if severity is not None:
            out.append(f if severity is f.severity else Finding(
                f.path, f.line, f.column, f.rule, severity, f.message, f.hint))
    return out
