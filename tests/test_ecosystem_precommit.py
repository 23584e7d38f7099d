"""From an empty folder to a checked commit: `kaplan init`, `kaplan new`, `kaplan check`, pre-commit.

Everything runs as a user would run it: the installed `kaplan` command and the real `pre-commit`
(from PyPI, in the test extra) in a fresh git repository. The hook `kaplan init` writes uses
`language: system`, so it runs the kaplan on PATH and needs nothing from the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def sh(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    path = os.pathsep.join([str(BIN), os.environ.get("PATH", "")])
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**base, "PATH": path, "NO_COLOR": "1", **(env or {})})


@pytest.fixture
def repo(tmp_path) -> Path:
    """An empty folder turned into a portfolio in a git repository, with one new plan.

    The hook runs `kaplan check` on the clock's day, so the plan is written on the clock's day too:
    these tests pass whatever that day is."""
    folder = tmp_path / "accounts"
    folder.mkdir()
    assert sh("kaplan", "init", cwd=folder).returncode == 0
    r = sh("kaplan", "new", "acme", "--owner", "Jo Owner", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert sh("git", "init", "-q", ".", cwd=folder).returncode == 0
    assert sh("git", "add", "-A", cwd=folder).returncode == 0
    return folder


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    home = repo.parent / "pre-commit-home"
    return sh(sys.executable, "-m", "pre_commit", *args, cwd=repo, env={"PRE_COMMIT_HOME": str(home)})


def test_init_new_check_then_pre_commit_passes(repo):
    r = sh("kaplan", "check", cwd=repo)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "1 file checked: no problems\n"
    r = pre_commit(repo, "run", "--all-files")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "kaplan check" in r.stdout and "Passed" in r.stdout


def test_the_hook_fails_the_commit_on_a_broken_plan(repo):
    plan = repo / "plans" / "acme.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  name: \"Acme\"\n", "  name: \"Acme\"\n  secter: x\n"),
                    encoding="utf-8")
    sh("git", "add", "-A", cwd=repo)
    r = pre_commit(repo, "run", "--all-files")
    assert r.returncode == 1
    assert "Failed" in r.stdout
    assert "plans/acme.yaml:" in r.stdout and "[unknown-key]" in r.stdout


def test_the_hook_checks_the_whole_portfolio_when_only_kaplan_yaml_changes(repo):
    # A duplicate account id is a portfolio-wide finding: it needs both plans, though only
    # kaplan.yaml is in the commit.
    (repo / "plans" / "other.yaml").write_text(
        (repo / "plans" / "acme.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sh("git", "add", "-A", cwd=repo)
    sh("git", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "plans", "--no-verify",
       cwd=repo)
    config = repo / "kaplan.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    sh("git", "add", "kaplan.yaml", cwd=repo)
    r = pre_commit(repo, "run")  # the staged files only: kaplan.yaml
    assert r.returncode == 1, r.stdout
    assert "plans/other.yaml" in r.stdout


def test_files_that_are_not_yaml_do_not_run_the_hook(repo):
    (repo / "notes.txt").write_text("hello\n")
    sh("git", "add", "notes.txt", cwd=repo)
    sh("git", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init", "--no-verify",
       cwd=repo)
    (repo / "notes.txt").write_text("hello again\n")
    sh("git", "add", "notes.txt", cwd=repo)
    r = pre_commit(repo, "run")
    assert r.returncode == 0
    assert "(no files to check)Skipped" in r.stdout


def test_this_repository_publishes_a_valid_hook():
    """`.pre-commit-hooks.yaml`: what a portfolio gets with `repo: <kaplan's URL>`, `id: kaplan-check`."""
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "kaplan-check"
    assert hook["entry"] == "kaplan check"
    assert hook["language"] == "python"  # pre-commit installs kaplan from the repository itself
    assert hook["pass_filenames"] is False
    assert hook["require_serial"] is True
    import re

    files = re.compile(hook["files"])
    assert files.search("plans/acme.yaml") and files.search("kaplan.yaml") and files.search("x.yml")
    assert not files.search("notes.md")


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="kaplan's own source is not a git checkout here")
def test_the_published_hook_installs_kaplan_and_passes(repo):
    """`pre-commit try-repo` is what `repo: <kaplan's URL>` does: pre-commit clones this repository at
    HEAD, installs kaplan from it into its own environment (from the package index, hence the
    network) and runs the hook from `.pre-commit-hooks.yaml`."""
    r = pre_commit(repo, "try-repo", str(REPO), "kaplan-check", "--all-files", "--ref", "HEAD")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "kaplan check" in r.stdout and "Passed" in r.stdout
