"""The CLI behaves like the tools users already trust: version, CI detection, colour, verbosity,
progress on long runs and shell completion."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL, TODAY
from kaplan import __version__
from kaplan.cli.progress_bar import FileProgress
from kaplan.commands.check import check

BIN = Path(sys.executable).parent
KAPLAN = shutil.which("kaplan", path=str(BIN)) or shutil.which("kaplan")

WARNED = MINIMAL.format(id="acme", name="Acme") + "  last_reviewed: 2026-01-10\n"
BROKEN = MINIMAL.format(id="bravo", name="Bravo").replace("  name: Bravo\n", "  name: Bravo\n  secter: x\n")


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed `kaplan` command in a child process (what a shell, a hook or CI runs)."""
    assert KAPLAN, "the kaplan command is not installed next to this Python"
    base = {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "PY_COLORS", "TERM")}
    return subprocess.run([KAPLAN, *args], cwd=cwd, env={**base, **(env or {})}, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def portfolio(write, tmp_path):
    write("plans/acme.yaml", WARNED)
    write("plans/bravo.yaml", BROKEN)
    return tmp_path


def test_version(kaplan, tmp_path):
    r = kaplan("--version", cwd=tmp_path)
    assert (r.exit_code, r.stdout) == (0, f"kaplan {__version__}\n")


# ---------------------------------------------------------------- CI detection


def test_inside_github_actions_check_writes_annotations(kaplan, portfolio):
    r = kaplan("check", "--today", TODAY.isoformat(), cwd=portfolio, env={"GITHUB_ACTIONS": "true"})
    assert r.exit_code == 1
    assert r.stdout.startswith("::")
    assert "::error file=plans/bravo.yaml,line=5,col=3,title=kaplan unknown-key::" in r.stdout


def test_an_explicit_format_wins_over_the_ci_default(kaplan, portfolio):
    r = kaplan("check", "--format", "json", "--today", TODAY.isoformat(), cwd=portfolio,
               env={"GITHUB_ACTIONS": "true"})
    assert "unknown-key" in {f["rule"] for f in r.json()["findings"]}


@pytest.mark.parametrize("value", [None, "false", ""])
def test_outside_github_actions_output_is_text(kaplan, portfolio, value):
    env = {} if value is None else {"GITHUB_ACTIONS": value}
    r = kaplan("check", "--today", TODAY.isoformat(), cwd=portfolio, env=env)
    assert r.stdout.startswith("plans/acme.yaml:")


def test_unknown_format_lists_sarif_among_the_choices(kaplan, portfolio):
    r = kaplan("check", "--format", "xml", cwd=portfolio)
    assert r.exit_code == 2
    assert "text, json, github, sarif" in r.stderr


# ---------------------------------------------------------------- colour


def test_colour_on_a_terminal_and_none_with_no_color(portfolio):
    coloured = run("check", "--today", TODAY.isoformat(), cwd=portfolio, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    plain = run("check", "--today", TODAY.isoformat(), cwd=portfolio, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
    assert plain.stdout.splitlines()[0].startswith("plans/acme.yaml:")
    assert coloured.returncode == plain.returncode == 1


def test_piped_output_has_no_colour(portfolio):
    r = run("check", "--today", TODAY.isoformat(), cwd=portfolio)
    assert "\x1b[" not in r.stdout + r.stderr


def test_text_reporter_honours_no_color_even_when_told_to_colour(portfolio, monkeypatch):
    from kaplan.views.check import text

    result = check([portfolio / "plans"], today=TODAY)
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    text(result, out, color=True)
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    text(result, out, color=True)
    assert "\x1b[" not in out.getvalue()


# ---------------------------------------------------------------- quiet and verbose


def test_quiet_shows_errors_only(kaplan, portfolio):
    r = kaplan("check", "--quiet", "--today", TODAY.isoformat(), cwd=portfolio)
    assert "warning" not in r.stdout.split("\n")[0]
    assert "[unknown-key]" in r.stdout and "[review-stale]" not in r.stdout


def test_verbose_says_what_was_used_on_stderr_and_leaves_stdout_alone(kaplan, portfolio, write):
    write("kaplan.yaml", "kaplan: 1\nrules: {single-threaded: off}\n")
    plain = kaplan("check", "--today", TODAY.isoformat(), cwd=portfolio)
    r = kaplan("check", "-v", "--today", TODAY.isoformat(), cwd=portfolio)
    assert r.stdout == plain.stdout
    assert r.exit_code == plain.exit_code
    lines = r.stderr.splitlines()
    assert lines[0] == "kaplan: config: kaplan.yaml; plans folder: plans"
    assert "off: single-threaded" in lines[1]
    assert "kaplan: read plans/acme.yaml" in lines and "kaplan: read plans/bravo.yaml" in lines
    assert lines[-1].startswith("kaplan: 2 files in ")


def test_verbose_without_kaplan_yaml_says_defaults(kaplan, portfolio):
    r = kaplan("check", "-v", "--today", TODAY.isoformat(), cwd=portfolio)
    assert r.stderr.splitlines()[0] == "kaplan: config: none (defaults); plans folder: plans"


# ---------------------------------------------------------------- progress on long runs


def test_check_reports_progress_file_by_file(portfolio):
    seen = []
    check([portfolio / "plans"], today=TODAY, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_progress_bar_draws_on_a_terminal_for_long_runs():
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with FileProgress("checking plans", console=console, threshold=10) as progress:
        for i in range(1, 21):
            progress(i, 20)
    assert "checking plans" in buffer.getvalue()


@pytest.mark.parametrize("terminal, total, quiet", [(False, 500, False), (True, 5, False), (True, 500, True)])
def test_progress_bar_stays_away_otherwise(terminal, total, quiet):
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=80)
    with FileProgress("checking plans", console=console, enabled=not quiet, threshold=10) as progress:
        for i in range(1, total + 1):
            progress(i, total)
    assert buffer.getvalue() == ""


def test_a_long_run_through_a_pipe_prints_no_progress(write, tmp_path):
    for i in range(150):
        write(f"plans/a{i}.yaml", MINIMAL.format(id=f"a{i}", name=f"A {i}"))
    r = run("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.returncode == 0, r.stdout
    assert r.stderr == ""
    assert r.stdout == "150 files checked: no problems\n"


# ---------------------------------------------------------------- shell completion


def test_show_completion_prints_a_bash_script(tmp_path):
    r = run("--show-completion", "bash", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "_kaplan_completion" in r.stdout and "complete " in r.stdout


def test_install_completion_writes_the_script_for_the_shell(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # the shell is named, not found among the processes above (a test run from cron or a detached job has none)
    r = run("--install-completion", "bash", cwd=tmp_path, env={"HOME": str(home), "SHELL": "/bin/bash",
                                                              "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert r.returncode == 0, r.stderr
    assert "completion installed" in r.stdout.lower()
    scripts = list(home.rglob("kaplan*"))
    assert scripts and "_kaplan_completion" in scripts[0].read_text()


@pytest.mark.parametrize("words, cword, expected", [
    ("kaplan ch", 1, ["check"]),
    ("kaplan i", 1, ["init", "import"]),
    ("kaplan check --format ", 3, ["text", "json", "github", "sarif"]),
    ("kaplan schema ", 2, ["plan", "config"]),
])
def test_completion_completes_commands_and_values(tmp_path, words, cword, expected):
    r = run(cwd=tmp_path, env={"_KAPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == expected


def test_new_quiet_prints_nothing(kaplan, tmp_path):
    r = kaplan("new", "acme", "-q", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert (tmp_path / "plans" / "acme.yaml").is_file()
