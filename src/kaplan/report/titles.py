"""The title of each pack, one wording for every format: the HTML page's (and so the PDF's) title, and
the document title a workbook or deck carries in its properties (File › Properties)."""

from __future__ import annotations

from kaplan.views import text


def title(pack) -> str:
    """`pack`'s title: what it is, whose, and its day."""
    day = text.date(pack.today)
    if pack.kind == "account":
        return f"{pack.plan.account.name} · account review pack · {day}"
    if pack.kind == "client":
        return f"{pack.name} · progress report · {day}"
    return f"Key account portfolio review · {day}"
