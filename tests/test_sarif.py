"""`kaplan check --format sarif`: a SARIF 2.1.0 log for code-scanning dashboards.

The log is validated against the SARIF 2.1.0 JSON Schema shipped in tests/sarif/ (see its README
for where it comes from). Fingerprints must survive what happens to a plan between two runs —
lines added above a finding, another day passing — so a dashboard keeps one alert per problem.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import MINIMAL, REPO, TODAY
from kaplan import rules
from kaplan.views.sarif import FINGERPRINT, fingerprint

SARIF_SCHEMA = json.loads((REPO / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

PLAN = MINIMAL.format(id="acme", name="Acme") + """\
  last_reviewed: 2026-01-10
  review_cadence: quarterly
"""

BROKEN = MINIMAL.format(id="charlie", name="Charlie") + "account_extra: 1\n"

CLEAN_BUT_WARNED = MINIMAL.format(id="bravo", name="Bravo") + """\
  last_reviewed: 2026-01-10
  review_cadence: quarterly
actions:
  - {id: call, action: Call the CFO, due: 2026-02-01}
  - {id: mail, action: Mail the CFO, due: 2026-02-01}
"""


def sarif(kaplan, *args: str) -> tuple[int, dict]:
    r = kaplan("check", "--format", "sarif", *args)
    return r.exit_code, json.loads(r.stdout)


@pytest.fixture
def portfolio(write, tmp_path, monkeypatch):
    write("plans/acme.yaml", PLAN)
    write("plans/bravo.yaml", CLEAN_BUT_WARNED)
    write("plans/charlie.yaml", BROKEN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)


def test_sarif_log_validates_against_the_sarif_2_1_0_schema(kaplan, portfolio):
    code, log = sarif(kaplan, "--today", TODAY.isoformat())
    assert code == 1  # same exit code as any other format
    validate(log)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"]


def test_a_clean_run_validates_too(kaplan, tmp_path):
    kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    code, log = sarif(kaplan, "--today", TODAY.isoformat())
    assert code == 0
    validate(log)
    assert log["runs"][0]["results"] == []


def test_the_schema_really_rejects_a_broken_log(kaplan, portfolio):
    _, log = sarif(kaplan, "--today", TODAY.isoformat())
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(log)


def test_driver_lists_every_rule_with_its_documentation(kaplan, portfolio):
    _, log = sarif(kaplan, "--today", TODAY.isoformat())
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "kaplan"
    assert [r["id"] for r in driver["rules"]] == sorted(rules.REGISTRY)
    for entry in driver["rules"]:
        rule = rules.REGISTRY[entry["id"]]
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.doc
        assert entry["defaultConfiguration"]["level"] == rule.severity.value


def test_results_carry_rule_level_message_and_location(kaplan, portfolio):
    findings = kaplan("check", "--format", "json", "--today", TODAY.isoformat()).json()["findings"]
    _, log = sarif(kaplan, "--today", TODAY.isoformat())
    run = log["runs"][0]
    assert len(run["results"]) == len(findings)
    for result, f in zip(run["results"], findings):
        assert result["ruleId"] == f["rule"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == f["rule"]
        assert result["level"] == f["severity"]
        assert result["message"]["text"].startswith(f["message"])
        if f["hint"]:
            assert result["message"]["text"].endswith(f"\nhint: {f['hint']}")
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == f["path"]
        assert physical["region"] == {"startLine": f["line"], "startColumn": f["column"]}
    assert {"unknown-key", "review-stale"} <= {r["ruleId"] for r in run["results"]}


def test_uris_are_relative_and_encoded(kaplan, write, tmp_path, monkeypatch):
    write("my plans/acme.yaml", PLAN)
    monkeypatch.chdir(tmp_path)
    _, log = sarif(kaplan, "my plans", "--today", TODAY.isoformat())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"my%20plans/acme.yaml"}


def test_a_file_name_that_is_not_utf8_is_encoded_as_its_own_bytes(kaplan, tmp_path, monkeypatch):
    """Git stores names as bytes: a plan named `acme\\xff.yaml` gets the URI `acme%FF.yaml`."""
    import os

    name = os.fsdecode(b"acme\xff.yaml")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / name).write_text(PLAN)
    monkeypatch.chdir(tmp_path)
    code, log = sarif(kaplan, "--today", TODAY.isoformat())
    assert code == 1  # the file is not named after its account
    validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"plans/acme%FF.yaml"}


def fingerprints(log: dict) -> list[tuple[str, str]]:
    return [(r["ruleId"], r["partialFingerprints"][FINGERPRINT]) for r in log["runs"][0]["results"]]


def test_fingerprints_are_stable_across_runs(kaplan, portfolio):
    first = fingerprints(sarif(kaplan, "--today", TODAY.isoformat())[1])
    second = fingerprints(sarif(kaplan, "--today", TODAY.isoformat())[1])
    assert first == second
    assert len({fp for _, fp in first}) == len(first)  # every finding its own identity


def test_fingerprints_survive_lines_added_above_and_another_day(kaplan, portfolio):
    before = sarif(kaplan, "--today", TODAY.isoformat())[1]
    plan = portfolio / "plans" / "acme.yaml"
    plan.write_text("# a comment\n# and another\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")
    after = sarif(kaplan, "--today", "2026-11-25")[1]

    def by_rule(log):
        return {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]):
                (r["partialFingerprints"][FINGERPRINT], r["locations"][0]["physicalLocation"]["region"]["startLine"],
                 r["message"]["text"])
                for r in log["runs"][0]["results"]}

    old, new = by_rule(before), by_rule(after)
    key = ("review-stale", "plans/acme.yaml")
    assert new[key][1] == old[key][1] + 2  # the line moved
    assert new[key][2] != old[key][2]  # the message says one day more
    assert new[key][0] == old[key][0]  # the identity did not change
    assert {k: v[0] for k, v in new.items()} == {k: v[0] for k, v in old.items()}


def test_fingerprint_depends_on_rule_file_and_message():
    base = fingerprint("unknown-key", "plans/a.yaml", "unknown key `x` in account")
    assert base == fingerprint("unknown-key", "plans/a.yaml", "unknown key `x` in account")
    assert base != fingerprint("missing-field", "plans/a.yaml", "unknown key `x` in account")
    assert base != fingerprint("unknown-key", "plans/b.yaml", "unknown key `x` in account")
    assert base != fingerprint("unknown-key", "plans/a.yaml", "unknown key `y` in account")
    assert base == fingerprint("unknown-key", "plans\\a.yaml", "unknown key `x` in account")


def test_identical_findings_in_one_file_get_distinct_fingerprints(kaplan, portfolio):
    _, log = sarif(kaplan, "--today", TODAY.isoformat())
    overdue = [r for r in log["runs"][0]["results"] if r["ruleId"] == "action-overdue"]
    assert len(overdue) == 2
    assert overdue[0]["partialFingerprints"] != overdue[1]["partialFingerprints"]


def test_rule_severity_from_kaplan_yaml_shows_in_the_result_level(kaplan, write, portfolio):
    write("kaplan.yaml", "kaplan: 1\nrules: {review-stale: error}\n")
    _, log = sarif(kaplan, "--today", TODAY.isoformat())
    stale = [r for r in log["runs"][0]["results"] if r["ruleId"] == "review-stale"]
    assert stale and {r["level"] for r in stale} == {"error"}
    validate(log)


def test_sarif_output_is_one_json_document_only(kaplan, portfolio):
    r = kaplan("check", "--format", "sarif", "--today", TODAY.isoformat())
    json.loads(r.stdout)  # no summary line after it
    assert r.stdout.endswith("}\n")
