"""The document properties a workbook or deck carries (File › Properties): the pack's, nothing else.

Left to themselves the libraries write themselves in: openpyxl names "openpyxl" as a workbook's
creator and "Microsoft Excel Compatible / Openpyxl 3.1.5" as its application, python-pptx names
"python-pptx" and "Steve Canny", both stamp the clock, and a `--template` deck brings its own
author, subject, keywords and company. `documented` gives the two parts every workbook and deck
carries instead, and `settled.settle` writes them into the file: core properties holding the pack's
title (`titles`), its author (the plan's owner in an internal account pack; nobody, an empty
author, in a client's or the portfolio's, so no reader fills in one of its own) and its day at
00:00:00 UTC as created and modified; and extended properties holding none (each is optional).
A file's properties are wherever its package's relationships say (`meta/c.xml` is as good a name as
`docProps/core.xml`), so `install` finds them by the kind of relationship, drops every one — core,
extended, custom, the thumbnail — and puts the pack's in their place.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import xml.etree.ElementTree as ET
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from kaplan.report._optional import clean

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
_PKG = "http://schemas.openxmlformats.org/package/2006/"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_KINDS = {CORE: (_PKG + "relationships/metadata/core-properties", "application/vnd.openxmlformats-package.core-properties+xml"),
          APP: (_OFFICE + "extended-properties", "application/vnd.openxmlformats-officedocument.extended-properties+xml")}
_DROPPED = {_PKG + "relationships/metadata/core-properties", _OFFICE + "extended-properties",
            _OFFICE + "custom-properties", _PKG + "relationships/metadata/thumbnail",
            "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"}
"""The package relationships to document properties (the core ones under both names files use) and
the thumbnail: none of the file's own is kept."""
_RELS, _TYPES = "_rels/.rels", "[Content_Types].xml"
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


def install(entries: dict[str, bytes], own: dict[str, bytes]) -> dict[str, bytes]:
    """`entries` (an Office file's parts by name, in order) with its document properties, found by
    the package's relationships, replaced by `own` (`documented`): the relationships and the content
    types say so, and no other properties part is left."""
    rels = package_xml(entries[_RELS])
    kept, gone = [], set()
    for rel in rels:
        if rel.get("Type") in _DROPPED:
            if rel.get("TargetMode") != "External":
                gone.add(posixpath.normpath("/" + unquote(rel.get("Target", ""))).lstrip("/").lower())
        else:
            kept.append(rel)
    ids = {rel.get("Id") for rel in kept}
    lines = [_rel(rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode")) for rel in kept]
    for n, name in enumerate(own, start=1):
        while f"rIdProps{n}" in ids:
            n += 1000
        ids.add(f"rIdProps{n}")
        lines.append(_rel(f"rIdProps{n}", _KINDS[name][0], name, None))
    gone |= {name.lower() for name in own}
    types = package_xml(entries[_TYPES])
    typed = [(el.tag.rsplit("}", 1)[-1], el.attrib) for el in types
             if not (el.tag.endswith("Override") and el.get("PartName", "").lstrip("/").lower() in gone)]
    typed += [("Override", {"PartName": "/" + name, "ContentType": _KINDS[name][1]}) for name in own]
    out = {}
    for name, body in entries.items():
        if name == _RELS:
            body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                    '"http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(lines)
                    + "</Relationships>").encode()
        elif name == _TYPES:
            body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
                    '"http://schemas.openxmlformats.org/package/2006/content-types">'
                    + "".join(f"<{tag}" + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
                              for tag, attrs in typed) + "</Types>").encode()
        elif name.lower() in gone:
            continue
        out[name] = body
    out.update(own)
    return out


def package_xml(data: bytes):
    """The root of a package's relationships or content types (as python-pptx or openpyxl wrote them)."""
    if b"<!DOCTYPE" in data.upper():
        raise ValueError("a package part declares a DOCTYPE")
    return ET.fromstring(data)


def _rel(rid: str, kind: str, target: str, mode: str | None) -> str:
    return (f"<Relationship Id={quoteattr(rid)} Type={quoteattr(kind)} Target={quoteattr(target)}"
            + (f" TargetMode={quoteattr(mode)}" if mode else "") + "/>")
