"""Writing several files as one change: all of them or none, even across a crash or a kill.

`_writer.write_replace` makes one file's replacement atomic. An import changes many plans at once,
and a plan half the set has seen is as wrong as a half-written file, so:

1. every new text is written to a temporary file beside its target and flushed to disk;
2. a journal listing every (temporary file → target) is written and renamed into place
   (`.kaplan/journal.json`): this rename is the moment the change happens;
3. each temporary file is renamed over its target; then the journal is removed.

One set is written at a time (`.kaplan/journal.lock`, an advisory lock), and a file that changed
since its new text was made from it stops the set before anything is written (no lost update when
two commands run at once). A failure before step 2 removes the temporary files: nothing changed. A kill at any moment leaves
every file whole (old or new), and the next `recover()` — which every command that writes plans
runs first — finishes what a journal names, so the set ends all new. A kill before the journal
leaves only stray temporary files, which `recover()` removes (`.kaplan/journal.pending.json` names
whose they may be).

A journal is only ever made on this machine by an interrupted write; one that arrived any other way
(committed, unpacked) must not be able to move or delete a file. So a journal may name only the plan
files of the portfolio's plans folder and `.kaplan/imported.json`, each with temporary files of
exactly the name the writer makes (`files.temp_name`), none of them tracked by git, and no link
leading out; one that names anything else, or that git tracks, is refused whole (`JournalRefused`,
nothing touched) and the command says why and what to do. What a recovery did is returned so the
command can say so.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kaplan.places import CONFIG_NAME, OWN_FOLDER
from kaplan.plural import word
from kaplan.reading.containment import escapes
from kaplan.reading.document import BOM
from kaplan.reading.given import NotAFile, TooLarge, read_file
from kaplan.reading.paths import PLAN_SUFFIXES
from kaplan.writing.files import WriteRefused, _sync_dir, _temp_beside, mode_for, temp_name

_SYNC_ALL = hasattr(os, "sync")
FOLDER = OWN_FOLDER
JOURNAL = ".kaplan/journal.json"
PENDING = ".kaplan/journal.pending.json"
LEDGER = ".kaplan/imported.json"
MAX_JOURNAL = 32 * 1024 * 1024
"""Largest journal read (one names each file of a set: 10,000 plans make about 2 MB)."""
MAX_BEFORE = 64 * 1024 * 1024
"""Most read of a file to see whether it changed since its new text was made (a plan is read up to
5 MiB, the import ledger up to 32 MiB): a file that grew past it has changed."""


class JournalRefused(WriteRefused):
    """A journal names something an interrupted kaplan write never names, or git tracks it: nothing
    was moved or deleted, and nothing is written until a person has looked at it."""


@dataclass
class Recovery:
    """What `recover()` did: the files an interrupted set had committed and that are now written, and
    the temporary files a set interrupted before its commit point left and that are now removed."""

    completed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.completed or self.removed)

    def notes(self, show=str) -> list[str]:
        """What to tell the user, one line each (`show` names a file)."""
        out = []
        if self.completed:
            out.append(f"an earlier write was interrupted after its change was committed ({JOURNAL}); "
                       f"kaplan finished it: {', '.join(show(p) for p in self.completed)} now hold the new "
                       "version")
        if self.removed:
            out.append(f"an earlier write was interrupted before its change was committed; nothing had changed, "
                       f"and kaplan removed its {word(len(self.removed), 'temporary file')}: "
                       f"{', '.join(show(p) for p in self.removed)}")
        return out


@contextlib.contextmanager
def told(recovery: Recovery, show=str):
    """Add what `recovery` did to the notes of an exception the block raises (`exc.__notes__`): a
    command that fails after finishing an interrupted set must still say that it did."""
    try:
        yield
    except Exception as exc:
        for note in recovery.notes(show):
            exc.add_note(note)
        raise


def _kaplan_folder(root: Path) -> Path:
    folder = root / FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise JournalRefused(f"{FOLDER} in {root} is not a folder (a symbolic link or a file); kaplan keeps its "
                             f"journal only in a real folder: remove {FOLDER} and run the command again")
    return folder


@contextlib.contextmanager
def _exclusive(root: Path):
    """One writing set at a time per portfolio: a second `kaplan import` waits for the first (POSIX)."""
    folder = _kaplan_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; sets are still atomic one by one
        yield
        return
    fd = os.open(folder / "journal.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "r+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_all(texts: dict[Path, str], root: Path, *, create: bool = False,
              before: dict[Path, str] | None = None, plans: Path | None = None,
              recovered: Recovery | None = None) -> list[Path]:
    """Replace (or, with `create`, also create) every file in `texts` as one change; the files written.

    Every file must be a plan of the plans folder `plans` (default: the one `kaplan.yaml` at `root`
    names) or `.kaplan/imported.json`. `before` is what each file held when the new text was made from
    it ("" for a file to create): a file that changed since (another command wrote it) stops the set.
    A plan's text is read without its byte-order mark (`document.decode`): a file in `before` that
    starts with one it does not show gets it back.
    An interrupted set found first is finished (or cleared) and added to `recovered`. Raises
    `WriteRefused` (that, a link out of the portfolio, a file to create that exists, a file kaplan may
    not write as part of a set) or `OSError` before anything is changed.
    """
    root = Path(root)
    allowed = _Allowed(root, _plans_of(root, plans))
    with _exclusive(root):
        done = _recover(root, allowed)
        if recovered is not None:
            recovered.completed += done.completed
            recovered.removed += done.removed
        return _write_all(texts, root, allowed, create=create, before=before or {})


def _write_all(texts: dict[Path, str], root: Path, allowed: "_Allowed", *, create: bool,
               before: dict[Path, str]) -> list[Path]:
    marked: set[Path] = set()  # the files whose byte-order mark the reader took off (`document.decode`)
    for path, old in before.items():
        try:  # what was read before passed the readers' checks: a file that no longer would has changed
            now = read_file(path, MAX_BEFORE).decode("utf-8", "replace")
        except FileNotFoundError:
            now = ""
        except (NotAFile, TooLarge):
            now = None
        if (now is None or now.removeprefix(BOM) != old.removeprefix(BOM)) and not (
                old == "" and not Path(path).exists()):
            raise WriteRefused(f"{path} changed while kaplan was working on it; nothing was written, run the "
                               "command again")
        if now is not None and now.startswith(BOM) and not old.startswith(BOM):
            marked.add(Path(path))
    targets: list[tuple[str, Path, bytes]] = []
    for path, text in texts.items():
        path = Path(path)
        if path in marked:
            text = BOM + text
        outside = escapes(path, root)
        if outside is not None:
            raise WriteRefused(f"{path} is a symbolic link to {outside}, outside the portfolio; kaplan does not "
                               "write through it")
        name = allowed.name(path)
        problem = allowed.target(name)
        if problem:
            raise WriteRefused(f"{path}: {problem}; nothing was written")
        real = Path(os.path.realpath(path))
        if not real.exists() and not create:
            raise WriteRefused(f"{path} no longer exists; nothing was written")
        targets.append((name, real, text.encode("utf-8")))
    if not targets:
        return []
    journal, pending = root / JOURNAL, root / PENDING
    staged: list[tuple[str, str, Path]] = []
    try:
        # names the targets whose temporary files a set that never got committed may have left
        _write_json(pending, {"targets": [name for name, _, _ in targets]})
        for name, real, data in targets:
            real.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temp_beside(real, data, mode_for(real), sync=not _SYNC_ALL), name, real))
        if _SYNC_ALL:
            os.sync()  # one flush of every staged file: a thousand plans need not wait for a thousand fsyncs
        _write_json(journal, {"moves": [[os.path.relpath(tmp, root), name] for tmp, name, _ in staged]})  # commit
    except BaseException:
        for tmp, _, _ in staged:
            _unlink(Path(tmp))
        _unlink(journal)
        _unlink(pending)
        raise
    _unlink(pending)
    _finish(journal, [(Path(tmp), real) for tmp, _, real in staged])
    return [real for _, _, real in staged]


def recover(root: Path, plans: Path | None = None) -> Recovery:
    """Finish a set of writes a crash interrupted after its commit point, or clear one interrupted before.

    `plans` is the portfolio's plans folder (default: the one `kaplan.yaml` at `root` names). Returns
    what was done (false when there was nothing to do); raises `JournalRefused` for a journal an
    interrupted kaplan write could not have left, touching nothing.
    """
    root = Path(root)
    if not os.path.lexists(root / JOURNAL) and not os.path.lexists(root / PENDING):
        return Recovery()
    allowed = _Allowed(root, _plans_of(root, plans))
    with _exclusive(root):
        return _recover(root, allowed)


def _plans_of(root: Path, plans: Path | None) -> Path:
    if plans is not None:
        return Path(os.path.normpath(os.path.abspath(plans)))
    from kaplan.reading.loader import open_portfolio

    return Path(os.path.normpath(os.path.abspath(open_portfolio(root).plans_dir)))


def _recover(root: Path, allowed: "_Allowed") -> Recovery:
    journal, pending = root / JOURNAL, root / PENDING
    done = Recovery()
    if not os.path.lexists(journal) and not os.path.lexists(pending):
        return done
    moves = _read_moves(journal, allowed) if os.path.lexists(journal) else []
    leftovers = _read_leftovers(pending, allowed) if os.path.lexists(pending) else []
    _untracked(root, [p for p in (journal, pending) if os.path.lexists(p)]
               + [tmp for tmp, _ in moves] + leftovers)
    if os.path.lexists(journal):
        done.completed = [target for tmp, target in moves if tmp.exists()]
        _finish(journal, moves)
    for tmp in leftovers:
        _unlink(tmp)
    done.removed = leftovers
    _unlink(pending)
    return done


class _Allowed:
    """What a set of writes may touch: the plan files of the plans folder, and the import ledger."""

    def __init__(self, root: Path, plans: Path):
        self.root, self.plans = Path(os.path.realpath(root)), plans
        self.folders = (plans, Path(os.path.realpath(plans)))

    def name(self, path: Path) -> str:
        """`path` as a journal names it: relative to the root, its folder resolved, its name as given."""
        path = Path(os.path.abspath(path))
        folder = os.path.realpath(path.parent)
        return os.path.relpath(os.path.join(folder, path.name), self.root)

    def target(self, name: str) -> str | None:
        """Why `name` (relative to the root, as a journal holds it) may not be written; None if it may."""
        if not isinstance(name, str) or not name or os.path.isabs(name) or "\0" in name:
            return f"{name!r} is not a path inside the portfolio"
        path = Path(os.path.normpath(self.root / name))
        if name == LEDGER and path == self.root / LEDGER:
            return None
        parts = next((path.relative_to(f).parts for f in self.folders if path.is_relative_to(f)), None)
        if parts is None:
            return f"{name} is not in the plans folder"
        if not parts or any(p.startswith(".") for p in parts) or any(p.startswith("_") for p in parts[:-1]):
            return f"{name} is not a plan file of the plans folder"
        if not parts[-1].endswith(PLAN_SUFFIXES) or parts[-1] == CONFIG_NAME:
            return f"{name} is not a plan file of the plans folder"
        return None

    def move(self, pair) -> tuple[Path, Path] | str:
        """(temporary file, file it replaces) of one journal entry, or why it is refused."""
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            return f"{pair!r} is not a move kaplan writes"
        tmp_name, name = pair
        problem = self.target(name)
        if problem:
            return problem
        if escapes(self.root / name, self.root) is not None:
            return f"{name} is a symbolic link leading out of the portfolio"
        real = Path(os.path.realpath(self.root / name))
        tmp = Path(os.path.normpath(self.root / tmp_name))
        if tmp.parent != real.parent or not temp_name(real.name).fullmatch(tmp.name):
            return f"{tmp_name} is not a temporary file kaplan makes for {name}"
        try:
            st = os.lstat(tmp)
        except FileNotFoundError:
            return tmp, real  # already moved before the interruption
        if not stat.S_ISREG(st.st_mode):
            return f"{tmp_name} is not a regular file"
        return tmp, real


def _refuse(journal: Path, why: str) -> JournalRefused:
    return JournalRefused(
        f"{journal} was not left by an interrupted kaplan write: {why}. kaplan moved and deleted nothing. "
        f"If you did not expect it, find out who added it; then delete {journal} (and any file it names) "
        "and run the command again")


def _load(path: Path) -> dict:
    if path.is_symlink() or not path.is_file():
        raise _refuse(path, "it is not a regular file")
    try:
        doc = json.loads(read_file(path, MAX_JOURNAL).decode("utf-8"))
    except (NotAFile, TooLarge):
        raise _refuse(path, f"it is not a regular file of at most {MAX_JOURNAL // 1048576} MiB") from None
    except RecursionError:
        raise _refuse(path, "it is nested too deeply to be a journal") from None
    except (OSError, ValueError) as e:
        raise _refuse(path, f"it cannot be read ({e})") from None
    if not isinstance(doc, dict):
        raise _refuse(path, "it is not a journal")
    return doc


def _read_moves(journal: Path, allowed: _Allowed) -> list[tuple[Path, Path]]:
    moves = _load(journal).get("moves")
    if not isinstance(moves, list):
        raise _refuse(journal, "it lists no moves")
    out = []
    for pair in moves:
        move = allowed.move(pair)
        if isinstance(move, str):
            raise _refuse(journal, move)
        out.append(move)
    return out


def _read_leftovers(pending: Path, allowed: _Allowed) -> list[Path]:
    """The temporary files of the targets `pending` names (regular files only)."""
    targets = _load(pending).get("targets")
    if not isinstance(targets, list):
        raise _refuse(pending, "it lists no targets")
    out = []
    for name in targets:
        problem = allowed.target(name) or (
            f"{name} is a symbolic link leading out of the portfolio"
            if escapes(allowed.root / name, allowed.root) is not None else None)
        if problem:
            raise _refuse(pending, problem)
        real = Path(os.path.realpath(allowed.root / name))
        pattern = temp_name(real.name)
        try:
            entries = list(os.scandir(real.parent))
        except OSError:
            continue
        out += [Path(e.path) for e in entries if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    return out


def _untracked(root: Path, paths: list[Path]) -> None:
    """Refuse when git tracks any of `paths`: a journal or a temporary file is never committed."""
    from kaplan.reading.history import tracked

    for path in tracked(root, paths):
        raise _refuse(root / JOURNAL if os.path.lexists(root / JOURNAL) else root / PENDING,
                      f"git tracks {os.path.relpath(path, root)} (a journal and its temporary files are never "
                      f"committed; `git rm --cached` it)")


def _finish(journal: Path, moves: list[tuple[Path, Path]]) -> None:
    folders = set()
    for tmp, target in moves:
        if tmp.exists():
            os.replace(tmp, target)
            folders.add(target.parent)
    for folder in folders:
        _sync_dir(folder)
    _unlink(journal)
    _sync_dir(journal.parent)


def _write_json(path: Path, doc: dict) -> None:
    tmp = _temp_beside(path, json.dumps(doc).encode("utf-8"), 0o600)
    os.replace(tmp, path)
    _sync_dir(path.parent)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
