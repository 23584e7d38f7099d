"""Showing a portfolio score: the ranking, one account's explanation, and the budget allocation.

Each format is a function chosen by name (`FORMATS`); all of them show the same columns.
"""

from __future__ import annotations

from typing import IO, Callable

from kaplan.metrics import MONEY
from kaplan.plural import counted
from kaplan.scoring.engine import AccountScore
from kaplan.views.safe_text import json_text
from kaplan.views import _csv, text
from kaplan.views._console import console as _console
from kaplan.commands.score import PortfolioScore
from kaplan.rounding import AXIS_PLACES, DETAIL_PLACES, FTE_PLACES, MONEY_PLACES, PCT_PLACES, WALLET_PLACES, rounded
from kaplan.views.text import fixed, money, pct  # the one way a figure is shown

COLUMNS = ["rank", "account", "name", "score", "key", "tier", "quadrant", "revenue", "currency", "revenue_months",
           "account_currency", "margin_pct", "abc"]
"""`revenue` is the TTM revenue in the portfolio's reporting `currency`, over `revenue_months` of 12;
`account_currency` is the currency the account's plan is written in."""



def _figure(value: float | None, places: int) -> float | None:
    """A figure for JSON and CSV: the number the table shows, rounded once (`kaplan.rounding`), never with
    more decimals that a reader could round again to a different figure (27.4467 is 27.4, never 27.45,
    which rounds to 27.5)."""
    return None if value is None else rounded(value, places)


def _raw_places(source: str) -> int:
    """The decimals a criterion's raw value is shown with: as its metric is shown everywhere (money
    whole, a percentage or a 1-5 mean to one decimal, share of wallet as the packs show it, NPS, levels
    and counts whole)."""
    from kaplan.scoring.sources import sources as all_sources

    if source == "share_of_wallet_pct":
        return WALLET_PLACES
    unit = next((s.unit for s in all_sources() if s.name == source), "")
    return PCT_PLACES if unit == "percent" or unit.startswith("rating") else MONEY_PLACES




def _revenue(a: AccountScore) -> str:
    """Revenue as the table shows it: with its coverage when the TTM covers fewer than 12 months."""
    months = a.revenue_months
    return money(a.revenue) + (f" ({months}/12 mo)" if months is not None and months < 12 else "")


def _row(a: AccountScore, currency: str) -> dict:
    return {
        "rank": a.rank, "account": a.account_id, "name": a.name, "score": a.score,
        "key": a.key, "tier": a.tier_name, "quadrant": a.quadrant,
        "revenue": _figure(a.revenue, MONEY_PLACES), "currency": currency,
        "revenue_months": a.revenue_months, "account_currency": a.currency,
        "margin_pct": _figure(a.margin_pct, PCT_PLACES), "abc": a.abc,
    }


