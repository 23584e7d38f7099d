"""Loading plans and the portfolio config from disk, with every problem as a located finding.

This is the one read path: bytes → text → YAML document (with positions) → pydantic model.
Rules and commands only ever see `LoadedPlan`s; how the bytes became data is this module's business.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from . import _fastyaml, _yaml
from ._validation import validate
from .config import CONFIG_NAME, Config, Portfolio, find_config
from .findings import Finding, Severity
from .health.settings import SIGNALS as HEALTH_SIGNALS
from .model import Plan

PLAN_SUFFIXES = (".yaml", ".yml")


class ConfigError(Exception):
    """`kaplan.yaml` is unreadable or invalid; carries the findings (a usage error, exit 2)."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f"{f.location()}: {f.message}" for f in findings))
        self.findings = findings


@dataclass
class LoadedPlan:
    """One plan file as read: the plan when it is valid, and what was wrong with it otherwise."""

    path: Path
    display: str
    plan: Plan | None = None
    document: _yaml.Document | None = field(default=None, repr=False)
    findings: list[Finding] = field(default_factory=list)
    text: str | None = field(default=None, repr=False)
    """The file's text, kept when it was read by the fast path, to locate findings later."""

    _positions: dict | None = field(default=None, repr=False)

    def locate_all(self, paths: Iterable[tuple]) -> None:
        """Read the positions of all these paths in one pass (for a file read by the fast path)."""
        if self.document is None and self.text is not None:
            wanted = [tuple(p) for p in paths]
            if self._positions is None or any(p not in self._positions for p in wanted):
                from . import _linescan, _locator

                found = _linescan.positions(self.text, wanted)
                if found is None:
                    found = _locator.positions(self.text, wanted)
                self._positions = {**(self._positions or {}), **found}

    def locate(self, at: tuple = (), key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of a path in the plan; positions are read only when first needed."""
        if self.document is not None:
            return self.document.locate(at, key)
        if self.text is None:
            return (1, 1)
        from . import _locator

        if self._positions is None or tuple(at) not in self._positions:
            self.locate_all([at])
        return _locator.locate(self._positions, at, key)


_cwd: list[str] = ["", ""]


def _resolved_cwd() -> str:
    cwd = os.getcwd()
    if _cwd[0] != cwd:
        _cwd[:] = [cwd, os.path.realpath(cwd)]
    return _cwd[1]


def display_path(path: Path, base: Path | None = None) -> str:
    """How a file is named in findings: relative to `base` (or the working folder) when inside it."""
    text = str(path)
    if not os.path.isabs(text):
        return text
    prefix = str(base.resolve()) if base is not None else _resolved_cwd()
    if prefix == os.sep:
        return text[1:]
    if text.startswith(prefix + os.sep):
        return text[len(prefix) + 1:]
    try:
        return str(path.resolve().relative_to(prefix))
    except (ValueError, OSError):  # outside the base folder: keep it as given
        return text


def _problem(display: str, p: _yaml.YamlProblem) -> Finding:
    return Finding(display, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)


def read_bytes(path: Path) -> bytes:
    """A plan file's bytes: only a regular file, and never more than the reader's limit.

    Raises `YamlProblem` for a file too large or not a regular file (a pipe or a device would block
    or never end), `OSError` when it cannot be opened.
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _yaml.YamlProblem("unreadable", "this is not a regular file (a folder, pipe or device)",
                                hint="name plan files only")
    if st.st_size > _yaml.MAX_BYTES:
        raise _yaml.YamlProblem("too-large", f"the file is larger than {_yaml.MAX_BYTES // 1048576} MiB",
                                hint="plans are text; move attachments out of the plan")
    with open(path, "rb") as fh:
        data = fh.read(_yaml.MAX_BYTES + 1)
    if len(data) > _yaml.MAX_BYTES:  # grew since the stat
        raise _yaml.YamlProblem("too-large", f"the file is larger than {_yaml.MAX_BYTES // 1048576} MiB",
                                hint="plans are text; move attachments out of the plan")
    return data


def read_text(path: Path, display: str) -> tuple[str | None, Finding | None]:
    """The text of a file, or a finding when it is unreadable, too large or not UTF-8 text."""
    try:
        return _yaml.decode(read_bytes(path)), None
    except _yaml.YamlProblem as p:
        return None, _problem(display, p)
    except OSError as e:
        return None, Finding(display, 1, 1, "unreadable", Severity.ERROR,
                             f"cannot read the file: {e.strerror or e}", "check the path and its permissions")


def read_document(path: Path, display: str) -> tuple[_yaml.Document | None, Finding | None]:
    """Read and parse one YAML file with positions; a finding instead when it cannot be read."""
    text, problem = read_text(path, display)
    if problem:
        return None, problem
    try:
        return _yaml.parse(text), None
    except _yaml.YamlProblem as p:
        return None, _problem(display, p)


def load_plan(path: Path | str, display: str | None = None) -> LoadedPlan:
    """Load and validate one plan file.

    A clean file is read by the fast path (no positions); a file the fast path declines, or whose
    data does not validate, is read again by the reference reader, which locates every problem.
    """
    path = Path(path)
    loaded = LoadedPlan(path, display or display_path(path))
    text, problem = read_text(path, loaded.display)
    if problem:
        loaded.findings.append(problem)
        return loaded
    data = _fastyaml.load(text)
    if data is not None:
        try:
            loaded.plan = Plan.model_validate(data)
            loaded.text = text
            return loaded
        except ValidationError:
            pass
    try:
        loaded.document = _yaml.parse(text)
    except _yaml.YamlProblem as p:
        loaded.findings.append(_problem(loaded.display, p))
        return loaded
    loaded.plan, loaded.findings = validate(Plan, loaded.document, loaded.display)
    return loaded


def open_portfolio(start: Path | None = None, config_path: Path | None = None) -> Portfolio:
    """The portfolio around `start`: its `kaplan.yaml` (nearest parent) or the default config.

    Raises `ConfigError` when the config file exists but is invalid.
    """
    start = Path(os.path.abspath(start or Path.cwd()))
    path = config_path or find_config(start)
    if path is None:
        root = (start if start.is_dir() else start.parent).resolve()
        return Portfolio(root=root, config=Config())
    display = display_path(path.resolve())
    doc, problem = read_document(path, display)
    if problem:
        raise ConfigError([problem])
    config, findings = validate(Config, doc, display)
    if not findings:
        findings = [Finding(display, *doc.locate(i.at, i.key), "config", Severity.ERROR, i.message, i.hint)
                    for i in config_problems(config)]
    if findings:
        raise ConfigError(findings)
    return Portfolio(root=path.resolve().parent, config=config, config_path=path.resolve())


def config_problems(config: Config):
    """Mistakes in `kaplan.yaml` that its schema cannot see (unknown rule ids, scoring references)."""
    import difflib

    from . import rules
    from .findings import Issue
    from .scoring.settings import problems

    for rule_id in config.rules:
        if rule_id not in rules.REGISTRY:
            close = difflib.get_close_matches(rule_id, list(rules.REGISTRY), n=1)
            yield Issue(("rules", rule_id), f"unknown rule `{rule_id}`",
                        f"did you mean `{close[0]}`?" if close else "`kaplan check --list-rules` lists the rules",
                        key=True)
    unknown = sorted(set(config.health.weights) - set(HEALTH_SIGNALS))
    for name in unknown:
        yield Issue(("health", "weights", name), f"unknown health signal `{name}`",
                    f"signals: {', '.join(HEALTH_SIGNALS)}", key=True)
    if config.health.amber_max < config.health.red_max:
        yield Issue(("health", "amber_max"), "`amber_max` must not be below `red_max`",
                    "amber covers the health scores between red_max and amber_max")
    yield from problems(config.scoring)


def discover(portfolio: Portfolio, paths: Iterable[Path] = ()) -> list[Path]:
    """The plan files to read: the given files, the plans under given folders, or the portfolio's."""
    paths = list(paths)
    if not paths:
        paths = [portfolio.plans_dir]
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            if (p / CONFIG_NAME).is_file() and p.resolve() == portfolio.root:
                p = portfolio.plans_dir
                if not p.is_dir():
                    continue
            if os.path.islink(p) and _leads_outside(p):
                found.append(p)  # a linked folder out of the portfolio: reported, not walked
                continue
            found.extend(_plans_under(p))
        else:
            found.append(p)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: left to the reader, which reports the file as unreadable
        return False


def _leads_outside(link: Path) -> bool:
    from ._containment import escapes

    config = find_config(link.parent)
    return escapes(link, config.parent if config else link.parent) is not None


def contained(path: Path, root: Path, display: str, explicit: bool = False) -> Finding | None:
    """The `outside-portfolio` finding when `path` leads out of the portfolio through a link.

    Files found by walking a folder are only checked when they are links themselves (folder links
    are never descended); paths named on the command line are always checked.
    """
    if not explicit and not os.path.islink(path):
        return None
    from ._containment import refusal

    return refusal(path, root, display)


def _plans_under(folder: Path) -> list[Path]:
    """Plan files under `folder`, sorted, skipping hidden and `_` folders (Path.iterdir is the fast way
    to make thousands of paths)."""
    out = []
    files, folders, links = [], [], []
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
    if files:
        wanted = set(files)
        out.extend(sorted((p for p in folder.iterdir() if p.name in wanted), key=lambda p: p.name))
    out.extend(folder / name for name in sorted(links) if _leads_outside(folder / name))
    for name in sorted(folders):
        out.extend(_plans_under(folder / name))
    return out
