"""Reading many plans into summaries: from the cache when a file is unchanged, else in parallel.

Plans are independent until the portfolio-wide rules run, so a large portfolio is read by one
worker process per core (forked, so nothing is imported twice); a small one in this process, where
starting workers would cost more than it saves.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from kaplan.reading.cache import Encoded, SummaryCache, entry_core, write_details
from kaplan.reading.kept import built_to_keep
from kaplan.reading.fingerprint import digest, file_clock, read_file, settled
from kaplan.reading.summary import PlanSummary, longer, summarise
from kaplan.config import Config

PARALLEL_MIN = 200
"""Fewest plans to read before worker processes pay for themselves."""

_job: tuple | None = None  # (config, today) in a worker
_STARTER: int | None = None
"""In a forked worker: the process that started it (`Workers.start`)."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _init(config: Config, today: _dt.date, details_dir: Path | None) -> None:
    global _job
    _job = (config, today, details_dir)
    # a worker reads plans, which makes garbage of its own: it collects, whatever the process that
    # forked it was doing (`kept.built_to_keep` pauses the collector where the pool may be started)
    gc.enable()
    # Ctrl-C reaches every process of the terminal's group: the one that started the workers says so,
    # once; a worker ends at once, without a traceback of its own (and never waits to be stopped).
    # Where kaplan was started with SIGINT ignored (a background job of a script), so are its workers.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _end_quietly)
    _end_with_parent()


def _end_quietly(signum, frame) -> None:
    os._exit(128 + signum)


def _end_with_parent() -> None:
    """Have the kernel end this worker when the process that started it ends, however it ends (a
    SIGTERM from `timeout` or a cancelled CI job gives it no time to stop its workers), where the
    system can (Linux); elsewhere the pool ends them when it is shut down."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # a Python built without ctypes, a libc without prctl: as elsewhere
        return
    if os.getppid() != _STARTER:  # it ended before that was set
        os._exit(1)


def read_and_summarise(path: Path | str, display: str, config: Config, today: _dt.date) -> PlanSummary:
    """Summarise a plan from the bytes read once, with their content hash and stat signature (for the
    cache); a file that is not a regular file of a readable size is left to the reader to report."""
    data, st = read_file(str(path))
    path = Path(path)
    if data is None:
        return summarise(path, display, config, today)
    summary = summarise(path, display, config, today, data=data)
    summary.digest, summary.signature = digest(data), settled(st, file_clock())
    return summary


def _work(chunk: list[tuple[str, str]]) -> tuple[list[PlanSummary], str | None, list[Encoded | None]]:
    """Summarise a chunk of plans in a worker; write their cache details (one shard) here, not in the
    parent, and each one's cache entry core as JSON (what the parent keeps in the index: written by
    the workers at once, not by the parent after them)."""
    config, today, details_dir = _job
    out, details, cores = [], {}, []
    for p, d in chunk:
        summary = read_and_summarise(Path(p), d, config, today)
        kept = details_dir is not None and summary.digest is not None  # with a cache, a plan read is kept
        cores.append(entry_core(summary) if kept else None)
        if summary.valid:
            data = summary.details_json()  # plain data pickles faster than objects
            summary._details = functools.partial(PlanSummary.details_from_json, data, today)
            if details_dir is not None and summary.digest:
                details[summary.digest] = longer(details.get(summary.digest), data)
        out.append(summary)
    shard = None
    if details:
        try:
            shard = write_details(details_dir, details)
        except OSError:
            shard = None
    if shard is not None:  # the parent reads them from the shard if it ever needs them
        for summary in out:
            if summary.digest in details:
                summary._details = summary.details_ahead = None
    return out, shard, cores


def summarise_all(files: list[tuple[Path | str, str]], config: Config, today: _dt.date, *,
                  cache: SummaryCache | None = None, jobs: int | None = None,
                  progress: Callable[[int, int], None] | None = None, root: Path | None = None,
                  explicit: set[str] = frozenset(), workers: Workers | None = None,
                  handed: list[int] = ()) -> list[PlanSummary]:
    """A summary for each (path, display name), in order.

    With `root`, a file that leads out of the portfolio through a symbolic link is not read: its
    summary holds the `outside-portfolio` finding. `explicit` names the paths given on the command
    line, which are always checked for that (walked files only when they are links). `workers`, when
    given, are the worker processes for these files (`Workers`, maybe started already); they are
    stopped here. The files at the places `handed` were handed to them already (`hand_over`).
    """
    from kaplan.reading.summary import with_severity
    from kaplan.reading.loader import contained

    total = len(files)
    out: list[PlanSummary | None] = [None] * total
    misses: list[int] = []
    jobs = jobs or cores()
    if workers is None and jobs > 1:
        workers = Workers(files, config, today, cache.details_dir if cache is not None else None, jobs)
    waiting = 0  # misses not yet handed to the workers
    if handed:
        misses.extend(handed)
        handed = set(handed)
    try:
        with built_to_keep():  # the summaries the cache holds, kept to the end
            for i, (path, display) in enumerate(files):
                if i in handed:
                    continue
                if root is not None:
                    refused = contained(path, root, display, explicit=str(path) in explicit)
                    if refused is not None:
                        out[i] = PlanSummary(str(path), display, findings=with_severity([refused], config, str(path)))
                        continue
                if cache is not None:
                    hit = cache.lookup(path, display, _rereader(path, display, config, today))
                    if hit is not None:
                        out[i] = hit
                        continue
                misses.append(i)
                waiting += 1
                # enough to read to pay for workers: they start on them while the rest are looked up
                if workers is not None and len(misses) >= PARALLEL_MIN and \
                        waiting >= streamed(total - i - 1, jobs):
                    workers.read(misses[-waiting:])
                    waiting = 0
        done = total - len(misses)
        if progress is not None and done:
            progress(done, total)
        shards: dict[int, str | None] = {}
        written_cores: dict[int, Encoded | None] = {}
        if workers is not None and (workers.busy or len(misses) >= PARALLEL_MIN):
            workers.read_all(misses[len(misses) - waiting:])
            for chunk, summaries, shard, written in workers.results():
                for i, s, core in zip(chunk, summaries, written):
                    out[i] = s
                    shards[i] = shard
                    written_cores[i] = core
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        else:
            for i in misses:
                out[i] = read_and_summarise(files[i][0], files[i][1], config, today)
                done += 1
                if progress is not None:
                    progress(done, total)
    finally:
        if workers is not None:
            workers.close()
    if cache is not None:  # kept once the workers have ended: what the parent keeps then never adds to theirs
        for i in misses:
            _keep(cache, out[i], shards.get(i), files[i], config, today, written_cores.get(i))
    return out  # type: ignore[return-value]


def _keep(cache: SummaryCache, summary: PlanSummary, shard: str | None, file: tuple[Path | str, str],
          config: Config, today: _dt.date, core: Encoded | None = None) -> None:
    """Keep a summary read afresh in the cache; details a worker wrote into `shard` are read from there,
    and `core` is its entry's core as the worker wrote it."""
    cache.put(summary, shard=shard, core=core)
    if summary._details is None and summary.valid and shard:
        summary._details = cache.details_reader(summary.digest, shard, _rereader(file[0], file[1], config, today))


