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
