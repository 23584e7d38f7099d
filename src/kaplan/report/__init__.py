"""Review packs: the account pack a KAM takes into a quarterly review, and the portfolio pack.

A pack is assembled as data first (`account_pack`, `portfolio_pack`) from what the rest of kaplan
already computes — the plan, its score and place in the portfolio, its health, the budget
allocation, and what changed since the last review — and only then rendered to HTML or Markdown
through templates (`render`). Nothing here scores, weighs or judges on its own, so a pack shows the
same numbers as `kaplan score` and `kaplan risk`.

    from kaplan.report import snapshot, account_pack, render
    snap = snapshot(today=datetime.date(2026, 11, 24))
    html = render(account_pack(snap, "acme-corp"), "html")

`build(snap, account_or_None, fmt)` makes a pack in any format by name (html, md, xlsx); a
workbook comes back as bytes.

jinja2, the chart code and the libraries of the other formats are imported only when something is rendered, so importing kaplan (and
running `kaplan check`) stays fast.
"""

from kaplan.report.account import AccountPack, account_pack
from kaplan.report.build import FORMATS, build
from kaplan.report.portfolio import PortfolioPack, portfolio_pack
from kaplan.report.snapshot import InvalidPlan, NoSuchAccount, Snapshot, snapshot


def render(pack, fmt: str = "html", templates=None) -> str:
    """Render an account or portfolio pack as `html` or `md`, with optional user templates (a folder)."""
    from kaplan.report.rendering import render as _render

    return _render(pack, fmt, templates)


__all__ = ["AccountPack", "account_pack", "PortfolioPack", "portfolio_pack", "Snapshot", "snapshot",
           "NoSuchAccount", "InvalidPlan", "render", "build", "FORMATS"]
