"""Running the real `kaplan` command in a child process and measuring what it cost.

`measured()` reports the child's own wall time, CPU time and peak resident memory (from `os.wait4` in a
small launcher, so the figure is that one process's: not the largest of every child the test run ever
started, nor the test run's own memory, which a process forked from it would count as its peak).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def kaplan_command() -> list[str]:
    """The installed `kaplan` console script beside this Python, else the CLI through `python -c`."""
    script = shutil.which("kaplan", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from kaplan.cli.app import main; main()"]


@dataclass
class Measured:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    timed_out: bool
    cpu_seconds: float = 0.0
    """User and system time of the child: what the work cost, whatever else the machine was doing."""


MEMORY_CAP_MB = 2048
"""Address-space cap for the child: a runaway read fails inside it instead of exhausting the machine."""

_LAUNCHER = """
import os, resource, signal, subprocess, sys
cap, report = int(sys.argv[1]), int(sys.argv[2])
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
child = subprocess.Popen(sys.argv[3:])
_, status, usage = os.wait4(child.pid, 0)
os.write(report, f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}".encode())
os.close(report)
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""
"""Starts the command and reports its peak memory and CPU time. A process started by the test run
itself would count the test run's own resident memory as its peak (Linux keeps a process's peak
through the fork and the exec that start it); started by this small launcher, it counts only the
launcher's few megabytes before its own."""


def measured(args: list[str], cwd: Path, timeout: float = 60.0, env: dict | None = None) -> Measured:
    """Run `kaplan ARGS` in `cwd`; killed (and `timed_out`) after `timeout` seconds.

    The child's address space is capped at `MEMORY_CAP_MB` (where the platform allows it).
    """
    cap = MEMORY_CAP_MB * 1024 * 1024 if sys.platform.startswith("linux") else 0
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        try:
            proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(cap), str(write_end),
                                     *kaplan_command(), *[str(a) for a in args]],
                                    cwd=cwd, stdout=out, stderr=err, pass_fds=(write_end,), start_new_session=True,
                                    env={**os.environ, "NO_COLOR": "1", **(env or {})})
        finally:
            os.close(write_end)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            with os.fdopen(read_end, "rb") as fh:
                reported = fh.read().split()
            proc.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux and in bytes on macOS.
        rss_units, cpu = (int(reported[0]), float(reported[1])) if len(reported) == 2 else (0, 0.0)
        rss = rss_units / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), seconds, rss, killed.is_set(), cpu)
