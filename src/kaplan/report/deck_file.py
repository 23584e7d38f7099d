"""Opening a company's `--template` deck: a file someone else made, read only once it is safe to read.

A template is a zip archive of XML parts, and what goes wrong with one must be a usage error naming
the file and what is wrong with it, never a traceback or a hang: `open_template` reads only a regular
file (`/dev/zero` or a named pipe is refused before a byte is read) of at most `MAX_BYTES`, refuses
an archive whose parts would cost more to unpack than a deck ever needs (`reading.archive`: a zip
bomb), whose XML would build trees of gigabytes (`MAX_XML_PART`, `MAX_XML`), or that holds two
parts of one name (readers would disagree on which is the deck) or relationships that are not a
plain list of relationships, each with an id of its own, and reads every XML part with the
one hardened parser (`office_xml`: no entities, no DOCTYPE, bounded depth)
before python-pptx opens it. It then reduces the deck to its look (`deck_template`) and checks that
python-pptx can follow its structure as slides are made on it (each master and layout is one and
holds a shape tree, its lists of masters and layouts name masters and layouts, its placeholders are
ones PowerPoint writes on them) and that the look can carry slides: a slide master with at least one
layout, and a slide size PowerPoint accepts. Any other error python-pptx raises on it is a refusal too.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kaplan.reading.archive import excess
from kaplan.reading.given import NotAFile, TooLarge, read_file
from kaplan.report._optional import FormatProblem
from kaplan.report.deck_template import keep_the_look
from kaplan.report.office_xml import UnsafeXml, parse
from kaplan.rounding import fixed

MAX_BYTES = 64 * 1024 * 1024
"""Largest template read (a company's deck template, pictures and fonts included, is a few MB)."""
MAX_XML_PART = 16 * 1024 * 1024
"""Most one XML part may unpack to (a master, layout or slide is tens of KB; a slide of large tables,
a few MB): lxml, and python-pptx after it, build a tree of several times its size."""
MAX_XML = 64 * 1024 * 1024
"""Most all XML parts together may unpack to (a template with a hundred sample slides holds some 20 MB)."""
MAX_PLACEHOLDERS = 100
"""Most placeholders a slide master or layout may hold (PowerPoint's and python-pptx's own hold 3 to
8): python-pptx copies each of a layout's onto every slide made on it, finding each copy's id by
reading every id of the slide, so their cost grows with their square (2,000 took half a minute)."""
MAX_SHAPES = 1_000
"""Most shapes a slide master or layout may hold, groups' and placeholders included (PowerPoint's own
hold 3 to 8; a designed master, tens): each is read, renamed and walked as the look is kept."""
MAX_ALL_SHAPES = 10_000
"""Most shapes all slide masters and layouts may hold together (python-pptx's deck: 63)."""
MAX_LAYOUTS = 200
"""Most slide layouts a deck may hold (PowerPoint's own: 11; a company's template, a few dozen):
every one is read to choose the layouts slides are made on."""
SLIDE_SIZE = (914_400, 51_206_400)
"""The slide sizes PowerPoint accepts, in EMU: 1 to 56 inches a side."""
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MASTER, _LAYOUT = _PML + "slideMaster+xml", _PML + "slideLayout+xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAX_IDX = 2**32 - 1
"""The largest placeholder index (an unsigned 32-bit integer)."""
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def open_template(path: Path):
    """The python-pptx Presentation of the deck at `path`, reduced to its look; FormatProblem (exit 2)
    naming the file and what is wrong with it when it cannot be one."""
    from pptx import Presentation

    def problem(what: str) -> FormatProblem:
        return FormatProblem(f"--template {path}: {what}")

    data = _read(path, problem)
    _screen(data, problem)
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises zipfile, KeyError or XML errors for a file that is no deck
        raise problem(f"not a PowerPoint deck (.pptx) that can be read ({type(exc).__name__})") from None
    try:
        _check_parts(prs, problem)
        keep_the_look(prs)
        _check_structure(prs, problem)
        _check_look(prs, problem)
    except FormatProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever else a hostile deck trips is a refusal, never a traceback
        raise problem(f"its parts do not make a deck ({type(exc).__name__}: {exc})") from None
    return prs


def _read(path: Path, problem) -> bytes:
    try:
        return read_file(path, MAX_BYTES)
    except FileNotFoundError:
        raise problem("no such file") from None
    except NotAFile:
        raise problem("not a file (a deck template is a .pptx file)") from None
    except TooLarge:
        raise problem(f"larger than {MAX_BYTES // 1048576} MiB (a deck template is a few MB)") from None
    except OSError as exc:
        raise problem(f"cannot be read ({exc.strerror or exc})") from None


def _screen(data: bytes, problem) -> None:
    """Refuse a template that would cost too much to open, is ambiguous, or holds an XML part that
    is not well-formed or declares a DOCTYPE; every XML part is parsed here, once, with the hardened
    parser, before python-pptx parses any."""
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise problem("not a PowerPoint deck (.pptx is a zip archive)") from None
    with archive:
        too_much = excess(archive, "deck")
        if too_much:
            raise problem(too_much)
        names: set[str] = set()
        for info in archive.infolist():
            if info.filename.lower() in names:
                raise problem(f"it holds two parts named {info.filename}")
            names.add(info.filename.lower())
        xml_types = _xml_part_names(archive, problem)
        xml = [info for info in archive.infolist()
               if info.filename.lower().endswith((".xml", ".rels")) or info.filename.lower() in xml_types]
        for info in xml:
            if info.file_size > MAX_XML_PART:
                raise problem(f"its part {info.filename} unpacks to {fixed(info.file_size / 1048576, 1, grouped=True)} MiB of XML, more "
                              f"than the {MAX_XML_PART // 1048576} MiB a part of a deck needs")
        if sum(info.file_size for info in xml) > MAX_XML:
            raise problem(f"its XML parts unpack to more than {MAX_XML // 1048576} MiB together (a deck template "
                          "holds a few MB)")
        for info in xml:
            name = info.filename
            try:
                root = parse(archive.read(info))
            except UnsafeXml as exc:
                raise problem(f"its part {name}: {exc}: refused") from None
            except etree.XMLSyntaxError as exc:
                raise problem(f"its part {name} is not well-formed XML ({exc})") from None
            except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
                raise problem(f"its part {name} cannot be unpacked ({exc})") from None
            if name.lower().endswith(".rels"):
                _check_rels(name, root, problem)


def _xml_part_names(archive: zipfile.ZipFile, problem) -> set[str]:
    """The names (lower case) of the parts whose content type says XML, whatever their names end with."""
    from lxml import etree

    try:
        types = parse(archive.read("[Content_Types].xml"))
    except KeyError:
        raise problem("not a PowerPoint deck (it has no [Content_Types].xml)") from None
    except UnsafeXml as exc:
        raise problem(f"its part [Content_Types].xml: {exc}: refused") from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise problem(f"its part [Content_Types].xml cannot be read ({exc})") from None
    xml_ext = {el.get("Extension", "").lower() for el in types.iter(_CT + "Default")
               if el.get("ContentType", "").endswith("xml")}
    named = {el.get("PartName", "").lstrip("/").lower() for el in types.iter(_CT + "Override")
             if el.get("ContentType", "").endswith("xml")}
    return named | {info.filename.lower() for info in archive.infolist()
                    if info.filename.rsplit(".", 1)[-1].lower() in xml_ext}


def _check_look(prs, problem) -> None:
    """Refuse a look that cannot carry slides."""
    if not len(prs.slide_masters):
        raise problem("it has no slide master (save it from PowerPoint as a .pptx, or choose another deck)")
    if not len(prs.slide_masters[0].slide_layouts):
        raise problem("its slide master has no layouts (a slide is made on a layout)")
    size = prs.part._element.find(_P + "sldSz")
    if size is None:
        raise problem("it has no slide size")
    for side in ("cx", "cy"):
        value = size.get(side, "")
        if not (value.isascii() and value.isdigit() and SLIDE_SIZE[0] <= int(value) <= SLIDE_SIZE[1]):
            raise problem(f"its slide size {side}={value!r} is not a whole number of EMU from {SLIDE_SIZE[0]:,} to "
                          f"{SLIDE_SIZE[1]:,} (1 to 56 inches)")


def _check_rels(name: str, root, problem) -> None:
    """Refuse a relationships part that is not a list of relationships, each with an id of its own,
    a kind and a target: readers would disagree on what an id, or the part, leads to."""
    if root.tag != _PR + "Relationships":
        raise problem(f"its part {name} is not a list of relationships")
    ids: set[str] = set()
    for rel in root:
        if not isinstance(rel.tag, str):  # a comment
            continue
        if rel.tag != _PR + "Relationship" or not all(rel.get(key) for key in ("Id", "Type", "Target")):
            raise problem(f"its part {name} holds {_tag(rel)}, not a relationship with an Id, a Type and a Target")
        if rel.get("Id") in ids:
            raise problem(f"its part {name} gives two relationships the id {rel.get('Id')}")
        ids.add(rel.get("Id"))


_ROOTS = {_MASTER: (_P + "sldMaster", "slide master"), _LAYOUT: (_P + "sldLayout", "layout")}
_PH = (_P + "ph",)
_SHAPES = (*(_P + name for name in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp", "contentPart")),
           *(_A + name for name in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp")))  # a locked canvas's too
_ON_SLIDES = frozenset({"title", "body", "ctrTitle", "subTitle", "dt", "sldNum", "ftr", "hdr", "obj", "chart",
                        "tbl", "clipArt", "dgm", "media", "pic"})
"""The placeholder types a slide master or layout holds (a slide image is a notes page's only)."""


def _check_parts(prs, problem) -> None:
    """Refuse a deck of more layouts, or a master or layout of more placeholders or shapes, than would
    be cheap to open (`MAX_LAYOUTS`, `MAX_PLACEHOLDERS`, `MAX_SHAPES`, `MAX_ALL_SHAPES`); a slide master or layout
    whose part is not one (its root element of another kind), or
    that has no common slide data (`<p:cSld>`) holding a shape tree (`<p:spTree>`): python-pptx
    reads both of every layout and master as it makes a slide."""
    layouts = shapes = 0
    for part in prs.part.package.iter_parts():
        if part.content_type not in _ROOTS:
            continue
        root, what = _ROOTS[part.content_type]
        layouts += part.content_type == _LAYOUT
        if layouts > MAX_LAYOUTS:
            raise problem(f"it holds more than {MAX_LAYOUTS:,} layouts, which would cost too much to open "
                          "(PowerPoint's own deck holds 11)")
        element = part._element
        for kind, tags, most in (("placeholders", _PH, MAX_PLACEHOLDERS), ("shapes", _SHAPES, MAX_SHAPES)):
            count = sum(1 for _ in element.iter(*tags))
            if count > most:
                raise problem(f"its {what} {part.partname} holds {count:,} {kind}, which would cost too much to "
                              f"open (at most {most:,}; PowerPoint's own hold 3 to 8)")
        shapes += count
        if shapes > MAX_ALL_SHAPES:
            raise problem(f"its slide masters and layouts hold more than {MAX_ALL_SHAPES:,} shapes together, which "
                          "would cost too much to open (python-pptx's own deck holds 63)")
        if element.tag != root:
            raise problem(f"its {what} {part.partname} is {_tag(element)}, not {_tag_of(root)}")
        c_sld = element.find(_P + "cSld")
        if c_sld is None or c_sld.find(_P + "spTree") is None:
            raise problem(f"its {what} {part.partname} has no " + ("<cSld>" if c_sld is None else "<spTree> in its <cSld>")
                          + " (the shapes a slide is made of)")


def _check_structure(prs, problem) -> None:
    """Refuse a look whose structure python-pptx cannot follow as a deck is built: a list of masters
    or of layouts naming a relationship of another kind, a placeholder whose type, index, orientation
    or size is not one PowerPoint writes."""
    _lists_only(prs.part, _P + "sldMasterId", _RT + "slideMaster", "its list of slide masters", problem)
    for n, master in enumerate(prs.slide_masters, start=1):
        _lists_only(master.part, _P + "sldLayoutId", _RT + "slideLayout",
                    f"the list of layouts of its slide master {n}", problem)
        for owner in (master, *master.slide_layouts):
            for ph in owner.part._element.iter(_P + "ph"):
                try:
                    for key in ("type", "idx", "orient", "sz"):
                        value = getattr(ph, key)  # python-pptx's reading of it, as a slide made on it reads it
                        if key == "idx" and not 0 <= value <= _MAX_IDX:  # read unchecked, checked when written
                            raise ValueError(value)
                        if key == "type" and ph.get("type", "obj") not in _ON_SLIDES:
                            raise ValueError(value)
                except (ValueError, TypeError, KeyError):
                    raise problem(f"a placeholder of its {'layout' if owner is not master else 'master'} "
                                  f"{owner.name!r} has {key}={ph.get(key)!r}, which PowerPoint does not write"
                                  + (" on a slide master or layout" if key == "type" else "")) from None


def _lists_only(part, tag: str, kind: str, where: str, problem) -> None:
    """Refuse `part`'s list of `tag` naming a relationship that is not of `kind`."""
    for el in part._element.iter(tag):
        rid = el.get(_RID)
        rel = part.rels.get(rid) if rid else None
        if rel is None or rel.reltype != kind:
            what = "nothing" if rel is None else f"its {rel.reltype.rsplit('/', 1)[-1]}"  # ids are kaplan's by now
            raise problem(f"{where} names {what}, which is not a {kind.rsplit('/', 1)[-1]} of the deck")


def _tag(el) -> str:
    return _tag_of(el.tag) if isinstance(el.tag, str) else "<?>"


def _tag_of(tag: str) -> str:
    return f"<{tag.rsplit('}', 1)[-1]}>"
