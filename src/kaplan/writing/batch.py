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
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
from pathlib import Path

from kaplan.reading.containment import escapes
from kaplan.writing.files import WriteRefused, _default_mode, _sync_dir, _temp_beside

_SYNC_ALL = hasattr(os, "sync")
JOURNAL = ".kaplan/journal.json"
PENDING = ".kaplan/journal.pending.json"


@contextlib.contextmanager
def _exclusive(root: Path):
    """One writing set at a time per portfolio: a second `kaplan import` waits for the first (POSIX)."""
    folder = root / ".kaplan"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; sets are still atomic one by one
        yield
        return
    with open(folder / "journal.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_all(texts: dict[Path, str], root: Path, *, create: bool = False,
              before: dict[Path, str] | None = None) -> list[Path]:
    """Replace (or, with `create`, also create) every file in `texts` as one change; the files written.

    `before` is what each file held when the new text was made from it ("" for a file to create):
    a file that changed since (another command wrote it) stops the set. Raises `WriteRefused` (that,
    a link out of the portfolio, a file to create that exists) or `OSError` before anything is changed.
    """
    with _exclusive(Path(root)):
        return _write_all(texts, Path(root), create=create, before=before or {})


def _write_all(texts: dict[Path, str], root: Path, *, create: bool, before: dict[Path, str]) -> list[Path]:
    _recover(root)
    for path, old in before.items():
        try:
            now = Path(path).read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            now = ""
        if now.removeprefix("\ufeff") != old.removeprefix("\ufeff") and not (old == "" and not Path(path).exists()):
            raise WriteRefused(f"{path} changed while kaplan was working on it; nothing was written, run the "
                               "command again")
    targets: list[tuple[Path, bytes]] = []
    for path, text in texts.items():
        path = Path(path)
        outside = escapes(path, root)
        if outside is not None:
            raise WriteRefused(f"{path} is a symbolic link to {outside}, outside the portfolio; kaplan does not "
                               "write through it")
        real = Path(os.path.realpath(path))
        if not real.exists() and not create:
            raise WriteRefused(f"{path} no longer exists; nothing was written")
        targets.append((real, text.encode("utf-8")))
    if not targets:
        return []
    journal, pending = root / JOURNAL, root / PENDING
    journal.parent.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        # names the targets whose temporary files a set that never got committed may have left
        _write_json(pending, {"targets": [os.path.relpath(real, root) for real, _ in targets]})
        for real, data in targets:
            try:
                mode = real.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = _default_mode()
            real.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_temp_beside(real, data, mode, sync=not _SYNC_ALL), real))
        if _SYNC_ALL:
            os.sync()  # one flush of every staged file: a thousand plans need not wait for a thousand fsyncs
        _write_json(journal, {"moves": _moves(staged, root)})  # the commit point
    except BaseException:
        for tmp, _ in staged:
            _unlink(Path(tmp))
        _unlink(journal)
        _unlink(pending)
        raise
    _unlink(pending)
    _finish(root, journal)
    return [real for _, real in staged]


def recover(root: Path) -> list[Path]:
    """Finish a set of writes a crash interrupted after its commit point, or clear one interrupted before.

    Returns the files completed (empty when there was nothing to do).
    """
    root = Path(root)
    if not (root / JOURNAL).exists() and not (root / PENDING).exists():
        return []
    with _exclusive(root):
        return _recover(root)


def _recover(root: Path) -> list[Path]:
    journal, pending = root / JOURNAL, root / PENDING
    done: list[Path] = []
    if journal.exists():
        for tmp, target in _read_moves(journal, root):
            if tmp.exists():
                done.append(target)
        _finish(root, journal)
    if pending.exists():
        for target in _read_targets(pending, root):
            for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                _unlink(tmp)
        _unlink(pending)
    return done


def _finish(root: Path, journal: Path) -> None:
    folders = set()
    for tmp, target in _read_moves(journal, root):
        if tmp.exists():
            os.replace(tmp, target)
            folders.add(target.parent)
    for folder in folders:
        _sync_dir(folder)
    _unlink(journal)
    _sync_dir(journal.parent)


def _moves(staged: list[tuple[str, Path]], root: Path) -> list[list[str]]:
    return [[os.path.relpath(tmp, root), os.path.relpath(real, root)] for tmp, real in staged]


def _read_moves(journal: Path, root: Path) -> list[tuple[Path, Path]]:
    try:
        moves = json.loads(journal.read_text(encoding="utf-8")).get("moves", [])
    except (OSError, ValueError, AttributeError):
        return []
    out = []
    for pair in moves:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
            tmp, target = root / pair[0], root / pair[1]
            # only kaplan's own temporary files, beside their targets, are ever moved
            if tmp.parent == target.parent and tmp.name.startswith(f".{target.name}.") and tmp.name.endswith(".tmp"):
                out.append((tmp, target))
    return out


def _read_targets(pending: Path, root: Path) -> list[Path]:
    try:
        targets = json.loads(pending.read_text(encoding="utf-8")).get("targets", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [root / t for t in targets if isinstance(t, str)]


def _write_json(path: Path, doc: dict) -> None:
    tmp = _temp_beside(path, json.dumps(doc).encode("utf-8"), 0o644)
    os.replace(tmp, path)
    _sync_dir(path.parent)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
