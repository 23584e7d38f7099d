"""How much of a plan's long list a pack draws: the `ROWS_SHOWN` rows that matter most, then one row
saying how many more there are.

A plan may list thousands of actions, risks or contacts. Drawn in full, one account's pack became a
PDF of hundreds of pages and a deck of hundreds of slides, and the time to make them grew faster
than the list (WeasyPrint lays every row of a table out, the deck shares rows among slides). The
HTML pack (and so the PDF, which prints it), the Markdown pack and the deck draw the same rows of the
same tables, in the same order, through this module (a Markdown table's or list's last row is
`rendering`'s `more_row` or `more_item`). The account workbook's sheets (contacts, actions, NPS,
KPIs, risks, financials) keep every row, in the pack's order: they are cells, where a whole list is
sorted and filtered. Every count and figure still takes every row in.

Which rows are kept when a list is longer than `ROWS_SHOWN` is its `Order` (`ORDERS`, by name): the
plan's own order keeps the first rows; a list where some rows matter more keeps those and draws
them in that order, and its "… and N more" row says so:

- actions: the overdue first, the most overdue first; then the open ones by due date (those without
  one last); then the done and cancelled ones;
- decisions not yet taken: the overdue first, the most overdue first; then the newest raised;
- NPS responses: the newest first; open detractor loops: the overdue first, the most overdue first,
  then the newest (`kaplan.nps.most_overdue_first`, the order the health reason names them in);
- KPIs: the missed first, then those not measured, then the met;
- an objective's milestones and measures: the overdue first, the most overdue first; rituals: the
  lapsed first, the longest lapsed first; then the rest in the plan's order (which are overdue is
  what `kaplan.promises` answers, each row carrying its broken promise);
- the promises past due: the most overdue first (the earliest date due), then those with no date
  (a risk rated too high, which has none);
- opportunities: the open first, the highest weighted value first; then the won and lost;
- what was learned from the client (interviews, questionnaires): the newest first, the undated last;
- financial periods and NPS quarters: the most recent, drawn oldest first (a chart reads left to
  right in time, and its caption says how many earlier periods it leaves out: `earlier`);
- risks come in the pack's order, the highest open risk first, in every format (`account.py`).

A list no longer than `ROWS_SHOWN` is drawn whole, in the pack's order (the plan's, or by date where
the list is dated), in every format: the order above decides only which rows a longer list keeps.
"""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

from kaplan.nps import most_overdue_first as most_overdue_loop_first
from kaplan.promises import most_overdue_first

T = TypeVar("T")

ROWS_SHOWN = 50
"""Rows of a plan's list a pack table draws; about a page of the PDF."""


@dataclass(frozen=True)
class Order:
    """Which rows of a list longer than `ROWS_SHOWN` a pack draws, and how its "more" row says so."""

    key: Callable[[Any], Any] | None = None
    """What matters most sorts first; None keeps the list's own order."""
    words: str = ""
    """Said after "… and N more" ("" for the list's own order)."""
    latest: bool = False
    """Keep the last rows of the list (the most recent periods), in the list's order."""


def _action(r) -> tuple:
    if r.overdue_days is not None:
        return 0, -r.overdue_days
    due = r.action.due
    return (1, due is None, due.toordinal() if due else 0) if r.action.status.is_open else (2,)


def _opportunity(r) -> tuple:
    return (0, -r.weighted) if r.open else (1,)


def _decision(r) -> tuple:
    return (0, -r.overdue_days) if r.overdue_days is not None else (1, -r.review.date.toordinal())


_broken = most_overdue_first
"""A broken promise (`kaplan.promises.Broken`): the most overdue (the earliest date it was due)
first, then those with no date; ties keep the list's order (the order its health reason names)."""


def _promised(r) -> tuple:
    """A row of a list of promises (milestones, measures, rituals: `account.MilestoneRow` …): those
    broken first, as `_broken` orders them, then the rest in the list's order."""
    return _broken(r.broken) if r.broken is not None else (2,)


_KPI = {"missed": 0, "not measured": 1}

