"""Two plans that claim one account: `kaplan check` says so (`duplicate-account`), and no answer counts
the account twice, or picks one of the two as if it knew which is the account's plan."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, TODAY

DAY = TODAY.isoformat()


@pytest.fixture
def portfolio(tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    shutil.copy(folder / "plans" / "corvane-energy.yaml", folder / "plans" / "corvane-energy-2.yaml")
    return folder


def test_check_names_both_plans_in_one_finding(kaplan, portfolio):
    run = kaplan("check", "--today", DAY, "--format", "json", cwd=portfolio)
    assert run.exit_code == 1
    claimed = {f["path"]: f["message"] for f in run.json()["findings"] if f["rule"] == "duplicate-account"}
    assert claimed == {"plans/corvane-energy.yaml": "account `corvane-energy` also has a plan in "
                       "plans/corvane-energy-2.yaml: neither is counted in scores, risk or packs",
                       "plans/corvane-energy-2.yaml": "account `corvane-energy` also has a plan in "
                       "plans/corvane-energy.yaml: neither is counted in scores, risk or packs"}
    assert kaplan("check", "plans/corvane-energy.yaml", "--today", DAY, cwd=portfolio).exit_code == 1


def test_score_leaves_out_both_plans_and_says_so(kaplan, portfolio):
    plans = len(list((portfolio / "plans").glob("*.yaml")))
    run = kaplan("score", "--format", "json", cwd=portfolio)
    assert run.exit_code == 1
    ids = [a["account"] for a in run.json()["accounts"]]
    assert "corvane-energy" not in ids and len(ids) == len(set(ids)) == plans - 2
    assert sorted(run.json()["skipped"]) == ["plans/corvane-energy-2.yaml", "plans/corvane-energy.yaml"]
    assert "2 plans with errors left out of the ranking: " in run.stderr
    assert "plans/corvane-energy.yaml" in run.stderr and "plans/corvane-energy-2.yaml" in run.stderr
    assert kaplan("score", "--skip-invalid", "--format", "json", cwd=portfolio).exit_code == 0
    # nothing of the account is funded, once or twice
    budget = kaplan("score", "--budget", "--skip-invalid", "--format", "json", cwd=portfolio).json()
    assert not [r for r in budget["requests"] if r["account"] == "corvane-energy"]


def test_risk_and_the_packs_leave_the_account_out(kaplan, portfolio, tmp_path):
    risk = kaplan("risk", "--format", "json", cwd=portfolio)
    assert risk.exit_code == 1
    assert "corvane-energy" not in [r["account"] for r in risk.json()["accounts"]]
    pack = kaplan("report", "corvane-energy", "--format", "md", cwd=portfolio)
    assert pack.exit_code != 0 and "has errors; run `kaplan check`" in pack.stderr
    out = tmp_path / "portfolio.md"
    assert kaplan("report", "--portfolio", "--skip-invalid", "--format", "md", "--out", str(out),
                  cwd=portfolio).exit_code == 0
    shown = out.read_text(encoding="utf-8")
    assert "Corvane" not in shown  # no row of the account; the plans left out are named
    assert "plans/corvane-energy-2\\.yaml, plans/corvane-energy\\.yaml" in shown
