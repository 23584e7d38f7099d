"""The workbook inside a deck's charts ("Edit Data" in PowerPoint) runs no formula from plan text."""

from __future__ import annotations

import io
import shutil
import zipfile

import openpyxl

from conftest import EXAMPLES, TODAY


def test_chart_data_holds_plan_text_as_text(kaplan, tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    plan = folder / "plans" / "tessaro-automotive.yaml"
    text = plan.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    plan.write_text(text.replace(name_line, name_line.split("name:")[0] + 'name: "=cmd|x https://evil.example"', 1),
                    encoding="utf-8")
    out = tmp_path / "p.pptx"
    r = kaplan("report", "--portfolio", "--format", "pptx", "--out", str(out), "--today", TODAY.isoformat(),
               cwd=folder)
    assert r.exit_code == 0, r.stderr
    formulas, seen = [], False
    with zipfile.ZipFile(out) as deck:
        for name in deck.namelist():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(deck.read(name)))
                for sheet in book.worksheets:
                    for row in sheet.iter_rows():
                        for c in row:
                            seen = seen or (isinstance(c.value, str) and "evil.example" in c.value)
                            if c.data_type == "f":
                                formulas.append((name, c.coordinate, c.value))
    assert seen, "the name should be in some chart's data"
    assert formulas == []


def test_chart_data_makes_no_link_of_plan_text(kaplan, tmp_path):
    """Labels that look like links (a web page, a mail address, a Windows share, whose click would
    send the user's credentials) stay text in the chart's workbook: no hyperlink, no relationship."""
    links = ["https://evil.example/login", "mailto:a@evil.example", "external:\\\\evil-host\\share\\x.xlsx"]
    forces = "".join(f"    - {{force: '{link}', strength: {i + 1}}}\n" for i, link in enumerate(links))
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "u.yaml").write_text(
        "kaplan: 1\naccount: {id: u, name: U}\nplan: {owner: Jo}\nforce_field:\n  for:\n" + forces
        + "  against:\n    - {force: Price, strength: 1}\n")
    out = tmp_path / "u.pptx"
    r = kaplan("report", "u", "--format", "pptx", "--out", str(out), "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    bodies = []
    with zipfile.ZipFile(out) as deck:
        for name in deck.namelist():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(deck.read(name))) as book:
                    bodies += [(name, part, book.read(part).decode("utf-8", "replace")) for part in book.namelist()]
    assert any("evil.example/login" in body for _, _, body in bodies), "the labels should be in the chart's data"
    for name, part, body in bodies:
        assert "<hyperlink" not in body and 'TargetMode="External"' not in body, (name, part)
