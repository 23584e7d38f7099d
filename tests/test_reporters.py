"""Output formats of `kaplan check`: text for people, JSON for programs, GitHub workflow commands for CI."""

from __future__ import annotations

import json

import pytest

from conftest import TODAY
from kaplan.views.check import _gh_data, _gh_property

# A plan with one warning whose message embeds user text (the NPS respondent's name).
ANGRY = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
voice_of_customer:
  nps:
    - date: 2026-11-20
      respondent: "{respondent}"
      score: 3
"""

# A plan with one error: a misspelt review cadence (line 7, column 19).
TYPO = """\
kaplan: 1
account:
  id: globex
  name: Globex
plan:
  owner: Jo Owner
  review_cadence: quaterly
"""

CLEAN = """\
kaplan: 1
account:
  id: initech
  name: Initech
plan:
  owner: Jo Owner
"""


def check(kaplan, *args: str):
    r = kaplan("check", "--today", TODAY.isoformat(), *args)
    assert "Traceback" not in r.stdout + r.stderr
    return r


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """Every test runs in its own folder, a portfolio whose plans are under plans/."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def portfolio(write, tmp_path):
    """plans/acme.yaml (one warning) and plans/globex.yaml (one error)."""
    write("plans/acme.yaml", ANGRY.format(respondent="Dana Example"))
    write("plans/globex.yaml", TYPO)
    return tmp_path


# ---------------------------------------------------------------- json


