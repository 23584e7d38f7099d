"""The cache written aside: a child process writes it while the command goes on.

Writing the cache's index of a large portfolio (encoding it, sealing it, writing it: 13 MB and a fifth
of a second for 10,000 plans) comes at the end of the reading, when the command's own last steps
(tiers, portfolio rules, output) run on one core and the others are idle. So a forked child writes
it, and the command goes on at once.

Only a process that waits for that child before it ends lets it be done (`allow`, which the command
line calls): it waits in `done`, at exit, so the cache is whole before the next command starts, as if
written in the process itself. Anywhere else (a library caller, a test in the same process, a program
with threads) the cache is written in place, before `portfolio.read` returns. Reading the cache again
in the same process first waits for the child (`done`), so nothing half written is ever looked at
(each file is written atomically in any case).
"""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
from typing import Callable

ASIDE_MIN = 2000
"""The fewest entries written for the writing to be done aside: below that, it costs less than
starting the child (forking a process that holds a large portfolio takes some 40 ms)."""

_allowed = False
_child: int | None = None


def allow() -> None:
    """Let the cache be written by a child process from now on; the process waits for it at exit."""
    global _allowed
    if not _allowed:
        _allowed = True
        atexit.register(_done_at_exit)


def write(work: Callable[[], None], plans: int) -> None:
    """Do `work` (the cache's writing, which handles its own errors) in a child process when that is
    allowed and worth it (`plans`, the entries it writes, at least `ASIDE_MIN`), else here."""
    global _child
    done()  # one writer at a time, in the order they were asked for
    threading = sys.modules.get("threading")  # not imported: no thread was started
    if not (_allowed and plans >= ASIDE_MIN and hasattr(os, "fork")
            and (threading is None or threading.active_count() == 1)):
        work()
        return
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        pid = os.fork()
    except OSError:  # no process to be had: as if not allowed
        work()
        return
    if pid:
        _child = pid
        return
    # the child: it writes and ends, never returning into the command (nor running its exit functions)
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C after the answer leaves the cache whole
        quiet = os.open(os.devnull, os.O_RDWR)  # it says nothing, and holds no pipe of the command's open
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        gc.disable()  # it lives for one write of what exists already
        work()
        status = 0
    finally:
        os._exit(status)


def _done_at_exit() -> None:
    try:
        done()
    except KeyboardInterrupt:  # a Ctrl-C while waiting: the child finishes its writing alone
        atexit.register(_done_at_exit)


def done() -> None:
    """Wait for the child writing the cache, if there is one."""
    global _child
    pid, _child = _child, None
    if pid is None:
        return
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # waited for elsewhere already
        atexit.register(_done_at_exit)