def hand_over(workers: Workers, files: list[tuple[Path | str, str]], places: list[int], root: Path | None,
              explicit: set[str] = frozenset()) -> list[int]:
    """Hand the files at `places` (known to be read again) to the workers at once, in chunks that keep
    each of them busy to the end; return the places handed. A file that leads out of the portfolio
    (`root`) is not: `summarise_all` says so."""
    from kaplan.reading.loader import contained

    ready = [i for i in places if root is None or
             contained(files[i][0], root, files[i][1], explicit=str(files[i][0]) in explicit) is None]
    workers.read_all(ready)
    return ready


STREAMED = 256
"""Plans handed to a worker at a time while the others are still being looked up in the cache."""


def streamed(left: int, jobs: int) -> int:
    """How many plans make the next chunk handed over while `left` files are still to be looked up:
    `STREAMED`, and fewer towards the end, so that the workers finish together (while one reads the
    last chunk, the others wait: a whole `STREAMED` chunk kept a core idle for a third of a second)."""
    return min(STREAMED, max(16, left // (2 * jobs)))


def _ready() -> None:
    """What a worker is first handed: nothing, so that it starts."""


class Workers:
    """Worker processes that read chunks of plans (of `files`, by index), started with the first chunk
    handed to them, or before (`start`) when many plans are known to be read: a worker forked before
    the cache's index is loaded does not hold a copy of it (however much of it is shared at first,
    the pages a process touches become its own)."""

    def __init__(self, files: list[tuple[Path, str]], config: Config, today: _dt.date, details_dir: Path | None,
                 jobs: int):
        self._files, self._args, self._jobs = files, (config, today, details_dir), jobs
        self._pool: ProcessPoolExecutor | None = None
        self._sent: list[tuple[list[int], object]] = []

    @property
    def busy(self) -> bool:
        """Whether a chunk was handed over."""
        return bool(self._sent)

    def start(self) -> None:
        """Fork the workers now (they wait for their first chunk)."""
        if self._pool is None:
            global _STARTER
            _STARTER = os.getpid()
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
            self._pool = ProcessPoolExecutor(max_workers=self._jobs, mp_context=multiprocessing.get_context(method),
                                             initializer=_init, initargs=self._args)
            self._pool.submit(_ready)  # a pool forks its workers on its first task

    def read(self, chunk: list[int]) -> None:
        self.start()
        work = [(str(self._files[i][0]), self._files[i][1]) for i in chunk]
        try:
            future = self._pool.submit(_work, work)
        except BrokenProcessPool:  # a worker died already: `results` reads the chunk here
            future = None
        self._sent.append((chunk, future))

    def read_all(self, chunk: list[int]) -> None:
        """Hand these over in chunks: when they are the first, small ones that keep every worker busy to
        the end; after others, one share per worker."""
        size = max(16, len(chunk) // self._jobs + 1) if self.busy else max(16, len(chunk) // (self._jobs * 8))
        for k in range(0, len(chunk), size):
            self.read(chunk[k:k + size])

    def results(self):
        """(chunk, its summaries, its shard, their entry cores) for each chunk, in the order they were
        handed over. The chunks of a worker that died (killed, out of memory) are read here instead,
        so the answer is the same."""
        for chunk, future in self._sent:
            try:
                if future is None:
                    raise BrokenProcessPool("a worker died before the chunk was handed over")
                summaries, shard, cores = future.result()
            except BrokenProcessPool:
                config, today, _ = self._args
                summaries = [read_and_summarise(self._files[i][0], self._files[i][1], config, today) for i in chunk]
                shard, cores = None, [None] * len(chunk)
            yield chunk, summaries, shard, cores

    def close(self) -> None:
        """Stop the workers (at once, when the reading was cut short)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _rereader(path: Path | str, display: str, config: Config, today: _dt.date):
    def reread():
        return summarise(Path(path), display, config, today)._detail()

    return reread
