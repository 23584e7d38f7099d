"""`kaplan import --create`: every account the export names that has no plan starts a plan of its own, in a
file of its own; a row kaplan cannot start a plan for is refused at its row, and nothing is written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kaplan.reading.loader import load_plan

HEADER = "Account Name,Opportunity Name,Amount,Stage\n"


@pytest.fixture
def portfolio(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    return tmp_path


def plans(root: Path) -> dict[str, tuple[str, list[str]]]:
    """file name → (the plan's account name, the names of its opportunities)."""
    out = {}
    for path in sorted((root / "plans").glob("*.yaml")):
        plan = load_plan(path).plan
        out[path.name] = (plan.account.name, [o.name for o in plan.opportunities])
    return out


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix != ".csv"}


def imports(kaplan, root: Path, text: str, *more: str):
    (root / "new.csv").write_text(text, encoding="utf-8")
    run = kaplan("import", "new.csv", "--as", "opportunities", "--create", "--today", "2026-11-24", *more, cwd=root)
    assert "Traceback" not in run.stdout + run.stderr
    return run


@pytest.mark.parametrize("git_name", ["Jo\nplan:\n  owner: x", "Jo\x1b]0;pwn\x07"])
def test_a_git_user_name_kaplan_would_not_write_is_passed_over_for_the_login_name(kaplan, portfolio, monkeypatch,
                                                                                 git_name):
    config = portfolio / "gitconfig"
    subprocess.run(["git", "config", "--file", str(config), "user.name", git_name], check=True)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("LOGNAME", "dana")
    run = imports(kaplan, portfolio, HEADER + "Zeta Labs,Deal Z,100,Proposal\n")
    assert run.exit_code == 0, run.stderr
    assert "git's user.name holds a line break or control character" in run.stderr
    text = (portfolio / "plans" / "zeta-labs.yaml").read_text(encoding="utf-8")
    assert load_plan(portfolio / "plans" / "zeta-labs.yaml").plan.plan.owner == "dana"
    assert "  #    our_owner: dana\n" in text
    assert not any(ch in text for ch in "\x1b\x07\r")
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code == 0
