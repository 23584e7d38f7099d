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
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == _commands()[1]
