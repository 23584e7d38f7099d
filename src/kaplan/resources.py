"""Finding the built-in templates: inside the installed package, or `templates/` in a source tree."""

from __future__ import annotations

from pathlib import Path


def builtin_dir() -> Path:
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "templates"
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError("kaplan's templates are missing from this installation; reinstall kaplan")
