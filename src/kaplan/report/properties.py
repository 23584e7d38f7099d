"""The document properties a workbook or deck carries (File › Properties): the pack's, nothing else.

Left to themselves the libraries write themselves in: openpyxl names "openpyxl" as a workbook's
creator and "Microsoft Excel Compatible / Openpyxl 3.1.5" as its application, python-pptx names
"python-pptx" and "Steve Canny", both stamp the clock, and a `--template` deck brings its own
author, subject, keywords and company. `documented` gives the two parts every workbook and deck
carries instead, and `settled.settle` writes them into the file: core properties holding the pack's
title (`titles`), its author (the plan's owner in an internal account pack; nobody, an empty
author, in a client's or the portfolio's, so no reader fills in one of its own) and its day at
00:00:00 UTC as created and modified; and extended properties holding none (each is optional).
"""

from __future__ import annotations

import datetime as _dt
from xml.sax.saxutils import escape

from kaplan.report._optional import clean

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
_APP = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>')


def documented(title: str, author: str, day: _dt.date) -> dict[str, bytes]:
    """The document property parts of a file made for a pack: {part name: bytes}."""
    title, author = escape(clean(title)), escape(clean(author))
    stamp = f"{day.isoformat()}T00:00:00Z"
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>'
            f'<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    return {CORE: core.encode("utf-8"), APP: _APP}
