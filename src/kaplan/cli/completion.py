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
_WORD = re.compile(r"\w[\w.+-]*")
"""A value every shell takes as one literal word as it is: letters, digits and `_.+-`, not first a `-`."""
_WORDS = re.compile(r"\w[\w.+-]*(?: \w[\w.+-]*)*")
_TYPED = re.compile(r"[\w.+-]*")
_SPECIAL = re.compile(r"[^\w.+-]")
_GLOB = re.compile(r"[*?[]|[+@!]\(")
"""What bash would expand as a file name pattern (`extglob`'s too) in a value its script is given."""
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
            elif entry.name.endswith(PLAN_SUFFIXES) and _WORD.fullmatch(os.path.splitext(entry.name)[0]) \
                    and entry.is_file(follow_symlinks=False):
                # a plan's file is named by its account id, a plain word (`$(touch x).yaml` and `-rf.yaml`
                # are no plan's); a shell would take another name for more than one literal word
                out.append(entry.path)
    return out


def _as_word(value: str, shell: str, incomplete: str) -> str | None:
    """`value` as the shell asking takes it for one literal word, or None when it is not offered.

    A name the terminal would act on (an escape sequence) never is: shells print candidates raw, and
    a value starting with `-` would be read as an option, quoted or not. bash inserts a value as it is
    given, after expanding file name patterns in it: it gets a value that is not a plain word with its
    characters after what was typed escaped (typer offers only values that start with what was typed,
    unquoted), unless it holds a pattern or what was typed is no plain word. zsh and fish quote what
    they insert, but typer's zsh script passes values through `eval`: they get plain words with single
    spaces between them. PowerShell (and a shell not named) inserts a value as it is: plain words only.
    """
    if value.startswith("-") or visible(value) != value:
        return None
    if _WORD.fullmatch(value):
        return value
    if shell == "bash":
        if _GLOB.search(value) or not _TYPED.fullmatch(incomplete):
            return None
        return incomplete + _SPECIAL.sub(r"\\\g<0>", value[len(incomplete):])
    if shell in ("zsh", "fish") and _WORDS.fullmatch(value):
        return value
    return None


def _starting(values, incomplete: str) -> list[str]:
    """The values starting with `incomplete`, in order, each as the shell asking takes it (`_as_word`)."""
    shell = os.environ.get("_KAPLAN_COMPLETE", "").removeprefix("complete_")
    words = {v: _as_word(v, shell, incomplete) for v in values if v.startswith(incomplete)}
    return [words[v] for v in sorted(words) if words[v] is not None]


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
