"""A workbook or a deck depends only on its plans and its day, never on the clock it was made by:
made twice on the same inputs under clocks a year apart, the bytes are the same. Its document
properties say it was created and modified on the report's day (`--today`, at 00:00:00 UTC), and
every file inside it (the chart workbooks inside a deck too) carries that day.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine

from test_pack_formats_agree import DAY, INVESTING, OPEN_DECISIONS, plan_text, portfolio

CLOCKS = ("2025-03-01 08:15:07+00:00", "2027-12-31 23:59:58+00:00")
PACKS = [("xlsx", "--portfolio"), ("pptx", "--portfolio"), ("pptx", "london"), ("xlsx", "london"),
         ("pptx", "london --audience client"), ("xlsx", "london --audience client")]


def made_at(kaplan, tmp_path, clock: str, fmt: str, args: str) -> bytes:
    out = tmp_path / f"{clock[:4]}.{fmt}"
    with time_machine.travel(dt.datetime.fromisoformat(clock), tick=False):
        r = kaplan("report", *args.split(), "-f", fmt, "--today", DAY, "-o", out, cwd=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    return out.read_bytes()


def stamps(data: bytes) -> list[tuple[str, tuple]]:
    """Every entry's zip date and every created/modified stamp, the embedded workbooks' included."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            found.append((info.filename, info.date_time))
            body = z.read(info)
            if info.filename.endswith("core.xml"):
                found += [(info.filename, m) for m in re.findall(rb"<dcterms:(?:created|modified)[^>]*>([^<]*)<", body)]
            if info.filename.endswith(".xlsx"):
                found += stamps(body)
    return found


@pytest.mark.parametrize("fmt,args", PACKS)
def test_the_same_inputs_make_the_same_bytes_whatever_the_clock(kaplan, tmp_path, fmt, args):
    london = plan_text("london", "GBP", 100000, OPEN_DECISIONS + """
    investment:
      - {id: desk, description: Service desk, amount: 100000}
""")
    portfolio(tmp_path, ny=INVESTING["ny"], london=london, acme=plan_text("acme", "EUR", 5000))
    first, second = (made_at(kaplan, tmp_path, clock, fmt, args) for clock in CLOCKS)
    found = stamps(first)
    # the report's day, 2026-11-24, at midnight UTC: in every entry and in the document properties
    assert {when for name, when in found if isinstance(when, tuple)} == {(2026, 11, 24, 0, 0, 0)}
    assert {when for name, when in found if isinstance(when, bytes)} == {b"2026-11-24T00:00:00Z"}
    if (fmt, args) == ("pptx", "london"):  # the revenue chart's data is a workbook inside
        assert any(name.endswith(".xlsx") for name, _ in found)
    assert first == second
