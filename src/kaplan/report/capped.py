"""How much of a plan's long list a pack draws: the first `ROWS_SHOWN` rows, then one row saying how
many more there are.

A plan may list thousands of actions, risks or contacts. Drawn in full, one account's pack became a
PDF of hundreds of pages and a deck of hundreds of slides, and the time to make them grew faster
than the list (WeasyPrint lays every row of a table out, the deck shares rows among slides). The
HTML pack (and so the PDF, which prints it) and the deck draw the same rows of the same tables,
through this module. The Markdown pack and the account workbook's sheets (actions, KPIs, risks)
keep every row: they are text and cells,
cheap to make and where a whole list is read. Every count and figure still takes every row in.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence, TypeVar

T = TypeVar("T")

ROWS_SHOWN = 50
"""Rows of a plan's list a pack table draws; about a page of the PDF."""


def shown(rows: Sequence[T]) -> Sequence[T]:
    """The rows a table draws: the first `ROWS_SHOWN`."""
    return rows[:ROWS_SHOWN]


def more(rows: Sequence) -> str:
    """What the table's last row says of the rows `shown` leaves out ("… and 19,950 more"), or ""."""
    return _more(len(rows) - ROWS_SHOWN)


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
