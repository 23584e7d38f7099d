"""`kaplan check` as a library call: load the plans, run every rule, return the findings.

Nothing here prints. The result says how many files were read, what was found, and which exit code
that means; reporters turn it into text, JSON or CI annotations.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import rules
from ._cache import SummaryCache
from ._cache import digest as _digest
from ._reading import digests, summarise_all
from ._summary import PlanSummary, locate_issues
from .config import Portfolio
from .findings import Finding, Severity
from .loader import discover, display_path, load_plan, open_portfolio


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
    plans: list[PlanSummary] = field(default_factory=list, repr=False)
    """What was read of each checked file (display name, account id, ...)."""
    portfolio_findings: list[Finding] = field(default_factory=list, repr=False)
    """The findings of the portfolio-wide rules (also in `findings`)."""

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
          progress: Callable[[int, int], None] | None = None, cache: bool = True,
          jobs: int | None = None) -> CheckResult:
    """Check the given plan files and folders (default: the portfolio's plans folder).

    The portfolio (its `kaplan.yaml`) is found from `start`, or from the first path given, or from
    the working folder. Raises `loader.ConfigError` when `kaplan.yaml` is invalid. `progress`, when
    given, is called as `progress(files_read, files_total)`. Portfolio-wide rules (tiers, duplicate
    accounts) always see the whole portfolio, even when only some files are checked. Unchanged files
    are taken from the cache (see `_cache`) unless `cache` is false; `jobs` caps worker processes.
    """
    paths = [Path(p) for p in paths]
    if portfolio is None:
        portfolio = open_portfolio(start or (paths[0] if paths else None))
    today = today or _dt.date.today()
    if not paths and not portfolio.plans_dir.is_dir():
        raise NoPlans(portfolio)
    targets = discover(portfolio, paths)
    everyone = list(targets)
    if paths and portfolio.plans_dir.is_dir() and rules.portfolio_rules():
        seen = {str(p.absolute()) for p in targets}
        everyone += [p for p in discover(portfolio) if str(p.absolute()) not in seen]
    cwd = Path.cwd()
    files = [(p if p.is_absolute() else cwd / p, display_path(p)) for p in everyone]
    store = SummaryCache(portfolio.root, portfolio.config, today) if cache else None
    named = set(paths)
    explicit = {str(path) for (path, _), given in zip(files, everyone) if given in named}
    summaries = summarise_all(files, portfolio.config, today, cache=store, jobs=jobs, progress=progress,
                              root=portfolio.root, explicit=explicit)
    targets_n = len(targets)
    result = None
    if store is not None:
        if not paths:
            store.keep_only({str(path) for path, _ in files})
        hashes = digests(files, store)
        key = None if None in hashes else _digest(json.dumps([targets_n, [[str(p), h] for (p, _), h in
                                                                         zip(files, hashes)]]).encode())
        cached = store.portfolio_result(key) if key else None
        if cached is not None:
            result = _result(summaries[:targets_n], _findings_from_json(cached, summaries))
        else:
            result = check_summaries(summaries[:targets_n], summaries, portfolio, today)
            if key:
                store.set_portfolio_result(key, _findings_to_json(result.portfolio_findings, summaries))
        store.save()
    return result or check_summaries(summaries[:targets_n], summaries, portfolio, today)


def _findings_to_json(found: list[Finding], summaries: list[PlanSummary]) -> list:
    index = {s.display: i for i, s in enumerate(summaries)}
    return [[index[f.path], f.line, f.column, f.rule, f.severity.value, f.message, f.hint] for f in found]


def _findings_from_json(data: list, summaries: list[PlanSummary]) -> list[Finding]:
    return [Finding(summaries[i].display, line, col, rule, Severity(sev), msg, hint)
            for i, line, col, rule, sev, msg, hint in data]


def _result(targets: list[PlanSummary], portfolio_findings: list[Finding]) -> CheckResult:
    findings = [f for s in targets for f in s.findings] + portfolio_findings
    findings.sort(key=_order)
    result = CheckResult(files=len(targets), findings=findings, plans=targets)
    result.portfolio_findings = portfolio_findings
    return result


def _order(f: Finding) -> tuple:
    return (f.path, f.line, f.column, f.rule)


def check_summaries(targets: list[PlanSummary], everyone: list[PlanSummary], portfolio: Portfolio,
                    today: _dt.date) -> CheckResult:
    """Findings for the target plans: their own, and those of the portfolio-wide rules."""
    config = portfolio.config
    portfolio_findings: list[Finding] = []
    wanted = {id(s) for s in targets}
    ctx = rules.Context(today=today, config=config, portfolio=portfolio)
    by_plan: dict[int, tuple[PlanSummary, list]] = {}
    valid = [s for s in everyone if s.valid]
    for r in rules.portfolio_rules():
        severity = rules.severity_of(r.id, config)
        if severity is None:
            continue
        for summary, issue in r.check(valid, ctx):
            if id(summary) in wanted:
                by_plan.setdefault(id(summary), (summary, []))[1].append((r.id, severity, issue))
    for summary, issues in by_plan.values():
        lp = load_plan(Path(summary.path), summary.display)
        portfolio_findings.extend(locate_issues(lp, issues))
    return _result(targets, portfolio_findings)