def table(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    from rich.table import Table

    console = _console(out)
    t = Table(title=f"Portfolio ranking ({counted(len(ps.accounts), 'account')}, money in {_currency_words(ps)})",
              title_justify="left")
    for col, justify in [("#", "right"), ("Account", "left"), ("Score", "right"), ("Key", "center"),
                         ("Tier", "left"), ("Quadrant", "left"), (f"Revenue (TTM, {ps.converter.reporting})", "right"),
                         ("Margin", "right"), ("ABC", "center")]:
        t.add_column(col, justify=justify)
    for a in accounts:
        t.add_row(text.plain(a.rank), f"{a.name} ({a.account_id})", fixed(a.score), "yes" if a.key else "",
                  a.tier_name or "–", a.quadrant, _revenue(a), pct(a.margin_pct), a.abc or "–")
    console.print(t)
    c = ps.concentration  # undefined (no positive value): "–", as JSON's null and the packs say
    console.print(f"Top {c.top_accounts_pct:g}% of accounts ({c.top_accounts}) bring "
                  f"{pct(c.top_share_pct)} of {'revenue' if c.metric == 'revenue_ttm' else 'gross profit'}.")
    console.print(f"Key accounts (score ≥ {ps.scoring.key_account_threshold:g}): "
                  f"{sum(1 for a in ps.accounts if a.key)} of {len(ps.accounts)}.")


def csv_out(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    _csv.write(out, COLUMNS, [_row(a, ps.converter.reporting) for a in accounts])  # key: yes / no


def json_out(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    c = ps.concentration
    doc = {
        "currency": ps.converter.reporting,
        "rates": _rates(ps),
        "accounts": [{**_row(a, ps.converter.reporting), "attractiveness": _axis(a.attractiveness), "strength": _axis(a.strength),
                      "contributions": [_contribution(x) for x in a.contributions]} for a in accounts],
        "concentration": {"metric": c.metric, "total": _figure(c.total, MONEY_PLACES), "top_accounts": c.top_accounts,
                          "top_accounts_pct": c.top_accounts_pct, "top_share_pct": _figure(c.top_share_pct, PCT_PLACES)},
        "key_account_threshold": ps.scoring.key_account_threshold,
        "notes": [n.to_dict() for n in ps.notes],
        "skipped": [lp.display for lp in ps.skipped],
    }
    out.write(json_text(doc) + "\n")


def _currency_words(ps: PortfolioScore) -> str:
    """`EUR (1 GBP = 1.17 EUR, rate of 2026-09-30)`: the reporting currency and the rates in use."""
    conv = ps.converter
    others = sorted({a.currency for a in ps.accounts if a.currency and a.currency != conv.reporting})
    return conv.reporting + (f" ({'; '.join(conv.words(c) for c in others)})" if others else "")


def _rates(ps: PortfolioScore) -> dict:
    conv = ps.converter
    others = sorted({a.currency for a in ps.accounts if a.currency and a.currency != conv.reporting})
    return {c: ({"rate": conv.rate(c), "as_of": conv.as_of(c).isoformat()} if conv.rate(c) is not None else None)
            for c in others}


def _contribution(x) -> dict:
    return {"criterion": x.criterion, "source": x.source, "raw": _figure(x.raw, _raw_places(x.source)),
            "normalised": _figure(x.normalised, DETAIL_PLACES), "weight": x.weight,
            "contribution": _figure(x.contribution, DETAIL_PLACES), "missing": x.missing}


def md(value) -> str:
    """User text for a Markdown cell, through the review packs' one escape (it never becomes markup)."""
    from kaplan.views.text import md as escape

    return escape(value)


def markdown(ps: PortfolioScore, accounts: list[AccountScore], out: IO[str]) -> None:
    out.write(f"Money in {md(_currency_words(ps))}.\n\n")
    out.write(f"| # | Account | Score | Key | Tier | Quadrant | Revenue (TTM, {ps.converter.reporting}) | Margin | ABC |\n")
    out.write("|--:|---|--:|:-:|---|---|--:|--:|:-:|\n")
    for a in accounts:
        cells = [text.plain(a.rank), f"{md(a.name)} (`{a.account_id}`)", fixed(a.score), "yes" if a.key else "",
                 md(a.tier_name), a.quadrant, _revenue(a), pct(a.margin_pct), a.abc or "–"]
        out.write("| " + " | ".join(str(c) for c in cells) + " |\n")
    c = ps.concentration  # undefined (no positive value): "–"
    out.write(f"\nTop {c.top_accounts_pct:g}% of accounts ({c.top_accounts}) bring {pct(c.top_share_pct)} "
              f"of {'revenue' if c.metric == 'revenue_ttm' else 'gross profit'}.\n")


FORMATS: dict[str, Callable[[PortfolioScore, list[AccountScore], IO[str]], None]] = {
    "table": table, "csv": csv_out, "json": json_out, "markdown": markdown,
}


def explain(ps: PortfolioScore, a: AccountScore, out: IO[str], fmt: str = "table") -> None:
    """Each criterion's raw value, normalised value, weight and contribution; they sum to the score."""
    if fmt == "json":
        doc = {**_row(a, ps.converter.reporting), "of": ps.ranked, "attractiveness": _axis(a.attractiveness),
               "strength": _axis(a.strength), "key_account_threshold": ps.scoring.key_account_threshold,
               "contributions": [_contribution(x) for x in a.contributions],
               "notes": [n.message for n in a.notes]}
        out.write(json_text(doc) + "\n")
        return
    if fmt == "csv":
        _csv.write(out, ["criterion", "source", "raw", "normalised", "weight", "contribution", "missing"],
                   [_contribution(x) for x in a.contributions])
        return
    if fmt == "markdown":
        out.write(f"**{md(a.name)}** (`{a.account_id}`): score {_score_words(a)}, {_rank_words(ps, a)}\n\n")
        out.write("| Criterion | Source | Raw | Normalised | Weight | Contribution |\n|---|---|--:|--:|--:|--:|\n")
        for x in a.contributions:
            raw = "missing" if x.raw is None else fixed(x.raw, _raw_places(x.source))
            out.write(f"| {x.criterion} | `{x.source}` | {raw} | {fixed(x.normalised, DETAIL_PLACES)} | {x.weight:g} | "
                      f"{fixed(x.contribution, DETAIL_PLACES)} |\n")
        return
    from rich.table import Table

    console = _console(out)
    t = Table(title=f"{a.name} ({a.account_id}): score {_score_words(a)}, {_rank_words(ps, a)}",
              title_justify="left")
    for col in ("Criterion", "Source", "Raw", "Normalised", "Weight", "Contribution"):
        t.add_column(col, justify="left" if col in ("Criterion", "Source") else "right")
    for x in a.contributions:
        raw = ("missing" if x.raw is None else fixed(x.raw, _raw_places(x.source))
               + (f" {ps.converter.reporting}" if x.source in MONEY else ""))
        t.add_row(x.criterion, x.source, raw, fixed(x.normalised, DETAIL_PLACES), f"{x.weight:g}",
                  fixed(x.contribution, DETAIL_PLACES))
    t.add_row("total", "", "", "", f"{sum(x.weight for x in a.contributions if not x.missing or ps.scoring.missing == 'worst'):g}",
              _exact(sum(x.contribution for x in a.contributions)), style="bold")
    console.print(t)
    console.print(f"Key account: {'yes' if a.key else 'no'} (threshold {ps.scoring.key_account_threshold:g}); "
                  f"tier: {a.tier_name or '–'}; quadrant: {a.quadrant} (attractiveness {fixed(a.attractiveness, AXIS_PLACES)}, "
                  f"strength {fixed(a.strength, AXIS_PLACES)}); ABC: {a.abc or '–'}")
    months = a.revenue_months
    if months is not None and months < 12:
        console.print(f"note: the trailing twelve months hold revenue for {months} of 12 months; "
                      f"`revenue_annualised` scales it to a year (× 12 ÷ {months}), `revenue_ttm` does not")
    if a.currency and a.currency != ps.converter.reporting:
        console.print(f"note: money converted from {a.currency}: {ps.converter.words(a.currency)}")
    for note in a.notes:
        console.print(f"note: {note.message}")


def _axis(value: float | None) -> float | None:
    return _figure(value, AXIS_PLACES)


def _rank_words(ps: PortfolioScore, a: AccountScore) -> str:
    """`rank 3 of 12` (of the accounts with a score), or why there is none."""
    return "no rank" if a.rank is None else f"rank {a.rank} of {ps.ranked}"


def _score_words(a: AccountScore) -> str:
    """`88.1 (88.15 before rounding)`: the score as shown and used, and the sum of its contributions;
    `– (no criterion of the score has a value)` for an account without one."""
    if a.score is None:
        return "– (no criterion of the score has a value)"
    exact = _exact(a.score if a.exact is None else a.exact)
    return fixed(a.score) + ("" if exact == f"{a.score:g}" else f" ({exact} before rounding)")


def _exact(value: float) -> str:
    """An unrounded figure to four decimals, without trailing zeros (88.1496, 87)."""
    return fixed(value, 4).rstrip("0").rstrip(".")


def budget(ps: PortfolioScore, out: IO[str], fmt: str = "table") -> None:
    """The allocation: every request in priority order with what it gets and the running total."""
    al = ps.allocation
    cur = al.currency
    rows = [{"priority": i, "account": r.account_id, "request": r.request.id, "description": r.request.description,
             "score": r.score, "amount": _figure(r.converted, MONEY_PLACES),
             "currency": cur, "requested_amount": r.amount, "requested_currency": r.currency,
             "granted": _figure(r.granted, MONEY_PLACES), "running_total": _figure(r.running_total, MONEY_PLACES),
             "status": r.status,
             "money_status": r.money_status, "people_fte": _figure(r.people, FTE_PLACES),
             "people_granted": _figure(r.people_granted, FTE_PLACES),
             "people_status": r.people_status} for i, r in enumerate(al.rows, 1)]
    if fmt == "json":
        out.write(json_text({"rule": al.rule, "currency": cur, "available": _figure(al.available, MONEY_PLACES) if al.budget_set else None,
                             "requested": _figure(al.requested, MONEY_PLACES), "granted": _figure(al.granted, MONEY_PLACES), "people_available": al.people_available,  # a setting: as written
                             "people_requested": _figure(al.people_requested, FTE_PLACES),
                             "people_granted": _figure(al.people_granted, FTE_PLACES),
                             "requests": rows}) + "\n")
        return
    if fmt == "csv":
        _csv.write(out, list(rows[0]) if rows else ["priority"], rows)
        return
    if fmt == "markdown":
        out.write(f"| # | Account | Request | Score | Amount ({cur}) | People (FTE) | Granted | Running total | Status |\n")
        out.write("|--:|---|---|--:|--:|--:|--:|--:|---|\n")
        for r in rows:
            out.write(f"| {r['priority']} | `{r['account']}` | {md(r['description'])} | {fixed(r['score'])} | "
                      f"{money(r['amount'])} | {text.fte(r['people_fte'])} | {_granted(r)} | "
                      f"{money(r['running_total'])} | {r['status']} |\n")
        out.write(f"\n{md(text.budget_words(al))}.{_and(md(text.people_words(al)))}\n")
        return
    from rich.table import Table

    console = _console(out)
    rule = "highest score first" if al.rule == "score" else "most score per unit of money first"
    t = Table(title=f"Investment allocation ({rule})", title_justify="left")
    for col in ("#", "Account", "Request", "Score", f"Amount ({cur})", "People (FTE)", "Granted", "Running total",
                "Status"):
        t.add_column(col, justify="left" if col in ("Account", "Request", "Status") else "right")
    for r in rows:
        t.add_row(str(r["priority"]), r["account"], r["description"], fixed(r["score"]), money(r["amount"]),
                  text.fte(r["people_fte"]), _granted(r), money(r["running_total"]), r["status"])
    console.print(t)
    console.print(f"{text.budget_words(al)}.{_and(text.people_words(al))}", markup=False)


def _granted(row: dict) -> str:
    """What a request was granted: its money, and the people (FTE) when it asked for any."""
    return text.granted(row["granted"], row["people_granted"])


def _and(sentence: str) -> str:
    """A sentence that follows another on its line ("" when there is none)."""
    return f" {sentence}" if sentence else ""


def sources(out: IO[str], fmt: str = "table") -> None:
    """`kaplan score --list-sources`: every metric a criterion can name, its unit, definition and place in a plan."""
    from kaplan.scoring.sources import sources as all_sources

    items = all_sources()
    if fmt == "json":
        out.write(json_text({"sources": [s.to_dict() for s in items]}) + "\n")
        return
    if fmt == "csv":
        _csv.write(out, ["source", "unit", "definition", "plan"], [s.to_dict() for s in items])
        return
    if fmt == "markdown":
        out.write("| Source | Unit | Definition | In the plan |\n|---|---|---|---|\n")
        for s in items:
            out.write(f"| `{s.name}` | {s.unit} | {s.definition} | `{s.where}` |\n")
        return
    from rich.table import Table

    t = Table(title="Sources a criterion can use (scoring.criteria.NAME.source in kaplan.yaml)",
              title_justify="left")
    for col in ("Source", "Unit", "Definition", "In the plan"):
        t.add_column(col, overflow="fold")
    for s in items:
        t.add_row(s.name, s.unit, s.definition, s.where)
    _console(out).print(t)
