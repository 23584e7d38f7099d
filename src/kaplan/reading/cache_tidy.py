"""Keeping the cache folder bounded, and what `kaplan cache info` / `kaplan cache clear` do.

Every new `kaplan.yaml` or kaplan build starts a new set of plan details (they depend on both), so
without tidying the folder only grows. Three rules keep it bounded, all safe because
every part of the cache is only ever a shortcut (a missing part means the plans are read again):

- when a portfolio's index moves to a new config or build, the details it used before go (and within
  a set, `SummaryCache.save` drops the shards no entry names any more);
- once a day (the first run of each day, by its `--today`), anything not used for `MAX_AGE_DAYS` goes
  (a portfolio deleted or moved away);
- at those same times, the whole folder is kept under `max_bytes()` (default `DEFAULT_MAX_MB`, or
  `$KAPLAN_CACHE_MAX_MB`), oldest first.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

DEFAULT_MAX_MB = 500
MAX_AGE_DAYS = 30
_OURS = re.compile(r"(?:(?:last-)?check-[0-9a-f]{32}\.json|details-[0-9a-f]{32}|tidied-on)")
"""The names kaplan gives its parts of the cache; nothing else in the folder is ever touched (it may
be a folder the user named, holding their own files)."""
_TIDIED = "tidied-on"
"""Holds the day the folder was last tidied."""


def max_bytes() -> int:
    """The folder's size limit: `$KAPLAN_CACHE_MAX_MB` when it is a finite number, else the default."""
    try:
        mb = float(os.environ.get("KAPLAN_CACHE_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    if not math.isfinite(mb):
        mb = DEFAULT_MAX_MB
    return int(max(mb, 0) * 1024 * 1024)


def _entries(folder: Path) -> list[tuple[float, int, Path]]:
    """(last used, bytes, path) of each part of the cache (files, and details folders as one)."""
    out = []
    try:
        items = list(os.scandir(folder))
    except OSError:
        return out
    for entry in items:
        if not _OURS.fullmatch(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                size, newest = 0, entry.stat(follow_symlinks=False).st_mtime
                for sub in os.scandir(entry.path):
                    st = sub.stat(follow_symlinks=False)
                    size, newest = size + st.st_size, max(newest, st.st_mtime)
                out.append((newest, size, Path(entry.path)))
            elif entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                out.append((st.st_mtime, st.st_size, Path(entry.path)))
        except OSError:
            continue
    return out


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def tidy_once_a_day(folder: Path, today, *, replaced: Path | None = None, in_use: Path | None = None) -> None:
    """`tidy` on the first run of each day (by `today`, the day the command runs for), and whenever
    an index was `replaced`; otherwise nothing (so a run costs no folder walk)."""
    from kaplan.reading.fingerprint import read_json, write_json

    mark = folder / _TIDIED
    try:
        done = read_json(mark) == {"day": today.isoformat()}
    except (OSError, ValueError, TypeError):
        done = False
    if done and replaced is None:
        return
    tidy(folder, replaced=replaced, in_use=in_use)
    try:
        write_json(mark, {"day": today.isoformat()})
    except OSError:
        pass


def tidy(folder: Path, *, replaced: Path | None = None, in_use: Path | None = None,
         now: float | None = None) -> None:
    """Drop the `replaced` details, parts unused for `MAX_AGE_DAYS`, then the oldest parts beyond
    `max_bytes()`; never `in_use` (the details the running command writes)."""
    if replaced is not None and replaced != in_use and replaced.parent == folder:
        _remove(replaced)
    if now is None:  # file times are the kernel's: judge their age by its clock (see `file_clock`)
        from kaplan.reading.fingerprint import file_clock

        now = file_clock()
    parts = sorted(_entries(folder))
    kept = []
    for used, size, path in parts:
        if path != in_use and now - used > MAX_AGE_DAYS * 86400:
            _remove(path)
        else:
            kept.append((used, size, path))
    total, cap = sum(size for _, size, _ in kept), max_bytes()
    for used, size, path in kept:
        if total <= cap:
            break
        if path != in_use:
            _remove(path)
            total -= size


def info(folder: Path) -> dict:
    """Where the cache is, how big, and how many portfolios and sets of details it holds."""
    parts = _entries(folder)
    return {
        "folder": str(folder), "bytes": sum(size for _, size, _ in parts),
        "max_bytes": max_bytes(), "max_age_days": MAX_AGE_DAYS,
        "portfolios": sum(1 for _, _, p in parts if p.name.startswith("check-")),
        "detail_sets": sum(1 for _, _, p in parts if p.name.startswith("details-")),
    }


def clear(folder: Path) -> int:
    """Remove every part of the cache (never anything else in the folder); the bytes freed."""
    freed = 0
    for _, size, path in _entries(folder):
        _remove(path)
        freed += size
    return freed
