"""Workbooks and decks whose bytes depend only on their inputs, never on the clock that made them.

openpyxl and python-pptx stamp a file's document properties (`docProps/core.xml`: created,
modified) with the current time, and `zipfile` dates every entry with it; a deck's charts hold
workbooks (their "Edit Data") made the same way. The same plans on the same `--today` then gave
different bytes on every run, so a pack could not be compared, cached or signed by its content.
`settle` rewrites such a file: every entry in its order, compressed as it was, dated the report's
day at midnight, and both properties that day at 00:00:00 UTC; the workbooks inside are settled
the same way.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile

_STAMP = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")
_INNER = (".xlsx", ".xlsm", ".pptx", ".docx")
_ZIP_EPOCH = _dt.date(1980, 1, 1)
"""The earliest date a zip entry can carry."""


def settle(data: bytes, day: _dt.date, parts: dict[str, bytes] | None = None) -> bytes:
    """`data` (an Office file: a zip) with every date in it the report's `day`, and each of its
    entries named in `parts` (a pack's document properties, `properties.documented`) those bytes."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    when = max(day, _ZIP_EPOCH)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = (parts or {}).get(info.filename) or src.read(info)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(lambda m: m[1] + stamp + m[3], body)
            elif info.filename.lower().endswith(_INNER) and zipfile.is_zipfile(io.BytesIO(body)):
                body = settle(body, day)
            entry = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            entry.create_system = info.create_system
            dst.writestr(entry, body)
    return out.getvalue()
