"""The one place kaplan writes files: atomically, never clobbering what it was not asked to.

A file is written to a temporary file in the same folder, flushed to disk, then moved into place,
so a crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path


class WriteRefused(Exception):
    """The write was refused (the file exists, or the target is outside where it may go)."""


def temp_name(name: str) -> re.Pattern:
    """The names of the temporary files kaplan writes beside a file called `name`, and only those:
    `.NAME.` then 16 lower-case hex digits then `.tmp` (what a crash may leave; `batch` moves or
    deletes nothing else)."""
    return re.compile(rf"\.{re.escape(name)}\.[0-9a-f]{{16}}\.tmp")


def _temp_beside(path: Path, data: bytes, mode: int, sync: bool = True) -> str:
    """A temporary file beside `path` holding `data`, flushed to disk unless the caller syncs a whole set."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o600)
            break
        except FileExistsError:  # pragma: no cover - 64 random bits taken: draw again
            continue
    try:
        # created private (0600); the plan gets the mode it had, or the usual one.
        # os.fchmod is missing on Windows before Python 3.13; os.chmod by name works everywhere.
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; refuse (WriteRefused) if it exists, even if created concurrently."""
    data = text.encode("utf-8")
    if path.exists() or path.is_symlink():
        raise WriteRefused(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path, data, _default_mode())
    try:
        _claim(tmp, path)
    except FileExistsError:
        raise WriteRefused(f"{path} already exists") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    _sync_dir(path.parent)


def _claim(tmp: str, path: Path) -> None:
    """Put the finished `tmp` at `path`, failing with FileExistsError if the name is taken.

    A hard link does both in one step. Where links are not to be had (some Windows and network file
    systems), the name is taken first with an exclusive create, then the content moved over it: the
    name is still claimed exactly once, and a reader may briefly see an empty file.
    """
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise
    except (OSError, NotImplementedError, AttributeError):
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    os.replace(tmp, path)


def write_replace(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` (or bytes) atomically (the old content survives any failure)."""
    tmp = _temp_beside(path, text.encode("utf-8") if isinstance(text, str) else text, mode_for(path))
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    _sync_dir(path.parent)


def mode_for(path: Path) -> int:
    """The permissions the new version of `path` gets: those of the regular file it replaces (read,
    write and execute bits only: a rewrite never carries set-user-id, set-group-id or sticky bits), else
    the usual ones. Judged on the name itself (lstat): a symbolic link's target lends it nothing."""
    import stat

    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _default_mode()
    return st.st_mode & 0o777 if stat.S_ISREG(st.st_mode) else _default_mode()


def _default_mode() -> int:
    """0666 less the process umask: the mode `open()` would give a new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
