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

from kaplan.reading import fastyaml as _fastyaml

from kaplan.reading import document as _yaml
from kaplan.reading.validation import error_findings, plainly_located, validate
from kaplan.reading.paths import PLAN_SUFFIXES, contained, discover, display_path, locate_portfolio  # noqa: F401 (re-exported)
from kaplan.config import Config, Portfolio
from kaplan.findings import Finding, FindingsError, Severity
from kaplan.config.health import SIGNALS as HEALTH_SIGNALS
from kaplan.model import Plan

class ConfigError(FindingsError):
    """`kaplan.yaml` is unreadable or invalid; carries the findings (a usage error, exit 2)."""


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
    _asked: set = field(default_factory=set, repr=False)
    """The paths whose positions were read (a path not in the file has none in `_positions`)."""

    def locate_all(self, paths: Iterable[tuple]) -> None:
        """Read the positions of all these paths in one pass (for a file read by the fast path); a
        path asked before is not looked for again, so locating many findings one by one costs one pass
        each only when they are new."""
        if self.document is None and self.text is not None:
            wanted = [p for p in dict.fromkeys(map(tuple, paths)) if p not in self._asked]
            if wanted:
                from kaplan.reading import linescan as _linescan

                # lines are read split at `\n`; a text with other line breaks goes to libyaml directly
                from kaplan.reading import locator as _locator
                found = None if "\r" in self.text else _linescan.positions(self.text, wanted)
                if found is None:
                    found = _locator.positions(self.text, wanted)
                if self._positions is None:
                    self._positions = {}
                self._positions.update(found)
                self._asked.update(wanted)

    def locate(self, at: tuple = (), key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of a path in the plan; positions are read only when first needed."""
        if self.document is not None:
            return self.document.locate(at, key)
        if self.text is None:
            return (1, 1)
        from kaplan.reading import locator as _locator

        self.locate_all([at])
        return _locator.locate(self._positions, at, key)


def _problem(display: str, p: _yaml.YamlProblem) -> Finding:
    hint = _empty_file_hint(display) if p.rule == "empty-file" else p.hint
    return Finding(display, p.line, p.column, p.rule, Severity.ERROR, p.message, hint)


def _empty_file_hint(display: str) -> str:
    """A hint that works when followed: `kaplan new` fills an empty plan file named after the account."""
    from kaplan.model.types import SLUG

    stem = Path(display).stem
    if SLUG.fullmatch(stem) and Path(display).suffix == ".yaml":
        return f"run `kaplan new {stem}` to write a plan into this file (comments in it are kept), or delete it"
    return "delete the file, or rename it ACCOUNT.yaml and run `kaplan new ACCOUNT` to write a plan into it"


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
        raise _too_large()
    with open(path, "rb") as fh:
        data = fh.read(_yaml.MAX_BYTES + 1)
    if len(data) > _yaml.MAX_BYTES:  # grew since the stat
        raise _too_large()
    return data


def _too_large() -> _yaml.YamlProblem:
    return _yaml.YamlProblem("too-large", f"the file is larger than {_yaml.MAX_BYTES // 1048576} MiB",
                             hint="plans are text; move attachments out of the plan")


def read_text(path: Path, display: str, data: bytes | None = None) -> tuple[str | None, Finding | None]:
    """The text of a file (or of its bytes, already read), or a finding when it is unreadable, too
    large or not UTF-8 text."""
    try:
        if data is None:
            data = read_bytes(path)
        elif len(data) > _yaml.MAX_BYTES:
            raise _too_large()
        return _yaml.decode(data), None
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


def load_plan(path: Path | str, display: str | None = None, data: bytes | None = None) -> LoadedPlan:
    """Load and validate one plan file (from `data` when its bytes are already read).

    A clean file is read by the fast path (no positions); a file the fast path declines, or whose
    data does not validate, is read again by the reference reader, which locates every problem.
    """
    path = Path(path)
    loaded = LoadedPlan(path, display or display_path(path))
    text, problem = read_text(path, loaded.display, data)
    if problem:
        loaded.findings.append(problem)
        return loaded
    data = _fastyaml.load(text)
    if data is not None:
        try:
            loaded.plan = Plan.model_validate(data)
            loaded.text = text
            return loaded
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            if plainly_located(errors, data):  # locate the errors from the lines; no second parse
                loaded.text = text
                try:
                    loaded.findings = error_findings(Plan, exc, loaded, loaded.display, errors)
                    return loaded
                except Exception:  # the locators' libyaml refuses the text: the reference reader says why
                    loaded.text, loaded._positions, loaded._asked = None, None, set()
    try:
        loaded.document = _yaml.parse(text)
    except _yaml.YamlProblem as p:
        loaded.findings.append(_problem(loaded.display, p))
        return loaded
    loaded.plan, loaded.findings = validate(Plan, loaded.document, loaded.display)
    return loaded


def load_positions(path: Path | str, display: str) -> LoadedPlan:
    """A plan file read only to locate things in it, not validated: positions come from its lines
    when the fast path would read it, else from the reference reader (as `load_plan` does)."""
    loaded = LoadedPlan(Path(path), display)
    text, problem = read_text(loaded.path, display)
    if problem:
        return loaded  # gone or unreadable since it was summarised: its findings point at line 1
    if _fastyaml.takes(text):
        loaded.text = text
        return loaded
    try:
        loaded.document = _yaml.parse(text)
    except _yaml.YamlProblem:
        pass
    return loaded


def open_portfolio(start: Path | None = None, config_path: Path | None = None) -> Portfolio:
    """The portfolio around `start`: its `kaplan.yaml` (nearest parent) or the default config.

    Raises `ConfigError` when the config file exists but is invalid.
    """
    root, path = (None, config_path) if config_path else locate_portfolio(start)
    if path is None:
        return Portfolio(root=root, config=Config())
    display = display_path(path.resolve())
    doc, problem = read_document(path, display)
    if problem is not None and problem.rule == "empty-file":  # every key is optional: an empty file is the defaults
        return Portfolio(root=path.resolve().parent, config=Config(), config_path=path.resolve())
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

    from kaplan import rules
    from kaplan.findings import Issue
    from kaplan.config.scoring import problems

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
    from kaplan.config.imports import problems as import_problems

    yield from import_problems(config.import_)
