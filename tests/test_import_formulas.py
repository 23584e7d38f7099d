"""A workbook's formula is read as the value a spreadsheet app saved with it, and one with no value
saved is a finding at its cell, never an empty cell.

openpyxl (and other programs that write workbooks) saves a formula without its value: only a
spreadsheet app calculates it. Read for its values, such a cell looks empty, so an amount written
`=100000+78000` used to vanish from the sum, or a row of formulas from the import, without a word.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from test_import_broken_workbook import workbook as sheet_workbook

PLAN = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"
SHEET = "xl/worksheets/sheet1.xml"
HINT = ("hint: open the workbook in a spreadsheet app and save it, so that each formula's value is saved, or "
        "export values instead of formulas")
SAID = "the cell holds a formula with no value saved (no spreadsheet app has calculated the workbook)"


@pytest.fixture
def portfolio(tmp_path, write):
    write("kaplan.yaml", "kaplan: 1\nplans: plans\n")
    write("plans/acme.yaml", PLAN)
    return tmp_path


def workbook(path: Path, rows: list[list], change=lambda xml: xml) -> Path:
    """A workbook openpyxl wrote with `rows` from row 1, its sheet's XML passed through `change`."""
    return sheet_workbook(path, dict(enumerate(rows, start=1)), change=change)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


HEADER = ["account", "period", "revenue"]


def test_openpyxl_s_formula_with_no_value_saved_is_a_finding_at_its_cell(kaplan, portfolio):
    workbook(portfolio / "f.xlsx", [HEADER, ["acme", "2026-Q3", 100000], ["acme", "2026-Q4", "=100000+78000"]])
    assert b"<f>100000+78000</f><v></v>" in zipfile.ZipFile(portfolio / "f.xlsx").read(SHEET)  # as openpyxl saves it
    before = snapshot(portfolio)
    for dry in (["--dry-run"], []):
        run = kaplan("import", "f.xlsx", "--as", "financials", *dry, cwd=portfolio)
        assert run.exit_code == 1, run.stdout + run.stderr
        assert f"f.xlsx:3:3: error [import-value] column `revenue`: {SAID}" in run.stderr, run.stderr
        assert HINT in run.stderr and "1 problem in f.xlsx; no plan was changed" in run.stderr
        assert run.stdout == ""  # no diff proposed
        assert snapshot(portfolio) == before


def test_a_row_of_formulas_with_no_values_is_a_finding_at_each_cell_not_a_blank_row(kaplan, portfolio):
    workbook(portfolio / "f.xlsx", [HEADER, ["acme", "2026-Q3", 5], ['="ac"&"me"', '="2026-"&"Q4"', "=2+3"]])
    run = kaplan("import", "f.xlsx", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    for column, header in ((1, "account"), (2, "period"), (3, "revenue")):
        assert f"f.xlsx:3:{column}: error [import-value] column `{header}`: {SAID}" in run.stderr, run.stderr


def test_a_header_that_is_a_formula_with_no_value_is_a_finding_at_its_cell(kaplan, portfolio):
    workbook(portfolio / "f.xlsx", [["account", "period", '="rev"&"enue"'], ["acme", "2026-Q3", 5]])
    run = kaplan("import", "f.xlsx", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"f.xlsx:1:3: error [import-columns] a column's header: {SAID}" in run.stderr, run.stderr


def test_a_formula_with_its_value_saved_is_read_as_that_value(kaplan, portfolio):
    """As a spreadsheet app saves it: the formula and its value, `<v>178000</v>`."""
    def calculated(xml: bytes) -> bytes:
        return xml.replace(b"<f>100000+78000</f><v></v>", b"<f>100000+78000</f><v>178000</v>")

    workbook(portfolio / "f.xlsx", [HEADER, ["acme", "2026-Q4", "=100000+78000"]], calculated)
    run = kaplan("import", "f.xlsx", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "+    - period: 2026-Q4\n+      revenue: 178000" in run.stdout, run.stdout


def test_a_formula_whose_saved_value_is_empty_text_is_an_empty_cell(kaplan, portfolio):
    """`=IF(…, "", …)` saved by a spreadsheet app: `t="str"` and an empty `<v>`, a value that is empty."""
    def empty_text(xml: bytes) -> bytes:
        return re.sub(rb'<c r="C3"><f>[^<]*</f><v></v></c>', b'<c r="C3" t="str"><f>""</f><v></v></c>', xml)

    workbook(portfolio / "f.xlsx", [HEADER, ["acme", "2026-Q3", 7], ["acme", "2026-Q4", '=""']], empty_text)
    assert b't="str"><f>""</f><v></v>' in zipfile.ZipFile(portfolio / "f.xlsx").read(SHEET)
    run = kaplan("import", "f.xlsx", "--as", "financials", "--dry-run", cwd=portfolio)
    assert "formula" not in run.stderr and run.exit_code == 0, run.stderr
    assert run.stdout.endswith("+    - period: 2026-Q3\n+      revenue: 7\n"), run.stdout  # Q4: no figure to add


def test_a_cell_without_a_reference_is_found_where_openpyxl_counts_it(kaplan, portfolio):
    """A cell may leave out its `r="C3"`: it is then the one after the cell before it."""
    def unreferenced(xml: bytes) -> bytes:
        return re.sub(rb'<c r="[BC]2"', b"<c", xml)

    workbook(portfolio / "f.xlsx", [HEADER, ["acme", "2026-Q3", "=1+1"]], unreferenced)
    assert b'<c><f>1+1</f><v></v></c>' in zipfile.ZipFile(portfolio / "f.xlsx").read(SHEET)
    run = kaplan("import", "f.xlsx", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"f.xlsx:2:3: error [import-value] column `revenue`: {SAID}" in run.stderr, run.stderr