ORDERS = {
    "plan": Order(),
    "actions": Order(_action, "shown: the most overdue first, then the open by due date, then the rest"),
    "decisions": Order(_decision, "shown: the most overdue first, then the newest raised"),
    "responses": Order(lambda r: -r.date.toordinal(), "shown: the newest first"),
    "loops": Order(most_overdue_loop_first, "shown: the most overdue first, then the newest"),
    "kpis": Order(lambda r: _KPI.get(r.status, 2), "shown: the missed first, then the not measured, then the met"),
    "opportunities": Order(_opportunity, "shown: the open first, the highest weighted value first, then the rest"),
    "milestones": Order(_promised, "shown: the overdue first, the most overdue first, then the rest"),
    "measures": Order(_promised, "shown: the overdue first, the most overdue first, then the rest"),
    "rituals": Order(_promised, "shown: the lapsed first, the longest lapsed first, then the rest"),
    "promises": Order(_broken, "shown: the most overdue first, then those with no date"),
    "findings": Order(lambda f: (f.date is None, -f.date.toordinal() if f.date else 0),
                      "shown: the newest first, then the undated"),
    "periods": Order(words="earlier periods", latest=True),
}
"""How each list a pack draws is cut, by the name a template or the deck gives it."""


def shown(rows: Sequence[T], order: str = "plan") -> Sequence[T]:
    """The rows a table draws: all of them when they are `ROWS_SHOWN` or fewer; else the
    `ROWS_SHOWN` that matter most by `ORDERS[order]`, in that order."""
    cut = ORDERS[order]
    if len(rows) <= ROWS_SHOWN:
        return rows
    if cut.latest:
        return rows[-ROWS_SHOWN:]
    if cut.key is None:
        return rows[:ROWS_SHOWN]
    return heapq.nsmallest(ROWS_SHOWN, rows, key=cut.key)  # stable: rows that tie keep the list's order


def more(rows: Sequence, order: str = "plan") -> str:
    """What the table's last row says of the rows `shown` leaves out ("… and 19,950 more", with the
    order the rows are shown in when it is not the list's own), or ""."""
    left_out = len(rows) - ROWS_SHOWN
    words = ORDERS[order].words
    return _more(left_out) + (f" ({words})" if words and left_out > 0 else "")


def earlier(rows: Sequence, noun: str = "periods") -> str:
    """What a chart drawn from the periods `shown(rows, "periods")` keeps says of the others ("" when
    it draws them all): "The 50 most recent periods are drawn; 30 earlier ones are left out."."""
    left_out = len(rows) - ROWS_SHOWN
    return (f"The {ROWS_SHOWN} most recent {noun} are drawn; {left_out:,} earlier "
            f"{'one is' if left_out == 1 else 'ones are'} left out." if left_out > 0 else "")


def joined(items: Sequence[str], sep: str = "; ") -> str:
    """A list drawn in one cell ("A; B; C"): its first `ROWS_SHOWN` items, then "… and N more"."""
    words = sep.join(shown(items))
    return f"{words}{sep}{more(items)}" if more(items) else words


def _more(left_out: int) -> str:
    return f"… and {left_out:,} more" if left_out > 0 else ""


def tree(forest: list[T]) -> tuple[list[T], str]:
    """The part of a drawn tree (the relationship map: dataclass nodes with `children`) that a pack
    draws: its first `ROWS_SHOWN` people in the order it is drawn (each before the people under
    them), as copies; and what is said of the rest, as `more` says it ("" when all are drawn)."""
    left = [ROWS_SHOWN]

    def pruned(nodes: list[T]) -> list[T]:  # as deep as the tree is drawn (`account.ORG_DEPTH` levels)
        kept = []
        for node in nodes:
            if not left[0]:
                break
            left[0] -= 1
            kept.append(dataclasses.replace(node, children=pruned(node.children)))
        return kept

    shown_nodes, every, stack = pruned(forest), 0, list(forest)
    while stack:
        every += 1
        stack.extend(stack.pop().children)
    return shown_nodes, _more(every - ROWS_SHOWN)
