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


def test_accounts_named_in_other_scripts_each_start_their_own_plan(kaplan, portfolio):
    # none of these names has a letter a file name keeps: each gets `account-` and a hash of its name, and
    # every account's opportunity stays in its own plan
    run = imports(kaplan, portfolio, HEADER + "Газпром,Deal A,100,Proposal\n東芝,Deal B,200,Proposal\n"
                                              "שלום,Deal C,300,Proposal\n")
    assert run.exit_code == 0, run.stderr
    found = plans(portfolio)
    assert sorted(found.values()) == [("Газпром", ["Deal A"]), ("שלום", ["Deal C"]), ("東芝", ["Deal B"])]
    assert all(name.startswith("account-") and len(name) == len("account-12345678.yaml") for name in found)
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code == 0
    # a second run finds each plan by its account's name: nothing changes, no plan is started again
    before = files(portfolio)
    again = imports(kaplan, portfolio, HEADER + "Газпром,Deal A,100,Proposal\n東芝,Deal B,200,Proposal\n"
                                                "שלום,Deal C,300,Proposal\n")
    assert again.exit_code == 0, again.stderr
    assert "no plan changed" in again.stderr
    assert files(portfolio) == before


def test_names_alike_in_their_first_60_characters_are_two_accounts_and_two_plans(kaplan, portfolio):
    stem = "northern-" * 6 + "x"  # 55 characters: the names differ only after the 60th
    north, south = f"{stem} Logistics North", f"{stem} Logistics South"
    assert len(f"{stem} Logistics") == 65
    # the name's spaces and case aside, `ACME  corp` is the account `Acme Corp`: one plan, two opportunities
    run = imports(kaplan, portfolio, HEADER + f"{north},Deal N,100,Proposal\n{south},Deal S,200,Proposal\n"
                                              "Acme Corp,Deal 1,300,Proposal\nACME  corp,Deal 2,400,Proposal\n")
    assert run.exit_code == 0, run.stderr
    cut = f"{stem}-logi"  # the slug keeps 60 characters: 55 + "-logi"
    assert len(cut) == 60
    assert plans(portfolio) == {
        "acme-corp.yaml": ("Acme Corp", ["Deal 1", "Deal 2"]),
        f"{cut}.yaml": (north, ["Deal N"]),
        f"{cut}-2.yaml": (south, ["Deal S"]),
    }


def test_crm_account_ids_differing_in_case_are_two_accounts(kaplan, portfolio):
    # Salesforce's 15-character ids tell accounts apart by case
    run = imports(kaplan, portfolio, "Account ID,Opportunity Name,Amount,Stage\n"
                                     "001ABC,Deal A,100,Proposal\n001abc,Deal B,200,Proposal\n")
    assert run.exit_code == 0, run.stderr
    by_crm = {}
    for path in sorted((portfolio / "plans").glob("*.yaml")):
        plan = load_plan(path).plan
        by_crm[plan.account.crm_id] = (path.name, [o.name for o in plan.opportunities])
    assert by_crm == {"001ABC": ("001abc.yaml", ["Deal A"]), "001abc": ("001abc-2.yaml", ["Deal B"])}


def test_a_name_whose_file_another_plan_has_starts_a_plan_beside_it_never_a_false_race(kaplan, portfolio):
    assert kaplan("new", "ostara-bank", "--name", "Ostara Bank", "--owner", "Jo", "--today", "2026-11-24",
                  cwd=portfolio).exit_code == 0
    existing = (portfolio / "plans" / "ostara-bank.yaml").read_bytes()
    # `ostara-bank` is not the name `Ostara Bank`: another account, whose slug is that plan's file name
    run = imports(kaplan, portfolio, HEADER + "ostara-bank,Deal A,100,Proposal\nKaplan,Deal K,50,Proposal\n")
    assert run.exit_code == 0, run.stderr
    assert "changed while kaplan was working on it" not in run.stderr
    assert (portfolio / "plans" / "ostara-bank.yaml").read_bytes() == existing
    # `Kaplan` would be plans/kaplan.yaml, which commands run in plans/ take for the portfolio's settings
    assert plans(portfolio) == {"kaplan-2.yaml": ("Kaplan", ["Deal K"]),
                                "ostara-bank-2.yaml": ("ostara-bank", ["Deal A"]),
                                "ostara-bank.yaml": ("Ostara Bank", [])}


