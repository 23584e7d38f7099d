"""Values for shell completion: account ids, owners, tiers, rule ids, formats and levels.

The shell asks on every <Tab>, so this reads as little as it can: account ids are the plan files'
names (a plan's id is its file name, which `check` enforces), owners a one-line search of each plan,
and nothing here builds a model or parses YAML but `kaplan.yaml` itself for its tiers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kaplan.reading.paths import PLAN_SUFFIXES, locate_portfolio
from kaplan.views.safe_text import visible

LEVELS = ("high", "medium", "low", "red", "amber", "green")
_PLANS_KEY = re.compile(r"^plans:[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$", re.M)
_OWNER = re.compile(r"^[ \t]*(?:plan:[ \t]*\{.*?)?\bowner:[ \t]*['\"]?([^,'\"#}\n]+?)['\"]?[ \t]*(?:[,}#]|$)", re.M)


def _plans_folder() -> Path:
    root, config = locate_portfolio(None)
    folder = "plans"
    if config is not None:
        try:
            found = _PLANS_KEY.search(config.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            found = None
        if found:
            folder = found.group(1).strip()
    return root / folder


def _plan_files() -> list[str]:
    out: list[str] = []
    stack = [str(_plans_folder())]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith(PLAN_SUFFIXES) and entry.is_file(follow_symlinks=False):
                out.append(entry.path)
    return out


def _starting(values, incomplete: str) -> list[str]:
    # a name the terminal would act on (a file named with an escape sequence) is not offered: the
    # shell prints candidates raw, and inserting an escaped form would name another account
    return sorted({v for v in values if v.startswith(incomplete) and visible(v) == v})


def account_ids(incomplete: str = "") -> list[str]:
    """The ids of the portfolio's accounts (its plan files' names) that start with `incomplete`."""
    return _starting((os.path.splitext(os.path.basename(p))[0] for p in _plan_files()), incomplete)


def owners(incomplete: str = "") -> list[str]:
    """The KAMs named as `owner:` in the portfolio's plans."""
    found = []
    for path in _plan_files():
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                match = _OWNER.search(fh.read(200_000))
        except OSError:
            continue
        if match:
            found.append(match.group(1).strip())
    return _starting(found, incomplete)


def tiers(incomplete: str = "") -> list[str]:
    """The tier names in force under this portfolio's `kaplan.yaml` (its own, else the defaults)."""
    try:
        from kaplan.reading.loader import open_portfolio

        names = [t.name for t in open_portfolio(None).config.scoring.tiers]
    except Exception:  # a broken kaplan.yaml completes nothing rather than printing a traceback
        return []
    return _starting(names, incomplete)


def rule_ids(incomplete: str = "") -> list[str]:
    from kaplan import rules

    return _starting(rules.REGISTRY, incomplete)


def levels(incomplete: str = "") -> list[str]:
    return [v for v in LEVELS if v.startswith(incomplete)]


def choices(*values: str):
    """A completion function offering exactly `values` (e.g. a command's output formats)."""
    def complete(incomplete: str = "") -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete
