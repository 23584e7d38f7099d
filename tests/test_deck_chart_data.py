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


def _nps_plan(tmp_path) -> None:
    """Two quarters of NPS: 2026-Q2 has 3 promoters, 1 passive and 4 detractors, (3 − 4) ÷ 8 × 100 =
    −12.5, shown −13; 2026-Q3 has 10 promoters, 10 passives and 3 detractors, (10 − 3) ÷ 23 × 100 =
    +30.43, shown +30 (amber: green is above +30)."""
    q2 = [10, 9, 9, 7, 6, 5, 3, 2]
    q3 = [10] * 10 + [8] * 10 + [4] * 3
    responses = "".join(f"    - {{date: 2026-05-{i + 1:02d}, respondent: r{i}, score: {s}}}\n" for i, s in enumerate(q2))
    responses += "".join(f"    - {{date: 2026-08-{i + 1:02d}, respondent: s{i}, score: {s}}}\n" for i, s in enumerate(q3))
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "u.yaml").write_text("kaplan: 1\naccount: {id: u, name: U}\nplan: {owner: Jo}\n"
                                               "voice_of_customer:\n  nps:\n" + responses)


def test_the_nps_chart_holds_the_numbers_the_pack_shows(kaplan, tmp_path):
    _nps_plan(tmp_path)
    out = tmp_path / "u.pptx"
    r = kaplan("report", "u", "--format", "pptx", "--out", str(out), "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    from pptx import Presentation

    charts = [shape.chart for slide in Presentation(str(out)).slides for shape in slide.shapes if shape.has_chart]
    nps = [c for c in charts if [s.name for s in c.plots[0].series] == ["NPS"]]
    assert [list(c.plots[0].categories) for c in nps] == [["2026-Q2", "2026-Q3"]]
    assert [list(c.plots[0].series[0].values) for c in nps] == [[-13.0, 30.0]]


def test_the_nps_chart_colours_a_point_by_the_number_written_beside_it(kaplan, tmp_path):
    _nps_plan(tmp_path)
    out = tmp_path / "u.html"
    r = kaplan("report", "u", "--format", "html", "--out", str(out), "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    from kaplan.report.charts import RISK_FILL

    svg = out.read_text().split('<svg class="chart nps"')[1].split("</svg>")[0]
    import re

    fills = re.findall(r'<circle [^>]*fill="([^"]+)"', svg)
    labels = re.findall(r'font-weight="bold">([^<]+)</text>', svg)
    assert labels == ["-13", "+30"]
    assert fills == [RISK_FILL["red"], RISK_FILL["amber"]]


def test_the_money_chart_holds_the_amounts_the_pack_shows(kaplan, tmp_path):
    """Money is shown in whole units, rounded half away from zero: revenue 100,250.5 is 100,251 and a
    gross profit of 100,250.5 × 30 ÷ 100 = 30,075.15 is 30,075, in the chart's data as in the tables."""
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "u.yaml").write_text(
        "kaplan: 1\naccount: {id: u, name: U}\nplan: {owner: Jo}\nfinancials:\n  periods:\n"
        "    - {period: 2026-Q1, revenue: 100250.5, margin_pct: 30, target_revenue: 90000.5}\n")
    out = tmp_path / "u.pptx"
    r = kaplan("report", "u", "--format", "pptx", "--out", str(out), "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    from pptx import Presentation

    charts = [shape.chart for slide in Presentation(str(out)).slides for shape in slide.shapes if shape.has_chart]
    (money,) = [c for c in charts if [s.name for s in c.plots[0].series][:1] == ["Revenue"]]
    values = {s.name: list(s.values) for s in money.plots[0].series}
    # Python's own round() would make 100,250.5 → 100,250 and 90,000.5 → 90,000 (half to even)
    assert values == {"Revenue": [100_251.0], "Target revenue": [90_001.0], "Gross profit": [30_075.0]}
