"""Rule severities per path (`overrides:` in kaplan.yaml), and `--list-rules` showing what is in force."""

from __future__ import annotations

from conftest import TODAY

PLAN = """\
kaplan: 1
account: {{id: {id}, name: Acme}}
plan: {{owner: Jo Owner, last_reviewed: 2026-11-01}}
relationships:
  contacts:
    - {{id: ann, name: Ann, strength: 5}}
    - {{id: bob, name: Bob, strength: 3}}
"""

CONFIG = """\
kaplan: 1
rules: {tier-rituals: off}
overrides:
  - files: ["plans/prospects/*"]
    rules: {single-threaded: "off", key-player-missing: error}
  - files: ["*/prospects/late-*.yaml"]
    rules: {key-player-missing: warning}   # a later entry wins
"""


def portfolio(tmp_path):
    (tmp_path / "kaplan.yaml").write_text(CONFIG)
    for rel in ("plans/acme.yaml", "plans/prospects/beta.yaml", "plans/prospects/late-gamma.yaml"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PLAN.format(id=path.stem))
    return tmp_path


def test_severities_follow_the_file_s_path(kaplan, tmp_path):
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=portfolio(tmp_path))
    found = {(f["path"], f["rule"]): f["severity"] for f in r.json()["findings"]
             if f["rule"] in ("single-threaded", "key-player-missing", "tier-rituals")}
    assert found == {
        ("plans/acme.yaml", "single-threaded"): "warning",
        ("plans/acme.yaml", "key-player-missing"): "warning",
        ("plans/prospects/beta.yaml", "key-player-missing"): "error",
        ("plans/prospects/late-gamma.yaml", "key-player-missing"): "warning",
    }
    assert r.exit_code == 1  # beta's error


def test_list_rules_shows_the_severity_in_force_and_the_overrides(kaplan, tmp_path):
    portfolio(tmp_path)
    listed = {r["id"]: r for r in kaplan("check", "--list-rules", "--format", "json", cwd=tmp_path).json()["rules"]}
    assert listed["tier-rituals"]["severity"] == "off" and listed["tier-rituals"]["default"] == "warning"
    assert listed["single-threaded"]["severity"] == "warning"
    assert listed["single-threaded"]["overrides"] == [{"files": ["plans/prospects/*"], "severity": "off"}]
    assert [o["severity"] for o in listed["key-player-missing"]["overrides"]] == ["error", "warning"]
    text = kaplan("check", "--list-rules", cwd=tmp_path).stdout
    line = next(line for line in text.splitlines() if line.startswith("tier-rituals"))
    assert line.split()[1] == "off"
    assert "off in plans/prospects/*" in next(line for line in text.splitlines() if line.startswith("single-threaded"))


def test_a_mistake_in_overrides_is_located(kaplan, tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\noverrides:\n  - files: []\n    rules: {single-threaded: loud}\n")
    r = kaplan("check", "--list-rules", cwd=tmp_path)
    assert r.exit_code == 2 and "kaplan.yaml:3:" in r.stderr


import pytest  # noqa: E402


@pytest.mark.parametrize("pattern, column", [('""', 30), ('"."', 30), ("'./'", 30)])
@pytest.mark.parametrize("command", [("check",), ("score",), ("risk",), ("report", "--portfolio")])
def test_a_pattern_that_names_nothing_is_a_config_error_at_the_pattern(kaplan, tmp_path, pattern, column, command):
    # `PurePath.match("")` raises "empty pattern": every command stopped with a traceback
    portfolio(tmp_path)
    # `  - files: [` is 12 characters, `plans/acme.yaml, ` 17 more: the pattern starts at column 30
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\noverrides:\n"
                                          f"  - files: [plans/acme.yaml, {pattern}]\n"
                                          "    rules: {single-threaded: \"off\"}\n")
    r = kaplan(*command, "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"kaplan.yaml:3:{column}: error [schema]")
    assert "names no file or folder" in r.stderr and "plans/prospects/*" in r.stderr
