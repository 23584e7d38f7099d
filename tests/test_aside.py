"""The cache written aside: a child process writes the index while the command goes on, and what it
writes is whole before anything looks at it, from this process or the next command.

Each case runs in a process of its own (`kaplan` is only allowed to write aside where nothing else
runs threads: a test worker does), with `ASIDE_MIN` at 1 so the 13 example plans are enough.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from conftest import EXAMPLES, TODAY

if not hasattr(os, "fork"):  # pragma: no cover - the cache is written in place there
    pytest.skip("this system cannot fork a process: the cache is always written in place", allow_module_level=True)

# The CLI of a process that counts the plans it reads and notes whether its cache was written aside;
# a slow writer (`SLOW`) makes a reader that does not wait for it see no index at all.
_SCRIPT = textwrap.dedent("""
    import atexit, json, os, sys, time
    from kaplan.reading import aside, cache, parallel

    aside.ASIDE_MIN = int(os.environ["ASIDE_MIN"])
    seen = {"reads": 0, "aside": False}
    real_summarise, real_write, real_save = parallel.summarise, aside.write, cache.SummaryCache.save

    def summarise(*args, **kw):
        seen["reads"] += 1
        return real_summarise(*args, **kw)

    def write(work, plans):
        real_write(work, plans)
        seen["aside"] = seen["aside"] or aside._child is not None

    def save(self):
        if os.environ.get("SLOW"):
            time.sleep(float(os.environ["SLOW"]))
        real_save(self)

    parallel.summarise, aside.write, cache.SummaryCache.save = summarise, write, save
    atexit.register(lambda: print(json.dumps(seen), file=sys.stderr))
    if sys.argv[1] == "library":  # two readings in one process, the second at once
        from kaplan.reading.loader import open_portfolio
        from kaplan.reading.portfolio import read
        import datetime as dt
        aside.allow()
        for _ in range(2):
            read(open_portfolio(os.getcwd()), today=dt.date.fromisoformat(sys.argv[2]), whole_portfolio=True, jobs=1)
            print(json.dumps(seen), file=sys.stderr)
            seen["reads"], seen["aside"] = 0, False
        aside.done()
    else:
        sys.argv = ["kaplan"] + sys.argv[1:]
        from kaplan.cli.app import main
        main()
""")


@pytest.fixture
def portfolio(tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    return folder


def _run(folder, tmp_path, *args, aside_min=1, slow=None):
    script = tmp_path / "run.py"
    script.write_text(_SCRIPT)
    env = {**os.environ, "ASIDE_MIN": str(aside_min)}
    if slow:
        env["SLOW"] = str(slow)
    with open(tmp_path / "out", "w+") as out, open(tmp_path / "err", "w+") as err:
        # files, not pipes: the run is over when the process ends, whatever a child of it still does
        done = subprocess.run([sys.executable, str(script), *args], cwd=folder, stdout=out, stderr=err,
                              env=env, timeout=300)
        out.seek(0)
        err.seek(0)
        done.stdout, done.stderr = out.read(), err.read()
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    return done, lines


def _forget_the_last_check():
    """So that the next check is answered from the index (the record of the last check answers an
    unchanged portfolio by itself)."""
    folder = os.environ["KAPLAN_CACHE_DIR"]
    for entry in os.scandir(folder):
        if entry.name.startswith("last-check-"):
            os.unlink(entry.path)


def test_a_check_writes_its_cache_aside_and_the_next_check_reads_nothing(portfolio, tmp_path):
    args = ["check", "--today", TODAY.isoformat()]
    in_place, noted = _run(portfolio, tmp_path, *args, aside_min=10**9)
    assert noted == [{"reads": 13, "aside": False}]
    shutil.rmtree(os.environ["KAPLAN_CACHE_DIR"])

    first, noted = _run(portfolio, tmp_path, *args, slow=0.5)  # the process ends only once it is written
    assert noted == [{"reads": 13, "aside": True}]
    assert (first.returncode, first.stdout) == (in_place.returncode, in_place.stdout)
    _forget_the_last_check()
    second, noted = _run(portfolio, tmp_path, *args)
    assert noted == [{"reads": 0, "aside": False}]  # every plan from the index the child wrote
    assert (second.returncode, second.stdout) == (in_place.returncode, in_place.stdout)


def test_a_reading_in_the_same_process_waits_for_the_child_still_writing(portfolio, tmp_path):
    done, noted = _run(portfolio, tmp_path, "library", TODAY.isoformat(), slow=0.5)
    assert done.returncode == 0, done.stderr
    assert noted[:2] == [{"reads": 13, "aside": True}, {"reads": 0, "aside": False}]


def test_the_cache_is_written_in_place_below_the_threshold(portfolio, tmp_path):
    _, noted = _run(portfolio, tmp_path, "check", "--today", TODAY.isoformat(), aside_min=14)
    assert noted == [{"reads": 13, "aside": False}]
