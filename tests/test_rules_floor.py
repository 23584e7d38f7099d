"""`kaplan check --rules-floor`: kaplan.yaml cannot switch off the file-level rules in CI.

`kaplan.yaml` is in the repository it checks, so a pull request may change it together with the
plans: `rules: {schema: off, syntax: off}` makes `check` pass broken files. With the flag (which the
workflow `kaplan init` writes passes), the file-level rules keep at least their default severity;
every other setting of kaplan.yaml still applies.
"""

from __future__ import annotations

import pytest

from conftest import TODAY, dedent

DAY = TODAY.isoformat()
BROKEN_SYNTAX = "kaplan: 1\naccount: [\n"
BROKEN_SCHEMA = dedent("""
    kaplan: 1
    account:
      id: acme
      name: Acme
      relationships_strength: 9
    plan:
      owner: Jo Owner
      period: {start: 2026-01-01, end: not a date}
""")


@pytest.fixture
def hostile_pull_request(write, tmp_path, monkeypatch):
    """A portfolio whose pull request breaks two plans and switches off the rules that would say so."""
    write("kaplan.yaml", "kaplan: 1\nrules: {schema: off, syntax: off, unknown-key: off}\n")
    write("plans/broken.yaml", BROKEN_SYNTAX)
    write("plans/acme.yaml", BROKEN_SCHEMA)
    monkeypatch.chdir(tmp_path)


def test_without_the_floor_kaplan_yaml_can_switch_the_file_rules_off(kaplan, hostile_pull_request):
    r = kaplan("check", "--today", DAY, "--format", "json")
    assert (r.exit_code, r.json()["findings"]) == (0, [])


def test_with_the_floor_the_broken_files_fail_the_check(kaplan, hostile_pull_request):
    r = kaplan("check", "--today", DAY, "--format", "json", "--rules-floor")
    assert r.exit_code == 1
    found = {(f["path"], f["line"], f["rule"], f["severity"]) for f in r.json()["findings"]}
    assert ("plans/broken.yaml", 2, "syntax", "error") in found
    assert ("plans/acme.yaml", 5, "unknown-key", "error") in found  # `relationships_strength` (line 5)
    assert ("plans/acme.yaml", 8, "schema", "error") in found  # `end: not a date` (line 8)
    assert "kaplan.yaml lowers schema, syntax, unknown-key" in r.stderr


def test_the_floor_is_applied_after_a_check_without_it(kaplan, hostile_pull_request):
    """The last check's answer (kept for an unchanged portfolio) was made without the floor: not reused."""
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("check", "--today", DAY).exit_code == 0
    assert kaplan("check", "--today", DAY, "--rules-floor").exit_code == 1
    assert kaplan("check", "--today", DAY, "--rules-floor").exit_code == 1


def test_the_floor_leaves_plan_rules_and_stricter_settings_to_kaplan_yaml(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\nrules: {date-order: warning, renewal-near: off, unknown-key: error}\n")
    write("plans/acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          period: {start: 2027-06-30, end: 2027-01-01}
    """)
    write("plans/beta.yaml", """
        kaplan: 1
        account:
          id: beta
          name: Beta
          sectr: Retail
        plan:
          owner: Jo Owner
    """)
    r = kaplan("check", "--today", DAY, "--format", "json", "--rules-floor", cwd=tmp_path)
    found = {(f["rule"], f["severity"]) for f in r.json()["findings"]}
    assert found == {("unknown-key", "error"), ("date-order", "warning")}
    assert "--rules-floor" not in r.stderr  # nothing was set aside


def test_the_floor_holds_in_the_per_path_overrides_too(kaplan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        overrides:
          - files: ["plans/*"]
            rules: {syntax: off, single-threaded: off}
    """)
    write("plans/broken.yaml", BROKEN_SYNTAX)
    assert kaplan("check", "--today", DAY, cwd=tmp_path).exit_code == 0
    r = kaplan("check", "--today", DAY, "--format", "json", "--rules-floor", cwd=tmp_path)
    assert r.exit_code == 1
    assert [(f["path"], f["rule"]) for f in r.json()["findings"]] == [("plans/broken.yaml", "syntax")]
    assert "kaplan.yaml lowers syntax;" in r.stderr


def test_under_the_floor_plans_outside_the_portfolio_are_refused(kaplan, write, tmp_path, monkeypatch):
    """A pull request that points `plans:` elsewhere would make CI list the keys of files outside the
    repository in its annotations; with the flag that is a usage error, and nothing is read."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text("token: abc\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "kaplan.yaml").write_text(f"kaplan: 1\nplans: {outside}\n")
    monkeypatch.chdir(repo)
    r = kaplan("check", "--rules-floor", "--today", DAY)
    assert r.exit_code == 2 and "outside the portfolio" in r.stderr and "token" not in r.stdout + r.stderr
    (repo / "kaplan.yaml").write_text("kaplan: 1\nplans: ../elsewhere\n")
    assert kaplan("check", "--rules-floor", "--today", DAY).exit_code == 2


def test_an_empty_kaplan_yaml_is_the_defaults(kaplan, write, tmp_path, monkeypatch):
    write("kaplan.yaml", "# settings come later\n")
    write("plans/acme.yaml", "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n")
    monkeypatch.chdir(tmp_path)
    r = kaplan("check", "--today", DAY)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "empty-file" not in r.stdout + r.stderr
