"""Where kaplan's own files are: a portfolio's `kaplan.yaml` and plans folder, and the built-in templates
(inside the installed package, or `templates/` in a source tree)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "kaplan.yaml"
OWN_FOLDER = ".kaplan"
"""The folder beside `kaplan.yaml` holding kaplan's own files: the import ledger, the journal, the schemas."""


def plans_dir(root: Path, plans: str) -> Path:
    """The plans folder: lexical, not resolved, so a `plans` folder that is a link out of the
    portfolio stays visible as one and discovery can refuse it (see `reading.containment`)."""
    return Path(os.path.normpath(root / plans))


def builtin_dir() -> Path:
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "templates"
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError("kaplan's templates are missing from this installation; reinstall kaplan")
