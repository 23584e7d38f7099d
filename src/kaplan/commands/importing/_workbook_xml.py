"""A workbook's XML parts, screened once before openpyxl parses any of them.

openpyxl parses a workbook's parts with Python's expat, and with lxml when it is installed, which
expands an entity the part's DOCTYPE defines. No part Excel or a CRM writes declares a DOCTYPE: one
that does is there to copy a local file into a cell (an external entity) or to make a few bytes
into gigabytes (entities nested in entities). A part cut short makes openpyxl stop mid-sheet. And
openpyxl builds a whole row before it gives it, and keeps every element of a part that is not a row:
one row of a million cells (20 MB of XML, 4 MB packed) cost 600 MB.

`screen` parses every part that is XML (by its name, or by its first bytes as the XML standard
detects an encoding) with expat, a megabyte at a time, counting elements as they come, and says
what is wrong with the first part that is not well-formed, declares a DOCTYPE (expat stops there, so
no entity is ever read, let alone expanded) or holds more than openpyxl may be given, with the sheet
row it is in. On the way it notes each cell that holds a formula with no value saved (a workbook a
program wrote and no spreadsheet app ever calculated), which openpyxl reads as an empty cell.
`row_after` finds the row openpyxl stopped at, for what it raises while reading rows. This module
knows nothing about findings.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from xml.parsers import expat

_CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?row\b[^>]*?\sr\s*=\s*[\"'](\d{1,7})[\"']")
_XML_STARTS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00",
               b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00<", b"<\x00", b"\x4c\x6f\xa7\x94")
"""How an XML document may start (the XML standard's appendix F): byte-order marks, `<` in UTF-16
and UTF-32 either way round, `<?xm` in EBCDIC."""


MAX_DEPTH = 64
"""Deepest nesting of elements in a part (a workbook's XML is about 10 deep; expat keeps every open one)."""
MAX_ROW_ELEMENTS = 16_384 * 8
"""Most elements in one row: Excel's 16,384 columns of cells of up to 8 elements (an inline string
with its text). openpyxl builds a whole row before it gives it."""
MAX_ELEMENTS = 2_000_000
"""Most elements in a part outside its rows (a shared-strings table of 500,000 entries holds 1,000,000):
openpyxl keeps every element of a part that is not a row until the part ends."""
COLUMNS = 16_384
ROWS = 1_048_576
"""Excel's columns and rows: a cell elsewhere is none a spreadsheet app calculates."""
_REF = re.compile(r"([A-Za-z]{1,3})[0-9]*")


@dataclass(frozen=True)
class XmlProblem:
    part: str
    message: str
    rule: str = "not-a-table"
    row: int | None = None
    """The sheet row it is in, when that is known."""


@dataclass
class Screened:
    """What `screen` found: the first problem (None if none), and per sheet part the cells that hold a
    formula with no value saved, each `row * COLUMNS + column - 1`, in the part's order."""

    problem: XmlProblem | None = None
    uncalculated: dict[str, array] = field(default_factory=dict)

    def cells(self, part: str) -> dict[int, set[int]]:
        """Row → 1-based columns of the cells of `part` that hold a formula with no value saved."""
        out: dict[int, set[int]] = {}
        for code in self.uncalculated.get(part, ()):
            out.setdefault(code // COLUMNS, set()).add(code % COLUMNS + 1)
        return out


class _Stop(Exception):
    def __init__(self, message: str, rule: str = "too-large"):
        super().__init__(message)
        self.message, self.rule = message, rule


def screen(archive: zipfile.ZipFile, max_cells: int) -> Screened:
    """The first XML part of `archive` that is not well-formed, declares a DOCTYPE, or costs openpyxl
    more than a part may (nesting past `MAX_DEPTH`, a row past `MAX_ROW_ELEMENTS`, more than
    `max_cells` cells or `MAX_ELEMENTS` other elements), and the cells holding a formula with no value."""
    screened = Screened()
    for info in archive.infolist():
        if info.is_dir():
            continue
        screened.problem = _part(archive, info, max_cells, screened)
        if screened.problem is not None:
            break
    return screened


class _Count:
    """What the part holds so far, counted on expat's events; raises `_Stop` past a bound."""

    def __init__(self, max_cells: int, parser, uncalculated: array):
        self.max_cells, self.parser, self.uncalculated = max_cells, parser, uncalculated
        self.depth = self.row_depth = 0  # row_depth: the depth of the row being read (0: none)
        self.in_row = self.cells = self.other = 0
        self.row: int | None = None
        self.nth = 0  # the cell being read is the row's nth
        self.attributes: list = []  # of the cell being read
        self.anchor: tuple[list, int] | None = None  # the attributes of the row's last cell with a reference, and its nth
        self.formula = self.saved = self.valued = False  # of the cell being read: a formula, a `<v>`, text in it

    def start(self, name: str, attributes: list) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Stop(f"nests elements more than {MAX_DEPTH} deep (a workbook's XML is about 10 deep)")
        local = name.rpartition(":")[2]
        if self.row_depth:
            self.in_row += 1
            if self.in_row > MAX_ROW_ELEMENTS:
                raise _Stop(f"holds more than {MAX_ROW_ELEMENTS:,} elements in one row (a row of Excel's "
                             "16,384 columns holds fewer)")
            if local == "c":
                self.cells += 1
                if self.cells > self.max_cells:
                    raise _Stop(f"holds more than {self.max_cells:,} cells")
                if self.depth == self.row_depth + 1:  # only its reference is looked at, and only when it has one
                    self.nth += 1
                    self.attributes, self.formula, self.saved, self.valued = attributes, False, False, False
                    if "r" in attributes:
                        self.anchor = attributes, self.nth
            elif local == "f" and self.depth == self.row_depth + 2:
                self.formula = True
            elif local == "v" and self.depth == self.row_depth + 2:
                self.saved = True
                self.parser.CharacterDataHandler = self._value
        elif local == "row":
            self.row_depth, self.in_row, self.nth, self.anchor = self.depth, 0, 0, None
            self.row = _number(attributes, self.row)
        else:
            self.other += 1
            if self.other > MAX_ELEMENTS:
                raise _Stop(f"holds more than {MAX_ELEMENTS:,} elements outside its rows")

    def end(self, name: str) -> None:
        if self.depth == self.row_depth:
            self.row_depth = 0
        elif self.row_depth and self.depth == self.row_depth + 2:
            self.parser.CharacterDataHandler = None
        elif self.formula and not self.valued and self.row_depth and self.depth == self.row_depth + 1 \
                and name.rpartition(":")[2] == "c":
            self._uncalculated()
        self.depth -= 1

    def _uncalculated(self) -> None:
        """Note the cell just read, a formula with no value saved, unless an empty `<v>` saves its empty
        text (`t="str"`). Its column is as openpyxl counts it: its reference's, else one past the last."""
        self.formula = False
        if self.saved and _attribute(self.attributes, "t") == "str":
            return
        column = self.nth
        if self.anchor is not None and (m := _REF.fullmatch(_attribute(self.anchor[0], "r") or "")):
            column = 0
            for letter in m[1].upper():
                column = column * 26 + ord(letter) - 64
            column += self.nth - self.anchor[1]
        if 0 < (self.row or 0) <= ROWS and 0 < column <= COLUMNS:
            self.uncalculated.append(self.row * COLUMNS + column - 1)

    def _value(self, _data: str) -> None:
        """Text in a cell's `<v>`: its value saved (an empty `<v>` saves only a formula's empty text, `t="str"`)."""
        self.valued = True


def _attribute(attributes: list, name: str) -> str | None:
    """The value of the attribute `name` (as openpyxl reads a cell's: no prefix) in expat's ordered list."""
    for i in range(0, len(attributes) - 1, 2):
        if attributes[i] == name:
            return attributes[i + 1]
    return None


def _number(attributes: list, last: int | None) -> int | None:
    """A row's `r` (its number), else the one after the last row's."""
    for i in range(0, len(attributes) - 1, 2):
        if attributes[i].rpartition(":")[2] == "r":
            try:
                return int(attributes[i + 1])
            except ValueError:
                return last
    return (last or 0) + 1


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_cells: int, screened: Screened) -> XmlProblem | None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.ordered_attributes = True
    count = _Count(max_cells, parser, array("q"))

    def doctype(*_):
        raise _Stop("declares a DOCTYPE, which no Excel workbook holds (its entities could copy a file into a "
                    "cell or fill the memory); nothing of it was read", "not-a-table")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype  # a DOCTYPE comes first; this holds even if expat changed that
    parser.StartElementHandler = count.start
    parser.EndElementHandler = count.end
    named = info.filename.lower().endswith((".xml", ".rels"))
    try:
        with archive.open(info) as fh:
            chunk = fh.read(_CHUNK)
            if not named and not _looks_like_xml(chunk):
                return None  # a picture, printer settings, a macro project: openpyxl does not parse them
            while chunk:
                parser.Parse(chunk, False)
                chunk = fh.read(_CHUNK)
            parser.Parse(b"", True)
        if count.uncalculated:
            screened.uncalculated[info.filename] = count.uncalculated
    except _Stop as stop:
        return XmlProblem(info.filename, stop.message, stop.rule, None if stop.rule == "not-a-table" else count.row)
    except expat.ExpatError as e:
        return XmlProblem(info.filename, f"is not well-formed XML ({expat.ErrorString(e.code)} at line "
                          f"{e.lineno}, column {e.offset + 1} of the part): the workbook is damaged or cut short",
                          row=count.row)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as e:
        return XmlProblem(info.filename, f"cannot be unpacked ({e})")
    return None


def _looks_like_xml(head: bytes) -> bool:
    return head.startswith(_XML_STARTS) or head.lstrip(b" \t\r\n").startswith(b"<")


def row_after(archive: zipfile.ZipFile, part: str, row: int) -> int | None:
    """The first row of a sheet part numbered after `row` (rows left empty are not in the part)."""
    return next((r for r in _rows(archive, part) if r > row), None)


def _rows(archive: zipfile.ZipFile, part: str):
    """The number of each `<row r="N">` of a part, in order, read a megabyte at a time."""
    carry = b""
    try:
        with archive.open(part) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                block = carry + chunk
                last = block.rfind(b"<") if chunk else -1
                # a row's start tag is short: one begun in the last 200 bytes waits for the next chunk
                cut = last if last >= 0 and len(block) - last < 200 else len(block)
                for m in _ROW.finditer(block, 0, cut):
                    yield int(m[1])
                if not chunk:
                    return
                carry = block[cut:]
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError,
            ValueError):
        return
