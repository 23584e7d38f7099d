"""The portfolio (or one account) as a workbook finance can work with: `kaplan report … --format xlsx`.

Built from the same packs the HTML renders (`PortfolioPack`, `AccountPack`), so every figure is the
one the HTML shows, only kept as a number: money, percentages and scores are numeric cells with a
number format that displays them as the pack does, dates are date cells. Every sheet has its header
row frozen, a filter over its table and columns wide enough to read.

A figure is stored rounded as the pack prints it (a score to one decimal, money to the unit), so a
sum in the sheet adds the numbers people see.

Plan text is data, never a formula: openpyxl stores a string that starts with `=` as a formula, so
every text cell is typed as a string explicitly and marked with the quote prefix (a spreadsheet keeps
it as text even when someone edits the cell). Characters a workbook cannot hold are replaced.

openpyxl is imported only here, when a workbook is asked for.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from kaplan import rounding
from kaplan.model.types import period_bounds
from kaplan.nps import last_months
from kaplan.plural import counted
from kaplan.views import text
from kaplan.report.titles import title
from kaplan.report._optional import clean, need
from kaplan.report.properties import documented
from kaplan.report.settled import settle

MONEY = "#,##0"
PCT = '0.0"%"'
PCT_PLACES = 1
"""The decimals `PCT` shows."""
WALLET = '0"%"'
"""Share of wallet: a whole percent, as the packs show it (`rounding.WALLET_PLACES`)."""
SCORE = "0.0"
WHOLE = "0"
DATE = "yyyy-mm-dd"
NUMBER = "General"
FTE = "0.0#"
SIGNED = "+0;-0;+0"
"""An NPS: a whole number with its sign, as the pack shows it (`+25`, `-13`, `+0`)."""

_SHEET_NAME = re.compile(r"[\[\]:*?/\\']")


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[Any], Any]
    number_format: str | Callable[[Any], str | None] | None = None
    """For numbers and dates (or, given a function, each row's own); text cells are always text."""
    width: int | None = None


def portfolio_workbook(pack, accounts: Iterable = ()) -> bytes:
    """The portfolio pack as a workbook: ranking, risk, allocation, concentration, then one
    financials sheet per account pack in `accounts` (in the ranking's order)."""
    wb = _new_workbook()
    cur = pack.currency
    _summary(wb, pack)
    _sheet(wb, "Ranking", pack.accounts, [
        Column("Rank", lambda p: p.score.rank, WHOLE),
        Column("Account", lambda p: p.score.name, width=28),
        Column("Account id", lambda p: p.account_id),
        Column("Owner", lambda p: p.score.owner),
        Column("Score", lambda p: p.score.score, SCORE),
        Column("Key account", lambda p: "yes" if p.score.key else "no"),
        Column("Tier", lambda p: p.score.tier_name),
        Column("Quadrant", lambda p: p.score.quadrant),
        Column("Attractiveness", lambda p: p.score.attractiveness, SCORE),
        Column("Strength", lambda p: p.score.strength, SCORE),
        Column("ABC", lambda p: p.score.abc),
        Column(f"Revenue TTM ({cur})", lambda p: p.score.revenue, MONEY),
        Column(f"Gross profit TTM ({cur})", lambda p: p.score.gross_profit, MONEY),
        Column("Margin %", lambda p: p.score.margin_pct, PCT),
        Column("Health", lambda p: p.health.score, WHOLE),
        Column("Risk", lambda p: p.health.level),
    ])
    _sheet(wb, "Risk", pack.risk, [
        Column("Risk", lambda r: r.health.level),
        Column("Health", lambda r: r.health.score, WHOLE),
        Column("Account", lambda r: r.name, width=28),
        Column("Account id", lambda r: r.account_id),
        Column("Tier", lambda r: r.tier),
        Column("Owner", lambda r: r.owner),
        Column("Reasons", lambda r: "; ".join(s.reason for s in r.health.reasons) or None, width=80),
    ])
    names = pack.names
    _sheet(wb, "Allocation", pack.allocation.rows, [
        Column("Order", None, WHOLE),
        Column("Account", lambda r: names.get(r.account_id, r.account_id), width=28),
        Column("Account id", lambda r: r.account_id),
        Column("Request", lambda r: r.request.description, width=50),
        Column("Score", lambda r: r.score, SCORE),
        Column(f"Amount ({cur})", lambda r: r.converted, MONEY),
        Column("People (FTE)", lambda r: r.request.people_fte, FTE),
        Column(f"Granted ({cur})", lambda r: r.granted, MONEY),
        Column("People granted (FTE)", lambda r: r.people_granted, FTE),
        Column(f"Running total ({cur})", lambda r: r.running_total, MONEY),
        Column("Status", lambda r: r.status),
    ])
    metric = "Revenue" if pack.concentration.metric == "revenue_ttm" else "Gross profit"
    _sheet(wb, "Concentration", pack.pareto, [
        Column("Account", lambda r: r.score.name, width=28),
        Column("Account id", lambda r: r.score.account_id),
        Column("ABC", lambda r: r.abc),
        Column(f"{metric} TTM ({cur})", lambda r: r.value, MONEY),
        Column("Share %", lambda r: r.share_pct, PCT),
        Column("Cumulative %", lambda r: r.cumulative_pct, PCT),
    ])
    _sheet(wb, "Cross-sell", pack.cross_sell, [
        Column("Account", lambda c: c.placed.score.name, width=28),
        Column("Account id", lambda c: c.placed.account_id),
        Column("Open white space (cells)", lambda c: c.grid.white_space, WHOLE),
        Column("Cells recorded", lambda c: c.grid.cells, WHOLE),
        Column("Won", lambda c: ", ".join(c.grid.won) or None, width=40),
        Column("Open, not won yet", lambda c: ", ".join(c.grid.open) or None, width=40),
        Column("Lacks (competitor or not offered)", lambda c: ", ".join(c.grid.lacking) or None, width=40),
    ], caption="From each plan's whitespace grid; the most open white space (cells not offered yet or held by "
               "a competitor) first")
    _sheet(wb, "Offerings", pack.offerings, [
        Column("Offering", lambda r: r.offering, width=28),
        Column("Won in (accounts)", lambda r: r.won, WHOLE),
        Column("Open in (accounts)", lambda r: r.open, WHOLE),
        Column("White space in (accounts)", lambda r: r.white_space, WHOLE),
    ])
    used = {ws.title.lower() for ws in wb.worksheets}
    for account in accounts:
        _financials(wb, account, _sheet_name(account.plan.account.id, used))
    return _save(wb, pack)


def _summary(wb, pack) -> None:
    """The executive summary of the HTML pack, figure by figure: the totals, the rates they were converted
    at, and what they leave out, each figure rounded as the pack shows it."""
    cur, conc, al, conv = pack.currency, pack.concentration, pack.allocation, pack.converter
    metric = "revenue" if conc.metric == "revenue_ttm" else "gross profit"
    rows: list[tuple] = [("Figures in", cur, None, "trailing twelve months")]
    for code in pack.other_currencies:
        rate = conv.rate(code)
        rows.append((f"Rate {code} → {cur}", rate, NUMBER,
                     f"rate of {conv.as_of(code).isoformat()}" if rate is not None
                     else f"{conv.words(code)}: left out of every total"))
    rows += [
        ("Accounts", len(pack.accounts), WHOLE, None),
        ("Key accounts", len(pack.key_accounts), WHOLE, f"score ≥ {text.recorded(pack.scoring.key_account_threshold)}"),
        (f"Revenue TTM ({cur})", pack.revenue, MONEY, None),
        (f"Gross profit TTM ({cur})", pack.gross_profit, MONEY, None),
        ("Margin %", pack.margin_pct, PCT, pack.margin_note or None),
        (f"Concentration: share of {metric} %", conc.top_share_pct, PCT,
         f"from the top {text.recorded(conc.top_accounts_pct)}% ({counted(conc.top_accounts, 'account')})"),
        *[(f"{colour.title()} ({level} risk)", pack.count(colour), WHOLE, None)
          for colour, level in (("red", "high"), ("amber", "medium"), ("green", "low"))],
        (f"Budget available ({cur})", al.available if pack.budget_set else text.NO_BUDGET, MONEY, None),
        (f"Requested ({cur})", al.requested, MONEY, None),
        (f"Granted ({cur})", al.granted, MONEY, None),
        *([(f"Left ({cur})", al.available - al.granted, MONEY, None)] if pack.budget_set else []),
        ("Renewals", len(pack.renewals), WHOLE,
         f"within {text.days(pack.portfolio.config.health.renewal_horizon_days)} or passed"),
        ("Stale plans", len(pack.stale), WHOLE, "overdue for review"),
        ("Not yet reviewed", len(pack.unreviewed), WHOLE, "not yet due"),
        *[(quadrant, n, WHOLE, "quadrant") for quadrant, n in pack.quadrant_counts],
        ("Unplaced", len(pack.unplaced), WHOLE, "no value on a matrix axis: in no quadrant"),
        *[("Left out" if note == pack.skipped_words else "Note", note, None, None)
          for note in pack.summary_notes + ([pack.skipped_words] if pack.skipped else [])],
    ]
    _sheet(wb, "Summary", rows, [
        Column("Figure", lambda r: r[0], width=36),
        Column("Value", lambda r: r[1], lambda r: r[2], width=16),
        Column("Note", lambda r: r[3], width=100),
    ], caption=f"Portfolio pack of {pack.today.isoformat()}: figures in {pack.currency_words}")


def account_workbook(pack) -> bytes:
    """One account pack as a workbook: its financials, contacts, objectives' measures, actions, NPS, KPIs
    and risks."""
    wb = _new_workbook()
    _financials(wb, pack, "Financials")
    _contacts(wb, pack)
    _measures(wb, pack)
    _actions(wb, pack)
    _nps(wb, pack)
    _kpis(wb, pack)
    _sheet(wb, "Risks", pack.risks, [
        Column("Risk", lambda r: r.description, width=50),
        Column("Likelihood", lambda r: r.likelihood, WHOLE),
        Column("Impact", lambda r: r.impact, WHOLE),
        Column("Mitigation", lambda r: r.mitigation, width=40),
        Column("Owner", lambda r: r.owner),
        Column("Status", lambda r: text.label(r.status)),
    ])
    g = pack.whitespace
    if g.rows:
        _sheet(wb, "Whitespace", g.rows, [Column("Buying unit", lambda r: r.unit, width=24)]
               + [Column(o, lambda r, i=i: r.cells[i].words or None, width=24) for i, o in enumerate(g.offerings)],
               caption=f"Open white space: {g.white_space_words} (not offered yet or held by a competitor)")
    _working_together(wb, pack)
    return _save(wb, pack, author=pack.plan.plan.owner or "")


def client_workbook(pack) -> bytes:
    """The client's pack (`client.ClientPack`) as a workbook: objectives, joint actions, KPIs, decisions.
    No contacts or NPS sheet: the client's pack holds neither."""
    wb = _new_workbook()
    _measures(wb, pack)
    _actions(wb, pack)
    _kpis(wb, pack)
    _sheet(wb, "Decisions", pack.decisions, [
        Column("Decision", lambda r: r.decision.decision, width=50),
        Column("Decision makers", lambda r: ", ".join(r.decision.decision_makers) or None, width=30),
        Column("Due", lambda r: r.decision.due, DATE),
        Column("Days overdue", lambda r: r.overdue_days, WHOLE),
        Column("Raised at", lambda r: text.label(r.review.kind)),
        Column("Raised on", lambda r: r.review.date, DATE),
    ])
    _working_together(wb, pack)
    return _save(wb, pack)


def _working_together(wb, pack) -> None:
    if pack.working_together:
        _sheet(wb, "Working together", pack.working_together, [
            Column("What", lambda r: r[0], width=18), Column("Detail", lambda r: r[1], width=70)])


def _actions(wb, pack) -> None:
    _sheet(wb, "Actions", pack.actions, [
        Column("Action", lambda r: r.action.action, width=50),
        Column("Objective", lambda r: r.objective.title if r.objective else None, width=30),
        Column("Owner", lambda r: r.action.owner),
        Column("Due", lambda r: r.action.due, DATE),
        Column("Status", lambda r: text.label(r.action.status)),
        Column("Days overdue", lambda r: r.overdue_days, WHOLE),
        Column("Expected result", lambda r: r.action.expected_result, width=40),
    ])


def _contacts(wb, pack) -> None:
    """The relationship map as a table: every contact in plan order, with whom they report to by name."""
    contacts = pack.plan.relationships.contacts
    names = {c.id: c.name for c in contacts}
    words = pack.relationship_words
    _sheet(wb, "Contacts", contacts, [
        Column("Contact", lambda c: c.name, width=28),
        Column("Title", lambda c: c.title, width=30),
        Column("Buying role", lambda c: c.buying_role),
        Column("Decision authority", lambda c: c.decision_authority),
        Column("Influence (1-5)", lambda c: c.influence, WHOLE),
        Column("Attitude", lambda c: c.attitude),
        Column("Strength (1-5)", lambda c: c.strength, WHOLE),
        Column("Reports to", lambda c: names.get(c.reports_to, c.reports_to), width=28),
        Column("Our owner", lambda c: c.our_owner),
        Column("Last contact", lambda c: c.last_contact, DATE),
        Column("Left", lambda c: c.left, DATE),
        Column("Drives", lambda c: "; ".join(c.initiatives) or None, width=50),
        Column("Measured on", lambda c: "; ".join(c.targets) or None, width=50),
    ], caption=f"{pack.name}: {words}" if words else None)


def _nps(wb, pack) -> None:
    """Every NPS response with its follow-up, then the survey window's NPS and each quarter's."""
    names = {c.id: c.name for c in pack.plan.relationships.contacts}
    loops = {id(loop.response): loop for loop in pack.open_loops}
    survey = pack.nps

    def follow_up(r) -> str | None:
        loop, f = loops.get(id(r)), r.follow_up
        if f is None:
            return "none" if loop is not None else None  # a detractor nobody follows up
        if f.closed is not None:
            return "closed"
        return "open, overdue" if loop is not None and loop.overdue else "open"

    _sheet(wb, "NPS", pack.nps_responses, [
        Column("Date", lambda r: r.date, DATE),
        Column("Respondent", lambda r: r.respondent, width=28),
        Column("Contact", lambda r: names.get(r.respondent), width=28),
        Column("Score", lambda r: r.score, WHOLE),
        Column("Category", lambda r: r.category),
        Column("In survey window", lambda r: survey.holds(r.date)),
        Column("Comment", lambda r: r.comment, width=50),
        Column("Follow-up", follow_up),
        Column("Follow-up owner", lambda r: r.follow_up.owner if r.follow_up else None),
        Column("Follow-up due", lambda r: r.follow_up.due if r.follow_up else None, DATE),
        Column("Follow-up closed", lambda r: r.follow_up.closed if r.follow_up else None, DATE),
        Column("Follow-up note", lambda r: r.follow_up.note if r.follow_up else None, width=40),
    ], caption=f"{survey.words}; survey window {survey.first} to {survey.until}")
    spans = [(f"Survey window ({last_months(survey.months)})", survey.first, survey.until, survey, survey.score,
              survey.enough)]
    spans += [(q.quarter, *period_bounds(q.quarter), q, q.nps if q.enough else None, q.enough)
              for q in pack.nps_quarters]
    _sheet(wb, "NPS by quarter", spans, [
        Column("Span", lambda s: s[0], width=36),
        Column("From", lambda s: s[1], DATE),
        Column("To", lambda s: s[2], DATE),
        Column("Responses", lambda s: s[3].responses, WHOLE),
        Column("Promoters", lambda s: s[3].promoters, WHOLE),
        Column("Passives", lambda s: s[3].passives, WHOLE),
        Column("Detractors", lambda s: s[3].detractors, WHOLE),
        Column("NPS", lambda s: s[4], SIGNED),
        Column("Enough responses", lambda s: s[5]),
    ], caption=f"NPS = % promoters (9-10) − % detractors (0-6); a span with fewer than "
               f"{counted(survey.min_responses, 'response')} has too few for a score")


def _financials(wb, pack, title: str) -> None:
    cur = pack.currency
    _sheet(wb, title, pack.periods, [
        Column("Period", lambda r: r.period.period),
        Column(f"Revenue ({cur})", lambda r: r.period.revenue, MONEY),
        Column(f"Target revenue ({cur})", lambda r: r.period.target_revenue, MONEY),
        Column(f"Gross profit ({cur})", lambda r: r.gross_profit, MONEY),
        Column("Margin %", lambda r: r.margin_pct, PCT),
        Column(f"Cost to serve ({cur})", lambda r: r.period.cost_to_serve, MONEY),
        Column("Cost to serve %", lambda r: r.cost_to_serve_pct, PCT),
        Column(f"Discounts ({cur})", lambda r: r.period.discounts, MONEY),
        Column("Share of wallet %", lambda r: r.share_of_wallet_pct, WALLET),
    ], caption=f"{pack.name}: {pack.ttm_words}")


def _measures(wb, pack) -> None:
    rows = [(o, m) for o in pack.objectives for m in o.measures]
    _sheet(wb, "Objectives", rows, [
        Column("Objective", lambda r: r[0].objective.title, width=36),
        Column("Measure", lambda r: r[1][0].name, width=36),
        Column("Unit", lambda r: r[1][0].unit),
        Column("Baseline", lambda r: r[1][0].baseline, NUMBER),
        Column("Target", lambda r: r[1][0].target, NUMBER),
        Column("Current", lambda r: r[1][0].current, NUMBER),
        Column("Progress %", lambda r: None if r[1][1] is None else rounding.progress(r[1][1], PCT_PLACES), PCT),
        Column("Due", lambda r: r[1][0].due, DATE),
    ])


def _kpis(wb, pack) -> None:
    _sheet(wb, "Service KPIs", pack.kpis, [
        Column("KPI", lambda r: r.kpi.name, width=36),
        Column("Unit", lambda r: r.kpi.unit),
        Column("Target", lambda r: r.kpi.target, NUMBER),
        Column("Actual", lambda r: r.kpi.actual, NUMBER),
        Column("Higher is better", lambda r: "yes" if r.kpi.higher_is_better else "no"),
        Column("Status", lambda r: r.status),
    ])


def _new_workbook():
    """A workbook without a sheet."""
    wb = need("openpyxl", "xlsx", "xlsx").Workbook()
    wb.remove(wb.active)
    return wb


def _sheet(wb, title: str, rows: Iterable, columns: list[Column], caption: str | None = None):
    """A sheet with one header row (frozen, filtered) and one row per item; `caption` goes in a
    note on the first header cell so the table itself starts on row 1."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F3A5F")
    widths = [len(c.header) + 2 for c in columns]
    for j, col in enumerate(columns, start=1):
        cell = put(ws.cell(row=1, column=j), col.header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    n = 0
    for n, item in enumerate(rows, start=1):
        for j, col in enumerate(columns, start=1):
            value = n if col.get is None else col.get(item)
            fmt = col.number_format(item) if callable(col.number_format) else col.number_format
            cell = put(ws.cell(row=n + 1, column=j), value, fmt)
            widths[j - 1] = max(widths[j - 1], _shown_width(value))
    if caption:
        ws.cell(row=1, column=1).comment = Comment(clean(caption), "kaplan")
    for j, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(col.width or 60, max(8, widths[j - 1] + 1))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n + 1, 1)}"
    return ws


def put(cell, value, number_format: str | None = None):
    """Set `cell` to `value` as its own type: numbers and dates as such, anything else as inert text."""
    if value is None:
        return cell
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = shown(value, number_format)
        if number_format:
            cell.number_format = number_format
        return cell
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        cell.value = value
        cell.number_format = number_format or DATE
        return cell
    cell.value = clean(text.plain(value))
    # openpyxl types a str beginning with "=" as a formula on assignment: make every text a string,
    # and quote-prefix it so a spreadsheet keeps it text even when the cell is edited.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


_DIGITS = {MONEY: rounding.MONEY_PLACES, WHOLE: 0, PCT: PCT_PLACES, WALLET: rounding.WALLET_PLACES,
           SCORE: rounding.SCORE_PLACES, SIGNED: 0, FTE: rounding.FTE_PLACES}


def shown(value: float, number_format: str | None) -> float:
    """`value` rounded as the pack shows it (`text.money`, `text.pct`, …), so the cell holds the figure
    the HTML prints — rounded once, by Python, not again by the spreadsheet's own rounding."""
    digits = _DIGITS.get(number_format)
    if digits is None:
        return value
    figure = rounding.rounded(value, digits)
    return int(figure) if digits == 0 else figure


def _shown_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, (_dt.date, _dt.datetime)):
        return 10
    if isinstance(value, (int, float)):
        return len(f"{value:,.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_name(account_id: str, used: set[str]) -> str:
    """A sheet title for an account: its id (ids are slugs), at most 31 characters, never taken twice."""
    base = _SHEET_NAME.sub("-", account_id)[:31] or "account"
    name, i = base, 2
    while name.lower() in used:
        suffix = f"~{i}"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def _save(wb, pack, author: str = "") -> bytes:
    """The workbook's bytes, dated the pack's day throughout (the same inputs, the same file), with
    the pack's document properties (`properties`): its title (File › Properties, and the window's
    title in some spreadsheets: the sheets' headers alone do not say which account it is), `author`
    for an internal account workbook and nobody for the portfolio's or a client's, nothing of openpyxl's."""
    buf = io.BytesIO()
    wb.save(buf)
    return settle(buf.getvalue(), pack.today, documented(title(pack), author, pack.today))
