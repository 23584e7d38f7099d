"""One pack in one format: the table from a format's name to the module that makes it.

Text formats (html, md) go through the templates (`render`); the others are files people carry into
the room, each made by its own module from the same pack data: xlsx (`xlsx.py`). This module only
chooses; it neither assembles packs nor draws them.
"""

from __future__ import annotations

from pathlib import Path

from .account import account_pack
from .portfolio import portfolio_pack
from .snapshot import Snapshot

FORMATS = ("html", "md", "xlsx")
BINARY = frozenset({"xlsx"})
"""Formats that are files of bytes, not text: never written to a terminal."""


class UnknownFormat(ValueError):
    pass


def build(snap: Snapshot, account: str | None, fmt: str, *, templates: Path | None = None) -> str | bytes:
    """The pack of `account` (None: the portfolio) on the snapshot's day, as `fmt`."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    if fmt == "xlsx":
        from . import xlsx

        if account is None:
            accounts = [account_pack(snap, a, history=False) for a in snap.account_ids]
            return xlsx.portfolio_workbook(portfolio_pack(snap), accounts)
        return xlsx.account_workbook(account_pack(snap, account, history=False))
    from .render import render

    pack = portfolio_pack(snap) if account is None else account_pack(snap, account)
    return render(pack, fmt, templates)
