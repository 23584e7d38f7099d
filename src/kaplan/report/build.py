"""One pack in one format, for one audience: the table from a format's name to the module that makes it.

Text formats (html, md) go through the templates (`render`); the others are files people carry into
the room, each made by its own module from the same pack data: xlsx (`xlsx.py`), pptx (`deck.py`),
pdf (`pdf.py`, the HTML pack printed). The audience
chooses the pack: `internal` (the account or portfolio pack) or `client` (`client.py`, an account's
pack without what we think of the account). This module only chooses; it neither assembles packs
nor draws them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from kaplan.report.account import account_pack
from kaplan.report.client import AUDIENCES, client_pack
from kaplan.report.portfolio import portfolio_pack
from kaplan.report.snapshot import Snapshot

FORMATS = ("html", "md", "xlsx", "pptx", "pdf")
BINARY = frozenset({"xlsx", "pptx", "pdf"})
"""Formats that are files of bytes, not text: never written to a terminal."""


class Unsupported(ValueError):
    """A format or audience that does not exist, or does not go with what was asked (a usage error)."""


def build(snap: Snapshot, account: str | None, fmt: str, *, audience: str = "internal",
          templates: Path | None = None, deck_template: Path | None = None, paper: str = "a4") -> str | bytes:
    """The pack of `account` (None: the portfolio) on the snapshot's day, as `fmt`, for `audience`.

    `templates` is a folder of jinja2 templates (html, md); `deck_template` a .pptx whose slide
    master the deck uses (pptx); `paper` a4 or letter (pdf). `account` None is the portfolio's pack."""
    _supported(fmt, audience, account)
    if fmt == "xlsx":
        from kaplan.report import xlsx

        if audience == "client":
            return xlsx.client_workbook(client_pack(snap, account))
        if account is None:
            accounts = [account_pack(snap, a, history=False) for a in snap.account_ids]
            return xlsx.portfolio_workbook(portfolio_pack(snap), accounts)
        return xlsx.account_workbook(account_pack(snap, account, history=False))
    if fmt == "pptx":
        from kaplan.report import deck

        if audience == "client":
            return deck.client_deck(client_pack(snap, account), deck_template)
        if account is None:
            return deck.portfolio_deck(portfolio_pack(snap), deck_template)
        return deck.account_deck(account_pack(snap, account, history=False), deck_template)
    if fmt == "pdf":
        from kaplan.report.pdf import pdf, stylesheet

        return pdf(_text(snap, account, "html", audience, templates), stylesheet(templates), paper)
    return _text(snap, account, fmt, audience, templates)


def build_each(snap: Snapshot, accounts: list[str], fmt: str, *, audience: str = "internal",
               templates: Path | None = None, deck_template: Path | None = None,
               paper: str = "a4") -> Iterator[tuple[str, str | bytes]]:
    """(account, pack) for each of `accounts`, in order, as `build` makes them one at a time; PDFs are
    printed on every core (`pdf.pdfs`), the HTML they print being made here first."""
    if fmt != "pdf" or len(accounts) < 2:
        for account in accounts:
            yield account, build(snap, account, fmt, audience=audience, templates=templates,
                                 deck_template=deck_template, paper=paper)
        return
    for account in accounts:
        _supported(fmt, audience, account)
    from kaplan.report.pdf import pdfs, stylesheet

    htmls = (_text(snap, account, "html", audience, templates) for account in accounts)
    yield from zip(accounts, pdfs(htmls, stylesheet(templates), paper))


def _supported(fmt: str, audience: str, account: str | None) -> None:
    """Unsupported unless `fmt` and `audience` exist and go with the pack asked for."""
    if fmt not in FORMATS:
        raise Unsupported(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    if audience not in AUDIENCES:
        raise Unsupported(f"unknown audience {audience!r}; choose {' or '.join(AUDIENCES)}")
    if audience == "client" and account is None:
        raise Unsupported("--audience client makes one account's pack for that client; name the ACCOUNT")


def _text(snap: Snapshot, account: str | None, fmt: str, audience: str, templates: Path | None) -> str:
    """The pack rendered through its templates (html, md)."""
    from kaplan.report.rendering import render

    if audience == "client":
        pack = client_pack(snap, account)
    else:
        pack = portfolio_pack(snap) if account is None else account_pack(snap, account)
    return render(pack, fmt, templates)
