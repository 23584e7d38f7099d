"""A real office suite opens the decks and workbooks: LibreOffice converts them headless to PDF.

python-pptx and openpyxl reading back what they wrote proves little about what PowerPoint or Excel
will make of it; LibreOffice is an independent reader. Each file is converted with `soffice
--headless --convert-to pdf` (Debian's libreoffice-impress-nogui and libreoffice-calc-nogui,
installed by .ci/run); the conversion must succeed, give one page per slide for a deck, and show
the figures the file holds. Skipped only where LibreOffice is absent.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice (apt-get install libreoffice-impress-nogui "
                                                        "libreoffice-calc-nogui)")
DAY = TODAY.isoformat()


def convert(path: Path, tmp_path: Path) -> Path:
    """`path` converted to PDF by LibreOffice, with a profile of its own (no clash with another run)."""
    out = tmp_path / "converted"
    r = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    pdf = out / (path.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000, r.stdout + r.stderr
    return pdf


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    root = tmp_path_factory.mktemp("office")
    folder = copy_plain(root / "portfolio")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(folder)
    made = {}
    for name, args in (("account.pptx", (ACCOUNT, "-f", "pptx")), ("portfolio.pptx", ("--portfolio", "-f", "pptx")),
                       ("portfolio.xlsx", ("--portfolio", "-f", "xlsx"))):
        r = CliRunner().invoke(app, ["report", *args, "--today", DAY, "-o", str(root / name)])
        assert r.exit_code == 0, r.output
        made[name] = root / name
    monkeypatch.undo()
    return made


@pytest.mark.parametrize("deck", ["account.pptx", "portfolio.pptx"])
def test_libreoffice_impress_converts_every_slide_of_the_deck(files, tmp_path, deck):
    slides = Presentation(files[deck]).slides
    pdf = PdfReader(convert(files[deck], tmp_path))
    assert len(pdf.pages) == len(slides)
    text = " ".join(p.extract_text() for p in pdf.pages)
    titles = [s.shapes.title.text for s in slides]
    assert all(t.split(":")[0].split(" (")[0] in text for t in titles), titles


def test_libreoffice_calc_converts_the_workbook_with_its_figures(files, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(files["portfolio.xlsx"])
    ranking = wb["Ranking"]
    names = [row[1].value for row in ranking.iter_rows(min_row=2)]
    text = " ".join(p.extract_text() for p in PdfReader(convert(files["portfolio.xlsx"], tmp_path)).pages)
    assert names and all(n in text for n in names), names
    # a score as Calc prints it under the workbook's number format (one decimal)
    assert f"{ranking.cell(row=2, column=5).value:.1f}" in text
