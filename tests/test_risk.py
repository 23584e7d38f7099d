"""`kaplan risk`: the weekly report, its filters and formats, and `--since` through real git."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess

import pytest

from conftest import TODAY

GOOD = """\
kaplan: 1
account: {{id: {id}, name: {name}, relationship_stage: integrated}}
plan: {{owner: {owner}, last_reviewed: 2026-11-01, review_cadence: monthly}}
relationships:
  strength: 5
  contacts:
    - {{id: cfo, name: Ana Cruz, buying_role: economic_buyer, strength: 5, last_contact: 2026-11-10}}
    - {{id: coo, name: Ben Ode, buying_role: sponsor, strength: 4, last_contact: 2026-11-10}}
    - {{id: pm, name: Cy Lee, buying_role: coach, strength: 4, last_contact: 2026-11-10}}
"""

BAD = """\
kaplan: 1
account: {{id: {id}, name: {name}, relationship_stage: exploratory}}
plan: {{owner: {owner}, last_reviewed: 2026-11-01, review_cadence: monthly}}
relationships:
  strength: 1
  contacts:
    - {{id: cfo, name: Ana Cruz, buying_role: economic_buyer, strength: 2, last_contact: 2026-11-10}}
    - {{id: pm, name: Cy Lee, buying_role: coach, strength: 4, left: 2026-10-01}}
voice_of_customer:
  nps:
    - {{date: 2026-11-02, respondent: cfo, score: 2}}
