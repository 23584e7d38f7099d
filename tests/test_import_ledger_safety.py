"""The import ledger (`.kaplan/imported.json`) is read like a plan: a regular file of the portfolio only.

It is committed with the plans, so a pull request can put a link or a named pipe in its place. Such
a ledger is never opened: the import is a finding at the ledger (exit 1), nothing is written, and
what the link points to is neither read nor changed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from _proc import measured

PLAN = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
financials:
  periods:
    - period: 2026-Q2
      revenue: 50
"""
EXPORT = "account,period,revenue\nacme,2026-Q2,100\n"
HINT = "hint: delete .kaplan/imported.json and import again"


@pytest.fixture
def portfolio(tmp_path):
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (root / "plans" / "acme.yaml").write_text(PLAN, encoding="utf-8")
    (root / "export.csv").write_text(EXPORT, encoding="utf-8")
    (root / ".kaplan").mkdir()
    return root


def ledger_saying_50_was_imported() -> str:
    """A ledger under which the plan's 50 is the CRM's last value: the import would then overwrite it with 100."""
    return json.dumps({"kaplan": 1, "accounts": {"acme": {"financials.periods[2026-Q2].revenue": 50}}})


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.name != "export.csv"}


def test_a_real_ledger_is_read(kaplan, portfolio):
    """The other tests' counterpart: with this ledger in the portfolio, 50 was the CRM's, so 100 replaces it."""
    (portfolio / ".kaplan" / "imported.json").write_text(ledger_saying_50_was_imported(), encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "revenue: 100" in (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")


def test_a_ledger_linked_to_a_file_outside_is_not_read(kaplan, portfolio, tmp_path):
    outside = tmp_path / "elsewhere.json"
    outside.write_text(ledger_saying_50_was_imported(), encoding="utf-8")
    (portfolio / ".kaplan" / "imported.json").symlink_to(outside)
    before = files(portfolio)
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert (f".kaplan/imported.json:1:1: error [outside-portfolio] the ledger of imported values cannot be read: "
            f"it is a symbolic link to {outside}") in run.stderr, run.stderr
    assert HINT in run.stderr and "no plan was changed" in run.stderr
    assert files(portfolio) == before and outside.read_text(encoding="utf-8") == ledger_saying_50_was_imported()


def test_a_kaplan_folder_linked_outside_does_not_lend_its_ledger(kaplan, portfolio, tmp_path):
    (portfolio / ".kaplan").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "imported.json").write_text(ledger_saying_50_was_imported(), encoding="utf-8")
    (portfolio / ".kaplan").symlink_to(elsewhere)
    run = kaplan("import", "export.csv", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"error [outside-portfolio] the ledger of imported values cannot be read: it is a symbolic link to " \
           f"{elsewhere / 'imported.json'}" in run.stderr, run.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("how", ["pipe", "link to a pipe", "link to /dev/zero"])
def test_a_ledger_that_is_a_pipe_or_a_device_is_never_waited_on_or_read(portfolio, tmp_path, how):
    """Each used to hang for ever, or to read without end until the memory ran out."""
    ledger = portfolio / ".kaplan" / "imported.json"
    if how == "pipe":
        os.mkfifo(ledger)
    elif how == "link to a pipe":
        os.mkfifo(tmp_path / "pipe")
        ledger.symlink_to(tmp_path / "pipe")
    else:
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero")
        ledger.symlink_to("/dev/zero")
    before = files(portfolio)
    m = measured(["import", "export.csv", "--as", "financials"], portfolio, timeout=30)
    assert not m.timed_out and m.exit_code == 1, m.stderr
    rule = "unreadable] the ledger of imported values cannot be read: it is not a regular file" if how == "pipe" \
        else "outside-portfolio] the ledger of imported values cannot be read: it is a symbolic link to"
    assert f".kaplan/imported.json:1:1: error [{rule}" in m.stderr, m.stderr
    assert "Traceback" not in m.stderr and HINT in m.stderr
    assert files(portfolio) == before


def test_a_ledger_nested_too_deep_to_read_is_a_finding(kaplan, portfolio):
    """200,000 `[` are not a ledger kaplan wrote, and too deep for a JSON reader to follow: a finding
    at the ledger, never a traceback."""
    (portfolio / ".kaplan" / "imported.json").write_text("[" * 200_000, encoding="utf-8")
    before = files(portfolio)
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert "Traceback" not in run.stderr and run.exit_code == 1, run.stderr
    assert ".kaplan/imported.json:1:1: error [syntax] the ledger of imported values cannot be read: it nests " \
           "deeper" in run.stderr, run.stderr
    assert files(portfolio) == before


ENTRY = '"financials.periods[2026-Q2].revenue": 50'
CONFLICT = ('{\n "kaplan": 1,\n "accounts": {\n<<<<<<< HEAD\n  "acme": {' + ENTRY + '}\n=======\n'
            '  "bolt": {' + ENTRY + '}\n>>>>>>> theirs\n }\n}\n')


@pytest.mark.parametrize("text,where,message,hint", [
    (CONFLICT, "4:1: error [syntax]", "it holds a git merge conflict (`<<<<<<<`)",
     "hint: resolve the conflict: keep the values of both sides, each account once"),
    ('{\n "kaplan": 2,\n "accounts": {"acme": {' + ENTRY + '}},\n "future": "data"\n}\n', "2:2: error [format-version]",
     '`"kaplan": 2` is a newer ledger format than this version of kaplan reads (it reads 1)',
     "hint: import with the newer kaplan that wrote it (upgrade kaplan)"),
    ('{"kaplan": 1, "accounts": {"acme": {' + ENTRY + '}}, "future": "data"}', "1:82: error [unknown-key]",
     "`future` is not a key of the ledger this version writes (`kaplan`, `about`, `accounts`)", "hint: import with"),
    ('{"accounts": {"acme": {' + ENTRY + '}}}', "1:1: error [format-version]",
     'it has no `"kaplan": 1`, so it is not a ledger kaplan wrote', HINT),
    ('[{"acme": {' + ENTRY + '}}]', "1:1: error [schema]",
     "it holds a JSON list, not the ledger kaplan writes", HINT),
    ('{"kaplan": 1, "accounts": [{"acme": {' + ENTRY + '}}]}', "1:15: error [schema]",
     "`accounts` holds a JSON list, not an object of accounts", HINT),
    ('{"kaplan": 1, "accounts": {"bolt": 7,\n  "acme": {' + ENTRY + '}}}', "1:28: error [schema]",
     "account `bolt` holds a JSON number, not an object of imported values", HINT),
    ('{"kaplan": 1, "accounts": {\n  "acme": {' + ENTRY + '},\n  "acme": {"contacts[x].title": "CFO"}}}',
     "3:3: error [syntax]", "`acme` is written twice in `accounts` (lines 2 and 3): one of them would be lost",
     "hint: merge the two into one"),
    ('{"kaplan": 1, "accounts": {"acme": {' + ENTRY + '}}\n', "2:1: error [syntax]",
     "it is not JSON: Expecting ',' delimiter", HINT),
    ('{"kaplan": 1,\n "about": "caf\udcc3", "accounts": {"acme": {' + ENTRY + '}}}', "2:15: error [encoding]",
     "byte 0xc3 is not UTF-8 text", HINT),
])
def test_a_ledger_kaplan_cannot_read_as_its_own_is_a_finding_and_is_not_rewritten(kaplan, portfolio, text, where,
                                                                                 message, hint):
    """Each was read as an empty ledger, and the import rewrote it, dropping its entries (the other side
    of a merge, a newer kaplan's keys); now it is a finding at its line and column, and nothing is written."""
    (portfolio / ".kaplan" / "imported.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    before = files(portfolio)
    for dry in ([], ["--dry-run"]):
        run = kaplan("import", "export.csv", "--as", "financials", *dry, cwd=portfolio)
        assert run.exit_code == 1, run.stderr
        assert f".kaplan/imported.json:{where} the ledger of imported values cannot be read: {message}" in run.stderr, \
            run.stderr
        assert hint in run.stderr and "no plan was changed" in run.stderr and "Traceback" not in run.stderr
        assert files(portfolio) == before


def test_a_blank_ledger_holds_nothing_to_lose_and_is_an_empty_one(kaplan, portfolio):
    (portfolio / ".kaplan" / "imported.json").write_text("\n", encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1, run.stderr  # 50 in the plan, 100 in the CRM, nothing recorded: a conflict
    assert "plans/acme.yaml:10:16: warning [import-conflict]" in run.stderr, run.stderr
