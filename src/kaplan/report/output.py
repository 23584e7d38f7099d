"""Where a rendered pack goes: a file, a folder of files, or standard output.

Every file is written through `kaplan.writing.files.write_replace` (atomic: the old file survives any
failure). A pack never lands on a plan or on `kaplan.yaml`: a target ending in `.yaml`/`.yml`, or one
of the portfolio's plan files, is refused, whatever it is called.
"""

from __future__ import annotations

import os
from pathlib import Path

from kaplan.writing.files import WriteRefused, write_replace
from kaplan.reading.loader import PLAN_SUFFIXES


def target(out: Path, name: str, fmt: str, many: bool) -> Path:
    """The file to write: `out` itself, or `out/NAME.FMT` when `out` is a folder (always, for many packs).

    A path without a suffix (`packs`) is taken as a folder, so it need not exist yet.
    """
    if many or out.is_dir() or not out.suffix:
        return out / f"{name}.{fmt}"
    return out


def write_pack(path: Path, text: str | bytes, protected: set[Path] = frozenset()) -> None:
    """Write one pack to `path`; refuse (WriteRefused) to overwrite a plan or config file."""
    if path.suffix.lower() in PLAN_SUFFIXES or Path(os.path.realpath(path)) in protected:
        raise WriteRefused(f"{path} is a plan or config file; a report is never written over one "
                           "(name the output for its format: .html, .md, .xlsx)")
    if path.is_dir():
        raise WriteRefused(f"{path} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_replace(path, text)
