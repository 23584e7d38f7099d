"""Showing the risk report: colour-coded table with a text label, or JSON, CSV, Markdown."""

from __future__ import annotations

from typing import IO

from kaplan.commands.risk import RiskReport, RiskRow
from kaplan.plural import counted
from kaplan.views.safe_text import json_text
from kaplan.views import _csv, text
from kaplan.views._console import console as _console

STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}


SHOWN_REASONS = 3
"""How many of an account's health reasons (most points lost first) the table and Markdown name."""
RECORDED_REASONS = 5
"""How many the JSON and CSV name."""


def _reasons(row: RiskRow, n: int = SHOWN_REASONS) -> list[str]:
    return [s.reason for s in row.health.reasons[:n]]


def _record(row: RiskRow) -> dict:
    return {
        "account": row.account_id, "name": row.name, "owner": row.owner, "tier": row.tier,
        "health": int(row.health.score), "risk": row.health.level, "colour": row.health.colour,
        "reasons": _reasons(row, RECORDED_REASONS), "change": row.change, "trend": row.trend,
        "plan_changed": row.plan_changed,
    }


def table(report: RiskReport, rows: list[RiskRow], out: IO[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    title = f"Account risk on {report.today}" + (f" (changes since {report.since})" if report.since else "")
    t = Table(title=title, title_justify="left")
    t.add_column("Risk", no_wrap=True)
    t.add_column("Health", justify="right", no_wrap=True)
    for col in ("Account", "Tier", "Owner", "Top reasons"):
        t.add_column(col, overflow="fold")
    show_change = report.since is not None and report.history_note is None
    if show_change:
        t.add_column("Since " + report.since, overflow="fold")
    body = []
    for row in rows:
        label = Text(row.health.colour.upper(), style=STYLE[row.health.colour])
        cells = [label, text.health(row.health.score), f"{row.name}\n{row.account_id}", row.tier or "–", row.owner,
                 "\n".join(_reasons(row)) or "–"]
        if show_change:
            cells.append("new account" if row.account_id in report.new_accounts else row.change or "–")
        body.append(cells)
        t.add_row(*cells)
    _fit(t, body, console.width, keep=max((len(r.account_id) for r in rows), default=0))
    console.print(t)
    counts = {c: sum(1 for r in rows if r.health.colour == c) for c in ("red", "amber", "green")}
    console.print(f"{counts['red']} red, {counts['amber']} amber, {counts['green']} green")


def _fit(t, body: list[list], width: int, keep: int) -> None:
    """Column widths for a table wider than the terminal, so that account ids are never cut.

    rich narrows every column alike when a table does not fit, cutting ids (`st-aldric-h…`); an id is
    what the reader types next (`kaplan report ID`). So the label, the health and the account column
    (as wide as the longest id) keep their width, and the other columns share what is left, the
    narrowest first, each up to a fair share, their text wrapping. A table that cannot fit even so
    keeps its ids and runs past the edge.
    """
    from rich.cells import cell_len

    def natural(i: int) -> int:
        lines = [t.columns[i].header] + [line for cells in body for line in str(getattr(cells[i], "plain", cells[i])).split("\n")]
        return max(cell_len(line) for line in lines)

    wants = [natural(i) for i in range(len(t.columns))]
    room = width - (3 * len(wants) + 1)  # a border and two spaces of padding per column, one border more
    if sum(wants) <= room:
        return
    fixed = {0: wants[0], 1: wants[1], 2: min(wants[2], max(keep, len("Account")))}
    for i, w in fixed.items():
        t.columns[i].width = w
    flexible = sorted((i for i in range(len(wants)) if i not in fixed), key=lambda i: wants[i])
    left = room - sum(fixed.values())
    for n, i in enumerate(flexible):  # the narrowest first: each takes what it needs, up to a fair share
        t.columns[i].width = max(4, min(wants[i], left // (len(flexible) - n)))
        left -= t.columns[i].width


def json_out(report: RiskReport, rows: list[RiskRow], out: IO[str]) -> None:
    doc = {"today": report.today.isoformat(), "since": report.since, "history_note": report.history_note,
           "history_left_out": report.history_left_out,
           "accounts": [_record(r) for r in rows], "new_accounts": report.new_accounts}
    out.write(json_text(doc) + "\n")


def csv_out(report: RiskReport, rows: list[RiskRow], out: IO[str]) -> None:
    fields = ["account", "name", "owner", "tier", "health", "risk", "colour", "reasons", "change"]
    records = [_record(r) for r in rows]
    for rec in records:
        rec["reasons"] = "; ".join(rec["reasons"])
    _csv.write(out, fields, records)


def md(value) -> str:
    """User text for a Markdown cell, through the review packs' one escape (it never becomes markup)."""
    from kaplan.views.text import md as escape

    return escape(value)


ICON = {"red": "🔴 RED", "amber": "🟠 AMBER", "green": "🟢 GREEN"}


def markdown(report: RiskReport, rows: list[RiskRow], out: IO[str]) -> None:
    """The report for a git host or a CI job's summary page: the counts first, then what changed
    (with `since`), then the red and amber accounts worst first, the green ones folded away."""
    counts = {c: sum(1 for r in rows if r.health.colour == c) for c in ("red", "amber", "green")}
    out.write(f"## Account risk on {report.today}\n\n")
    out.write(f"**{counted(len(rows), 'account')}: 🔴 {counts['red']} red (high risk) · 🟠 {counts['amber']} amber "
              f"(medium) · 🟢 {counts['green']} green (low)**\n\n")
    if report.skipped:
        out.write(f"{counted(len(report.skipped), 'plan')} with errors left out: `kaplan check` says what to fix.\n\n")
    change = report.since is not None and report.history_note is None
    if change:
        _changes(report, rows, out)
    attention = [r for r in rows if r.health.colour != "green"]
    calm = [r for r in rows if r.health.colour == "green"]
    if attention:
        out.write("### Needs attention, worst first\n\n")
        _risk_table(attention, out)
    else:
        out.write("No account is at medium or high risk.\n\n")
    if calm:
        out.write(f"<details><summary>{counted(len(calm), 'green account')} (low risk)</summary>\n\n")
        _risk_table(calm, out)
        out.write("</details>\n")


def _risk_table(rows: list[RiskRow], out: IO[str]) -> None:
    """Each account's risk and its top reasons (what changed is said once, in its own section)."""
    out.write("| Risk | Health | Account | Tier | Owner | Top reasons |\n|---|--:|---|---|---|---|\n")
    for r in rows:
        cells = [ICON[r.health.colour], text.health(r.health.score), f"{md(r.name)} (`{r.account_id}`)",
                 md(r.tier), md(r.owner), md("; ".join(_reasons(r)) or None)]
        out.write("| " + " | ".join(cells) + " |\n")
    out.write("\n")


def _changes(report: RiskReport, rows: list[RiskRow], out: IO[str]) -> None:
    """What moved since the compared revision: worse first (the largest fall first), new accounts,
    then better; an account whose health did not move is only counted."""
    new = set(report.new_accounts)
    worse = sorted((r for r in rows if r.trend == "worse"), key=lambda r: (r.health.score - r.before.score, r.account_id))
    better = sorted((r for r in rows if r.trend == "better"), key=lambda r: (r.before.score - r.health.score, r.account_id))
    added = [r for r in rows if r.account_id in new]
    same = len(rows) - len(worse) - len(better) - len(added)
    when = (f"{report.since_date} (`{report.since_commit[:7]}`)" if report.since_date and report.since_commit
            else md(report.since))
    out.write(f"### What changed since {when}\n\n")
    out.write(f"**{len(worse)} worse**, {len(better)} better, {len(added)} new, {same} unchanged.\n\n")
    if not (worse or better or added):
        return
    out.write("| Risk | Health | Account | Change |\n|---|--:|---|---|\n")
    for r in worse + added + better:
        health = text.health(r.health.score) if r.before is None else f"{text.health(r.before.score)} → {text.health(r.health.score)}"
        words = "new account" if r.account_id in new else r.change
        out.write(f"| {ICON[r.health.colour]} | {health} | {md(r.name)} (`{r.account_id}`) | {md(words)} |\n")
    out.write("\n")


FORMATS = {"table": table, "json": json_out, "csv": csv_out, "markdown": markdown}
