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
from kaplan.reading.paths import MAX_BYTES
from kaplan.reading.validation import validate
from kaplan.model import Plan
from kaplan.places import CONFIG_NAME
from kaplan.rounding import fixed


class HistoryUnavailable(Exception):
    """The portfolio is not in a git repository, git is missing, or the revision does not exist."""


SETTINGS = ("--literal-pathspecs", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
            "-c", "safe.bareRepository=explicit", "-c", "protocol.allow=never")
"""How kaplan's reads of history run git, whatever the repository's settings say: paths are paths
(a folder named `:(top)` is not a pattern); no file system monitor and no signature check (each a
program the settings name, and a check's words would mix with the dates kaplan reads); no bare
repository found by looking upward (a folder holding `HEAD`, `config`, `objects` and `refs` is one,
and a repository can commit such a folder, with settings of its own); and no transport at all, so a
read never fetches (a "partial clone" fetches missing contents through a program its settings name).
`GIT_NO_LAZY_FETCH` says the same to a git that knows it (2.44 and later)."""


def _environment() -> dict[str, str]:
    """The environment git runs in: the user's, and no fetching (see `SETTINGS`)."""
    return {**os.environ, "GIT_NO_LAZY_FETCH": "1"}


def _command(folder: Path, *args: str) -> list[str]:
    """The git command that runs `args` for the portfolio holding `folder`, from the portfolio's root
    (the folder of its `kaplan.yaml`). Git finds the repository from there upward, as it does for the
    user, with its own checks: a repository someone else owns is refused (unless the user's
    `safe.directory` allows it), and a `.git` planted below the root, such as in the plans folder, is
    never the history. (Naming the repository with `--git-dir` would skip the ownership check.)"""
    from kaplan.reading.paths import locate_portfolio

    root, _ = locate_portfolio(folder)
    return ["git", *SETTINGS, "-C", str(root), *args]


