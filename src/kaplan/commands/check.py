"""`kaplan check` as a library call: load the plans, run every rule, return the findings.

Nothing here prints. The result says how many files were read, what was found, and which exit code
that means; reporters turn it into text, JSON or CI annotations.

An unchanged portfolio is answered from the last check's record (`_quick`) before anything heavy is
imported; this module imports the reader, the models and the rules only when it has to read plans.
"""

from __future__ import annotations

import datetime as _dt
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kaplan.findings import Finding, Severity

if TYPE_CHECKING:
    from kaplan.reading.summary import PlanSummary
    from kaplan.config import Portfolio


class NoPlans(Exception):
    """There are no plans to read: the plans folder does not exist, or (for `score`, `risk` and
    `report`, which have nothing to answer without plans) it or the named folders hold none.
    A usage error: wrong folder, or no plans yet."""

    def __init__(self, portfolio: Portfolio, paths: list | None = None):
        if paths:
            super().__init__(f"no plan files in {', '.join(str(p) for p in paths)}; name plan files or "
                             "folders that hold them")
            return
        where = f"{portfolio.config_path.name} says `plans: {portfolio.config.plans}`" if portfolio.config_path \
            else "no kaplan.yaml found, so plans are looked for in `plans/`"
        what = "are no plans in" if portfolio.plans_dir.is_dir() else "is no plans folder at"
        super().__init__(f"there {what} {portfolio.plans_dir} ({where}); "
                         "run `kaplan new ACCOUNT` to start one, or name the files to check")


def plan_files(portfolio: Portfolio, paths: list) -> list[Path]:
    """The plan files `score`, `risk` and `report` read; NoPlans when there are none."""
    from kaplan.reading.paths import discover

    files = discover(portfolio, paths) if paths or portfolio.plans_dir.is_dir() else []
    if not files:
        raise NoPlans(portfolio, paths)
    return files


class CheckResult:
    """What a check found: `files` checked, their `findings` (sorted by file, line, column, rule)."""

    def __init__(self, files: int, findings: list[Finding], plans: list | Callable[[], list] | None = None,
                 portfolio_findings: list[Finding] | None = None):
        self.files = files
        self.findings = findings
        self.portfolio_findings = portfolio_findings or []
        """The findings of the portfolio-wide rules (also in `findings`)."""
        self._plans = plans if plans is not None else []

    @classmethod
    def of(cls, files: int, plan_findings: list[Finding], portfolio_findings: list[Finding],
           plans: list | Callable[[], list]) -> CheckResult:
        findings = plan_findings + portfolio_findings
        findings.sort(key=_ORDER)  # stable: a plan's own findings before the portfolio's at one place
        return cls(files, findings, plans, portfolio_findings)

    @property
    def plans(self) -> list[PlanSummary]:
        """What was read of each checked file (display name, account id, ...); when the answer came
        from the last check's record, they are read (from the cache) on first use."""
        if callable(self._plans):
            self._plans = self._plans()
        return self._plans

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when there are errors (or any finding under `strict`)."""
        return 1 if self.errors or (strict and self.findings) else 0

    def __repr__(self) -> str:
        return f"CheckResult(files={self.files}, errors={self.errors}, warnings={self.warnings})"


_ORDER = attrgetter("path", "line", "column", "rule")


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

    from kaplan.reading.cache import SummaryCache
    from kaplan.reading.paths import display_path, portfolio_files
    from kaplan.reading.parallel import summarise_all
    from kaplan.reading.loader import open_portfolio

    if portfolio is None:
        portfolio = open_portfolio(start or (paths[0] if paths else None))
    if not paths and not portfolio.plans_dir.is_dir():
        raise NoPlans(portfolio)
    targets, everyone = portfolio_files(portfolio, paths)
    files = [(p.absolute(), display_path(p)) for p in everyone]
    store = SummaryCache(portfolio.root, portfolio.config, today, folder) if cache else None
    summaries = summarise_all(files, portfolio.config, today, cache=store, jobs=jobs, progress=progress,
                              root=portfolio.root, explicit={str(p.absolute()) for p in paths})
    by_path = {s.path: s for s in summaries}
    chosen = [by_path[str(p.absolute())] for p in targets]
    # With a cache, the portfolio-wide findings of every plan are located, so the record below can
    # answer the next check of any file; without one, only those of the files checked.
    located = _portfolio_findings(summaries, chosen if store is None else summaries, portfolio, today)
    own, located = _suppressed(chosen if store is None else summaries, located, portfolio.config)
    wanted = {id(s) for s in chosen}
    if store is not None:
        if not paths:
            store.keep_only({s.path for s in summaries})
        store.save()
        if identity is not None and identity[0] == portfolio.root:
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
    from kaplan.suppressions import PROTECTED, RULE_ID, apply

    known = set(rules.REGISTRY)
    unsilenceable = {r.id for r in rules.REGISTRY.values() if r.scope == "file"} | PROTECTED
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
                        today: _dt.date) -> list[tuple[PlanSummary, Finding]]:
    """(plan, finding) for what the portfolio-wide rules find in the target plans, in rule order."""
    from kaplan import rules
    from kaplan.reading.summary import locate_in_file

    config = portfolio.config
    wanted = {id(s) for s in targets}
    ctx = rules.Context(today=today, config=config, portfolio=portfolio)
    valid = [s for s in everyone if s.valid]
    raised: list[tuple[PlanSummary, tuple]] = []
    for r in rules.portfolio_rules():
        if rules.severity_of(r.id, config) is None and not config.overrides:
            continue
        for s, issue in r.check(valid, ctx):
            severity = rules.severity_of(r.id, config, s.path) if id(s) in wanted else None
            if severity is not None:
                raised.append((s, (r.id, severity, issue)))
    by_plan: dict[int, list] = {}
    for s, triple in raised:
        by_plan.setdefault(id(s), []).append(triple)
    plans = {id(s): s for s, _ in raised}
    located = {key: iter(locate_in_file(Path(plans[key].path), plans[key].display, issues))
               for key, issues in by_plan.items()}
    return [(s, next(located[id(s)])) for s, _ in raised]


def lazy_plans(paths: list[Path], today: _dt.date, start: Path | None):
    """A function that reads the summaries of the checked files (through the cache) when called."""
    def read() -> list:
        from kaplan.reading.loader import open_portfolio
        from kaplan.commands.score import read_summaries

        return read_summaries(open_portfolio(start or (paths[0] if paths else None)), paths, today)

    return read
