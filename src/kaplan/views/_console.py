"""One rich Console factory for every view, so width and colour behave the same everywhere."""

from __future__ import annotations

from typing import IO


def console(out: IO[str]):
    """A Console on `out`: full width on a terminal, 120 columns when piped (tables do not wrap)."""
    from rich.console import Console

    c = Console(file=out, highlight=False, emoji=False)
    if not c.is_terminal:
        c = Console(file=out, highlight=False, emoji=False, width=120)
    return c