def _git(folder: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(_command(Path(folder), *args), capture_output=True, input=input, timeout=60,
                              env=_environment())
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed, so plan history cannot be read") from None
    except subprocess.TimeoutExpired:
        raise HistoryUnavailable("git did not answer within 60 seconds") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace")
        if "dubious ownership" in said:
            raise NotYours(said)
        message = said.strip().splitlines()
        raise HistoryUnavailable(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


class NotYours(HistoryUnavailable):
    """git refuses the repository around the portfolio: someone else owns it (its `safe.directory` check)."""

    def __init__(self, said: str):
        at = said.split("repository at '", 1)[-1].split("'", 1)[0] if "repository at '" in said else "it"
        super().__init__(f"the git repository at {at} belongs to another user, so git does not read it (a "
                         "repository someone else owns could run programs as you); if you trust it, run "
                         f"`git config --global --add safe.directory {at}`")


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
    except NotYours:
        raise
    except HistoryUnavailable:
        raise HistoryUnavailable(f"{folder} is not in a git repository, so there is no history to "
                                 "compare with") from None
    top = Path(out.decode("utf-8", "surrogateescape").strip())
    try:  # git runs from the folder of kaplan.yaml: the plans may lie in another repository (or none)
        Path(folder).resolve().relative_to(top.resolve())
    except (ValueError, OSError):
        raise HistoryUnavailable(f"{folder} is not in the git repository of its kaplan.yaml ({top}), so "
                                 "there is no history to compare with") from None
    return top


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
    args = ["rev-list", "-1", f"--before={day.isoformat()} 23:59:59", "HEAD", "--"]  # a file named HEAD is no revision
    if path is not None:
        args.append(str(path))
    out = _git(folder, *args).decode().strip()
    return out or None


def commit_day(folder: Path, commit: str) -> _dt.date:
    """The day `commit` was committed, in this machine's time zone: the one `commit_on_or_before`
    reads a day in, so "the last commit on or before the review" is never dated after it."""
    shown = _git(folder, "show", "-s", "--no-show-signature", "--date=short-local", "--format=%cd", commit,
                 "--").decode("utf-8", "replace").strip()
    try:
        return _dt.date.fromisoformat(shown)
    except ValueError:
        raise HistoryUnavailable(f"the commit {commit[:12]} has no date git can show") from None


MAX_PLANS_AT = 20_000
"""Plan files read from one revision: twice the largest portfolio kaplan is measured with (10,000
plans). A tree holding more is refused before any is read, with `HistoryUnavailable`."""


def _plan_files(folder: Path, commit: str, prefix: str) -> list[tuple[str, str, int]]:
    """(path in the repository, blob id, size in bytes) of each regular plan file under `prefix` at
    `commit`, from git's listing of the tree: sizes are known before any content is read. Refused
    once the listing passes `MAX_PLANS_AT` plan files, without reading the rest of it."""
    found: list[tuple[str, str, int]] = []
    try:
        proc = subprocess.Popen(_command(folder, "ls-tree", "--full-tree", "-r", "-z", "-l", commit, "--", prefix or "."),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed, so plan history cannot be read") from None
    with proc:
        rest = b""
        try:
            while chunk := proc.stdout.read(1 << 16):
                *records, rest = (rest + chunk).split(b"\0")
                for record in records:
                    meta, _, raw_name = record.partition(b"\t")
                    fields = meta.split()
                    name = raw_name.decode("utf-8", "replace")
                    # 100644/100755 only: a symbolic link's blob is where it pointed, a submodule no file.
                    # A settings file is named kaplan.yaml exactly, as on disk; `acme-kaplan.yaml` is a plan.
                    if (len(fields) != 4 or fields[0] not in (b"100644", b"100755") or fields[1] != b"blob"
                            or not name.endswith((".yaml", ".yml")) or name.rpartition("/")[2] == CONFIG_NAME):
                        continue
                    if not fields[3].isdigit():  # git could not tell its size: its content is not here
                        raise HistoryUnavailable(f"git has not got the content of {name} at {commit[:12]} "
                                                 "(a partial clone?), so the plans then cannot be read")
                    found.append((name, fields[2].decode("ascii", "replace"), int(fields[3])))
                    if len(found) > MAX_PLANS_AT:
                        raise HistoryUnavailable(
                            f"{prefix or 'the repository'} holds more than {MAX_PLANS_AT:,} plan files at "
                            f"{commit[:12]}; kaplan reads at most {MAX_PLANS_AT:,} from one revision")
        finally:
            proc.kill()
    if proc.returncode not in (0, -9) and not found:
        raise HistoryUnavailable(f"git could not list the plans at {commit[:12]}")
    return found


def _too_large(name: str, commit: str, size: int) -> str:
    return (f"{name} at {commit[:12]} is {fixed(size / 1048576, 1)} MiB, over the {MAX_BYTES // 1048576} MiB a plan "
            "may be (too-large); it is left out of the comparison, unread")


def _blobs(folder: Path, wanted: list[tuple[str, str]]):
    """(name, bytes) of each (name, object) in `wanted`, read through one `git cat-file --batch`, one
    blob at a time, or (name, None) for one that is missing or over `MAX_BYTES` (never read)."""
    if not wanted:
        return
    try:
        proc = subprocess.Popen(_command(folder, "cat-file", "--batch"), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment())
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed, so plan history cannot be read") from None
    with proc:
        try:
            for at, (name, obj) in enumerate(wanted):
                proc.stdin.write(obj.encode("utf-8", "surrogateescape") + b"\n")
                proc.stdin.flush()
                header = proc.stdout.readline().split()
                if len(header) != 3 or header[1] != b"blob":  # "<object> missing", or not a file
                    yield name, None
                    continue
                size = int(header[2])
                if size > MAX_BYTES:  # its bytes are on their way: stop git rather than read them
                    yield name, None
                    proc.kill()
                    proc.wait()
                    yield from _blobs(folder, wanted[at + 1:])
                    return
                data = proc.stdout.read(size + 1)[:size]
                yield name, data
        except (BrokenPipeError, ValueError):
            raise HistoryUnavailable("git stopped while reading plan history") from None
        finally:
            proc.kill()


def plans_at(folder: Path, rev: str, refused: dict[str, str] | None = None,
             parsed: dict[str, Plan | None] | None = None) -> dict[str, Plan]:
    """account id → plan, for every valid plan file under `folder` at revision `rev`.

    A file over `MAX_BYTES` is not read: `refused`, when given, gets its path → what to say of it.
    More than `MAX_PLANS_AT` plan files is `HistoryUnavailable`, before any is read. `parsed`, when
    given, keeps the plan read from each file content (git's blob id), for the next revision: most of
    a portfolio's files are the same from one revision to the next, and each is read once.
    """
    parsed = {} if parsed is None else parsed
    top = repo_root(folder)
    commit = resolve(folder, rev)
    prefix = folder.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix
    files = _plan_files(folder, commit, prefix)
    for name, _, size in files:
        if size > MAX_BYTES and refused is not None:
            refused[name] = _too_large(name, commit, size)
    wanted = [(name, obj) for name, obj, size in files if size <= MAX_BYTES]
    blob = dict(wanted)
    for name, raw in _blobs(folder, [(name, obj) for name, obj in wanted if obj not in parsed]):
        parsed[blob[name]] = _plan(name, raw)
    out: dict[str, Plan] = {}
    for _, obj in wanted:
        plan = parsed.get(obj)
        if plan is not None:
            out.setdefault(plan.account.id, plan)
    return out


def plan_at(folder: Path, commit: str, name: str) -> Plan | None:
    """The plan in file `name` (relative to the repository holding the portfolio of `folder`) at `commit`, or None if absent, over
    `MAX_BYTES` (never read) or invalid."""
    if "\n" in name:  # `git cat-file --batch` reads one name a line
        return None
    for _, raw in _blobs(folder, [(name, f"{commit}:{name}")]):
        return _plan(name, raw)
    return None


def _plan(name: str, raw: bytes | None) -> Plan | None:
    if raw is None:
        return None
    try:
        doc = _yaml.parse(_yaml.decode(raw))
    except _yaml.YamlProblem:
        return None
    plan, _ = validate(Plan, doc, name)
    return plan
