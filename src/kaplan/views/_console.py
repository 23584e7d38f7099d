"""One rich Console for every view, so width, colour and what plan text may do behave the same everywhere.

Plan text reaches a table as ordinary strings, which rich would read as markup: `[/x]` in a name
stops the command with a MarkupError, `[link=…]` makes a clickable link, and an escaped ESC or BEL
in a plan reaches the terminal. This console reads no markup at all (styles are given as `Text`
objects, never inside strings), and every string it draws passes through `visible()` first.
"""

from __future__ import annotations

from typing import IO


def console(out: IO[str]):
    """A Console on `out`: full width on a terminal, 120 columns when piped (tables do not wrap)."""
    from rich.console import Console

    from kaplan.views.safe_text import visible

    class _PlainTextConsole(Console):
        def render_str(self, text: str, **kwargs):
            kwargs.update(markup=False, emoji=False)
            return super().render_str(visible(text, lines=True), **kwargs)

    c = _PlainTextConsole(file=out, highlight=False, emoji=False, markup=False)
    if not c.is_terminal:
        c = _PlainTextConsole(file=out, highlight=False, emoji=False, markup=False, width=120)
    return c
