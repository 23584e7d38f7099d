"""A workbook whose last cell is set far away is read as the table it holds, not millions of cells."""

from __future__ import annotations

import shutil

import openpyxl

from _proc import measured
from conftest import EXAMPLES


def test_a_far_away_cell_costs_nothing(tmp_path):
    folder = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, folder)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["account", "period", "revenue"])
    sheet.append(["tessaro-automotive", "2026-Q4", 100])
    sheet["XFD1048576"] = "x"  # the sheet's last possible cell: 16,384 columns × 1,048,576 rows
    book.save(folder / "bomb.xlsx")
    assert (folder / "bomb.xlsx").stat().st_size < 10_000
    m = measured(["import", "bomb.xlsx", "--as", "financials", "--dry-run"], folder, timeout=60)
    assert not m.timed_out and m.exit_code == 0, m.stderr
    assert "would change 1 plan" in m.stderr + m.stdout
    assert m.peak_rss_mb is None or m.peak_rss_mb < 400
