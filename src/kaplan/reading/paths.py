"""Where a portfolio's files are: its `kaplan.yaml`, its plan files, and how files are named in findings.

Kept apart from the reader and the models, and importing nothing heavy, because every command needs
it first: `kaplan check` of an unchanged portfolio (see `_quick`) uses only this to find what to
look at, before anything that parses YAML or builds a model is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

from typing import Iterable

from kaplan.places import CONFIG_NAME, plans_dir  # noqa: F401 (re-exported)

PLAN_SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 5 * 1024 * 1024
"""Largest plan file read (a rich plan is ~10-50 KB)."""


def find_config(start: Path) -> Path | None:
    """The nearest `kaplan.yaml` in `start` or a parent folder."""
    start = Path(os.path.abspath(start))  # a plan that is a link is judged where it sits, not where it leads
    folder = (start if start.is_dir() else start.parent).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


CONFIG_ENV = "KAPLAN_CONFIG"
"""Names the settings file instead of looking for `kaplan.yaml` (`kaplan --config PATH` sets it)."""


def locate_portfolio(start: Path | None = None) -> tuple[Path, Path | None]:
    """(the portfolio's root folder, its `kaplan.yaml` or None) around `start` (default: the working
    folder): the file `$KAPLAN_CONFIG` names (its folder is the root), else the folder of the nearest
    `kaplan.yaml`, else the starting folder itself."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        path = Path(os.path.abspath(named))
        return path.parent.resolve(), path.parent.resolve() / path.name
    start = Path(os.path.abspath(start or Path.cwd()))
    path = find_config(start)
    if path is None:
        return (start if start.is_dir() else start.parent).resolve(), None
    path = path.resolve()
    return path.parent, path


_cwd: list[str] = ["", ""]


def _resolved_cwd() -> str:
    cwd = os.getcwd()
    if _cwd[0] != cwd:
        _cwd[:] = [cwd, os.path.realpath(cwd)]
    return _cwd[1]


def display_path(path: Path | str, base: Path | None = None) -> str:
    """How a file is named in findings: relative to `base` (or the working folder) when inside it."""
    text = str(path)
    if not os.path.isabs(text):
        return text
    return _relative(text, str(base.resolve()) if base is not None else _resolved_cwd())


def display_paths(paths: Iterable[Path | str]) -> list[str]:
    """`display_path` of each of many files, relative to the working folder (found once)."""
    prefix = _resolved_cwd()
    return [_relative(text, prefix) if os.path.isabs(text := str(p)) else text for p in paths]


def _relative(text: str, prefix: str) -> str:
    """The absolute path `text` relative to the resolved folder `prefix` when inside it."""
    if prefix == os.sep:
        return text[1:]
    if text.startswith(prefix + os.sep):
        return text[len(prefix) + 1:]
    try:
        return str(Path(os.path.realpath(text)).relative_to(prefix))
    except (ValueError, OSError):  # outside the base folder: keep it as given
        return text


def discover(portfolio, paths: Iterable[Path] = ()) -> list[Path]:
    """The plan files to read: the given files, the plans under given folders, or the portfolio's.

    `portfolio` is anything with `root` and `plans_dir` (a `config.Portfolio`).
    """
    return [_as_path(p) for p in _discover(portfolio, list(paths))]


def portfolio_files(portfolio, paths: Iterable[Path] = (), as_text: bool = False) -> tuple[list, list]:
    """(the files to check, every file the portfolio-wide rules must see).

    The second list has one fixed order: the portfolio's own plans as discovery lists them, then
    named files from elsewhere. So a plan's findings (a duplicate account is reported on the later
    of the two plans) are the same whether it is checked alone or with the whole portfolio.
    With `as_text`, files found by walking a folder stay path strings (thousands of `Path` objects
    cost more than an unchanged portfolio's whole check, see `_quick`); named files stay as named.
    """
    paths = list(paths)
    targets = _discover(portfolio, paths)
    if not paths or not portfolio.plans_dir.is_dir():
        everyone = list(targets)
    else:
        cwd = os.getcwd()
        named = {absolute(p, cwd): p for p in targets}
        everyone = [named.pop(absolute(p, cwd), p) for p in _discover(portfolio, [])] + list(named.values())
    if as_text:
        return targets, everyone
    return [_as_path(p) for p in targets], [_as_path(p) for p in everyone]


def absolute(path: Path | str, cwd: str | None = None) -> str:
    """The absolute form of a path (as `Path.absolute`: not resolved, so links stay visible)."""
    if isinstance(path, Path):
        return str(path.absolute())
    return path if os.path.isabs(path) else os.path.join(cwd or os.getcwd(), path)


def _as_path(path: Path | str) -> Path:
    return path if isinstance(path, Path) else Path(path)


def _discover(portfolio, paths: list[Path]) -> list[Path | str]:
    """`discover`, with files found by walking a folder as path strings."""
    if not paths:
        paths = [portfolio.plans_dir]
    found: list[Path | str] = []
    for p in paths:
        if p.is_dir():
            if (p / CONFIG_NAME).is_file() and p.resolve() == portfolio.root:
                p = portfolio.plans_dir
                if not p.is_dir():
                    continue
            if os.path.islink(p) and _leads_outside(p):
                found.append(p)  # a linked folder out of the portfolio: reported, not walked
                continue
            _walk(str(p), found)
        else:
            found.append(p)
    if len(paths) == 1:
        return found  # one folder walk (or one file) cannot name a file twice
    seen: set[str] = set()
    unique = []
    cwd = os.getcwd()
    for p in found:
        key = absolute(p, cwd)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def contained(path: Path, root: Path, display: str, explicit: bool = False):
    """The `outside-portfolio` finding when `path` leads out of the portfolio through a link.

    Files found by walking a folder are only checked when they are links themselves (folder links
    are never descended); paths named on the command line are always checked.
    """
    if not explicit and not os.path.islink(path):
        return None
    from kaplan.reading.containment import refusal

    return refusal(path, root, display)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: left to the reader, which reports the file as unreadable
        return False


def _leads_outside(link: Path) -> bool:
    from kaplan.reading.containment import escapes

    config = find_config(link.parent)
    return escapes(link, config.parent if config else link.parent) is not None


def _walk(top: str, out: list) -> None:
    """Append the plan files under `top` to `out`, as path strings: in each folder its files sorted by
    name, then the folder links that lead out of the portfolio (reported, not descended), then each
    subfolder's in turn; hidden folders and files, and `_` folders, are skipped. The walk keeps its
    own stack, so folders nested however deep cannot exhaust Python's; a nested folder that cannot
    be listed (a path longer than the system allows) is named itself, and reported as unreadable."""
    stack = [top]
    while stack:
        folder = stack.pop()
        files, folders, links = [], [], []
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if entry.is_symlink() and _is_dir(entry):
                        links.append(name)  # not descended; one that leads out of the portfolio is reported
                    elif entry.is_dir(follow_symlinks=False):
                        if not name.startswith("_"):
                            folders.append(name)
                    elif name.endswith(PLAN_SUFFIXES) and name != CONFIG_NAME:
                        files.append(name)
        except OSError:
            if folder == top:
                raise
            out.append(folder)
            continue
        files.sort()
        prefix = "" if folder == "." else folder  # as pathlib names them: `a.yaml`, not `./a.yaml`
        out.extend(os.path.join(prefix, name) for name in files)
        out.extend(Path(folder, name) for name in sorted(links) if _leads_outside(Path(folder, name)))
        stack.extend(os.path.join(prefix, name) for name in sorted(folders, reverse=True))
