"""`kaplan check` of a portfolio that has not changed since the last check: the last answer, re-used.

A check's findings depend on kaplan itself, `kaplan.yaml`, "today", the working folder (findings
name files relative to it) and the bytes of every plan in the portfolio (portfolio-wide rules see
them all). After a check, those inputs and every plan's findings are kept as one record (JSON, in
the cache folder; see `_cache.cache_dir`). When every input is unchanged, the record is the answer:
no YAML is parsed and no model is built, and none of the modules that would do it are imported. So a
check of an unchanged portfolio, or of one plan in it, costs start-up and one `stat` per plan.

A plan is unchanged when its content hash is the recorded one. The hash is computed again unless the
file's stat signature (size, modification and change times in nanoseconds, inode, device) equals the
one recorded with it. A signature is recorded only when the file's times were at least
`RACY_SECONDS` older than the moment it was read, so an edit made in the same clock tick as a read
cannot go unseen (git's index treats "racily clean" files the same way). The change time is set by
the system on every write and cannot be set back by a user (`touch -d` and `os.utime` set it to
now), so an edit that keeps a file's size and modification time is still seen.

Anything unexpected (no record, a record that cannot be read or has the wrong shape, a file added,
removed, renamed or edited, a link out of the portfolio) means no answer here, and the full check runs.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Sequence

from . import __version__
from ._paths import MAX_BYTES, absolute, contained, display_path, find_config, plans_dir, portfolio_files

FORMAT = 1
RACY_SECONDS = 2.0
"""A file changed less than this long before it was read is hashed again next time."""


def digest(data: bytes) -> str:
    """The content hash (SHA-256, the fastest strong hash here: CPUs compute it in hardware)."""
    return hashlib.sha256(data).hexdigest()[:32]


_build: list[str] = []


def build_id() -> str:
    """kaplan's version and the size and time of each of its modules: a changed kaplan (an upgrade,
    or an edited checkout) never trusts what an older one recorded."""
    if not _build:
        package = os.path.dirname(os.path.abspath(__file__))
        parts = [__version__]
        for folder, dirs, files in os.walk(package):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{st.st_size}:{st.st_mtime_ns}")
        _build.append(digest("\n".join(parts).encode()))
    return _build[0]


def signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def settled(st: os.stat_result, read_at: float) -> list[int] | None:
    """The signature to record for a file stat'ed before being read at `read_at` (time.time()),
    or None when the file changed too shortly before to trust its times later."""
    newest = max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
    return signature(st) if read_at - newest >= RACY_SECONDS else None


def read_file(path: str) -> tuple[bytes | None, os.stat_result | None]:
    """(bytes, stat taken before reading) of a regular file no larger than kaplan reads; (None, None)
    for anything else, which the reader reports and nothing caches. A pipe or device is never opened."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None, None
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())  # the file opened, if it was swapped since the stat
            if not stat.S_ISREG(st.st_mode):
                return None, None
            return fh.read(MAX_BYTES + 1), st
    except OSError:
        return None, None


def hash_file(path: str) -> tuple[str | None, os.stat_result | None]:
    """(content hash, stat taken before reading), as `read_file`."""
    data, st = read_file(path)
    return (None, None) if data is None else (digest(data), st)


def cache_dir() -> Path:
    """`$KAPLAN_CACHE_DIR`, else `$XDG_CACHE_HOME/kaplan`, else `~/.cache/kaplan`."""
    if os.environ.get("KAPLAN_CACHE_DIR"):
        return Path(os.environ["KAPLAN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kaplan"


def write_json(path: Path, doc) -> None:
    """Write a JSON document atomically (a temporary file renamed over the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kaplan-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, separators=(",", ":")))  # dumps uses the C encoder; dump does not
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def record_path(folder: Path, root: Path) -> Path:
    return folder / f"last-check-{digest(str(root).encode())}.json"


def config_identity(start: Path | None) -> tuple[Path, str | None, str] | None:
    """(portfolio root, its kaplan.yaml or None, the content hash of kaplan.yaml or "defaults"),
    found the way `loader.open_portfolio` finds them; None when kaplan.yaml cannot be read."""
    start = Path(os.path.abspath(start or Path.cwd()))
    path = find_config(start)
    if path is None:
        return (start if start.is_dir() else start.parent).resolve(), None, "defaults"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    path = path.resolve()
    return path.parent, str(path), digest(data)


class _Portfolio:
    """The little of `config.Portfolio` that discovery needs, without building the config."""

    def __init__(self, root: Path, plans: str):
        self.root = root
        self.plans_dir = plans_dir(root, plans)


def _header(today: _dt.date, config_path: str | None, config_digest: str) -> dict:
    return {"format": FORMAT, "build": build_id(), "today": today.isoformat(), "cwd": os.getcwd(),
            "config": [config_path, config_digest]}


def answer(paths: Sequence[Path], today: _dt.date, start: Path | None, folder: Path):
    """The result of checking `paths` (see `checker.check`) from the last record, or None."""
    from .checker import CheckResult, lazy_plans
    from .findings import Finding, Severity

    paths = [Path(p) for p in paths]
    identity = config_identity(start or (paths[0] if paths else None))
    if identity is None:
        return None
    root, config_path, config_digest = identity
    where = record_path(folder, root)
    try:
        record = json.loads(where.read_bytes())
        if record["header"] != _header(today, config_path, config_digest):
            return None
        portfolio = _Portfolio(root, record["plans"])
        if not paths and not portfolio.plans_dir.is_dir():
            return None
        targets, everyone = portfolio_files(portfolio, paths, as_text=True)
        files = record["files"]
        if len(files) != len(everyone):
            return None
        cwd = os.getcwd()
        named = {absolute(p, cwd) for p in paths}
        displays, refreshed = [], False
        for p, entry in zip(everyone, files):
            key, display, recorded_digest, recorded_sig = entry
            if absolute(p, cwd) != key or display_path(p) != display:
                return None
            explicit = key in named
            st = os.lstat(key)
            if explicit or stat.S_ISLNK(st.st_mode):
                if contained(Path(p), root, display, explicit=explicit) is not None:
                    return None
                st = os.stat(key)
            if recorded_sig is None or signature(st) != recorded_sig:
                found, st = hash_file(key)
                if found != recorded_digest:
                    return None
                entry[3] = settled(st, time.time())
                refreshed = refreshed or entry[3] is not None
            displays.append(display)
        wanted = {absolute(p, cwd) for p in targets}
        chosen = [i for i, entry in enumerate(files) if entry[0] in wanted]
        severities = {s.value: s for s in Severity}
        found = [Finding(displays[i], line, col, rule, severities[sev], msg, hint)
                 for i in chosen for line, col, rule, sev, msg, hint in record["findings"][i]]
        portfolio_findings = [Finding(displays[i], line, col, rule, severities[sev], msg, hint)
                              for i, line, col, rule, sev, msg, hint in record["portfolio"] if files[i][0] in wanted]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    if refreshed:
        _write(where, record)
    return CheckResult.of(len(targets), found, portfolio_findings,
                          plans=lazy_plans([Path(p) for p in targets], today, start, paths))


def remember(folder: Path, root: Path, config_path: str | None, config_digest: str, plans: str,
             today: _dt.date, everyone: list, located: list) -> None:
    """Keep the record of a check: `everyone` is the PlanSummary list of the whole portfolio, in the
    fixed order of `_paths.portfolio_files`, and `located` the (summary, finding) pairs of the
    portfolio-wide rules for all of them. Nothing is kept when a file could not be hashed."""
    if any(s.digest is None for s in everyone):
        return
    index = {id(s): i for i, s in enumerate(everyone)}
    record = {
        "header": _header(today, config_path, config_digest), "plans": plans,
        "files": [[s.path, s.display, s.digest, s.signature] for s in everyone],
        "findings": [[[f.line, f.column, f.rule, f.severity.value, f.message, f.hint] for f in s.findings]
                     for s in everyone],
        "portfolio": [[index[id(s)], f.line, f.column, f.rule, f.severity.value, f.message, f.hint]
                      for s, f in located],
    }
    _write(record_path(folder, root), record)


def _write(path: Path, doc) -> None:
    try:
        write_json(path, doc)
    except OSError:  # a read-only or full disk only means no record next time
        pass
