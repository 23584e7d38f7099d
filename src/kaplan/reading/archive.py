"""What an Office file (a zip archive: a CRM's workbook, a company's deck template) may cost to open.

A library that opens such a file unpacks its parts into memory, and a zip entry of 400 KB can
unpack to 400 MB (a zip bomb). `excess` says, from the archive's directory alone and before any
part is unpacked, whether its parts would cost more than a file of its kind ever needs: `kaplan
import` refuses such a workbook, and `report --template` such a deck.
"""

from __future__ import annotations

import zipfile

MAX_UNPACKED = 256 * 1024 * 1024
"""Most bytes an archive's parts may hold unpacked, summed (what their zip entries declare; a zip
entry yields no more than it declares)."""
MAX_RATIO = 100
"""Most a part may be compressed (unpacked ÷ packed) once it is over 1 MiB: Office XML compresses
5–20 times, pictures hardly at all; a zip bomb, thousands."""
MAX_PARTS = 10_000
"""Most entries an archive may hold (a large deck or workbook holds a few hundred)."""


def excess(archive: zipfile.ZipFile, what: str = "file") -> str | None:
    """What makes `archive` cost more to open than a `what` (workbook, deck) ever needs; None if nothing."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        return f"the {what} holds {len(parts):,} parts, more than {MAX_PARTS:,}"
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED:
        return f"the {what} unpacks to more than {MAX_UNPACKED // 1048576} MiB ({total // 1048576:,} MiB)"
    for p in parts:
        if p.file_size > 1048576 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            return (f"the {what}'s part {p.filename} is compressed {p.file_size // max(p.compress_size, 1):,} "
                    f"times, more than {MAX_RATIO} (an Office file's parts are 5 to 20 times; a zip bomb's, thousands)")
    return None
