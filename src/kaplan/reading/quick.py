"""`kaplan check` of a portfolio that has not changed since the last check: the last answer, re-used.

A check's findings depend on kaplan itself, `kaplan.yaml`, "today", the working folder (findings
name files relative to it) and the bytes of every plan in the portfolio (portfolio-wide rules see
them all). After a check, those inputs and every plan's findings are kept as one record (JSON, in
the cache folder, `_fingerprint.cache_dir`). When every input is unchanged, the record is the answer:
no YAML is parsed and no model is built, and none of the modules that would do it are imported. So a
check of an unchanged portfolio, or of one plan in it, costs start-up and one `stat` per plan.

A plan is unchanged when its content hash is the recorded one; the hash is computed again unless
the file's stat signature is the one recorded with it (see `_fingerprint` for why that is safe).

Anything unexpected (no record, a record that cannot be read or has the wrong shape, a file added,
removed, renamed or edited, a link out of the portfolio) means no answer here, and the full check runs.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
from pathlib import Path
from typing import Sequence

from kaplan.findings import SEVERITY_NAME, SEVERITY_NAMED
from kaplan.reading.fingerprint import PLAIN_JSON, build_id, digest, read_sealed, unchanged, write_sealed
from kaplan.reading.paths import absolute, contained, display_paths, locate_portfolio, plans_dir, portfolio_files

FORMAT = 3


def record_path(folder: Path, root: Path) -> Path:
    return folder / f"last-check-{digest(str(root).encode())}.json"


def config_identity(start: Path | None) -> tuple[Path, str | None, str] | None:
    """(portfolio root, its kaplan.yaml or None, the content hash of kaplan.yaml or "defaults"),
    found as `loader.open_portfolio` finds them; None when kaplan.yaml cannot be read."""
    root, path = locate_portfolio(start)
    if path is None:
        return root, None, "defaults"
    try:
        return root, str(path), digest(path.read_bytes())
    except OSError:
        return None


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
    from kaplan.findings import CheckResult, Finding
    from kaplan.reading.portfolio import lazy_summaries

    paths = [Path(p) for p in paths]
    identity = config_identity(start or (paths[0] if paths else None))
    if identity is None:
        return None
    root, config_path, config_digest = identity
    where = record_path(folder, root)
    try:
        record = read_record(where, _header(today, config_path, config_digest))
        if record is None:
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
        for p, shown, entry in zip(everyone, display_paths(everyone), files):
            key, display, recorded_digest, recorded_sig = entry
            if absolute(p, cwd) != key or shown != display:
                return None
            explicit = key in named
            st = os.lstat(key)
            if explicit or stat.S_ISLNK(st.st_mode):
                if contained(Path(p), root, display, explicit=explicit) is not None:
                    return None
                st = os.stat(key)
            same, entry[3] = unchanged(key, st, recorded_digest, recorded_sig)
            if not same:
                return None
            refreshed = refreshed or entry[3] != recorded_sig
            displays.append(display)
        wanted = {absolute(p, cwd) for p in targets}
        chosen = [i for i, entry in enumerate(files) if entry[0] in wanted]
        found = [Finding(displays[i], line, col, rule, SEVERITY_NAMED[sev], msg, hint)
                 for i, rows in zip(chosen, _decoded(record["findings"], chosen))
                 for line, col, rule, sev, msg, hint in rows]
        portfolio_findings = [Finding(displays[i], line, col, rule, SEVERITY_NAMED[sev], msg, hint)
                              for i, line, col, rule, sev, msg, hint in record["portfolio"] if files[i][0] in wanted]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    if refreshed:
        _write(where, record)
    return CheckResult.of(len(targets), found, portfolio_findings, plans=lazy_summaries(paths, today, start))


def remember(folder: Path, root: Path, config_path: str | None, config_digest: str, plans: str,
             today: _dt.date, everyone: list, located: list, own: dict | None = None) -> None:
    """Keep the record of a check: `everyone` is the PlanSummary list of the whole portfolio, in the
    fixed order of `_paths.portfolio_files`, `located` the (summary, finding) pairs of the
    portfolio-wide rules for all of them, and `own` each plan's own findings by `id(summary)` as
    reported (after its suppression comments; default: its findings). Nothing is kept when a file
    could not be hashed."""
    own = own or {}
    if any(s.digest is None for s in everyone):
        return
    index = {id(s): i for i, s in enumerate(everyone)}
    record = {
        "header": _header(today, config_path, config_digest), "plans": plans,
        "files": [[s.path, s.display, s.digest, s.signature] for s in everyone],
        "findings": [[[f.line, f.column, f.rule, SEVERITY_NAME[f.severity], f.message, f.hint] for f in s_findings]
                     for s in everyone for s_findings in [own.get(id(s), s.findings)]],
        "portfolio": [[index[id(s)], f.line, f.column, f.rule, SEVERITY_NAME[f.severity], f.message, f.hint]
                      for s, f in located],
    }
    _write(record_path(folder, root), record)


def read_record(path: Path, header: dict | None = None) -> dict | None:
    """The record at `path` (None when `header` is given and is not the record's). The header is the
    record's first line, so a record of another day or config is told without parsing the rest. Each
    plan's findings are a line of their own, kept as the JSON text read (`_decoded` reads the lines
    wanted): checking one plan does not parse every plan's findings. OSError or ValueError when there
    is no authentic record."""
    first, _, rest = read_sealed(path).partition(b"\n")
    found = json.loads(first)
    if header is not None and found != header:
        return None
    body, _, lines = rest.partition(b"\n")
    record = json.loads(body)
    if not isinstance(record, dict) or not isinstance(record.get("files"), list):
        raise ValueError("not a record")
    record["findings"] = lines.split(b"\n") if record["files"] else []
    if len(record["findings"]) != len(record["files"]):
        raise ValueError("not a record")
    record["header"] = found
    return record


def _decoded(lines: list[bytes], chosen: list[int]) -> list[list]:
    """The findings of the plans at `chosen` (in order), from the record's lines as read: those of
    most of the portfolio in one parse."""
    if 2 * len(chosen) < len(lines):
        return [json.loads(lines[i]) for i in chosen]
    every = json.loads(b"[" + b",".join(lines) + b"]")
    if len(every) != len(lines):
        raise ValueError("not a record")
    return [every[i] for i in chosen]


def write_record(path: Path, record: dict) -> None:
    """Write `record`: its header on the first line, the rest but the findings on the second, then
    each plan's findings on a line of its own (see `read_record`)."""
    body = {k: v for k, v in record.items() if k not in ("header", "findings")}
    lines = [rows if isinstance(rows, bytes) else PLAIN_JSON.encode(rows).encode() for rows in record["findings"]]
    head = [PLAIN_JSON.encode(record["header"]).encode(), PLAIN_JSON.encode(body).encode()]
    write_sealed(path, b"\n".join([*head, *lines]))


def _write(path: Path, record: dict) -> None:
    try:
        write_record(path, record)
    except OSError:  # a read-only or full disk only means no record next time
        pass
