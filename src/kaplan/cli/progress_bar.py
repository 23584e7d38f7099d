"""A progress bar for long runs, on stderr, only when a person is watching a terminal.

Piped output, CI logs and tests never see it: it appears only when stderr is a terminal and the run
reads at least `THRESHOLD` files, and it disappears when done. rich is imported only then, so a
short run pays nothing for it.
"""

from __future__ import annotations

import sys
from typing import Any

THRESHOLD = 100
"""Fewer files than this finish before a bar would be worth drawing."""


class FileProgress:
    """Callable as `progress(done, total)`; use as a context manager so the bar is always removed."""

    def __init__(self, label: str, *, enabled: bool = True, console: Any = None, threshold: int = THRESHOLD):
        self.label = label
        self.threshold = threshold
        self.console = console
        if console is None:
            enabled = enabled and _is_terminal(sys.stderr)
        else:
            enabled = enabled and console.is_terminal
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.threshold:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            console = self.console or Console(stderr=True)
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __enter__(self) -> "FileProgress":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
