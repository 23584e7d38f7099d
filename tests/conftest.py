"""Shared test helpers: run the real CLI in a folder, write plans inline, a fixed "today"."""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kaplan.cli.app import app

TODAY = dt.date(2026, 11, 24)
REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="Rewrite golden files from the current output instead of comparing.")
    parser.addoption("--run-long", action="store_true", default=False,
                     help="Also run the tests marked `long` (the long fuzzing runs); KAPLAN_LONG_TESTS=1 does too.")


def pytest_collection_modifyitems(config, items):
    """`long` tests run only when asked for: they are the same properties with many more examples."""
    if config.getoption("--run-long") or os.environ.get("KAPLAN_LONG_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="long run: opt in with --run-long or KAPLAN_LONG_TESTS=1")
    for item in items:
        if item.get_closest_marker("long") is not None:
            item.add_marker(skip)


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def kaplan(monkeypatch):
    """Run `kaplan ARGS…` in a folder (default: the current one) through the real CLI."""

    def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        args = [str(a) for a in args]
        if args[:1] in (["score"], ["risk"], ["report"], ["review"]) and not any(
                a == "--today" or a.startswith("--today=") for a in args):
            args += ["--today", TODAY.isoformat()]  # what they say depends on the day: never the machine's
        runner = CliRunner()
        result = runner.invoke(app, args, env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


MINIMAL = """\
kaplan: 1
account:
  id: {id}
  name: {name}
plan:
  owner: Jo Owner
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def reads(monkeypatch):
    """The plans read from disk (summarised, by file name) while the test runs; a plan taken from the
    check cache is not among them."""
    from kaplan.reading import parallel

    seen: list[str] = []
    real = parallel.summarise

    def counting(path, display, config, today, **kw):
        seen.append(path.name)
        return real(path, display, config, today, **kw)

    monkeypatch.setattr(parallel, "summarise", counting)
    return seen


@pytest.fixture
def write(tmp_path):
    """Write `text` (dedented) to `tmp_path/relpath` and return the path."""

    def _write(relpath: str, text: str) -> Path:
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("kaplan-cache")))
    monkeypatch.setenv("KAPLAN_CACHE_KEY", str(tmp_path_factory.getbasetemp() / "kaplan-cache-key"))
    # `--no-cache` and `--config` set these for the rest of the process; set (empty: not in force)
    # here, so whatever a test's command sets is undone after it.
    monkeypatch.setenv("KAPLAN_NO_CACHE", "")
    monkeypatch.setenv("KAPLAN_CONFIG", "")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    os.environ.pop("FORCE_COLOR", None)
