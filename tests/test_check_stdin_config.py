"""`kaplan check -` (a plan on standard input, for editors) and naming the settings file with
`--config` or `KAPLAN_CONFIG`. Through the real CLI in a subprocess, as an editor or CI would run it."""

from __future__ import annotations

import json
import os
import subprocess

from _proc import kaplan_command
from conftest import TODAY

PLAN = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Jo Owner, last_reviewed: 2026-11-01}
relationships:
  contacts:   # kaplan: disable-line=key-player-missing
    - {id: ann, name: Ann, strength: 5}
    - {id: bob, name: Bob, strength: 3}
"""


def run(*args, cwd, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(kaplan_command() + list(args), cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1", **(env or {})})


def rules_of(done: subprocess.CompletedProcess) -> list[tuple[str, int, str]]:
    return [(f["rule"], f["line"], f["path"]) for f in json.loads(done.stdout)["findings"]]


def test_a_plan_on_standard_input_is_checked_as_the_file_it_is_named_after(tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nrules: {single-threaded: error}\n")
    named = run("check", "-", "--stdin-filename", "plans/acme.yaml", "--today", TODAY.isoformat(),
                "--format", "json", cwd=tmp_path, stdin=PLAN)
    assert named.returncode == 1, named.stderr  # single-threaded is an error under this kaplan.yaml
    assert rules_of(named) == [("single-threaded", 5, "plans/acme.yaml")]  # key-player-missing silenced
    unnamed = run("check", "-", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path, stdin=PLAN)
    assert rules_of(unnamed) == [("single-threaded", 5, "<stdin>")]  # no file name to compare the id with
    wrong = run("check", "-", "--stdin-filename", "plans/other.yaml", "--today", TODAY.isoformat(),
                "--format", "json", cwd=tmp_path, stdin=PLAN)
    assert ("filename-mismatch", 2, "plans/other.yaml") in rules_of(wrong)


def test_broken_input_on_standard_input_is_a_located_finding(tmp_path):
    done = run("check", "-", cwd=tmp_path, stdin="kaplan: 1\naccount: [\n")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.startswith("<stdin>:") and "[syntax]" in done.stdout
    both = run("check", "-", "plans", cwd=tmp_path, stdin=PLAN)
    assert both.returncode == 2 and "cannot be checked together" in both.stderr


def test_the_settings_file_can_be_named(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(PLAN)
    (tmp_path / "strict.yaml").write_text("kaplan: 1\nrules: {single-threaded: error}\n")
    plain = run("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout
    by_option = run("--config", "strict.yaml", "check", "--today", TODAY.isoformat(), cwd=tmp_path)
    by_env = run("check", "--today", TODAY.isoformat(), cwd=tmp_path, env={"KAPLAN_CONFIG": "strict.yaml"})
    for done in (by_option, by_env):
        assert done.returncode == 1 and "error [single-threaded]" in done.stdout, done.stdout + done.stderr
    missing = run("--config", "nope.yaml", "check", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr and "Traceback" not in missing.stderr
