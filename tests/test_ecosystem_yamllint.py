"""kaplan lives next to yamllint: what `kaplan init` and `kaplan new` write passes the real yamllint."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES, TODAY


def yamllint(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yamllint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_init_and_new_pass_yamllint_strict_under_the_written_settings(kaplan, tmp_path):
    assert kaplan("init", cwd=tmp_path).exit_code == 0
    assert kaplan("new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat()).exit_code == 0
    assert (tmp_path / ".yamllint").is_file()
    r = yamllint("--strict", "-f", "parsable", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    # the same files under yamllint's own defaults: the settings are what makes them pass
    bare = yamllint("-d", "default", "-f", "parsable", ".", cwd=tmp_path)
    problems = bare.stdout.splitlines()
    assert any("(truthy)" in p and "kaplan.yml" in p for p in problems)  # `on:` in the workflow
    assert any("(document-start)" in p and "acme.yaml" in p for p in problems)


def test_the_bundled_examples_have_no_yamllint_errors_under_those_settings(kaplan, tmp_path):
    assert kaplan("init", cwd=tmp_path).exit_code == 0
    r = yamllint("-c", str(tmp_path / ".yamllint"), "-f", "parsable", ".", cwd=EXAMPLES)
    assert r.returncode == 0, r.stdout  # warnings (long lines) are allowed; errors are not
    assert "[error]" not in r.stdout


def test_init_keeps_a_yamllint_file_that_exists(kaplan, tmp_path):
    (tmp_path / ".yamllint").write_text("extends: relaxed\n")
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0
    assert (tmp_path / ".yamllint").read_text() == "extends: relaxed\n"
