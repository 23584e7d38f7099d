"""`kaplan new`: a fresh plan, from the template, in the portfolio's plans folder, that passes check."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import TODAY, dedent
from kaplan.reading.loader import load_plan


def new(kaplan, *args: str, cwd: Path):
    r = kaplan("new", *args, cwd=cwd)
    assert "Traceback" not in r.stdout + r.stderr
    return r


SCHEMA_NOTE = "created .kaplan/plan.schema.json (the schema the plan's editor modeline names)"


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_new_plan_passes_check_with_no_findings_at_all(kaplan, tmp_path):
    r = new(kaplan, "acme-corp", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    # no `.kaplan/` yet: the schema the plan's modeline names is written too, so editors work offline
    assert r.stdout.splitlines() == [SCHEMA_NOTE, "created plans/acme-corp.yaml"]
    assert files_under(tmp_path) == [".kaplan", ".kaplan/plan.schema.json", "plans", "plans/acme-corp.yaml"]
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == {"files": 1, "errors": 0, "warnings": 0, "findings": []}


def test_new_plan_passes_check_on_the_real_date(kaplan, tmp_path):
    assert new(kaplan, "acme", cwd=tmp_path).exit_code == 0
    r = kaplan("check", "--format", "json")
    assert json.loads(r.stdout)["findings"] == []


def test_name_defaults_to_the_id_in_title_case(kaplan, tmp_path):
    new(kaplan, "acme-corp-emea", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert load_plan(tmp_path / "plans" / "acme-corp-emea.yaml").plan.account.name == "Acme Corp Emea"


@pytest.mark.parametrize("name", [
    pytest.param("O'Brien & Co: \"Ltd\" #1", id="quotes-ampersand-colon-hash"),
    pytest.param("- Acme", id="leading-dash"),
    pytest.param("{Acme: 1}", id="flow-mapping"),
    pytest.param("*acme", id="alias"),
    pytest.param("!acme", id="tag"),
    pytest.param("%YAML 1.2", id="directive"),
    pytest.param("yes", id="yaml-1.1-boolean"),
    pytest.param("null", id="null"),
    pytest.param("2026-01-01", id="date"),
    pytest.param("0x1F", id="hex-number"),
    pytest.param("C:\\Clients\\acme", id="backslashes"),
    pytest.param("  padded  ", id="leading-and-trailing-spaces"),
    pytest.param("Tab\there", id="tab"),
    pytest.param("Café Ünïcode 日本 🚀", id="unicode"),
    pytest.param("שלום בע״מ", id="right-to-left"),
    pytest.param("{{ id }} {% raw %}", id="jinja-syntax"),
])
def test_name_round_trips_exactly(kaplan, tmp_path, name):
    r = new(kaplan, "acme", "--name", name, "--today", TODAY.isoformat(), "--owner", "Jo", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    loaded = load_plan(tmp_path / "plans" / "acme.yaml")
    assert loaded.findings == []
    assert loaded.plan.account.name == name


def test_owner_and_today_fill_the_plan(kaplan, tmp_path):
    new(kaplan, "acme", "--owner", "Kim O'Hara: KAM #2", "--today", "2026-11-24", cwd=tmp_path)
    meta = load_plan(tmp_path / "plans" / "acme.yaml").plan.plan
    assert meta.owner == "Kim O'Hara: KAM #2"
    assert meta.last_reviewed is None  # a new plan has not been reviewed yet
    assert meta.created == dt.date(2026, 11, 24)
    assert (meta.period.start, meta.period.end) == (dt.date(2026, 11, 24), dt.date(2027, 11, 23))


def test_a_new_plan_is_not_yet_reviewed_and_check_says_so_once_older_than_its_cadence(kaplan, tmp_path):
    new(kaplan, "acme", "--owner", "Jo", "--today", "2026-11-24", cwd=tmp_path)
    # quarterly (92 days): 2026-11-24 + 92 days = 2027-02-24 is the last day it is on time
    on_time = kaplan("check", "--today", "2027-02-24", "--format", "json", cwd=tmp_path).json()["findings"]
    assert [f for f in on_time if f["rule"] == "review-stale"] == []
    late = kaplan("check", "--today", "2027-02-25", "--format", "json", cwd=tmp_path).json()["findings"]
    stale = [f for f in late if f["rule"] == "review-stale"]
    assert len(stale) == 1
    assert "not yet reviewed; the plan started 2026-11-24, 93 days ago" in stale[0]["message"]


def test_period_starting_on_29_february_ends_a_year_later(kaplan, tmp_path):
    new(kaplan, "acme", "--today", "2028-02-29", cwd=tmp_path)
    period = load_plan(tmp_path / "plans" / "acme.yaml").plan.plan.period
    assert (period.start, period.end) == (dt.date(2028, 2, 29), dt.date(2029, 2, 28))


@pytest.mark.parametrize("option", ["--owner", "--name"])
@pytest.mark.parametrize("text", ["Jo\nOwner", "Jo\u2028Owner", "Jo\x07"])
def test_line_breaks_and_control_characters_are_refused(kaplan, tmp_path, option, text):
    # The owner is also written into the template's comments, where a line break would escape.
    r = new(kaplan, "acme", option, text, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert "one line" in r.stderr
    assert not (tmp_path / "plans").exists()


def test_name_that_is_not_valid_unicode_is_refused_cleanly(kaplan, tmp_path):
    # A Latin-1 byte on the command line reaches Python as a lone surrogate ('\udce9').
    r = new(kaplan, "acme", "--name", "Caf\udce9", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert not (tmp_path / "plans" / "acme.yaml").exists()


@pytest.mark.parametrize("account", [
    pytest.param("Acme", id="capitals"),
    pytest.param("../evil", id="parent-folder"),
    pytest.param("a/b", id="slash"),
    pytest.param("-x", id="leading-dash"),
    pytest.param("x-", id="trailing-dash"),
    pytest.param("a--b", id="double-dash"),
    pytest.param("acme_corp", id="underscore"),
    pytest.param("acme.yaml", id="with-suffix"),
    pytest.param("acme corp", id="space"),
    pytest.param("café", id="non-ascii"),
    pytest.param("/tmp/acme", id="absolute-path"),
    pytest.param("", id="empty"),
    pytest.param("a" * 81, id="81-characters"),
    pytest.param("acme\n", id="trailing-line-break"),
    pytest.param("acme\r\n", id="trailing-crlf"),
])
def test_id_that_is_not_a_slug_is_a_usage_error_and_writes_nothing(kaplan, tmp_path, account):
    cwd = tmp_path / "portfolio"
    cwd.mkdir()
    r = new(kaplan, "--today", TODAY.isoformat(), "--", account, cwd=cwd)
    assert r.exit_code == 2
    assert "not a valid account id" in r.stderr
    assert files_under(tmp_path) == ["portfolio"]


def test_80_character_id_is_accepted(kaplan, tmp_path):
    r = new(kaplan, "a" * 80, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr


def test_invalid_today_is_a_usage_error(kaplan, tmp_path):
    r = new(kaplan, "acme", "--today", "2026-02-30", cwd=tmp_path)
    assert r.exit_code == 2
    assert files_under(tmp_path) == []


def test_second_run_refuses_and_leaves_the_file_untouched(kaplan, tmp_path):
    new(kaplan, "acme", "--today", TODAY.isoformat(), "--owner", "Jo", cwd=tmp_path)
    plan = tmp_path / "plans" / "acme.yaml"
    before = plan.read_bytes()
    r = new(kaplan, "acme", "--name", "Other", "--owner", "Someone Else", "--today", "2027-01-01", cwd=tmp_path)
    assert r.exit_code == 1
    assert "already exists" in r.stderr
    assert plan.read_bytes() == before
    # no temporary file left behind
    assert files_under(tmp_path) == [".kaplan", ".kaplan/plan.schema.json", "plans", "plans/acme.yaml"]


def test_plans_folder_comes_from_kaplan_yaml(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\nplans: accounts\n")
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [SCHEMA_NOTE, "created accounts/acme.yaml"]
    assert files_under(tmp_path) == [".kaplan", ".kaplan/plan.schema.json", "accounts", "accounts/acme.yaml",
                                     "kaplan.yaml"]


def test_from_a_subfolder_the_plan_goes_to_the_portfolio_plans_folder(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\n")
    deep = tmp_path / "notes" / "emea"
    deep.mkdir(parents=True)
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=deep)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "plans" / "acme.yaml").is_file()
    assert files_under(deep) == []


def test_invalid_kaplan_yaml_is_a_usage_error(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\nplanz: accounts\n")
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert "kaplan.yaml:2:1: error [unknown-key]" in r.stderr
    assert files_under(tmp_path) == ["kaplan.yaml"]


def test_template_guidance_comments_are_kept(kaplan, tmp_path):
    new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    text = (tmp_path / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert dedent("""\
        # OBJECTIVES — the CLIENT's objectives, not ours. Discovery questions to ask the client:
        #   What do you want to achieve in the next 12 months?
        #   What challenges stand in your way?
        #   What have you tried already, and what happened?
        #   How will you measure success?
        """) in text
    assert "  # sector: Manufacturing\n" in text
    assert "  review_cadence: quarterly          # weekly, biweekly, monthly, quarterly, semiannual, annual\n" in text


def test_template_text_is_copied_line_for_line(kaplan, tmp_path):
    # Every template line without a `{{ }}` placeholder appears unchanged, in order.
    from kaplan.places import builtin_dir

    template = (builtin_dir() / "plan.yaml.j2").read_text(encoding="utf-8").splitlines()
    new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    written = (tmp_path / "plans" / "acme.yaml").read_text(encoding="utf-8").splitlines()
    assert len(written) == len(template)
    for want, got in zip(template, written):
        if "{{" not in want:
            assert got == want


def test_kaplan_is_not_an_account_id_its_file_would_be_the_settings(kaplan, tmp_path):
    # plans/kaplan.yaml is no plan: commands run inside plans/ would take it for the portfolio's kaplan.yaml
    r = new(kaplan, "kaplan", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert "`kaplan` cannot be an account id: its file, kaplan.yaml, would be taken for the portfolio's " \
           "settings" in r.stderr
    assert files_under(tmp_path) == []
    assert new(kaplan, "kaplan-labs", "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0


@pytest.mark.parametrize("git_name, login, owner", [
    pytest.param("Dana Example", "dana", "Dana Example", id="git-name-used"),
    pytest.param("Jo\nplan:\n  owner: x", "dana", "dana", id="line-breaks"),
    pytest.param("Jo\x1b]0;pwn\x07", "dana", "dana", id="escape"),
    pytest.param("Jo\x1b", "dana\x1b", "unassigned", id="login-name-too"),
    pytest.param(b"Ren\xe9", "dana", "dana", id="latin-1-bytes"),  # once a UnicodeDecodeError traceback
    pytest.param("J" * 25_000, "dana", "dana", id="too-long"),
])
def test_the_default_owner_passes_the_checks_an_owner_on_the_command_line_does(kaplan, tmp_path, monkeypatch,
                                                                               git_name, login, owner):
    import subprocess

    config = tmp_path / "gitconfig"
    subprocess.run(["git", "config", "--file", str(config), "user.name", git_name], check=True)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("LOGNAME", login)
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    passed_over = owner != git_name
    problem = "is not valid text" if isinstance(git_name, bytes) else \
        "is longer than the 20,000 characters a plan's text may hold" if len(git_name) > 20_000 else \
        "holds a line break or control character"
    assert (f"kaplan: git's user.name {problem}" in r.stderr) is passed_over
    assert (f"(`{owner}` is): set `plan.owner`, give --owner" in r.stderr) is passed_over
    text = (tmp_path / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert load_plan(tmp_path / "plans" / "acme.yaml").plan.plan.owner == owner
    assert f"  #    our_owner: {owner}\n" in text  # the template's comments name the owner as written
    assert not any(ch in text for ch in "\x1b\x07\r")
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0


@pytest.mark.parametrize("account", ["123", "0", "007", "1e3", "0x10", "0o7", "0b1", "2026-01-01", "true", "false",
                                     "null", "yes", "on"])
def test_an_id_yaml_would_read_as_a_number_date_boolean_or_null_is_written_as_text(kaplan, tmp_path, account):
    r = new(kaplan, "--owner", "Jo", "--today", TODAY.isoformat(), "--", account, cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    loaded = load_plan(tmp_path / "plans" / f"{account}.yaml")
    assert loaded.findings == []
    assert loaded.plan.account.id == account
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0


def test_an_id_yaml_reads_as_text_is_written_as_it_is(kaplan, tmp_path):
    new(kaplan, "acme-2026", "--today", TODAY.isoformat(), cwd=tmp_path)
    new(kaplan, "123", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert "\n  id: acme-2026  # must match the file name\n" in (tmp_path / "plans" / "acme-2026.yaml").read_text()
    assert '\n  id: "123"  # must match the file name\n' in (tmp_path / "plans" / "123.yaml").read_text()


@pytest.mark.parametrize("option", ["--name", "--owner"])
def test_a_name_or_owner_longer_than_a_plan_s_text_may_be_is_a_usage_error(kaplan, tmp_path, option):
    from kaplan.model.types import TEXT_MAX

    assert TEXT_MAX == 20_000
    r = new(kaplan, "acme", option, "x" * 20_001, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert r.stderr == f"kaplan: {option} is longer than the 20,000 characters a plan's text may hold\n"
    assert files_under(tmp_path) == []
    # 20,000 is allowed, and the plan passes check
    assert new(kaplan, "acme", option, "x" * 20_000, "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0


@pytest.mark.parametrize("other", ["acme.yml", "emea/acme.yaml"])
def test_an_account_with_a_plan_in_another_file_gets_no_second_plan(kaplan, write, tmp_path, other):
    write(f"plans/{other}", "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n")
    before = files_under(tmp_path)
    r = new(kaplan, "acme", "--owner", "Kim", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stderr == (f"kaplan: account `acme` already has a plan in plans/{other}; kaplan new never starts a "
                        "second plan for an account\n")
    assert files_under(tmp_path) == before
    # another account is started beside it, and the portfolio passes check
    assert new(kaplan, "beta", "--owner", "Kim", "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0


def test_an_empty_file_of_the_account_s_name_is_not_filled_when_another_file_holds_its_plan(kaplan, write, tmp_path):
    write("plans/acme.yaml", "# to do\n")
    write("plans/sub/acme-old.yaml", "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n")
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 1
    assert "account `acme` already has a plan in plans/sub/acme-old.yaml" in r.stderr
    assert (tmp_path / "plans" / "acme.yaml").read_text() == "# to do\n"


def test_a_full_disk_is_a_usage_error_that_names_the_reason_and_leaves_no_plan(kaplan, tmp_path, monkeypatch):
    import os

    def disk_full(fd):
        raise OSError(28, "No space left on device")  # as a write to an open file fails: no file name

    monkeypatch.setattr(os, "fsync", disk_full)
    r = new(kaplan, "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2
    assert r.stderr.strip() == "kaplan: nothing was written: No space left on device"
    assert "plans/acme.yaml" not in files_under(tmp_path)
