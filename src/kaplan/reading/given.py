"""A file named on the command line to read whole (an export to import, a deck template): a regular
file only, and never more than a limit.

`os.stat` and a plain read wait forever on a named pipe and read `/dev/zero` without end. `read_file`
opens without waiting (O_NONBLOCK), looks at what it opened, and reads a regular file only, at most
`limit` bytes and one more to tell a file that grew past it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotAFile(ValueError):
    """What was named is a folder, a named pipe or a device."""


class TooLarge(ValueError):
    """The file holds more than the limit."""


def read_file(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at `path`; `NotAFile`, `TooLarge`, or `OSError` when it cannot be read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(str(path))
        if info.st_size > limit:
            raise TooLarge(str(path))
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # grew since it was looked at
        raise TooLarge(str(path))
    return data