def test_json_has_counts_and_findings(kaplan, portfolio):
    r = check(kaplan, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert set(doc) == {"files", "errors", "warnings", "findings"}
    assert (doc["files"], doc["errors"], doc["warnings"]) == (2, 1, 1)


def test_json_findings_carry_every_field(kaplan, portfolio):
    doc = json.loads(check(kaplan, "--format", "json").stdout)
    for f in doc["findings"]:
        assert set(f) == {"path", "line", "column", "rule", "severity", "message", "hint"}
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
        assert f["severity"] in ("error", "warning")
    assert [(f["path"], f["line"], f["column"], f["rule"], f["severity"]) for f in doc["findings"]] == [
        ("plans/acme.yaml", 11, 14, "nps-no-follow-up", "warning"),
        ("plans/globex.yaml", 7, 19, "schema", "error"),
    ]


def test_json_for_a_clean_portfolio(kaplan, write, tmp_path):
    write("plans/initech.yaml", CLEAN)
    r = check(kaplan, "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == {"files": 1, "errors": 0, "warnings": 0, "findings": []}


def test_json_keeps_unicode_and_user_text_intact(kaplan, write, tmp_path):
    write("plans/acme.yaml", ANGRY.format(respondent='Zoë \\"Z\\" Ünal 🚀'))
    doc = json.loads(check(kaplan, "--format", "json", "plans/acme.yaml").stdout)
    assert doc["findings"][0]["message"].startswith('Zoë "Z" Ünal 🚀 scored 3')


# ---------------------------------------------------------------- github


@pytest.mark.parametrize("value, data, prop", [
    pytest.param("plain", "plain", "plain", id="nothing-to-escape"),
    pytest.param("50% done", "50%25 done", "50%25 done", id="percent"),
    pytest.param("a\nb", "a%0Ab", "a%0Ab", id="newline"),
    pytest.param("a\r\nb", "a%0D%0Ab", "a%0D%0Ab", id="crlf"),
    pytest.param("Smith, J: angry", "Smith, J: angry", "Smith%2C J%3A angry", id="comma-and-colon"),
    pytest.param("%0A is not a newline", "%250A is not a newline", "%250A is not a newline", id="escape-lookalike"),
    pytest.param("::error file=x::pwned", "::error file=x::pwned", "%3A%3Aerror file=x%3A%3Apwned",
                 id="command-lookalike"),
    pytest.param("x,:%\r\n", "x,:%25%0D%0A", "x%2C%3A%25%0D%0A", id="all-at-once"),
])
def test_github_escaping(value, data, prop):
    assert _gh_data(value) == data
    assert _gh_property(value) == prop


def _runner_unescape(value: str, prop: bool) -> str:
    """How the GitHub Actions runner reads an escaped value back (`%25` last)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, raw in pairs:
        value = value.replace(escaped, raw)
    return value


@pytest.mark.parametrize("value", ["x,:%\r\n", "100%3A not a colon", "%%2C%%", "line\r\nline\n", "é 🚀: a, b"])
def test_github_escaping_round_trips_through_the_runner(value):
    assert _runner_unescape(_gh_data(value), prop=False) == value
    assert _runner_unescape(_gh_property(value), prop=True) == value


def test_github_output_escapes_the_file_name_and_the_message(kaplan, write, tmp_path):
    write("acme, v2.yaml", ANGRY.format(respondent="Smith, J: 100% angry"))
    r = kaplan("check", "acme, v2.yaml", "--today", TODAY.isoformat(), "--format", "github", cwd=tmp_path)
    assert r.exit_code == 1
    warning = next(line for line in r.stdout.splitlines() if line.startswith("::warning "))
    props, message = warning.removeprefix("::warning ").split("::", 1)
    assert props == "file=acme%2C v2.yaml,line=11,col=14,title=kaplan nps-no-follow-up"
    assert message.startswith("Smith, J: 100%25 angry scored 3 on 2026-11-20 and nobody is following up%0A")
    assert _runner_unescape(message, prop=False).split("\n")[0] == \
        "Smith, J: 100% angry scored 3 on 2026-11-20 and nobody is following up"


def test_github_output_has_one_command_per_finding_then_the_summary(kaplan, write, tmp_path):
    write("acme, v2.yaml", ANGRY.format(respondent="Smith, J: 100% angry"))
    r = kaplan("check", "acme, v2.yaml", "--today", TODAY.isoformat(), "--format", "github", cwd=tmp_path)
    lines = r.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error", "::warning"]  # filename-mismatch too
    assert lines[-1] == "1 file checked: 1 error, 1 warning"


def test_github_commands_match_the_json_findings(kaplan, portfolio):
    findings = json.loads(check(kaplan, "--format", "json").stdout)["findings"]
    r = check(kaplan, "--format", "github")
    expected = []
    for f in findings:
        message = f["message"] + (f"\n{f['hint']}" if f["hint"] else "")
        expected.append(f"::{f['severity']} file={_gh_property(f['path'])},line={f['line']},col={f['column']},"
                        f"title=kaplan {f['rule']}::{_gh_data(message)}")
    assert r.stdout.splitlines() == [*expected, "2 files checked: 1 error, 1 warning"]


# ---------------------------------------------------------------- text


def test_text_lines_are_location_severity_rule_message(kaplan, portfolio):
    findings = json.loads(check(kaplan, "--format", "json").stdout)["findings"]
    lines = check(kaplan).stdout.splitlines()
    for f in findings:
        line = f"{f['path']}:{f['line']}:{f['column']}: {f['severity']} [{f['rule']}] {f['message']}"
        assert line in lines
        assert lines[lines.index(line) + 1] == f"    hint: {f['hint']}"


def test_text_output_exactly(kaplan, write, tmp_path):
    write("plans/globex.yaml", TYPO)
    r = check(kaplan)
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        "plans/globex.yaml:7:19: error [schema] `quaterly` is not a valid review_cadence; expected one of "
        "'weekly', 'biweekly', 'monthly', 'quarterly', 'semiannual' or 'annual'",
        "    hint: did you mean `quarterly`?",
        "1 file checked: 1 error",
    ]


@pytest.mark.parametrize("plans, summary", [
    pytest.param({"initech": CLEAN}, "1 file checked: no problems", id="clean"),
    pytest.param({"initech": CLEAN, "globex": TYPO}, "2 files checked: 1 error", id="one-error"),
    pytest.param({"acme": ANGRY.format(respondent="Dana"), "globex": TYPO}, "2 files checked: 1 error, 1 warning",
                 id="error-and-warning"),
    pytest.param({"acme": ANGRY.format(respondent="Dana"), "initech": CLEAN}, "2 files checked: 1 warning",
                 id="one-warning"),
    pytest.param({"globex": TYPO, "hooli": TYPO.replace("globex", "hooli").replace("Globex", "Hooli")},
                 "2 files checked: 2 errors", id="plural"),
])
def test_text_summary_line(kaplan, write, tmp_path, plans, summary):
    for name, text in plans.items():
        write(f"plans/{name}.yaml", text)
    assert check(kaplan).stdout.splitlines()[-1] == summary


def test_text_prints_user_text_literally(kaplan, write, tmp_path):
    respondent = "[bold red]Smith[/bold red] :smile: " + "x" * 120
    write("plans/acme.yaml", ANGRY.format(respondent=respondent))
    lines = check(kaplan).stdout.splitlines()
    assert lines[0] == f"plans/acme.yaml:11:14: warning [nps-no-follow-up] {respondent} scored 3 on 2026-11-20 " \
                       "and nobody is following up"  # no markup, no emoji, no wrapping


def test_quiet_hides_warnings_but_not_errors(kaplan, portfolio):
    r = check(kaplan, "--quiet")
    assert r.exit_code == 1
    assert "[nps-no-follow-up]" not in r.stdout
    assert "plans/globex.yaml:7:19: error [schema]" in r.stdout
    assert r.stdout.splitlines()[-1] == "2 files checked: 1 error, 1 warning"


def test_quiet_with_only_warnings_prints_just_the_summary(kaplan, write, tmp_path):
    write("plans/acme.yaml", ANGRY.format(respondent="Dana"))
    r = check(kaplan, "-q")
    assert r.exit_code == 0
    assert r.stdout.splitlines() == ["1 file checked: 1 warning"]


def test_strict_turns_warnings_into_a_failure(kaplan, write, tmp_path):
    write("plans/acme.yaml", ANGRY.format(respondent="Dana"))
    assert check(kaplan).exit_code == 0
    assert check(kaplan, "--strict").exit_code == 1


@pytest.mark.parametrize("fmt", ["xml", "JSON", "", "SARIF"])
def test_unknown_format_is_a_usage_error(kaplan, portfolio, fmt):
    r = check(kaplan, "--format", fmt)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert f"unknown format {fmt!r}" in r.stderr
