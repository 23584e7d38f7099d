"""The README opens with the two commands that do everything, and CI runs exactly the second one."""

from __future__ import annotations

from conftest import REPO


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_opens_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert text.index("```sh") < text.index("\n## "), "the commands come before the first section"
    main, tests = _commands()
    assert "pip install" in main and "kaplan check" in main and "examples" in main
    assert "pip install" in tests and "'.[test]'" in tests and "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci.count(_commands()[1]) == 1


def test_ci_runs_the_suite_again_under_moved_clocks():
    """A year back, 400 days on and a leap day, each printed, with every process's clock moved."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    loop = ci.split(_commands()[1], 1)[1]
    assert "date -u -d '-1 year'" in loop and "date -u -d '+400 days'" in loop and "2028-02-29" in loop
    assert 'datefudge "$when" .venv/bin/python -m pytest -q -p no:cacheprovider -n 2' in loop
    assert "the tests see today as" in loop


def test_the_readme_plan_and_its_check_output_are_real(kaplan, tmp_path):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    plan = text.split("## A plan", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = text.split("## `kaplan check`", 1)[1].split("```\n", 1)[1].split("```", 1)[0].splitlines()
    command, expected = shown[0], shown[1:]
    assert command.startswith("$ kaplan check --today 2026-12-24")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme-corp.yaml").write_text(plan, encoding="utf-8")
    r = kaplan("check", "--today", "2026-12-24", cwd=tmp_path)
    assert r.exit_code == 0
    assert r.stdout.splitlines() == expected
