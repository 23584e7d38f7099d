"""Reading a CRM export (CSV or XLSX) into rows of cells, each cell knowing its row and column.

What comes out of a CRM is rarely clean CSV: Excel writes Windows-1252 or UTF-8 with a byte-order
mark, Salesforce ends its report exports with a footer of confidential-information lines, European
exports use `;`, a spreadsheet gets saved under the wrong name. This module reads what it can and
turns anything else into a located finding (`SourceProblem`); it knows nothing about plans.

Row numbers are the file's own: the line a CSV record starts on, or the spreadsheet row. Column
numbers count fields from 1 (the spreadsheet's A = 1).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaplan.commands.importing import _workbook_xml
from kaplan.commands.importing.cells import UNCALCULATED, UNCALCULATED_SAID
from kaplan.findings import Finding, FindingsError, Severity
from kaplan.plural import counted
from kaplan.reading.archive import excess
from kaplan.reading.given import NotAFile, TooLarge, read_file

MAX_BYTES = 32 * 1024 * 1024
"""Largest export read (a 50,000-row report is a few MB; reading a CSV costs up to 7 times its size)."""
MAX_CELLS = 2_000_000
"""Most cells read from an export (50,000 rows of 40 columns), counted while reading: a file of
short fields would otherwise cost some 15 times its size in memory."""
MAX_ROWS = 500_000
"""Most rows read from an export (a row costs memory even when it holds one cell)."""
MAX_SHARED_STRINGS = 500_000
"""Most entries in a workbook's shared-strings table, counted before openpyxl builds it (it keeps
every entry, and a 400 KB file can declare ten million)."""
SNIFF_CHARS = 4096
"""How much of a CSV the delimiter is guessed from: `csv.Sniffer` costs the square of what it reads
(64 KB of `',` took 20 s of CPU time; 4 KB takes under 0.1 s) and 4 KB is 40 lines of an export."""
_DELIMITERS = ",;\t|"
_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?si[\s/>]")


class SourceProblem(FindingsError):
    """The file cannot be read as a table; carries the findings."""


@dataclass
class Table:
    """The header row and the data rows of an export; cells are text (CSV) or typed values (XLSX)."""

    display: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    header_row: int = 1
    notes: list[str] = field(default_factory=list)
    """What was noticed and handled on the way (the encoding guessed, a footer skipped)."""

    def finding(self, row: int, column: int, rule: str, message: str, hint: str | None = None,
                severity: Severity = Severity.ERROR) -> Finding:
        return Finding(self.display, row, column, rule, severity, message, hint)


def read_table(path: Path | str, display: str | None = None) -> Table:
    """Read a `.csv` (or `.txt`/`.tsv`) or `.xlsx` export; raises `SourceProblem` when it cannot."""
    path = Path(path)
    display = display or str(path)
    try:
        data = read_file(path, MAX_BYTES)
    except TooLarge:
        raise _problem(display, "too-large", f"the file is larger than {MAX_BYTES // 1048576} MiB",
                       "export fewer rows (filter the report by period)") from None
    except NotAFile:
        raise _problem(display, "unreadable", "this is not a file (a folder, a named pipe or a device)",
                       "name the exported .csv or .xlsx file") from None
    except OSError as e:
        raise _problem(display, "unreadable", f"cannot read the file: {e.strerror or e}",
                       "check the path and its permissions") from None
    if data.startswith(b"PK\x03\x04"):
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            note = f"{display} is an Excel workbook (xlsx) although it is named {path.suffix or 'without a suffix'}"
            table = _read_xlsx(data, display)
            table.notes.append(note)
            return table
        return _read_xlsx(data, display)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _problem(display, "not-a-table", "this is not an Excel workbook (an .xlsx file is a zip archive)",
                       "export the report again as Excel (.xlsx) or as CSV")
    return _read_csv(data, display)


def _problem(display: str, rule: str, message: str, hint: str, row: int = 1, column: int = 1) -> SourceProblem:
    return SourceProblem([Finding(display, row, column, rule, Severity.ERROR, message, hint)])


# ---------------------------------------------------------------- CSV


def decode(data: bytes, display: str) -> tuple[str, str | None, str, int]:
    """The text of a CSV export, a note on how it was decoded (None for plain UTF-8), and the codec
    and the bytes to skip that read it again as a stream."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8(data[3:], display), None, "utf-8", 3  # Excel's "CSV UTF-8" starts with a byte-order mark
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "read as UTF-16 (Excel's \"Unicode text\")", "utf-16", 0
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096] or data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):
        what = ("an old Excel workbook (.xls)" if data.startswith(b"\xd0\xcf\x11\xe0")
                else "a PDF" if data.startswith(b"%PDF") else "a binary file")
        raise _problem(display, "not-a-table", f"this is not CSV text: it looks like {what}",
                       "export the report as CSV or as Excel (.xlsx)")
    try:
        return data.decode("utf-8"), None, "utf-8", 0
    except UnicodeDecodeError:
        pass
    try:  # what Excel writes for "CSV (Comma delimited)" on Windows
        return (data.decode("cp1252"), "read as Windows-1252 (not UTF-8): how Excel on Windows saves CSV",
                "cp1252", 0)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _problem(display, "encoding", "this file is neither UTF-8 nor Windows-1252 text",
                       "save the export as \"CSV UTF-8\"", row=line) from None


class _Count:
    """Rows and cells read so far, refused past `MAX_ROWS` and `MAX_CELLS` at the row that goes over."""

    def __init__(self, display: str):
        self.display, self.rows, self.cells = display, 0, 0

    def row(self, number: int, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS or self.cells > MAX_CELLS:
            what = f"more than {MAX_ROWS:,} rows" if self.rows > MAX_ROWS else f"more than {MAX_CELLS:,} cells"
            raise _problem(self.display, "too-large", f"the export has {what}",
                           "export fewer rows (filter the report by period) or fewer columns", row=number)


def _utf8(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _problem(display, "encoding", "the file starts as UTF-8 but is not UTF-8 further down",
                       "save the export again as \"CSV UTF-8\"", row=line) from None


def _read_csv(data: bytes, display: str) -> Table:
    text, note, encoding, skip = decode(data, display)
    if not text.strip():
        raise _problem(display, "empty-file", "the file is empty",
                       "export the report again; it should start with a row of column headers")
    dialect = _sniff(text[:SNIFF_CHARS])
    del text  # read again as a stream below: a full copy would cost four bytes per character
    lines = io.TextIOWrapper(io.BytesIO(data[skip:] if skip else data), encoding=encoding, newline="")
    reader = csv.reader(lines, dialect, strict=True)
    records: list[tuple[int, list[str]]] = []
    start, count = 1, _Count(display)
    try:
        for cells in reader:
            count.row(start, len(cells))
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as e:
        raise _problem(display, "not-csv", f"this is not well-formed CSV from this row on: {e}",
                       "a quote `\"` is probably not closed; export the report again", row=start) from None
    table = _from_records(records, display)
    if note:
        table.notes.append(f"{display}: {note}")
    return table


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)

        class _Guess(csv.excel):
            delimiter = best if counts[best] else ","

        return _Guess


def _from_records(records: list[tuple[int, list[Any]]], display: str) -> Table:
    """Header = the first non-blank row; a blank row followed only by one-cell rows ends the data (a footer)."""
    def blank(cells: list[Any]) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)

    i = 0
    while i < len(records) and blank(records[i][1]):
        i += 1
    if i == len(records):
        raise _problem(display, "empty-file", "the file has no rows, only blank lines",
                       "export the report again; it should start with a row of column headers")
    header_row, raw = records[i]
    if UNCALCULATED in raw:
        raise _problem(display, "import-columns", f"a column's header: {UNCALCULATED_SAID[0]}", UNCALCULATED_SAID[1],
                       header_row, raw.index(UNCALCULATED) + 1)
    headers = [("" if h is None else str(h)).strip().lstrip("\ufeff") for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    rows, notes = [], []
    rest = records[i + 1:]
    for j, (number, cells) in enumerate(rest):
        if blank(cells):
            after = [c for _, c in rest[j + 1:] if not blank(c)]
            if after and all(sum(1 for x in c if x not in (None, "")) <= 1 for c in after):
                notes.append(f"{display}: the {counted(len(after), 'line')} after row {number} "
                             f"{'is' if len(after) == 1 else 'are'} a report footer; skipped")
                break
            continue
        rows.append((number, list(cells)))
    table = Table(display, headers, rows, header_row)
    table.notes.extend(notes)
    return table


# ---------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes, display: str) -> Table:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise _problem(display, "not-a-table", "reading .xlsx needs openpyxl", "pip install openpyxl") from None
    screened = _bound_workbook(data, display)
    read = _Progress()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            read.sheet = sheet = _data_sheet(book)
            part = getattr(sheet, "_worksheet_path", None)
            records = _sheet_records(sheet, display, read, screened.cells(part) if isinstance(part, str) else {})
        finally:
            book.close()
    except SourceProblem:
        raise
    except Exception as e:  # noqa: BLE001 - whatever openpyxl raises on a damaged workbook is a finding
        raise _unreadable(data, display, read, e) from None
    if not records:
        raise _problem(display, "empty-file", "the workbook's first sheet is empty",
                       "export the report again; it should start with a row of column headers")
    return _from_records(records, display)


_HINT = "open it in Excel and save it again as .xlsx, or export CSV"


class _Progress:
    """How far openpyxl got: the sheet it reads and the last row it gave (0: none yet)."""

    sheet = None
    row = 0


def _unreadable(data: bytes, display: str, read: _Progress, error: Exception) -> SourceProblem:
    """What openpyxl stopped at, located at the row it could not read (the first row after the last it gave)."""
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    if read.sheet is None:
        return _problem(display, "not-a-table", f"this is not a readable Excel workbook ({reason})", _HINT)
    part = getattr(read.sheet, "_worksheet_path", None)
    row = None
    if isinstance(part, str):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            row = _workbook_xml.row_after(archive, part, read.row)
    row = row or read.row + 1
    return _problem(display, "not-a-table", f"row {row} of the workbook's sheet cannot be read ({reason}): "
                    "a cell holds what Excel never writes there, so the workbook is damaged", _HINT, row=row)


BLANK_RUN = 1_000
"""After this many blank rows in a row, the sheet's data has ended (the rest is formatting)."""


def _sheet_records(sheet, display: str, read: _Progress, uncalculated: dict[int, set[int]]) -> list[tuple[int, list]]:
    """(row number, cells) of a sheet's rows, no wider than its header row: a workbook whose last
    cell is set far away (a few KB on disk) would otherwise be read as millions of empty cells.
    A cell `uncalculated` names (row → columns: a formula with no value saved, which openpyxl reads
    as empty) is `UNCALCULATED`. `read` follows the last row read, for a problem openpyxl meets in the next."""
    header = _marked(next(sheet.iter_rows(max_row=1, values_only=True), ()), uncalculated.get(1, ()))
    read.row = 1
    width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=0)
    if not width:
        return []
    records, blank, count = [], 0, _Count(display)
    for n, cells in enumerate(sheet.iter_rows(values_only=True, max_col=width), start=1):
        read.row = n
        if n in uncalculated:
            cells = _marked(cells, uncalculated[n])
        if all(v in (None, "") for v in cells):
            blank += 1
            if blank >= BLANK_RUN:
                break
            continue
        blank = 0
        count.row(n, len(cells))
        records.append((n, list(cells)))
    return records


