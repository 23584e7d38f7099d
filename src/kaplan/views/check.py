"""Reporters: turn a check result into output, chosen by name (`--format`).

Each reporter only formats; what counts as a finding and which exit code follows is decided
elsewhere. `text` is for people, `json` for programs, `github` for workflow annotations, `sarif`
for code-scanning dashboards.
"""

from __future__ import annotations

import os
from typing import IO, Callable

from kaplan.views.safe_text import json_text, visible
from kaplan.findings import CheckResult
from kaplan.findings import Finding, Severity
from kaplan.plural import counted


def summary(result: CheckResult) -> str:
    files = f"{counted(result.files, 'file')} checked"
    if not result.findings:
        return f"{files}: no problems"
    parts = []
    if result.errors:
        parts.append(counted(result.errors, "error"))
    if result.warnings:
        parts.append(counted(result.warnings, "warning"))
    return f"{files}: {', '.join(parts)}"


def format_line(f: Finding) -> str:
    return visible(f"{f.location()}: {f.severity.value} [{f.rule}] {f.message}")


def text(result: CheckResult, out: IO[str], color: bool | None = None, quiet: bool = False) -> None:
    """`file:line:col: severity [rule] message`, a hint under it, then a summary line.

    On a terminal (and unless NO_COLOR is set) findings are grouped under their file and coloured.
    """
    shown = [f for f in result.findings if not quiet or f.severity is Severity.ERROR]
    if not color and not _may_be_terminal(out):
        _plain(result, shown, out)  # what rich prints here too, without the cost of importing it
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False,
                      force_terminal=color if color else None, no_color=color is False or None)
    if not (console.is_terminal and not console.no_color):
        _plain(result, shown, out)
        return
    current = None
    for f in shown:
        if f.path != current:
            if current is not None:
                console.print()
            console.print(Text(visible(f.path), style="bold underline"))
            current = f.path
        style = "red" if f.severity is Severity.ERROR else "yellow"
        line = Text()
        line.append(f"{visible(f.location())}: ", style="dim")
        line.append(f.severity.value, style=f"bold {style}")
        line.append(f" [{f.rule}] ", style="cyan")
        line.append(visible(f.message))
        console.print(line)
        if f.hint:
            console.print(Text(f"    hint: {visible(f.hint)}", style="dim"))
    if result.findings:
        console.print()
    colour = "red" if result.errors else "yellow" if result.findings else "green"
    console.print(Text(summary(result), style=f"bold {colour}"))


def _may_be_terminal(out: IO[str]) -> bool:
    """Whether rich could treat `out` as a terminal (a tty, or forced by the environment)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") or os.environ.get("TTY_INTERACTIVE"):
        return True
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _plain(result: CheckResult, shown: list[Finding], out: IO[str]) -> None:
    lines = []
    for f in shown:
        lines.append(format_line(f))
        if f.hint:
            lines.append(f"    hint: {visible(f.hint)}")
    lines.append(summary(result))
    out.write("\n".join(lines) + "\n")


def json_report(result: CheckResult, out: IO[str], **_) -> None:
    """One JSON object: counts and the list of findings."""
    doc = {
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
        "findings": [f.to_dict() for f in result.findings],
    }
    out.write(json_text(doc) + "\n")


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult, out: IO[str], **_) -> None:
    """GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding."""
    for f in result.findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        # GitHub's escapes keep the command on one line; `visible` keeps ESC sequences and `##[`
        # out of the log, which shows the message as it is written.
        message = visible(f.message) + (f"\n{visible(f.hint)}" if f.hint else "")
        props = (f"file={_gh_property(visible(f.path))},line={f.line},col={f.column},"
                 f"title={_gh_property(f'kaplan {f.rule}')}")
        out.write(f"::{level} {props}::{_gh_data(message)}\n")
    out.write(summary(result) + "\n")


from kaplan.views.sarif import sarif  # noqa: E402

REPORTERS: dict[str, Callable[..., None]] = {"text": text, "json": json_report, "github": github, "sarif": sarif}
