"""Which files belong to a portfolio: a symbolic link that leads out of it is refused, never followed.

A plan repository is shared and reviewed in pull requests. A link committed as `plans/acme.yaml ->
~/.ssh/config` (or a folder link to `/etc`) would otherwise make `kaplan check` read a file that is
not part of the portfolio and echo its values into CI logs, and would make a writing command
overwrite it. So:

- reading: a path that *looks* inside the portfolio (its folder is under the portfolio root) but
  really leads outside it, through a link anywhere along the way, is reported as an
  `outside-portfolio` finding at line 1 and is not opened;
- writing: such a path is refused (`WriteRefused`); a link that stays inside the portfolio is
  written through, so the link itself survives;
- a path the user names outside the portfolio (no link involved) is the user's choice, not ours.

Links that stay inside the portfolio are fine. Folder links are not descended when kaplan walks a
folder (that would visit plans twice, or loop); one that leads outside is reported like a file.
Hard links cannot be told apart from ordinary files and are not covered (see SECURITY.md).
"""

from __future__ import annotations

import os
from pathlib import Path

from kaplan.findings import Finding, Severity

RULE_ID = "outside-portfolio"
"""The rule of a path that leads out of the portfolio (documented in `kaplan.rules.file`)."""


def escapes(path: Path | str, root: Path | str) -> Path | None:
    """Where `path` really leads, when it sits in the portfolio at `root` but leads outside it.

    None when the path is fine: it stays inside the portfolio, or the user named a place outside
    the portfolio directly (no link involved), or it does not exist yet and its folder is inside.
    A link loop is left to the reader, which reports the file as unreadable.
    """
    root = Path(root).resolve()
    lexical = Path(os.path.abspath(path))
    if not _within(lexical, root):
        return None
    # Non-strict: a missing file is judged by its folder; a link loop resolves to somewhere inside
    # the loop, and reading it then fails and is reported as unreadable.
    real = Path(os.path.realpath(lexical))
    return None if _within(real, root) else real


def refusal(path: Path | str, root: Path | str, display: str) -> Finding | None:
    """The `outside-portfolio` finding for `path` (shown as `display`), or None when it may be read."""
    target = escapes(path, root)
    if target is None:
        return None
    kind = "folder" if Path(path).is_dir() else "file"
    return Finding(display, 1, 1, RULE_ID, Severity.ERROR,
                   f"this {kind} is a symbolic link to {target}, outside the portfolio; kaplan does not follow it",
                   "copy the plan into the portfolio, or point the link at a file inside it")


def linked_folders_outside(folder: Path, root: Path | str) -> list[Path]:
    """Folder links directly in `folder` that lead outside the portfolio (for a folder walk to report)."""
    out = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        if entry.is_symlink() and entry.is_dir() and escapes(entry.path, root) is not None:
            out.append(Path(entry.path))
    return out


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents

