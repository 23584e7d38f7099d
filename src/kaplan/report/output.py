"""Where a rendered pack goes: a file, a folder of files, or standard output.

Every file is written through `kaplan.writing.files.write_replace` (atomic: the old file survives any
failure). A pack never lands on a plan, on `kaplan.yaml` or in kaplan's own folder (`.kaplan/`: the
import ledger, the journal, the schemas): a target ending in `.yaml`/`.yml`, one of the portfolio's
plan files, or anything inside that folder is refused, whatever it is called.
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


def write_pack(path: Path, text: str | bytes, protected: set[Path] = frozenset(), own: Path | None = None) -> None:
    """Write one pack to `path`; refuse (WriteRefused) to overwrite a plan or config file, or to write
    anything inside `own` (the portfolio's `.kaplan` folder)."""
    real = Path(os.path.realpath(path))
    if path.suffix.lower() in PLAN_SUFFIXES or real in protected:
        raise WriteRefused(f"{path} is a plan or config file; a report is never written over one "
                           "(name the output for its format: .html, .md, .xlsx)")
    if own is not None and real.is_relative_to(os.path.realpath(own)):
        raise WriteRefused(f"{path} is inside {own.name}/, where kaplan keeps its own files (the import ledger, "
                           "the journal, the schemas); a report is never written there: name a file or folder "
                           "outside it with --out")
    if path.is_dir():
        raise WriteRefused(f"{path} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_replace(path, text)
