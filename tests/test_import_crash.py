"""A SIGKILL at any moment of a multi-plan import leaves every plan whole, and the set all old or all new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kaplan.writing.batch import JOURNAL, recover

PLANS = 40

# Runs the real command in a child process; the test only slows one step down so the kill lands there.
CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import kaplan.writing.batch as batch
    step, stop, mark = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seen = [0]

    def pause():
        seen[0] += 1
        if seen[0] == stop:
            Path(mark).write_text("now")
            time.sleep(120)

    if step == "rename":
        real = os.replace
        def replace(src, dst, **kw):
            real(src, dst, **kw)
            if str(dst).endswith(".yaml"):
                pause()
        batch.os.replace = replace
    else:
        real_stage = batch._temp_beside
        def stage(path, data, mode, **kw):
            out = real_stage(path, data, mode, **kw)
            if str(path).endswith(".yaml"):
                pause()
            return out
        batch._temp_beside = stage
    from kaplan.cli.app import app
    app(["import", "export.csv", "--as", "financials"], prog_name="kaplan")
""")


def make_portfolio(root: Path) -> None:
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    rows = ["account,period,revenue"]
    for i in range(PLANS):
        (root / "plans" / f"a{i:03d}.yaml").write_text(
            f"# plan {i}\nkaplan: 1\naccount:\n  id: a{i:03d}\n  name: Account {i}\nplan:\n  owner: Jo\n"
            "financials:\n  periods:\n    - {period: 2026-Q1, revenue: 100}\n", encoding="utf-8")
        rows.append(f"a{i:03d},2026-Q2,{1000 + i}")
    (root / "export.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def plans(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "plans").glob("*.yaml"))}


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The plans before the import, and after an import that nothing interrupted."""
    old = tmp_path_factory.mktemp("old")
    make_portfolio(old)
    new = tmp_path_factory.mktemp("new")
    make_portfolio(new)
    done = subprocess.run([sys.executable, "-m", "kaplan.cli.app", "import", "export.csv", "--as", "financials"],
                          cwd=new, capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr
    before, after = plans(old), plans(new)
    assert all(before[name] != after[name] for name in before)
    return before, after


def _env() -> dict:
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    return env


def killed_at(root: Path, step: str, stop: int) -> None:
    mark = root / "mark"
    child = subprocess.Popen([sys.executable, "-c", CHILD, step, str(stop), str(mark)], cwd=root, env=_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not mark.exists():
        assert child.poll() is None, child.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("step,stop", [("stage", 1), ("stage", PLANS // 2), ("rename", 1), ("rename", PLANS // 2),
                                       ("rename", PLANS)])
def test_a_kill_leaves_every_plan_whole_and_the_next_command_completes_the_set(tmp_path, states, step, stop):
    before, after = states
    make_portfolio(tmp_path)
    killed_at(tmp_path, step, stop)
    now = plans(tmp_path)
    assert all(now[name] in (before[name], after[name]) for name in before)  # every plan whole
    if step == "stage":  # killed before the commit point: nothing changed yet
        assert now == before and not (tmp_path / JOURNAL).exists()
    else:  # killed after it: `stop` plans are new so far, the journal names the rest
        assert sum(now[name] == after[name] for name in before) == stop and (tmp_path / JOURNAL).exists()
    recover(tmp_path)
    assert plans(tmp_path) == (before if step == "stage" else after)
    assert not [p for p in (tmp_path / "plans").iterdir() if p.suffix == ".tmp"]  # no stray temporary file
    # and the import run again gives the same plans as one that was never interrupted
    again = subprocess.run([sys.executable, "-m", "kaplan.cli.app", "import", "export.csv", "--as", "financials"],
                           cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stderr
    assert plans(tmp_path) == after


def test_a_plan_changed_by_someone_else_meanwhile_stops_the_whole_set(tmp_path):
    from kaplan.writing.batch import write_all
    from kaplan.writing.files import WriteRefused

    make_portfolio(tmp_path)
    a, b = tmp_path / "plans" / "a000.yaml", tmp_path / "plans" / "a001.yaml"
    old_a, old_b = a.read_text(), b.read_text()
    b.write_text(old_b + "# edited meanwhile\n")  # another command wrote b after this one read it
    with pytest.raises(WriteRefused, match="changed while kaplan was working on it"):
        write_all({a: old_a + "# new\n", b: old_b + "# new\n"}, tmp_path, before={a: old_a, b: old_b})
    assert a.read_text() == old_a and b.read_text() == old_b + "# edited meanwhile\n"
    assert not [p for p in (tmp_path / "plans").iterdir() if p.suffix == ".tmp"]
