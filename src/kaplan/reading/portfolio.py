"""The one reading of a portfolio that every command starts from.

`read()` finds the plan files (a folder, named files, or the whole portfolio), takes each unchanged
one from the cache and reads the rest (in worker processes when there are many), and returns one
`PlanSummary` per file: its findings and the facts `check`, `score`, `risk` and `report` work from.
A command that needs a whole plan model (a pack, a comparison with git) loads it from the summary's
file with `Reading.loaded()`, so every command reads the same files the same way.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kaplan.config import Portfolio
    from kaplan.reading.loader import LoadedPlan
    from kaplan.reading.summary import PlanSummary


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


@dataclass
class Reading:
    """What was read: a summary per file asked for (`targets`) and per file of the portfolio
    (`everyone`, the same list unless only some files of it were named)."""

    portfolio: Portfolio
    today: _dt.date
    targets: list[PlanSummary]
    everyone: list[PlanSummary]
    _loaded: dict = field(default_factory=dict, repr=False)
    _kept: Path | None = field(default=None, repr=False)
    """The cache's folder for this portfolio's details (None without a cache)."""

    @functools.cached_property
    def valid(self) -> list[PlanSummary]:
        """The plans scores, risk and packs count (`PlanSummary.usable`)."""
        return [s for s in self.targets if s.usable]

    @functools.cached_property
    def invalid(self) -> list[PlanSummary]:
        """Plans with errors (`kaplan check` says which), left out of scores, risk and packs."""
        return [s for s in self.targets if not s.usable]

    @functools.cached_property
    def by_account(self) -> dict[str, PlanSummary]:
        """The counted plan of each account (`valid`: two plans that claim one account are neither)."""
        found: dict[str, PlanSummary] = {}
        for s in self.valid:
            found.setdefault(s.account_id, s)
        return found

    def tiers(self) -> list:
        """(summary, tier or None) of each plan of the whole portfolio that scoring counts, as
        `scoring.engine.tiers_of` places them. The cache keeps them with what they were worked out
        from (`scoring.engine.tier_inputs`), so a day whose plans score as the day before does not
        score the portfolio again."""
        from kaplan.scoring.engine import tier_inputs, tiers_of

        if self._kept is None:
            return tiers_of(self.everyone, self.portfolio.config)
        import marshal

        from kaplan.reading.cache import keep_tiers, kept_tiers
        from kaplan.reading.fingerprint import digest

        try:  # marshal's version 2 writes equal data as equal bytes (no references), and fast
            inputs = digest(marshal.dumps(tier_inputs(self.everyone), 2))
        except ValueError:  # a value marshal does not write: worked out as without a cache
            return tiers_of(self.everyone, self.portfolio.config)
        usable = [s for s in self.everyone if s.usable]
        known = self.portfolio.config.scoring.tiers
        kept = kept_tiers(self._kept, inputs, len(usable), len(known))
        if kept is not None:
            return [(s, None if k is None else known[k]) for s, k in zip(usable, kept)]
        placed = tiers_of(self.everyone, self.portfolio.config)
        at = {id(t): i for i, t in enumerate(known)}
        keep_tiers(self._kept, inputs, [None if t is None else at[id(t)] for _, t in placed])
        return placed

    def loaded(self, summary: PlanSummary) -> LoadedPlan:
        """The whole plan behind a valid summary, read from its file (once)."""
        from kaplan.reading.loader import load_plan

        if summary.path not in self._loaded:
            self._loaded[summary.path] = load_plan(Path(summary.path), summary.display)
        return self._loaded[summary.path]


def read(portfolio: Portfolio, paths: list[Path] = (), today: _dt.date | None = None, *,
         whole_portfolio: bool = False, cache: bool = True, jobs: int | None = None,
         progress: Callable[[int, int], None] | None = None) -> Reading:
    """Read the given plan files and folders (default: the portfolio's plans folder) on `today`.

    With `whole_portfolio` (what `kaplan check` needs for its portfolio-wide rules), every plan of
    the portfolio is read too, and a missing plans folder is not an error here; otherwise NoPlans
    is raised when there is nothing to read. A file that leads out of the portfolio through a link
    is never read: its summary holds the `outside-portfolio` finding.
    """
    from kaplan.reading.cache import SummaryCache
    from kaplan.reading.fingerprint import caching
    from kaplan.reading.kept import built_to_keep
    from kaplan.reading.parallel import PARALLEL_MIN, Workers, cores, hand_over, summarise_all
    from kaplan.reading.paths import absolute, display_paths, portfolio_files
    from kaplan.reading.summary import mark_shared

    paths = [Path(p) for p in paths]
    today = today or _dt.date.today()
    if whole_portfolio:
        if not paths and not portfolio.plans_dir.is_dir():
            raise NoPlans(portfolio)
        targets, everyone = portfolio_files(portfolio, paths, as_text=True)  # thousands of `Path`s cost
    else:
        targets = everyone = plan_files(portfolio, paths)
    cwd = os.getcwd()
    files = list(zip([absolute(p, cwd) for p in everyone], display_paths(everyone)))
    store = SummaryCache(portfolio.root, portfolio.config, today, load=False) if cache and caching() else None
    jobs = jobs or cores()
    workers = None
    handed: list[int] = []
    explicit = {str(p.absolute()) for p in paths}
    # (for named files, the index's count would be of the whole portfolio's)
    if jobs > 1 and (whole_portfolio or not paths) and \
            (len(files) if store is None else store.reads_expected(len(files))) >= PARALLEL_MIN:
        # many plans will be read: start the workers before the index fills this process's memory
        workers = Workers(files, portfolio.config, today, store.details_dir if store is not None else None, jobs)
        workers.start()
    try:
        if workers is not None and store is not None:
            # the plans the last run's entries say will be read again: the workers read them while this
            # process loads the index and looks up the rest
            handed = hand_over(workers, files, _expected(files, store.expected), portfolio.root, explicit)
        if store is not None:
            with built_to_keep():
                store.load()
    except BaseException:  # not yet handed to summarise_all, which stops them when it is done
        if workers is not None:
            workers.close()
        raise
    summaries = summarise_all(files, portfolio.config, today, cache=store, jobs=jobs, progress=progress,
                              root=portfolio.root, explicit=explicit, workers=workers, handed=handed)
    if store is not None:
        if whole_portfolio and not paths:
            store.keep_only({s.path for s in summaries})
        store.save()
    mark_shared(summaries)
    by_path = {s.path: s for s in summaries}
    chosen = summaries if targets is everyone else [by_path[absolute(p, cwd)] for p in targets]
    return Reading(portfolio, today, chosen, summaries, _kept=store.details_dir if store is not None else None)


def _expected(files: list[tuple[str, str]], paths: list[str]) -> list[int]:
    """The places in `files` of these paths, in order; a path that is not one of `files` is not read."""
    at = {path: i for i, (path, _) in enumerate(files)}
    return sorted({at[p] for p in paths if p in at})


def lazy_summaries(paths: list[Path], today: _dt.date, start: Path | None):
    """A function that reads the summaries of these files (through the cache) when called."""
    def read_them() -> list:
        from kaplan.reading.loader import open_portfolio

        return read(open_portfolio(start or (paths[0] if paths else None)), paths, today).targets

    return read_them
