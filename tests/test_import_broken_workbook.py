"""A damaged or hostile workbook is a finding at its row, never a traceback, and no entity in it is read.

Each workbook here is a real one openpyxl wrote, with one XML part rewritten the way a damaged file
or an attacker would: a DOCTYPE with an external entity (which would copy a local file into a cell)
or with nested entities (a few bytes made into gigabytes), a part cut short, a cell whose stored
value does not fit its type.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

PLAN = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def portfolio(tmp_path, write):
    write("kaplan.yaml", "kaplan: 1\nplans: plans\n")
    write("plans/acme.yaml", PLAN)
    return tmp_path


def workbook(path: Path, rows: dict[int, list], part: str = SHEET, change=lambda xml: xml) -> Path:
    """A workbook with `rows` (row number → values; the rows between are left empty, and so are not
    in the sheet's XML), its part `part` passed through `change`."""
    book = openpyxl.Workbook()
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            book.active.cell(number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    src = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, change(data) if info.filename == part else data)
    path.write_bytes(out.getvalue())
    return path


ROWS = {1: ["account", "period", "revenue"], 2: ["acme", "2026-Q2", 100], 4: ["acme", "2026-Q3", 200],
        5: ["acme", "2026-Q4", 300]}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(kaplan, portfolio: Path, name: str, where: str, *words: str):
    before = snapshot(portfolio)
    run = kaplan("import", name, "--as", "financials", "--profile", "kaplan", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"{name}:{where}: error [not-a-table]" in run.stderr, run.stderr
    assert all(w in run.stderr for w in words), run.stderr
    assert "hint: open it in Excel and save it again as .xlsx, or export CSV" in run.stderr
    assert "Traceback" not in run.stderr and "no plan was changed" in run.stderr
    assert snapshot(portfolio) == before
    return run


def doctype(dtd: bytes, value: bytes):
    """Declare `dtd` before the sheet's root and put `value` in place of row 2's revenue (100)."""
    def change(xml: bytes) -> bytes:
        assert b"<v>100</v>" in xml
        return xml.replace(b"<worksheet", dtd + b"<worksheet", 1).replace(b"<v>100</v>", b"<v>" + value + b"</v>")
    return change


def test_an_external_entity_is_refused_and_the_file_it_names_is_never_read(kaplan, portfolio, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("4242", encoding="utf-8")  # a number: read into the revenue cell, it would be imported
    dtd = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "' + secret.as_uri().encode() + b'">]>'
    workbook(portfolio / "xxe.xlsx", ROWS, change=doctype(dtd, b"&xxe;"))
    run = refused(kaplan, portfolio, "xxe.xlsx", "1:1", f"part {SHEET} declares a DOCTYPE")
    assert "4242" not in run.stderr + run.stdout


def test_nested_entities_are_refused_before_any_is_expanded(kaplan, portfolio):
    """Ten entities each ten times the one before: 10¹⁰ bytes from about 400."""
    dtd = b'<!DOCTYPE r [<!ENTITY e0 "xxxxxxxxxx">' + b"".join(
        b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>"
    workbook(portfolio / "lol.xlsx", ROWS, change=doctype(dtd, b"&e9;"))
    refused(kaplan, portfolio, "lol.xlsx", "1:1", f"part {SHEET} declares a DOCTYPE")


def test_a_doctype_in_any_part_openpyxl_reads_first_is_refused(kaplan, portfolio):
    """The workbook part is read when the workbook is opened, before any sheet."""
    def change(xml: bytes) -> bytes:
        return xml.replace(b"<workbook", b'<!DOCTYPE w [<!ENTITY n "Sheet">]><workbook', 1)
    workbook(portfolio / "wb.xlsx", ROWS, part="xl/workbook.xml", change=change)
    refused(kaplan, portfolio, "wb.xlsx", "1:1", "part xl/workbook.xml declares a DOCTYPE")


def test_a_doctype_is_found_in_a_part_written_in_utf_16(kaplan, portfolio):
    def change(xml: bytes) -> bytes:
        text = doctype(b'<!DOCTYPE r [<!ENTITY e "1">]>', b"&e;")(xml).decode("utf-8")
        return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    workbook(portfolio / "u16.xlsx", ROWS, change=change)
    refused(kaplan, portfolio, "u16.xlsx", "1:1", f"part {SHEET} declares a DOCTYPE")


def test_an_entity_without_a_doctype_is_a_broken_part_at_its_row(kaplan, portfolio):
    workbook(portfolio / "ent.xlsx", ROWS, change=doctype(b"", b"&xxe;"))
    refused(kaplan, portfolio, "ent.xlsx", "2:1", f"part {SHEET} is not well-formed XML (undefined entity")


def test_a_sheet_cut_short_is_a_finding_at_the_row_it_stops_in(kaplan, portfolio):
    """Cut inside row 4's second cell: rows 1 and 2 are whole, row 3 is empty (not in the XML)."""
    workbook(portfolio / "cut.xlsx", ROWS, change=lambda xml: xml[:xml.index(b'<c r="B4"') + 5])
    refused(kaplan, portfolio, "cut.xlsx", "4:1", f"part {SHEET} is not well-formed XML", "cut short")


@pytest.mark.parametrize("kind,stored,words", [
    ("n", b"abc", "invalid literal"),  # a number cell holding text
    ("d", b"9999-99-99", "month must be in 1..12"),  # a date cell holding no date
    ("b", b"yes", "invalid literal"),  # a true/false cell holding a word
    ("s", b"99999", "row 4 of the workbook's sheet cannot be read"),  # a shared string that is not in the table
])
def test_a_cell_whose_value_does_not_fit_its_type_is_a_finding_at_its_row(kaplan, portfolio, kind, stored, words):
    """Row 4's revenue (200) is damaged; row 3 is empty, so the row openpyxl stops at is the one after
    the last row it gave (2) that the sheet holds: 4."""
    def change(xml: bytes) -> bytes:
        cell = b'<c r="C4" t="n"><v>200</v></c>'
        assert cell in xml
        return xml.replace(cell, b'<c r="C4" t="' + kind.encode() + b'"><v>' + stored + b"</v></c>")
    workbook(portfolio / "cell.xlsx", ROWS, change=change)
    refused(kaplan, portfolio, "cell.xlsx", "4:1", "row 4 of the workbook's sheet cannot be read", words)


def test_a_workbook_that_is_well_formed_still_imports(kaplan, portfolio):
    """The screen reads every part: a workbook as openpyxl writes it passes, gaps and all."""
    workbook(portfolio / "good.xlsx", ROWS)
    run = kaplan("import", "good.xlsx", "--as", "financials", "--profile", "kaplan", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    text = (portfolio / "plans/acme.yaml").read_text(encoding="utf-8")
    assert "2026-Q2" in text and "2026-Q4" in text and "300" in text


# ---------------------------------------------------------------- what openpyxl would be given to build

def too_large(kaplan, portfolio: Path, name: str, where: str, words: str):
    before = snapshot(portfolio)
    run = kaplan("import", name, "--as", "financials", "--profile", "kaplan", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"{name}:{where}: error [too-large] the workbook's part {SHEET} {words}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "no plan was changed" in run.stderr
    assert snapshot(portfolio) == before


def test_a_row_wider_than_excel_makes_is_refused_before_openpyxl_builds_it(kaplan, portfolio):
    """openpyxl builds every cell of a row, even past the header's width, before it gives the row:
    a row of a million cells cost 600 MB. 70,000 cells of two elements each (`<c><v>…</v></c>`) are
    140,000 elements, more than 16,384 columns × 8 (values that differ: a part compressed more than 100
    times is refused before this is looked at)."""
    cells = b"".join(b"<c><v>%d</v></c>" % (i * 7919 % 1_000_003) for i in range(70_000))
    workbook(portfolio / "wide.xlsx", ROWS,
             change=lambda xml: xml.replace(b'<row r="4">', b'<row r="4">' + cells, 1))
    too_large(kaplan, portfolio, "wide.xlsx", "4:1", "holds more than 131,072 elements in one row")


def test_cells_past_the_headers_count_against_the_cell_limit(kaplan, portfolio, monkeypatch):
    """Cells right of the header's columns are never imported, but openpyxl reads them all. With a
    limit of 20 (the real one is 2,000,000), row 1 stores 3 cells and row 2 stores 3 + 30: the 21st
    is in row 2."""
    from kaplan.commands.importing import source

    monkeypatch.setattr(source, "MAX_CELLS", 20)
    beyond = b"".join(b'<c r="%s2"><v>0</v></c>' % col.encode()
                      for col in [chr(ord("E") + i) for i in range(22)] + [f"A{chr(ord('A') + i)}" for i in range(8)])
    workbook(portfolio / "far.xlsx", ROWS, change=lambda xml: xml.replace(b"<v>100</v></c>", b"<v>100</v></c>" + beyond, 1))
    too_large(kaplan, portfolio, "far.xlsx", "2:1", "holds more than 20 cells")


def test_elements_openpyxl_would_keep_to_the_sheets_end_are_bounded(kaplan, portfolio, monkeypatch):
    """An element between rows that openpyxl does not know stays in memory until the part ends. With
    a bound of 1,000 (the real one is 2,000,000; the largest part of this workbook, its theme, holds
    200) and the 11 outside rows a sheet holds, 1,000 more are too many."""
    from kaplan.commands.importing import _workbook_xml

    monkeypatch.setattr(_workbook_xml, "MAX_ELEMENTS", 1000)
    junk = b"".join(b'<x n="%d"/>' % i for i in range(1000))
    workbook(portfolio / "junk.xlsx", ROWS, change=lambda xml: xml.replace(b'<row r="4">', junk + b'<row r="4">', 1))
    too_large(kaplan, portfolio, "junk.xlsx", "2:1", "holds more than 1,000 elements outside its rows")


def test_elements_nested_deeper_than_any_workbook_are_refused(kaplan, portfolio):
    deep = b"<x>" * 65 + b"</x>" * 65
    workbook(portfolio / "deep.xlsx", ROWS, change=lambda xml: xml.replace(b"<sheetData>", deep + b"<sheetData>", 1))
    too_large(kaplan, portfolio, "deep.xlsx", "1:1", "nests elements more than 64 deep")