def test_an_account_id_whose_file_holds_another_plan_is_refused_at_its_row(kaplan, portfolio):
    (portfolio / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount:\n  id: acme-industrial\n  name: Acme Industrial\nplan:\n  owner: Jo\n", encoding="utf-8")
    before = files(portfolio)
    (portfolio / "new.csv").write_text("account,period,revenue\nacme,2026-Q3,5000\nkaplan,2026-Q3,7000\n",
                                       encoding="utf-8")
    run = kaplan("import", "new.csv", "--as", "financials", "--create", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 1
    assert "changed while kaplan was working on it" not in run.stderr
    assert ("new.csv:2:1: error [import-account] no plan has the account id `acme`, but plans/acme.yaml is there"
            in run.stderr)
    assert "new.csv:3:1: error [import-account] no plan has the account id `kaplan`, and `kaplan` cannot be an " \
           "account id: its file, kaplan.yaml, would be taken for the portfolio's settings" in run.stderr
    assert files(portfolio) == before


def test_the_refusal_names_the_file_that_holds_the_id_whatever_its_case(kaplan, portfolio):
    (portfolio / "plans" / "Zeta.YML").write_text(
        "kaplan: 1\naccount:\n  id: zeta-group\n  name: Zeta Group\nplan:\n  owner: Jo\n", encoding="utf-8")
    before = files(portfolio)
    (portfolio / "new.csv").write_text("account,period,revenue\nzeta,2026-Q3,5000\n", encoding="utf-8")
    run = kaplan("import", "new.csv", "--as", "financials", "--create", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 1
    assert "no plan has the account id `zeta`, but plans/Zeta.YML is there" in run.stderr
    assert files(portfolio) == before


@pytest.mark.parametrize("name", ["\x1b]0;pwn\x07Acme", "Acme\x7fCorp", "Acme\x9b31mCorp"])
def test_an_account_name_with_a_control_character_is_refused_at_its_row(kaplan, portfolio, name):
    before = files(portfolio)
    run = imports(kaplan, portfolio, HEADER + "Bolt,Deal B,200,Proposal\n" + f"{name},Deal A,100,Proposal\n")
    assert run.exit_code == 1
    assert "new.csv:3:1: error [import-account] the account name in row 3 holds a line break or control " \
           "character" in run.stderr
    assert "reformatting" not in run.stderr
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert files(portfolio) == before  # Bolt's plan is not started either: all or nothing


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


def test_accounts_whose_ids_yaml_would_read_as_numbers_dates_booleans_or_null_start_plans_that_pass_check(
        kaplan, portfolio):
    # by name (the id made from it) and by account id: each id is written as text, not as 123, true or null
    run = imports(kaplan, portfolio, HEADER + "123,Deal A,100,Proposal\ntrue,Deal B,200,Proposal\n"
                                              "null,Deal C,300,Proposal\n2026-01-01,Deal D,400,Proposal\n")
    assert run.exit_code == 0, run.stderr
    (portfolio / "ids.csv").write_text("account,period,revenue\n0x10,2026-Q3,5000\nfalse,2026-Q3,7000\n",
                                       encoding="utf-8")
    run = kaplan("import", "ids.csv", "--as", "financials", "--create", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    ids = {}
    for path in sorted((portfolio / "plans").glob("*.yaml")):
        loaded = load_plan(path)
        assert loaded.findings == []
        ids[path.name] = (loaded.plan.account.id, loaded.plan.account.name)
    assert ids == {"0x10.yaml": ("0x10", "0x10"), "123.yaml": ("123", "123"),
                   "2026-01-01.yaml": ("2026-01-01", "2026-01-01"), "false.yaml": ("false", "False"),
                   "null.yaml": ("null", "null"), "true.yaml": ("true", "true")}
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code == 0


def test_an_account_name_longer_than_a_plan_s_text_may_be_is_refused_at_its_row(kaplan, portfolio):
    before = files(portfolio)
    run = imports(kaplan, portfolio, HEADER + "A" * 20_001 + ",Deal A,100,Proposal\nBolt,Deal B,200,Proposal\n")
    assert run.exit_code == 1
    assert "new.csv:2:1: error [import-account] the account name in row 2 is longer than the 20,000 characters " \
           "a plan's text may hold; kaplan does not start a plan with it" in run.stderr
    assert files(portfolio) == before
