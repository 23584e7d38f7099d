"""Running the real `kaplan` command in a child process and measuring what it cost.

`measured()` reports the child's own wall time and peak resident memory (from `os.wait4`, so the
figure is that one process's, not the largest of every child the test run ever started).
"""

from __future__ import annotations

import os
import resource
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


def _cap_memory() -> None:  # runs in the child, between fork and exec
    cap = MEMORY_CAP_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def measured(args: list[str], cwd: Path, timeout: float = 60.0, env: dict | None = None) -> Measured:
    """Run `kaplan ARGS` in `cwd`; killed (and `timed_out`) after `timeout` seconds.

    The child's address space is capped at `MEMORY_CAP_MB` (where the platform allows it).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(kaplan_command() + [str(a) for a in args], cwd=cwd, stdout=out, stderr=err,
                                env={**os.environ, "NO_COLOR": "1", **(env or {})},
                                preexec_fn=_cap_memory if sys.platform.startswith("linux") else None)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux and in bytes on macOS.
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), seconds, rss, killed.is_set(),
                        usage.ru_utime + usage.ru_stime)
