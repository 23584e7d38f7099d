"""Workbooks and decks whose bytes depend only on their inputs, never on the clock that made them.

openpyxl and python-pptx stamp a file's document properties (`docProps/core.xml`: created,
modified) with the current time, and `zipfile` dates every entry with it (within 1980-2107, all a zip can hold); a deck's charts hold
workbooks (their "Edit Data") made the same way. The same plans on the same `--today` then gave
different bytes on every run, so a pack could not be compared, cached or signed by its content.
`settle` rewrites such a file: every entry in its order, compressed as it was, dated the report's
day at midnight, and both properties that day at 00:00:00 UTC; the workbooks inside (the parts
typed as workbooks: a chart's data, never a picture) are settled the same way, one level deep and
only when `reading.archive` finds them of a workbook's size, so a template's picture that is an
archive of archives costs nothing and keeps its bytes. A file holding two entries of one name
(compared without case, as readers compare them) is refused, never written with one of them.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile

from kaplan.reading.archive import excess
from kaplan.report.properties import install, package_xml

_STAMP = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The content type of a chart's workbook: the only part settled inside a file (a picture never is)."""
_ZIP_EPOCH, _ZIP_END = _dt.date(1980, 1, 1), _dt.date(2107, 12, 31)
"""The first and last days a zip entry can carry (an MS-DOS date: seven bits of years from 1980)."""


def settle(data: bytes, day: _dt.date, parts: dict[str, bytes] | None = None, _depth: int = 0) -> bytes:
    """`data` (an Office file: a zip) with every date in it the report's `day`, and (given `parts`, a
    pack's document properties, `properties.documented`) those as its only document properties."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    when = min(max(day, _ZIP_EPOCH), _ZIP_END)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        infos = _one_each(src.infolist())
        entries = {name: src.read(info) for name, info in infos.items()}
        if parts:
            entries = install(entries, parts)
        workbooks = _workbooks(entries) if not _depth else set()
        for name, body in entries.items():
            info = infos.get(name)
            if name == "docProps/core.xml":
                body = _STAMP.sub(lambda m: m[1] + stamp + m[3], body)
            elif name in workbooks and _workbook_sized(body):
                try:
                    body = settle(body, day, _depth=1)
                except (zipfile.BadZipFile, ValueError, OSError, EOFError):  # not an archive after all: as it is
                    pass
            entry = zipfile.ZipInfo(name, date_time=(when.year, when.month, when.day, 0, 0, 0))
            if info is not None:
                entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
                entry.create_system = info.create_system
            else:
                entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def _one_each(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """`infos` by name; ValueError if two have one name, compared without case as readers compare
    them (one would be written over the other, and a reader could take either)."""
    seen: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename.lower() in seen:
            raise ValueError(f"the file holds two parts named {info.filename}")
        seen[info.filename.lower()] = info
    return {info.filename: info for info in seen.values()}


def _workbooks(entries: dict[str, bytes]) -> set[str]:
    """The names of the parts whose content type says they are workbooks."""
    types = package_xml(entries.get("[Content_Types].xml", b"<Types/>"))
    named = {el.get("PartName", "").lstrip("/"): el.get("ContentType") for el in types if el.tag.endswith("Override")}
    by_ext = {el.get("Extension", "").lower(): el.get("ContentType") for el in types if el.tag.endswith("Default")}
    def kind(name: str) -> str | None:
        return named[name] if name in named else by_ext.get(name.rsplit(".", 1)[-1].lower())

    return {name for name in entries if kind(name) == _WORKBOOK}


def _workbook_sized(body: bytes) -> bool:
    """Whether `body` is a zip archive within the bounds of an Office file."""
    if not zipfile.is_zipfile(io.BytesIO(body)):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as inner:
            return excess(inner) is None
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
