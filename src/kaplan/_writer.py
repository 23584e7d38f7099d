"""The one place kaplan writes files: atomically, never clobbering what it was not asked to.

A file is written to a temporary file in the same folder, flushed to disk, then moved into place,
so a crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    """The write was refused (the file exists, or the target is outside where it may go)."""


def _temp_beside(path: Path, data: bytes, mode: int) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); the plan gets the mode it had, or the usual one.
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
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
        os.link(tmp, path)  # atomic, and fails if the name is taken
    except FileExistsError:
        raise WriteRefused(f"{path} already exists") from None
    finally:
        os.unlink(tmp)
    _sync_dir(path.parent)


def write_replace(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` (or bytes) atomically (the old content survives any failure)."""
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    tmp = _temp_beside(path, text.encode("utf-8") if isinstance(text, str) else text, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    _sync_dir(path.parent)


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
