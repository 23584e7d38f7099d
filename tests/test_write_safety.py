"""Writes that survive being killed and racing: the old file or the new one, never half of either.

A writer process is SIGKILLed at chosen points (after the data is written but before the rename,
in the middle of writing) and at random moments while it rewrites a 4 MB file over and over; the
file must always hold one complete version. Two `kaplan new` of the same account started together:
exactly one succeeds and the file is complete.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from _proc import kaplan_command
from _races import race_to_create
from conftest import TODAY

OLD = "kaplan: 1\n# old version\n" + "# " + "o" * 78 + "\n" * 1
BIG = 4 * 1024 * 1024


def big_text(letter: str) -> str:
    line = "# " + letter * 98 + "\n"
    return f"kaplan: 1\n# version {letter}\n" + line * (BIG // len(line))


WRITER = textwrap.dedent("""\
    import os, sys, time
    from pathlib import Path
    from kaplan.writing import files as _writer

    path, mode = Path(sys.argv[1]), sys.argv[2]

    def pause(name):
        real = getattr(os, name)
        def wrapper(*args):
            if name == "replace" or mode == "mid-write":
                print("paused", flush=True)
                time.sleep(60)
            return real(*args)
        setattr(os, name, wrapper)

    if mode == "before-rename":
        pause("replace")
    elif mode == "mid-write":
        pause("fsync")
    if mode == "loop":
        texts = [Path(sys.argv[3]).read_text(), Path(sys.argv[4]).read_text()]
        print("started", flush=True)
        i = 0
        while True:
            _writer.write_replace(path, texts[i % 2])
            i += 1
    _writer.write_replace(path, "kaplan: 1\\n# new version\\n" + "# " + "n" * 78 + "\\n" * 50000)
""")


def start_writer(tmp_path: Path, *args: str) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline()
    assert line.strip() == word, f"writer said {line!r}"


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()


@pytest.mark.parametrize("moment", ["before-rename", "mid-write"])
def test_a_writer_killed_before_the_rename_leaves_the_old_file_intact(tmp_path, moment, kaplan):
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "acme.yaml"
    plan.write_text(OLD)
    proc = start_writer(tmp_path, str(plan), moment)
    wait_for(proc, "paused")
    kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert plan.read_text() == OLD
    leftovers = [p.name for p in plan.parent.iterdir() if p.name != "acme.yaml"]
    assert all(name.startswith(".acme.yaml.") and name.endswith(".tmp") for name in leftovers)
    # A temporary file left behind by the kill is hidden, so `kaplan check` never reads it.
    r = kaplan("check", "--format", "json", cwd=tmp_path)
    assert r.json()["files"] == 1


def test_a_writer_killed_at_random_moments_always_leaves_one_complete_version(tmp_path):
    a, b = big_text("a"), big_text("b")
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    plan = tmp_path / "acme.yaml"
    plan.write_text(a)
    rnd = random.Random(8)
    seen = set()
    for _ in range(8):
        proc = start_writer(tmp_path, str(plan), "loop", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
        wait_for(proc, "started")
        time.sleep(rnd.uniform(0.0, 0.25))
        kill(proc)
        content = plan.read_text()
        assert content in (a, b), f"a torn file: {len(content)} bytes"
        seen.add(content[:20])
        for tmp in tmp_path.glob(".acme.yaml.*.tmp"):
            tmp.unlink()
    assert seen  # the loop really ran (both versions are usually seen)


# ---------------------------------------------------------------- racing creators


def test_racing_threads_create_a_file_exactly_once(tmp_path):
    for round_ in range(30):
        race_to_create(tmp_path / f"plan-{round_}.yaml", 8,
                       lambda i: f"kaplan: 1\n# writer {i}\n" + "# padding\n" * 1000)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"plan-{i}.yaml" for i in range(30))


def test_two_kaplan_new_of_the_same_account_started_together_exactly_one_succeeds(tmp_path):
    reference = tmp_path / "reference"
    reference.mkdir()
    solo = subprocess.run(kaplan_command() + ["new", "acme", "--owner", "Racer A", "--today", TODAY.isoformat()],
                          cwd=reference, capture_output=True, text=True)
    assert solo.returncode == 0, solo.stderr
    text_a = (reference / "plans" / "acme.yaml").read_text()
    complete = {text_a, text_a.replace("Racer A", "Racer B")}
    for round_ in range(5):
        folder = tmp_path / f"round-{round_}"
        folder.mkdir()
        procs = [subprocess.Popen(kaplan_command() + ["new", "acme", "--owner", f"Racer {who}",
                                                      "--today", TODAY.isoformat()],
                                  cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for who in "AB"]
        results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 1], results
        loser = next(err for code, _, err in results if code == 1)
        assert "already exists" in loser and "Traceback" not in loser
        assert (folder / "plans" / "acme.yaml").read_text() in complete
        assert [p.name for p in (folder / "plans").iterdir()] == ["acme.yaml"]


# ---------------------------------------------------------------- permissions


def test_report_out_through_a_committed_link_does_not_copy_the_link_targets_setuid_mode(kaplan, tmp_path):
    """`pack.html -> /some/setuid-binary` committed in the repository: the pack replaces the link as an
    ordinary file with the usual permissions, never 4755."""
    import stat

    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n")
    (tmp_path / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n")
    tool = tmp_path / "tool"
    tool.write_text("#!/bin/sh\n")
    os.chmod(tool, 0o4755)
    (tmp_path / "pack.html").symlink_to(tool)
    old = os.umask(0o022)
    try:
        r = kaplan("report", "acme", "-o", "pack.html", "--today", TODAY.isoformat(), cwd=tmp_path)
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.stderr
    pack = tmp_path / "pack.html"
    assert not pack.is_symlink() and "Acme" in pack.read_text()
    assert stat.S_IMODE(os.lstat(pack).st_mode) == 0o666 & ~0o022  # what open() gives a new file
    assert stat.S_IMODE(os.stat(tool).st_mode) == 0o4755 and tool.read_text() == "#!/bin/sh\n"


def test_a_rewritten_plan_keeps_its_permissions_but_never_a_setuid_bit(tmp_path):
    import stat

    from kaplan.writing.files import write_replace

    plan = tmp_path / "acme.yaml"
    plan.write_text(OLD)
    os.chmod(plan, 0o640)
    write_replace(plan, OLD + "# more\n")
    assert stat.S_IMODE(os.stat(plan).st_mode) == 0o640
    os.chmod(plan, 0o4750)
    write_replace(plan, OLD)
    assert stat.S_IMODE(os.stat(plan).st_mode) == 0o750