"""


def portfolio(tmp_path, **plans):
    (tmp_path / "plans").mkdir(exist_ok=True)
    for account_id, (template, owner) in plans.items():
        (tmp_path / "plans" / f"{account_id}.yaml").write_text(
            template.format(id=account_id, name=account_id.title(), owner=owner))
    return tmp_path


def test_worst_first_with_colour_label_reasons_tier_and_owner(kaplan, tmp_path):
    portfolio(tmp_path, good=(GOOD, "Jo"), bad=(BAD, "Max"))
    r = kaplan("risk", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    rows = r.json()["accounts"]
    assert [a["account"] for a in rows] == ["bad", "good"]
    bad, good = rows
    assert bad["colour"] == "red" and bad["risk"] == "high" and bad["owner"] == "Max" and bad["tier"]
    assert any("Cy Lee (coach) left on 2026-10-01" in reason for reason in bad["reasons"])
    assert any("1 detractor not followed up: cfo (score 2, no follow-up)" in reason for reason in bad["reasons"])
    assert good["colour"] == "green" and good["reasons"] == []
    table = kaplan("risk", "--today", TODAY.isoformat(), cwd=tmp_path).stdout
    assert "RED" in table and "GREEN" in table  # readable without colour
    assert table.index("RED") < table.index("GREEN")


def test_filters_and_formats(kaplan, tmp_path):
    portfolio(tmp_path, good=(GOOD, "Jo"), bad=(BAD, "Max"))
    run = lambda *a: kaplan("risk", "--today", TODAY.isoformat(), *a, cwd=tmp_path)  # noqa: E731
    assert [a["account"] for a in run("--format", "json", "--owner", "Jo").json()["accounts"]] == ["good"]
    assert [a["account"] for a in run("--format", "json", "--level", "red").json()["accounts"]] == ["bad"]
    assert [a["account"] for a in run("--format", "json", "--level", "low").json()["accounts"]] == ["good"]
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv").stdout)))
    assert [row["account"] for row in rows] == ["bad", "good"] and rows[0]["colour"] == "red"
    md = run("--format", "markdown").stdout
    assert "| Risk | Health | Account |" in md and "🔴 RED" in md
    assert run("--level", "purple").exit_code == 2
    assert run("--format", "pdf").exit_code == 2


def git(cwd, *args, date: str = "2026-11-17T10:00:00"):
    """Run git in `cwd`; commits are dated `date` (author and committer), never the real clock."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args], cwd=cwd,
                   check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_compares_with_a_git_revision(kaplan, tmp_path):
    portfolio(tmp_path, alpha=(GOOD, "Jo"), beta=(GOOD, "Jo"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    portfolio(tmp_path, beta=(BAD, "Jo"))  # beta gets worse
    git(tmp_path, "commit", "-q", "-am", "beta worsens", date="2026-11-20T10:00:00")
    r = kaplan("risk", "--today", TODAY.isoformat(), "--since", "HEAD~1", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    rows = {a["account"]: a for a in r.json()["accounts"]}
    assert rows["beta"]["trend"] == "worse"
    assert "green → red" in rows["beta"]["change"]
    assert "left on 2026-10-01" in rows["beta"]["change"]
    assert rows["alpha"]["trend"] == "same" and rows["alpha"]["change"] == "no change"
    assert rows["alpha"]["plan_changed"] is False and rows["beta"]["plan_changed"] is True
    table = kaplan("risk", "--today", TODAY.isoformat(), "--since", "HEAD~1", cwd=tmp_path).stdout
    assert "Since HEAD~1" in table and "green → red" in table


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_tells_a_time_driven_move_from_a_plan_change(kaplan, tmp_path):
    """An unchanged plan committed long ago: judged on the same day it has not moved; judged as of its
    commit date (--judge-then) its review got older, which is put down to time, not to the plan."""
    portfolio(tmp_path, alpha=(GOOD, "Jo"))  # last reviewed 2026-11-01
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first", date="2026-11-02T10:00:00")
    plan = tmp_path / "plans" / "alpha.yaml"
    plan.write_text("# a comment is not a change to the plan\n" + plan.read_text())
    git(tmp_path, "commit", "-q", "-am", "comment only", date="2026-11-03T10:00:00")
    later = "2027-03-01"  # 120 days after the review: overdue on any cadence up to quarterly (92 days)
    same_day = kaplan("risk", "--today", later, "--since", "HEAD~1", "--format", "json", cwd=tmp_path)
    alpha = same_day.json()["accounts"][0]
    assert (alpha["trend"], alpha["change"], alpha["plan_changed"]) == ("same", "no change", False)
    then = kaplan("risk", "--today", later, "--since", "HEAD~1", "--judge-then", "--format", "json", cwd=tmp_path)
    alpha = then.json()["accounts"][0]
    assert alpha["trend"] == "worse" and alpha["plan_changed"] is False
    assert alpha["change"].startswith("plan unchanged; ")
    assert "because time passed (2026-11-02 → 2027-03-01): " in alpha["change"]
    assert "review overdue 100 → 0" in alpha["change"]  # monthly (31 days): 120 days is past twice it
    assert "plan:" not in alpha["change"]


def test_since_outside_git_is_a_usage_error(kaplan, tmp_path):
    portfolio(tmp_path, alpha=(GOOD, "Jo"))
    r = kaplan("risk", "--today", TODAY.isoformat(), "--since", "HEAD~1", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 2
    assert "--since HEAD~1:" in r.stderr and "not in a git repository" in r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr


def test_since_unknown_revision_is_reported(kaplan, tmp_path):
    portfolio(tmp_path, alpha=(GOOD, "Jo"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    r = kaplan("risk", "--since", "no-such-rev", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 2
    assert "--since no-such-rev: no such revision: no-such-rev" in r.stderr
    assert r.stdout == ""


def test_since_in_a_repository_with_no_commit_says_so(kaplan, tmp_path):
    portfolio(tmp_path, alpha=(GOOD, "Jo"))
    git(tmp_path, "init", "-q")
    r = kaplan("risk", "--since", "HEAD", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert "has no commit yet" in r.stderr and "git <command>" not in r.stderr


def test_check_flags_a_stale_high_risk_plan_but_not_a_fresh_one(kaplan, tmp_path):
    portfolio(tmp_path, bad=(BAD, "Max"))
    fresh = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path).json()
    assert "stale-high-risk" not in {f["rule"] for f in fresh["findings"]}
    stale = (tmp_path / "plans" / "bad.yaml")
    stale.write_text(stale.read_text().replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-05-01"))
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    found = [f for f in r.json()["findings"] if f["rule"] == "stale-high-risk"]
    assert r.exit_code == 1
    assert len(found) == 1 and found[0]["severity"] == "error" and found[0]["line"] == 3


def test_markdown_output_of_score_and_risk_keeps_user_text_inert(kaplan, tmp_path):
    hostile = "<img src=x onerror=alert(1)> | *x*"
    portfolio(tmp_path, bad=(BAD, hostile))
    plan = tmp_path / "plans" / "bad.yaml"
    plan.write_text(plan.read_text().replace("name: Bad", f"name: '{hostile}'"))
    for args in (("risk", "--today", TODAY.isoformat()), ("score",)):
        md = kaplan(*args, "--format", "markdown", cwd=tmp_path).stdout
        assert "<img" not in md and "&lt;img" in md
        assert "\\| \\*x\\*" in md  # the cell is not split and no emphasis is made


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_repository_planted_in_the_plans_folder_is_not_the_history(kaplan, tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    portfolio(tmp_path, alpha=(GOOD, "Jo"), beta=(GOOD, "Jo"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    portfolio(tmp_path, beta=(BAD, "Jo"))
    git(tmp_path, "commit", "-q", "-am", "beta worsens", date="2026-11-20T10:00:00")
    planted = tmp_path / "plans"
    git(planted, "init", "-q")  # a .git inside the portfolio, as a hostile pull request could add
    git(planted, "add", ".")
    git(planted, "commit", "-q", "-m", "planted")
    r = kaplan("risk", "--today", TODAY.isoformat(), "--since", "HEAD~1", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    rows = {a["account"]: a for a in r.json()["accounts"]}
    assert rows["beta"]["trend"] == "worse" and rows["alpha"]["change"] == "no change"
