"""A workbook's XML parts, screened once before openpyxl parses any of them.

openpyxl parses a workbook's parts with Python's expat, and with lxml when it is installed, which
expands an entity the part's DOCTYPE defines. No part Excel or a CRM writes declares a DOCTYPE: one
that does is there to copy a local file into a cell (an external entity) or to make a few bytes
into gigabytes (entities nested in entities). And a part cut short makes openpyxl stop mid-sheet.

`screen` parses every part that is XML (by its name, or by its first bytes as the XML standard
detects an encoding) with expat, a megabyte at a time, and says what is wrong with the first part
that is not well-formed or declares a DOCTYPE; expat stops at the DOCTYPE, so no entity is ever
read, let alone expanded. `row_at` and `row_after` find the spreadsheet row around a place in a
sheet, so a problem is reported at its row. This module knows nothing about findings.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

_CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?row\b[^>]*?\sr\s*=\s*[\"'](\d{1,7})[\"']")
_XML_STARTS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00",
               b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00<", b"<\x00", b"\x4c\x6f\xa7\x94")
"""How an XML document may start (the XML standard's appendix F): byte-order marks, `<` in UTF-16
and UTF-32 either way round, `<?xm` in EBCDIC."""


@dataclass(frozen=True)
class XmlProblem:
    part: str
    message: str
    offset: int
    """Where in the part's unpacked bytes it was found."""
    doctype: bool = False


class _Doctype(Exception):
    pass


def screen(archive: zipfile.ZipFile) -> XmlProblem | None:
    """The first XML part of `archive` that is not well-formed or declares a DOCTYPE; None if none."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        problem = _part(archive, info)
        if problem is not None:
            return problem
    return None


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> XmlProblem | None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(*_):
        raise _Doctype

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype  # a DOCTYPE comes first; this holds even if expat changed that
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
    except _Doctype:
        return XmlProblem(info.filename, "declares a DOCTYPE, which no Excel workbook holds (its entities could "
                          "copy a file into a cell or fill the memory); nothing of it was read",
                          parser.CurrentByteIndex, doctype=True)
    except expat.ExpatError as e:
        return XmlProblem(info.filename, f"is not well-formed XML ({expat.ErrorString(e.code)} at line "
                          f"{e.lineno}, column {e.offset + 1} of the part): the workbook is damaged or cut short",
                          max(parser.ErrorByteIndex, 0))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as e:
        return XmlProblem(info.filename, f"cannot be unpacked ({e})", 0)
    return None


def _looks_like_xml(head: bytes) -> bool:
    return head.startswith(_XML_STARTS) or head.lstrip(b" \t\r\n").startswith(b"<")


def row_at(archive: zipfile.ZipFile, part: str, offset: int) -> int | None:
    """The row of a sheet part that the byte at `offset` belongs to: the last row begun before it."""
    found = None
    for start, row in _rows(archive, part):
        if start > offset:
            break
        found = row
    return found


def row_after(archive: zipfile.ZipFile, part: str, row: int) -> int | None:
    """The first row of a sheet part numbered after `row` (rows left empty are not in the part)."""
    return next((r for _, r in _rows(archive, part) if r > row), None)


def _rows(archive: zipfile.ZipFile, part: str):
    """(offset, number) of each `<row r="N">` of a part, in order, read a megabyte at a time."""
    done, carry = 0, b""
    try:
        with archive.open(part) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                block = carry + chunk
                last = block.rfind(b"<") if chunk else -1
                # a row's start tag is short: one begun in the last 200 bytes waits for the next chunk
                cut = last if last >= 0 and len(block) - last < 200 else len(block)
                for m in _ROW.finditer(block, 0, cut):
                    yield done + m.start(), int(m[1])
                if not chunk:
                    return
                done, carry = done + cut, block[cut:]
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError,
            ValueError):
        return