def _marked(cells, columns) -> list:
    """A row's cells, each of `columns` (1-based) that openpyxl read as empty made `UNCALCULATED`."""
    cells = list(cells)
    for column in columns:
        if column <= len(cells) and cells[column - 1] is None:
            cells[column - 1] = UNCALCULATED
    return cells


def _bound_workbook(data: bytes, display: str) -> _workbook_xml.Screened:
    """Refuse a workbook that would cost more to open than its size says, before openpyxl reads it:
    parts past the bounds of `reading.archive` (how much they unpack to, how much each is
    compressed), or a shared-strings table of more than `MAX_SHARED_STRINGS` entries; and one with an
    XML part that is not well-formed or declares a DOCTYPE (`_workbook_xml`). What the XML screen
    found (the cells holding a formula with no value) is returned."""
    hint = "open it in Excel and save it again as .xlsx, or export CSV"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise _problem(display, "not-a-table", f"this is not a readable Excel workbook ({e})", hint) from None
    with archive:
        problem = excess(archive, "workbook")
        if problem:
            raise _problem(display, "too-large", problem, "export fewer rows, or export CSV")
        parts = archive.infolist()
        strings = next((p for p in parts if p.filename.lower().endswith("sharedstrings.xml")), None)
        if strings is not None and _entries(archive, strings) > MAX_SHARED_STRINGS:
            raise _problem(display, "too-large", f"the workbook's shared-strings table holds more than "
                           f"{MAX_SHARED_STRINGS:,} entries", "export fewer rows, or export CSV")
        screened = _workbook_xml.screen(archive, MAX_CELLS)
        xml = screened.problem
        if xml is not None:
            raise _problem(display, xml.rule, f"the workbook's part {xml.part} {xml.message}",
                           hint if xml.rule == "not-a-table" else "export fewer rows, or export CSV", row=xml.row or 1)
    return screened


def _entries(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """How many `<si>` entries (`<si>`, `<si/>`, `<x:si …>`) a shared-strings part holds, counted on
    the stream a megabyte at a time; stops counting past the limit."""
    count, carry = 0, b""
    try:
        with archive.open(part) as fh:
            while count <= MAX_SHARED_STRINGS:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                block = carry + chunk
                # a tag holds one `<`, at its start: one begun before the block's last `<` is whole
                last = block.rfind(b"<")
                done, carry = (block, b"") if last < 0 or len(block) - last > 40 else (block[:last], block[last:])
                count += len(_ENTRY.findall(done))
            count += len(_ENTRY.findall(carry))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return 0  # openpyxl then says what is wrong with the part
    return count


def _data_sheet(book):
    """The first visible sheet (Dynamics puts a hidden `hiddenDataSheet` beside the data)."""
    for sheet in book.worksheets:
        if getattr(sheet, "sheet_state", "visible") == "visible":
            return sheet
    return book.worksheets[0]
