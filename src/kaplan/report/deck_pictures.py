"""The pictures a deck takes from its `--template`: what they show, without what they carry besides.

A company's logo on its slide master is a file with a life of its own: a JPEG carries its camera,
author, software and a thumbnail (EXIF), its editing history (XMP, Photoshop's IPTC) and comments; a
PNG carries text chunks of any length; either can have anything appended after its last byte, a
whole archive included, and a part declared `image/png` need not be a picture at all. An SVG is a
document that can fetch from the network when it is drawn.

`plain` gives a picture's bytes as a deck may keep them: a PNG with only the chunks that draw it
(its pixels, palette, transparency and colour space), a JPEG with only the segments that decode it
(its JFIF header without thumbnail, colour profile, Adobe colour transform, tables and scans), each
ending at its own last byte; a GIF, BMP, TIFF, EMF, WMF or HD Photo picture as it is, when it starts
as one does. None when the bytes are not the picture of the kind declared, or the kind is not one a
deck keeps: the picture is then dropped with the shape that showed it.
"""

from __future__ import annotations

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_DRAWN = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
                        b"pHYs", b"cICP", b"acTL", b"fcTL", b"fdAT"})
"""The PNG chunks that decide what a picture shows (APNG's frames among them); text, time, EXIF and
private chunks are not among them."""
_DECODING = frozenset({*range(0xC0, 0xC8), *range(0xC9, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF})
"""The JPEG segments that decode it: frame headers (SOF0–15), Huffman and arithmetic tables (DHT,
DAC), quantisation tables (DQT), scan headers (SOS), the number of lines, restart interval and
hierarchical progression (DNL, DRI, DHP, EXP). Application segments, comments and the markers the
standard reserves (JPG, JPGn, RES: any bytes at all) are none of them."""
_AS_THEY_ARE = {
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/bmp": (b"BM",), "image/x-bmp": (b"BM",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
    "image/x-wmf": (b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00"),
    "image/vnd.ms-photo": (b"II\xbc",),
}
"""Kinds kept as they are, by how their bytes start."""


def plain(blob: bytes, content_type: str) -> bytes | None:
    """`blob`, a picture declared `content_type`, as a deck keeps it; None if it is not one (see the module)."""
    kind = content_type.lower()
    if kind == "image/png":
        return _png(blob)
    if kind in ("image/jpeg", "image/jpg"):
        return _jpeg(blob)
    if kind in ("image/x-emf", "image/emf"):
        return blob if blob[:4] == b"\x01\x00\x00\x00" and blob[40:44] == b" EMF" else None
    if kind == "image/wmf":
        kind = "image/x-wmf"
    return blob if blob.startswith(_AS_THEY_ARE.get(kind, ())) and kind in _AS_THEY_ARE else None


def _png(blob: bytes) -> bytes | None:
    if not blob.startswith(_PNG):
        return None
    out, pos = [_PNG], len(_PNG)
    while pos + 12 <= len(blob):
        length, kind = int.from_bytes(blob[pos:pos + 4], "big"), blob[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(blob):
            return None
        if kind in _PNG_DRAWN:
            out.append(blob[pos:end])
        elif kind[:1].isupper():  # a critical chunk no decoder knows: not a picture anyone can show
            return None
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    return None


def _jpeg(blob: bytes) -> bytes | None:
    """A JPEG's markers walked to its end (EOI): headers kept or left out segment by segment, the
    entropy-coded data after each scan header copied as it is."""
    if not blob.startswith(b"\xff\xd8"):
        return None
    out, pos, n = [b"\xff\xd8"], 2, len(blob)
    while True:
        if pos >= n or blob[pos] != 0xFF:
            return None
        while pos < n and blob[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            return None
        marker = blob[pos]
        pos += 1
        if marker == 0xD9:  # the end of the image: nothing after it is kept
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > n:
            return None
        length = int.from_bytes(blob[pos:pos + 2], "big")
        end = pos + length
        if length < 2 or end > n:
            return None
        body = blob[pos + 2:end]
        if marker == 0xE0 and body.startswith(b"JFIF\x00") and len(body) >= 14:
            out.append(b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00")  # the JFIF header without its thumbnail
        elif marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00") or marker == 0xEE and body.startswith(b"Adobe"):
            out.append(bytes((0xFF, marker)) + blob[pos:end])  # the colour profile, Adobe's colour transform
        elif marker in _DECODING:
            out.append(bytes((0xFF, marker)) + blob[pos:end])
        pos = end
        if marker == 0xDA:  # a scan: its coded data runs to the next marker that is not a stuffed 0xFF or a restart
            start = pos
            while True:
                at = blob.find(b"\xff", pos)
                if at < 0 or at + 1 >= n:
                    return None
                following = blob[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos = at + 2
                    continue
                break
            out.append(blob[start:at])
            pos = at
