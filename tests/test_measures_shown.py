"""A measure is shown as the plan records it, and its progress never reads as reached before it is.

Rounding `current: 19.99` to one decimal showed 20 beside a target of 20, and 99.9 % of the way to
a whole percent showed 100 %, while the same pack said the measure was overdue and off target. The
rule (docs/definitions.md, "Objectives"): a measure's values are shown as recorded; progress is
rounded half away from zero, but never to 100 % below the target nor to 0 % once off the baseline.
Every format is read back: the Markdown and HTML packs (internal and client), the deck and the
workbook.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from conftest import dedent

DAY = "2028-02-29"

PLAN = """\
kaplan: 1
account: {id: prom, name: Promise Co}
plan:
  owner: Kim
objectives:
  - id: obj
    title: Objective
    measures:
      - {name: M late, baseline: 10, target: 20, current: 19.99, due: 2028-02-28}
      - {name: M nearly, baseline: 10, target: 20, current: 19.999}
      - {name: M moved, baseline: 10, target: 20, current: 10.04}
      - {name: M met, baseline: 10, target: 20, current: 20}
  - id: pair
    title: Pair
    measures:
      - {name: P late, baseline: 10, target: 20, current: 19.99}
      - {name: P met, baseline: 10, target: 20, current: 20}
  - id: big
    title: Big
    measures:
      - {name: Revenue won, unit: EUR, baseline: 0, target: 1250000, current: 1249999.5, due: 2028-02-28}
"""

# name: (current as recorded, whole-percent progress, the workbook's one-decimal progress)
EXPECTED = {
    "M late": ("19.99", "99%", 99.9),     # (19.99 − 10) ÷ (20 − 10) = 99.9 % → 100 rounded, shown 99
    "M nearly": ("19.999", "99%", 99.9),  # (19.999 − 10) ÷ 10 = 99.99 % → 100.0 even to one decimal → 99.9
    "M moved": ("10.04", "1%", 0.4),      # (10.04 − 10) ÷ 10 = 0.4 % → 0 rounded, shown 1 (it moved)
    "M met": ("20", "100%", 100),         # (20 − 10) ÷ 10 = 100 %: reached, and only then 100
}
# Objective `obj`: mean (99.9 + 99.99 + 0.4 + 100) ÷ 4 = 75.07 → 75 %.
# Objective `pair`: mean (99.9 + 100) ÷ 2 = 99.95 → 100 rounded, but P late is not reached → 99 %.


@pytest.fixture
def folder(tmp_path, kaplan):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "prom.yaml").write_text(dedent(PLAN), encoding="utf-8")
    return tmp_path


def report(kaplan, folder, fmt: str, *extra: str) -> bytes:
    out = folder / f"pack.{fmt}"
    r = kaplan("report", "prom", "--format", fmt, "--out", str(out), "--today", DAY, *extra, cwd=folder)
    assert r.exit_code == 0, r.stdout + r.stderr
    return out.read_bytes()


@pytest.mark.parametrize("audience", ["internal", "client"])
def test_markdown_shows_the_recorded_value_and_progress_short_of_the_target(kaplan, folder, audience):
    text = report(kaplan, folder, "md", "--audience", audience).decode()
    for name, (current, progress, _) in EXPECTED.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2:5] == ["10", current, "20"], row  # baseline, current, target
        assert cells[-1] == progress, row
    assert "### Objective (75% of the way)" in text
    assert "### Pair (99% of the way)" in text


@pytest.mark.parametrize("audience", ["internal", "client"])
def test_html_shows_the_recorded_value_and_progress_short_of_the_target(kaplan, folder, audience):
    text = report(kaplan, folder, "html", "--audience", audience).decode()
    for name, (current, progress, _) in EXPECTED.items():
        row = re.search(rf"<tr><td>{name}</td>.*?</tr>", text)[0]
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        assert cells[2:5] == ["10", current, "20"], row
        assert cells[-1] == progress, row
        assert f'style="width: {progress}"' in row  # the bar is as long as the figure says
    assert "99%</span></h3>" in text.split("<h3>Pair")[1].split("\n")[0]


@pytest.mark.parametrize("audience", ["internal", "client"])
def test_deck_shows_the_recorded_value_and_progress_short_of_the_target(kaplan, folder, audience):
    prs = Presentation(io.BytesIO(report(kaplan, folder, "pptx", "--audience", audience)))
    rows = {r.cells[1].text: [c.text for c in r.cells] for s in prs.slides for sh in s.shapes if sh.has_table
            for r in sh.table.rows}
    for name, (current, progress, _) in EXPECTED.items():
        assert rows[name][2:5] == ["10", current, "20"], rows[name]
        assert rows[name][-1] == progress, rows[name]


def test_workbook_keeps_the_value_and_never_reads_100_below_the_target(kaplan, folder):
    ws = load_workbook(io.BytesIO(report(kaplan, folder, "xlsx")))["Objectives"]
    head = [c.value for c in ws[1]]
    rows = {r[1]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    for name, (current, _, progress) in EXPECTED.items():
        assert rows[name]["Current"] == float(current)
        assert rows[name]["Progress %"] == progress


def test_the_broken_promise_names_the_recorded_values(kaplan, folder):
    """Six significant digits (`1.25e+06`) would make 1,249,999.5 read as its target of 1,250,000."""
    text = report(kaplan, folder, "md").decode()
    assert "was due to reach 20 by 2028-02-28 and is 19.99" in text
    assert "was due to reach 1,250,000 EUR by 2028-02-28 and is 1,249,999.5 EUR" in text
    # (1,249,999.5 − 0) ÷ 1,250,000 = 99.99996 % → 99 %
    assert "| Revenue won | lagging | 0 | 1,249,999.5 | 1,250,000 | EUR | 2028-02-28 | 99% |" in text
