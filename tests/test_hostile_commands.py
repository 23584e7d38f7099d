"""Every command, not only `check`, meets a hostile file with a finding or a clean skip, never a crash.

Each case is a small portfolio holding one valid plan (`acme`) and one hostile file. Every command
runs in its own process (a crash inside a C extension kills the process with a signal, exit 139 for
SIGSEGV, which an in-process runner cannot survive), and must exit normally with no traceback,
naming the hostile file; `check` must also give its located finding.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from _proc import measured
from conftest import MINIMAL, TODAY

DAY = TODAY.isoformat()
COMMANDS = {
    "check": ["check", "--today", DAY, "--format", "json"],
    "score": ["score"],
    "risk": ["risk", "--today", DAY],
    "report --portfolio": ["report", "--portfolio", "--today", DAY],
    "report acme": ["report", "acme", "--today", DAY],
    "report --all": ["report", "--all", "--out", "packs", "--today", DAY],
}


def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("kaplan: 1\n", encoding="utf-8")
    (root / "plans" / "acme.yaml").write_text(MINIMAL.format(id="acme", name="Acme"), encoding="utf-8")
    return root


def run_everywhere(root: Path, named: str, rule: str, line: int | None = None, column: int | None = None):
    """Run every command in `root`; each must survive, and `check` must locate `rule` in `named`."""
    for label, args in COMMANDS.items():
        m = measured(args, root, timeout=60, env={"KAPLAN_CACHE_DIR": str(root.parent / "cache")})
        shown = f"{label}: exit {m.exit_code}\n{m.stdout[-2000:]}\n{m.stderr[-2000:]}"
        assert not m.timed_out, shown
        assert m.exit_code >= 0, f"killed by signal {-m.exit_code}: " + shown
        assert m.exit_code not in (134, 139), shown
        assert "Traceback" not in m.stdout + m.stderr, shown
        if label == "check":
            assert m.exit_code == 1, shown
            found = [f for f in json.loads(m.stdout)["findings"] if f["path"] == named and f["rule"] == rule]
            assert found, shown
            if line is not None:
                assert (found[0]["line"], column or found[0]["column"]) == (line, found[0]["column"]), shown
        else:
            assert m.exit_code in (0, 1), shown
            assert named in m.stderr, shown


def test_a_symlink_loop_among_the_plans(tmp_path):
    root = portfolio(tmp_path)
    os.symlink("b.yaml", root / "plans" / "a.yaml")
    os.symlink("a.yaml", root / "plans" / "b.yaml")
    run_everywhere(root, "plans/a.yaml", "unreadable", 1, 1)
    assert (root / "packs" / "acme.html").is_file()


LIMIT = 5 * 1024 * 1024


def filled(head: str, unit: str, tail: str = "\n") -> bytes:
    """`head`, then `unit` repeated up to the 5 MiB size limit, then `tail`."""
    return (head + unit * ((LIMIT - len(head) - len(tail)) // len(unit)) + tail).encode()


@pytest.mark.parametrize("content, rule, line, column", [
    # 25,000 brackets gave `too-deep`; 50,000 killed every command with SIGSEGV inside the parser
    pytest.param(b"x: " + b"[" * 50_000 + b"\n", "too-deep", 1, 3 + 65, id="50000-unclosed-brackets"),
    pytest.param(filled("x: ", "{a: "), "too-deep", 1, 4 + 4 * 63 + 1, id="5-mib-of-flow-mappings"),
    pytest.param(filled("", "- ", "x\n"), "too-deep", 1, 2 * 65 + 1, id="5-mib-of-block-lists-on-one-line"),
    pytest.param("".join(" " * i + "a:\n" for i in range(3000)).encode(), "too-deep", 65, 65,
                 id="3000-levels-of-indentation"),
    pytest.param(filled("", "-\n", ""), "too-large", 250_000, 2, id="5-mib-of-dashes"),
])
def test_a_file_past_the_reader_limits(tmp_path, content, rule, line, column):
    root = portfolio(tmp_path)
    (root / "plans" / "deep.yaml").write_bytes(content)
    run_everywhere(root, "plans/deep.yaml", rule, line, column)


def test_a_kaplan_yaml_nested_too_deep_is_a_configuration_error_for_every_command(tmp_path):
    root = portfolio(tmp_path)
    (root / "kaplan.yaml").write_bytes(b"kaplan: 1\nrules: " + b"{a: " * 50_000 + b"\n")
    for label, args in COMMANDS.items():
        m = measured(args, root, timeout=60, env={"KAPLAN_CACHE_DIR": str(tmp_path / "cache")})
        shown = f"{label}: exit {m.exit_code}\n{m.stdout[-2000:]}\n{m.stderr[-2000:]}"
        assert m.exit_code == 2, shown
        assert "Traceback" not in m.stdout + m.stderr, shown
        assert f"kaplan.yaml:2:{8 + 4 * 63 + 1}" in m.stdout + m.stderr, shown
        assert "too-deep" in m.stdout + m.stderr or "deeper than 64" in m.stdout + m.stderr, shown
