"""Showing a portfolio score: the ranking, one account's explanation, and the budget allocation.

Each format is a function chosen by name (`FORMATS`); all of them show the same columns.
"""

from __future__ import annotations

import csv
from typing import IO, Callable

from ..scoring.engine import AccountScore
from .._safe_text import json_text
from ._console import console as _console
from ..scoring.portfolio import PortfolioScore

COLUMNS = ["rank", "account", "name", "score", "key", "tier", "quadrant", "revenue", "margin_pct", "abc"]


def money(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _row(a: AccountScore) -> dict:
    return {
        "rank": a.rank, "account": a.account_id, "name": a.name, "score": round(a.score, 2),
        "key": a.key, "tier": a.tier_name, "quadrant": a.quadrant,
        "revenue": None if a.revenue is None else round(a.revenue, 2),
        "margin_pct": None if a.margin_pct is None else round(a.margin_pct, 2), "abc": a.abc,
    }


def table(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    from rich.table import Table

    console = _console(out)
    t = Table(title=f"Portfolio ranking ({len(ps.accounts)} accounts)", title_justify="left")
    for col, justify in [("#", "right"), ("Account", "left"), ("Score", "right"), ("Key", "center"),
                         ("Tier", "left"), ("Quadrant", "left"), ("Revenue (TTM)", "right"),
                         ("Margin", "right"), ("ABC", "center")]:
        t.add_column(col, justify=justify)
    for a in accounts:
        t.add_row(str(a.rank), f"{a.name} ({a.account_id})", f"{a.score:.1f}", "yes" if a.key else "",
                  a.tier_name or "–", a.quadrant, money(a.revenue), pct(a.margin_pct), a.abc or "–")
    console.print(t)
    c = ps.concentration
    if c.total:
        console.print(f"Top {c.top_accounts_pct:g}% of accounts ({c.top_accounts}) bring "
                      f"{c.top_share_pct:.1f}% of {'revenue' if c.metric == 'revenue_ttm' else 'gross profit'}.")
    console.print(f"Key accounts (score ≥ {ps.scoring.key_account_threshold:g}): "
                  f"{sum(1 for a in ps.accounts if a.key)} of {len(ps.accounts)}.")


def csv_out(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in accounts:
        row = _row(a)
        row["key"] = "yes" if a.key else "no"
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def json_out(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    c = ps.concentration
    doc = {
        "accounts": [{**_row(a), "attractiveness": round(a.attractiveness, 2), "strength": round(a.strength, 2),
                      "contributions": [_contribution(x) for x in a.contributions]} for a in accounts],
        "concentration": {"metric": c.metric, "total": c.total, "top_accounts": c.top_accounts,
                          "top_accounts_pct": c.top_accounts_pct, "top_share_pct": round(c.top_share_pct, 2)},
        "key_account_threshold": ps.scoring.key_account_threshold,
        "notes": [n.to_dict() for n in ps.notes],
        "skipped": [lp.display for lp in ps.skipped],
    }
    out.write(json_text(doc) + "\n")


def _contribution(x) -> dict:
    return {"criterion": x.criterion, "source": x.source, "raw": x.raw,
            "normalised": None if x.normalised is None else round(x.normalised, 4), "weight": x.weight,
            "contribution": round(x.contribution, 4), "missing": x.missing}


def md(value) -> str:
    """User text for a Markdown cell, through the review packs' one escape (it never becomes markup)."""
    from ..report.text import md as escape

    return escape(value)


def markdown(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    out.write("| # | Account | Score | Key | Tier | Quadrant | Revenue (TTM) | Margin | ABC |\n")
    out.write("|--:|---|--:|:-:|---|---|--:|--:|:-:|\n")
    for a in accounts:
        cells = [a.rank, f"{md(a.name)} (`{a.account_id}`)", f"{a.score:.1f}", "yes" if a.key else "",
                 md(a.tier_name), a.quadrant, money(a.revenue), pct(a.margin_pct), a.abc or "–"]
        out.write("| " + " | ".join(str(c) for c in cells) + " |\n")
    c = ps.concentration
    if c.total:
        out.write(f"\nTop {c.top_accounts_pct:g}% of accounts ({c.top_accounts}) bring {c.top_share_pct:.1f}% "
                  f"of {'revenue' if c.metric == 'revenue_ttm' else 'gross profit'}.\n")


FORMATS: dict[str, Callable[[PortfolioScore, list[AccountScore], IO[str]], None]] = {
    "table": table, "csv": csv_out, "json": json_out, "markdown": markdown,
}


def explain(ps: PortfolioScore, a: AccountScore, out: IO[str]) -> None:
    """Each criterion's raw value, normalised value, weight and contribution; they sum to the score."""
    from rich.table import Table

    console = _console(out)
    t = Table(title=f"{a.name} ({a.account_id}): score {a.score:.2f}, rank {a.rank} of {len(ps.accounts)}",
              title_justify="left")
    for col in ("Criterion", "Source", "Raw", "Normalised", "Weight", "Contribution"):
        t.add_column(col, justify="left" if col in ("Criterion", "Source") else "right")
    for x in a.contributions:
        raw = "missing" if x.raw is None else f"{x.raw:,.2f}"
        norm = "–" if x.normalised is None else f"{x.normalised:.2f}"
        t.add_row(x.criterion, x.source, raw, norm, f"{x.weight:g}", f"{x.contribution:.2f}")
    t.add_row("total", "", "", "", f"{sum(x.weight for x in a.contributions if not x.missing or ps.scoring.missing == 'worst'):g}",
              f"{sum(x.contribution for x in a.contributions):.2f}", style="bold")
    console.print(t)
    console.print(f"Key account: {'yes' if a.key else 'no'} (threshold {ps.scoring.key_account_threshold:g}); "
                  f"tier: {a.tier_name or '–'}; quadrant: {a.quadrant} (attractiveness {a.attractiveness:.1f}, "
                  f"strength {a.strength:.1f}); ABC: {a.abc or '–'}")
    for note in a.notes:
        console.print(f"note: {note.message}")


def budget(ps: PortfolioScore, out: IO[str], fmt: str = "table") -> None:
    """The allocation: every request in priority order with what it gets and the running total."""
    al = ps.allocation
    rows = [{"priority": i, "account": r.account_id, "request": r.request.id, "description": r.request.description,
             "score": round(r.score, 2), "amount": r.amount, "granted": round(r.granted, 2),
             "running_total": round(r.running_total, 2), "status": r.status} for i, r in enumerate(al.rows, 1)]
    if fmt == "json":
        out.write(json_text({"rule": al.rule, "available": al.available, "requested": al.requested,
                             "granted": al.granted, "requests": rows}) + "\n")
        return
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["priority"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if fmt == "markdown":
        out.write("| # | Account | Request | Score | Amount | Granted | Running total | Status |\n")
        out.write("|--:|---|---|--:|--:|--:|--:|---|\n")
        for r in rows:
            out.write(f"| {r['priority']} | `{r['account']}` | {md(r['description'])} | {r['score']:.1f} | "
                      f"{money(r['amount'])} | {money(r['granted'])} | {money(r['running_total'])} | {r['status']} |\n")
        out.write(f"\nBudget {money(al.available)}; requested {money(al.requested)}; granted {money(al.granted)}.\n")
        return
    from rich.table import Table

    console = _console(out)
    rule = "highest score first" if al.rule == "score" else "most score per unit of money first"
    t = Table(title=f"Investment allocation ({rule})", title_justify="left")
    for col in ("#", "Account", "Request", "Score", "Amount", "Granted", "Running total", "Status"):
        t.add_column(col, justify="right" if col in ("#", "Score", "Amount", "Granted", "Running total") else "left")
    for r in rows:
        t.add_row(str(r["priority"]), r["account"], r["description"], f"{r['score']:.1f}", money(r["amount"]),
                  money(r["granted"]), money(r["running_total"]), r["status"])
    console.print(t)
    console.print(f"Budget {money(al.available)}; requested {money(al.requested)}; granted {money(al.granted)}; "
                  f"left {money(al.available - al.granted)}.")
