"""A plan read from git history is told from the settings file by its whole name, as on disk: only a
file named `kaplan.yaml` is settings, so `plans/acme-kaplan.yaml` is a plan at every revision too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN = "kaplan: 1\naccount: {{id: {id}, name: {name}}}\nplan: {{owner: Sam, last_reviewed: 2026-11-01}}\n"


def git(root: Path, *args: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "TZ": "UTC"}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args], cwd=root,
                   check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """Two plans, one of them in `plans/acme-kaplan.yaml`, committed on their review day (2026-11-01);
    then acme's owner changed in a later commit."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("TZ", "UTC")
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("plans: plans\n")
    (tmp_path / "plans" / "acme-kaplan.yaml").write_text(PLAN.format(id="acme", name="Acme"))
    (tmp_path / "plans" / "beta.yaml").write_text(PLAN.format(id="beta", name="Beta"))
    git(tmp_path, "init", "-q", date="2026-11-01T10:00:00")
    git(tmp_path, "add", "-A", date="2026-11-01T10:00:00")
    git(tmp_path, "commit", "-q", "-m", "reviewed", date="2026-11-01T10:00:00")
    plan = tmp_path / "plans" / "acme-kaplan.yaml"
    plan.write_text(plan.read_text().replace("owner: Sam", "owner: Kim"))
    git(tmp_path, "commit", "-q", "-am", "new owner", date="2026-11-10T10:00:00")
    return tmp_path


def test_risk_since_finds_a_plan_whose_name_ends_in_kaplan_yaml(kaplan, repo: Path) -> None:
    r = kaplan("risk", "--since", "HEAD~1", "--format", "json", "--today", "2026-11-20", cwd=repo)
    assert r.exit_code == 0, r.stderr
    found = r.json()
    rows = {row["account"]: row for row in found["accounts"]}
    assert set(rows) == {"acme", "beta"}
    # acme was there at HEAD~1, in the same file: not a new account, and its plan changed (its owner)
    assert found["new_accounts"] == []
    assert rows["acme"]["change"] != "new account" and rows["acme"]["plan_changed"] is True, rows["acme"]
    assert rows["beta"]["plan_changed"] is False, rows["beta"]

def test_the_pack_compares_such_a_plan_with_its_last_review(kaplan, repo: Path) -> None:
    r = kaplan("report", "acme", "-f", "md", "--today", "2026-11-20", cwd=repo)
    assert r.exit_code == 0, r.stderr
    since = r.stdout.split("What changed since the last review", 1)[1].split("\n## ", 1)[0]
    assert "not in git" not in since, since
    assert "Compared with the plan as committed on 2026-11-01" in since, since
