"""`kaplan check` as a library call: load the plans, run every rule, return the findings.

Nothing here prints. The result says how many files were read, what was found, and which exit code
that means; reporters turn it into text, JSON or CI annotations.

An unchanged portfolio is answered from the last check's record (`_quick`) before anything heavy is
imported; this module imports the reader, the models and the rules only when it has to read plans.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kaplan.findings import CheckResult, Finding, Severity  # noqa: F401 (CheckResult re-exported)
from kaplan.reading.portfolio import NoPlans, plan_files  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from kaplan.reading.summary import PlanSummary
    from kaplan.config import Portfolio


def check(paths: Iterable[Path | str] = (), *, today: _dt.date | None = None,
          portfolio: Portfolio | None = None, start: Path | None = None,
          progress: Callable[[int, int], None] | None = None, cache: bool = True,
          jobs: int | None = None) -> CheckResult:
    """Check the given plan files and folders (default: the portfolio's plans folder).

    The portfolio (its `kaplan.yaml`) is found from `start`, or from the first path given, or from
    the working folder. Raises `loader.ConfigError` when `kaplan.yaml` is invalid. `progress`, when
    given, is called as `progress(files_read, files_total)`. Portfolio-wide rules (tiers, duplicate
    accounts) always see the whole portfolio, even when only some files are checked. Unchanged files
    are taken from the cache (see `_cache`, `_quick`) unless `cache` is false; `jobs` caps worker processes.
    """
    from kaplan.reading import quick as _quick
    from kaplan.reading.fingerprint import cache_dir, caching

    cache = cache and caching()
    paths = [Path(p) for p in paths]
    today = today or _dt.date.today()
    folder = cache_dir()
    identity = None
    if cache and portfolio is None:
        answer = _quick.answer(paths, today, start, folder)
        if answer is not None:
            return answer
        identity = _quick.config_identity(start or (paths[0] if paths else None))  # before it is read

    from kaplan.reading.loader import open_portfolio
    from kaplan.reading.portfolio import read

    if portfolio is None:
        portfolio = open_portfolio(start or (paths[0] if paths else None))
    reading = read(portfolio, paths, today, whole_portfolio=True, cache=cache, jobs=jobs, progress=progress)
    chosen, summaries = reading.targets, reading.everyone
    # With a cache, the portfolio-wide findings of every plan are located, so the record below can
    # answer the next check of any file; without one, only those of the files checked.
    located = _portfolio_findings(summaries, summaries if cache else chosen, portfolio, today, reading.tiers())
    own, located = _suppressed(summaries if cache else chosen, located, portfolio.config)
    wanted = {id(s) for s in chosen}
    if cache and identity is not None and identity[0] == portfolio.root:
        _quick.remember(folder, portfolio.root, identity[1], identity[2], portfolio.config.plans, today,
                        summaries, located, own)
    return CheckResult.of(len(chosen), [f for s in chosen for f in own[id(s)]],
                          [f for s, f in located if id(s) in wanted], plans=chosen)


def check_text(data: bytes, name: str | None = None, *, today: _dt.date | None = None,
               portfolio: Portfolio | None = None, start: Path | None = None) -> CheckResult:
    """Check one plan given as bytes (an editor's unsaved buffer, `kaplan check -`) as the file `name`
    (default: reported as `<stdin>`, and its file name not compared with its account id).

    The plan gets the file-level and plan rules, with the severities and suppression comments that
    apply to a file of that name in the portfolio around `start` (default: the working folder); the
    portfolio-wide rules, which compare it with the plans on disk, are not run. Raises
    `loader.ConfigError` when `kaplan.yaml` is invalid.
    """
    from kaplan.reading.summary import summarise
    from kaplan.reading.loader import open_portfolio

    today = today or _dt.date.today()
    portfolio = portfolio or open_portfolio(start)
    display = name or "<stdin>"
    path = Path(display) if Path(display).is_absolute() else Path.cwd() / display
    summary = summarise(path, display, portfolio.config, today, data=data)
    if name is None:
        summary.findings = [f for f in summary.findings if f.rule != "filename-mismatch"]
    own, _ = _suppressed([summary], [], portfolio.config)
    return CheckResult.of(1, own[id(summary)], [], plans=[summary])


def check_summaries(targets: list[PlanSummary], everyone: list[PlanSummary], portfolio: Portfolio,
                    today: _dt.date) -> CheckResult:
    """Findings for the target plans: their own, and those of the portfolio-wide rules."""
    located = _portfolio_findings(everyone, targets, portfolio, today)
    own, located = _suppressed(targets, located, portfolio.config)
    return CheckResult.of(len(targets), [f for s in targets for f in own[id(s)]], [f for _, f in located],
                          plans=targets)


def _suppressed(summaries: list[PlanSummary], located: list[tuple[PlanSummary, Finding]], config):
    """Each plan's own findings (by `id(summary)`) and the portfolio's (plan, finding) pairs, less
    what the plan's `# kaplan: disable…` comments silence, plus a finding for each comment that
    silences nothing (see `suppressions`)."""
    own = {id(s): s.findings for s in summaries}
    if not any(s.suppressions for s in summaries):
        return own, located
    from kaplan import rules
    from kaplan.suppressions import RULE_ID, apply

    known = set(rules.REGISTRY)
    unsilenceable = rules.unsilenceable()
    theirs: dict[int, list[Finding]] = {}
    for s, f in located:
        theirs.setdefault(id(s), []).append(f)
    keep: set[int] = set()
    for s in summaries:
        if not s.suppressions:
            continue
        mine = s.findings
        kept = apply(mine + theirs.get(id(s), []), s.suppressions, s.display, known=known,
                     unsilenceable=unsilenceable, severity=rules.severity_of(RULE_ID, config, s.path))
        ids = {id(f) for f in kept}
        keep |= ids
        own[id(s)] = [f for f in kept if id(f) in ids and (f.rule == RULE_ID or any(f is m for m in mine))]
    return own, [(s, f) for s, f in located if not s.suppressions or id(f) in keep]


def _portfolio_findings(everyone: list[PlanSummary], targets: list[PlanSummary], portfolio: Portfolio,
                        today: _dt.date, placed: list | None = None) -> list[tuple[PlanSummary, Finding]]:
    """(plan, finding) for what the portfolio-wide rules find in the target plans, in rule order;
    `placed` is each plan of `everyone` with its tier, when known (`Reading.tiers`)."""
    from kaplan import rules
    from kaplan.reading.summary import locate_in_file

    config = portfolio.config
    wanted = {id(s) for s in targets}
    ctx = rules.Context(today=today, config=config, portfolio=portfolio, placed=placed)
    valid = [s for s in everyone if s.valid]
    raised: list[tuple[PlanSummary, tuple]] = []
    for r in rules.portfolio_rules():
        if rules.severity_of(r.id, config) is None and not config.overrides:
            continue
        for s, issue in r.check(valid, ctx):
            severity = rules.severity_of(r.id, config, s.path) if id(s) in wanted else None
            if severity is not None:
                raised.append((s, (r.id, severity, issue)))
    # most point where the plan's reading already located (`PlanSummary.place`); the rest are
    # located by reading their files again, each once
    by_plan: dict[int, list] = {}
    for s, (rule_id, severity, issue) in raised:
        if s.place(issue.at, issue.key) is None:
            by_plan.setdefault(id(s), []).append((rule_id, severity, issue))
    plans = {id(s): s for s, _ in raised}
    located = {key: iter(locate_in_file(Path(plans[key].path), plans[key].display, issues))
               for key, issues in by_plan.items()}
    out = []
    for s, (rule_id, severity, issue) in raised:
        at = s.place(issue.at, issue.key)
        out.append((s, next(located[id(s)]) if at is None else
                    Finding(s.display, at[0], at[1], rule_id, severity, issue.message, issue.hint)))
    return out
