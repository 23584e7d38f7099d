"""The `kaplan` process ends with the right code and every byte of its output written.

It leaves without freeing what it built (`cli.app._leave`), so these run the real command in a
child process, its output to a file (fully buffered: nothing is written before the end unless
flushed) and to a pipe.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from _proc import kaplan_command
from conftest import EXAMPLES, TODAY


def _portfolio(tmp_path, copies: int):
    tmp_path.mkdir()
    shutil.copy(EXAMPLES / "kaplan.yaml", tmp_path / "kaplan.yaml")
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(copies):
        for plan in sorted((EXAMPLES / "plans").glob("*.yaml")):
            shutil.copy(plan, plans / f"{plan.stem}-{n:03d}.yaml")
    return tmp_path


def _run(args, cwd, stdout):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output buffered, as by default
    return subprocess.run(kaplan_command() + args, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, env=env,
                          timeout=300)


@pytest.mark.parametrize("fmt", ["text", "github"])  # one write at the end; a write per finding
def test_every_finding_is_written_before_the_process_ends(kaplan, tmp_path, fmt):
    folder = _portfolio(tmp_path / "p", 40)
    args = ["check", "--today", TODAY.isoformat(), "--format", fmt]
    expected = kaplan(*args, cwd=folder, env={"KAPLAN_NO_CACHE": "1", "GITHUB_ACTIONS": ""}).stdout
    assert len(expected.encode()) > 256 << 10 and expected.count("\n") > 2000  # far past any buffer
    out = tmp_path / "out.txt"
    with out.open("wb") as fh:
        r = _run(args, folder, fh)
    assert r.returncode == 1, r.stderr  # findings
    assert out.read_text(encoding="utf-8") == expected
    assert "Traceback" not in r.stderr.decode()
    piped = _run(args, folder, subprocess.PIPE)  # answered from the cache this time
    assert piped.returncode == 1 and piped.stdout.decode("utf-8") == expected


def test_exit_codes_are_kept(tmp_path):
    folder = _portfolio(tmp_path / "p", 1)
    assert _run(["--version"], folder, subprocess.PIPE).returncode == 0
    bad_day = _run(["check", "--today", "2026-13-01"], folder, subprocess.PIPE)
    assert bad_day.returncode == 2 and b"is not a date" in bad_day.stderr
