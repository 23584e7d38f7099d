"""Where kaplan's output may go, and what a command says when it cannot write.

A file a command cannot write (a read-only or full disk) is exit code 2 for every command that
writes, with the system's reason and nothing of it written; `report --out` naming a plan,
`kaplan.yaml` or anything in kaplan's own `.kaplan/` folder is refused as a usage error, exit 2,
and the file is left as it was.

The disk is made "full" for the child alone with a file-size limit of 0 bytes (RLIMIT_FSIZE): every
write of a regular file then fails with EFBIG, whoever runs the test (a read-only folder does not
stop root).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from tests._proc import kaplan_command

resource = pytest.importorskip("resource")  # POSIX: the limit the child runs under

TODAY = "2026-06-01"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, root)
    return root


def _no_file_may_grow() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing kaplan


def _on_a_full_disk(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*kaplan_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          preexec_fn=_no_file_may_grow,
                          env={**os.environ, "NO_COLOR": "1", "KAPLAN_NO_CACHE": "1"})


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("args", [
    ["new", "zed-co", "--today", TODAY],
    ["review", "ostara-bank", "--today", TODAY],
    ["import", "exports/salesforce-closed-won.csv", "--as", "financials", "--today", TODAY],
    ["schema", "--out", "schemas"],
    ["init", "elsewhere"],
    ["report", "ostara-bank", "-f", "md", "--out", "packs/ostara-bank.md", "--today", TODAY],
], ids=lambda args: args[0])
def test_a_write_that_fails_is_exit_2_for_every_command(portfolio: Path, args) -> None:
    before = _tree(portfolio)
    r = _on_a_full_disk(args, portfolio)
    assert r.returncode == 2, (r.stdout, r.stderr)  # review, import, schema and init said 1, as for findings
    assert "Traceback" not in r.stderr
    assert "File too large" in r.stderr, r.stderr
    assert "could not be used" not in r.stderr  # `new` called its own output a file it needed to read
    after = {name: data for name, data in _tree(portfolio).items() if data}  # empty files: the limit is 0 bytes
    assert after == {name: data for name, data in before.items() if data}


@pytest.mark.parametrize("out", ["plans/ostara-bank.yaml", "kaplan.yaml", ".kaplan/imported.json", ".kaplan",
                                 ".kaplan/packs/ostara-bank.md", "own/imported.json"])
def test_report_out_refuses_plans_the_config_and_kaplan_s_own_files(kaplan, portfolio: Path, out) -> None:
    (portfolio / ".kaplan").mkdir()
    ledger = portfolio / ".kaplan" / "imported.json"
    ledger.write_text('{"a ledger": "of what was imported"}\n')
    (portfolio / "own").symlink_to(".kaplan")  # a link to it within the portfolio is the same folder
    before = _tree(portfolio)
    r = kaplan("report", "ostara-bank", "-f", "md", "--out", out, "--today", TODAY, cwd=portfolio)
    assert r.exit_code == 2, r.stderr  # a usage refusal; it was 1 (findings) for a plan, and the ledger was overwritten
    assert "a report is never written" in r.stderr
    assert _tree(portfolio) == before
