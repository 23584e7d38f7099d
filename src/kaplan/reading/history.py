"""Reading plans as they were at an earlier point in git history, through `git` itself.

kaplan keeps no history of its own: the portfolio's git repository is the history. These functions
ask git for the plan files at a revision (or at the last commit on or before a date) and load them
with the same reader as today's files, so before/after comparisons use identical rules.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
from pathlib import Path

from kaplan.reading import document as _yaml
from kaplan.reading.validation import validate
from kaplan.model import Plan


class HistoryUnavailable(Exception):
    """The portfolio is not in a git repository, git is missing, or the revision does not exist."""


def _repository(folder: Path) -> list[str]:
    """`--git-dir`/`--work-tree` of the repository that holds the portfolio's root (the folder of
    its `kaplan.yaml`): a `.git` planted in a folder below the root, such as the plans folder, is
    never the history. Empty when no `.git` is found (git then says there is no repository)."""
    from kaplan.reading.paths import locate_portfolio

    root, _ = locate_portfolio(folder)
    for candidate in (root, *root.parents):
        marker = candidate / ".git"
        if marker.exists():
            return [f"--git-dir={marker}", f"--work-tree={candidate}"]
    return []


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *_repository(Path(root)), "-C", str(root), *args], capture_output=True,
                              input=input, timeout=60)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed, so plan history cannot be read") from None
    except subprocess.TimeoutExpired:
        raise HistoryUnavailable("git did not answer within 60 seconds") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryUnavailable(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def tracked(root: Path, paths: list[Path]) -> list[Path]:
    """Those of `paths` that git tracks in the repository holding the portfolio at `root` (none when
    there is no repository or no git)."""
    if not paths:
        return []
    try:
        out = _git(root, "ls-files", "-z", "--full-name", "--", *(str(p) for p in paths))
    except HistoryUnavailable:
        return []
    names = {n for n in out.decode("utf-8", "replace").split("\0") if n}
    if not names:
        return []
    top = os.path.realpath(repo_root(root))
    return [p for p in paths
            if os.path.relpath(os.path.join(os.path.realpath(p.parent), p.name), top).replace(os.sep, "/") in names]


def repo_root(folder: Path) -> Path:
    """The top of the git repository holding `folder`."""
    try:
        out = _git(folder, "rev-parse", "--show-toplevel")
    except HistoryUnavailable:
        raise HistoryUnavailable(f"{folder} is not in a git repository, so there is no history to "
                                 "compare with") from None
    return Path(out.decode().strip())


def resolve(folder: Path, rev: str) -> str:
    """The commit id `rev` names."""
    if rev.startswith("-"):
        raise HistoryUnavailable(f"{rev!r} is not a revision")
    try:
        return _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except HistoryUnavailable:
        _has_commits(folder)
        raise HistoryUnavailable(f"no such revision: {rev}") from None


NO_COMMIT = "the git repository has no commit yet, so there is no history to compare with"


def _has_commits(folder: Path) -> None:
    """Raise HistoryUnavailable, saying so plainly, when the repository has no commit at all."""
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except HistoryUnavailable:
        raise HistoryUnavailable(NO_COMMIT) from None


def commit_on_or_before(folder: Path, day: _dt.date, path: Path | None = None) -> str | None:
    """The last commit (touching `path`, if given) made on or before the end of `day`, or None."""
    _has_commits(folder)
    args = ["rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "HEAD"]
    if path is not None:
        args += ["--", str(path)]
    out = _git(folder, *args).decode().strip()
    return out or None


def plans_at(folder: Path, rev: str) -> dict[str, Plan]:
    """account id → plan, for every valid plan file under `folder` at revision `rev`."""
    root = repo_root(folder)
    commit = resolve(folder, rev)
    prefix = folder.resolve().relative_to(root.resolve()).as_posix()
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", prefix or ".")
    names = [n for n in listing.decode("utf-8", "replace").split("\0")
             if n.endswith((".yaml", ".yml")) and not n.endswith("kaplan.yaml")]
    out: dict[str, Plan] = {}
    for name in names:
        plan = plan_at(root, commit, name)
        if plan is not None:
            out.setdefault(plan.account.id, plan)
    return out


def plan_at(root: Path, commit: str, name: str) -> Plan | None:
    """The plan in file `name` (relative to the repository) at `commit`, or None if absent or invalid."""
    try:
        raw = _git(root, "show", f"{commit}:{name}")
        doc = _yaml.parse(_yaml.decode(raw))
    except (HistoryUnavailable, _yaml.YamlProblem):
        return None
    plan, _ = validate(Plan, doc, name)
    return plan
