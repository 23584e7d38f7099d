"""Every pack, in every format, renders for plans that hold next to nothing.

A portfolio starts with the plan `kaplan new` writes (no financials, no contacts, no actions, no
NPS…) or with only the four required keys. A KAM's first `kaplan report` must give a pack, not a
traceback: each file is opened back with its own reader, and where a chart has nothing to show the
pack says so in words.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from conftest import MINIMAL, TODAY

DAY = TODAY.isoformat()
FORMATS = ("html", "md", "xlsx", "pptx", "pdf")
PACKS = {"portfolio": ("--portfolio",), "account": ("acme",), "client": ("acme", "--audience", "client")}


@pytest.fixture(scope="module", params=["new", "bare"])
def portfolio(request, tmp_path_factory):
    """A portfolio of one plan: the one `kaplan new` writes, or one with only the required keys."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    folder = tmp_path_factory.mktemp(request.param)
    runner = CliRunner()
    r = runner.invoke(app, ["init", str(folder), "-q"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    if request.param == "new":
        here = os.getcwd()
        os.chdir(folder)
        try:
            r = runner.invoke(app, ["new", "acme", "--owner", "Jo Owner", "--today", DAY], catch_exceptions=False)
        finally:
            os.chdir(here)
        assert r.exit_code == 0, r.output
    else:
        (folder / "plans" / "acme.yaml").write_text(MINIMAL.format(id="acme", name="Acme"), encoding="utf-8")
    return folder


def opened(fmt: str, data: bytes) -> str:
    """The file read back by its format's reader, as the text it shows."""
    if fmt == "pdf":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if fmt == "pptx":
        prs = Presentation(io.BytesIO(data))
        return "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        return wb.properties.title + "\n" + "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("pack", PACKS)
def test_every_pack_renders_for_a_sparse_plan(kaplan, portfolio, pack, fmt, tmp_path):
    out = tmp_path / f"pack.{fmt}"
    r = kaplan("report", *PACKS[pack], "-f", fmt, "--today", DAY, "-o", out, cwd=portfolio)
    assert r.exit_code == 0, r.stderr
    shown = opened(fmt, out.read_bytes())
    assert "Acme" in shown
    assert "Traceback" not in shown + r.stderr


def test_portfolio_deck_without_revenue_says_so_instead_of_an_empty_chart(kaplan, portfolio, tmp_path):
    # the plan has no financial period, so no account has revenue: the concentration slide has no
    # chart (a chart needs at least one category) and says why
    r = kaplan("report", "--portfolio", "-f", "pptx", "--today", DAY, "-o", tmp_path / "p.pptx", cwd=portfolio)
    assert r.exit_code == 0, r.stderr
    prs = Presentation(tmp_path / "p.pptx")
    conc = next(s for s in prs.slides if s.shapes.title.text.startswith("Concentration"))
    assert not any(sh.has_chart for sh in conc.shapes)
    words = [sh.text_frame.text for sh in conc.shapes if sh.has_text_frame and sh != conc.shapes.title]
    assert words == ["• No account has revenue in the trailing twelve months yet."]
    assert zipfile.is_zipfile(tmp_path / "p.pptx")


def test_every_account_pack_renders_as_pdf_with_all(kaplan, portfolio, tmp_path):
    r = kaplan("report", "--all", "-f", "pdf", "--today", DAY, "-o", tmp_path / "packs", cwd=portfolio)
    assert r.exit_code == 0, r.stderr
    written = sorted(p.name for p in (tmp_path / "packs").iterdir())
    assert written == ["acme.pdf"]
    assert len(PdfReader(tmp_path / "packs" / "acme.pdf").pages) >= 1
