"""Worker processes: they collect their garbage whatever forked them, and a worker that dies loses nothing."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from conftest import EXAMPLES, TODAY
from kaplan.config import Config
from kaplan.reading import parallel
from kaplan.reading.kept import built_to_keep


def _files() -> list[tuple[Path, str]]:
    return [(p, f"plans/{p.name}") for p in sorted((EXAMPLES / "plans").glob("*.yaml"))]


def _collector_on(chunk):
    """Handed to a worker in place of `_work`: whether its collector runs."""
    return [gc.isenabled() for _ in chunk], None, [None] * len(chunk)


def _die(*_):
    os._exit(1)


def test_a_worker_started_while_the_parent_builds_what_it_keeps_still_collects(monkeypatch):
    monkeypatch.setattr(parallel, "_work", _collector_on)
    files = _files()
    workers = parallel.Workers(files, Config(), TODAY, None, 2)
    try:
        with built_to_keep():  # as `summarise_all` hands misses over while it looks up the rest
            workers.read([0, 1])
        assert [r[1] for r in workers.results()] == [[True, True]]
    finally:
        workers.close()


def test_chunks_of_a_worker_that_died_are_read_here_however_late_it_is_noticed(monkeypatch):
    monkeypatch.setattr(parallel, "_init", _die)  # every worker dies as it starts
    files = _files()
    config = Config()
    workers = parallel.Workers(files, config, TODAY, None, 2)
    try:
        workers.read([0, 1])
        first = workers._sent[0][1]  # None when the pool had broken already
        assert first is None or isinstance(first.exception(timeout=60), parallel.BrokenProcessPool)
        workers.read_all(list(range(2, len(files))))  # handed over after the pool broke
        got = {i: s for chunk, summaries, _, _ in workers.results() for i, s in zip(chunk, summaries)}
    finally:
        workers.close()
    assert sorted(got) == list(range(len(files)))
    for i, (path, display) in enumerate(files):
        alone = parallel.read_and_summarise(path, display, config, TODAY)
        assert (got[i].account_id, [f.to_dict() for f in got[i].findings]) == \
            (alone.account_id, [f.to_dict() for f in alone.findings])


class _Recording(parallel.Workers):
    """Workers that read each chunk here, and note its size."""

    def __init__(self, *args):
        super().__init__(*args)
        self.sizes: list[int] = []

    def read(self, chunk):
        self.sizes.append(len(chunk))
        self._sent.append((chunk, None))


def test_the_chunks_handed_over_shrink_towards_the_end_and_cover_every_plan_once(monkeypatch):
    # a whole chunk handed over last keeps the other workers waiting while one reads it: the last
    # chunks are small, and the plans are still all read, once each, each summary in its place
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    files = _files() * 40  # the same plans many times over: each place is read on its own
    config = Config()
    workers = _Recording(files, config, TODAY, None, 2)
    got = parallel.summarise_all(files, config, TODAY, workers=workers, jobs=2)
    assert sum(workers.sizes) == len(files)
    left = len(files)
    for size in workers.sizes:  # none more than a share of what is left to read when it is handed over
        assert size <= max(16, left // 4), workers.sizes
        left -= size
    assert workers.sizes[0] > 4 * 16  # and no smaller than they need be at first
    assert [s.path for s in got] == [str(p) for p, _ in files]
