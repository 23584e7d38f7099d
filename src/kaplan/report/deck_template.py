"""What a deck takes from the deck it is built on (`--template company.pptx`): its look, nothing else.

A company's deck holds far more than its slide master, layouts and theme: its own slides with their
notes and comments, who commented (`commentAuthors.xml`), custom XML data stores (`customXml/`),
tags that add-ins hang on the deck, its master and its layouts (`ppt/tags/`), the printer it was
last printed on, the names of its sections and custom shows, a password to modify, a macro project,
a digital signature, the picture of its first slide, its document properties, and in its layouts'
placeholders prompt texts of its own ("CONFIDENTIAL – internal pricing"). Its master can hide
shapes, alternative text, XML comments and extensions, and refer to pictures and links outside the
file (a reader fetches `https://…` or `file://///host/share/…` when it shows the slide, and hands
that host the reader's Windows credentials). Every deck made from it, a client's included, would
carry them all.

`keep_the_look` reduces a deck opened with python-pptx to what slides are drawn on: the
presentation, the slide masters it lists, the layouts each master lists, their theme, the pictures
and embedded fonts they show, its table styles and empty presentation and view properties. A part
is kept only through a relationship of a kind its own kind may have (`KEPT`), to a part of the
content type that kind of relationship leads to (`LEADS_TO`), inside the file, and named where such
a part is used (a master in the presentation's list of masters, a layout in its master's list, a
picture or a font by an element of the part; a picture only when it is one, made plain by
`deck_pictures`); anything else — a slide smuggled in as a layout, a data store as a theme, a
picture nothing shows — is dropped, and every element that referred to
what was dropped goes with it (a master's shape holding an embedded object loses the shape, a
background its picture, a text its link), as do the elements that only name what is gone (custom
data, custom shows, sections; an embedded font none of whose files is kept). What the eye does not
see is taken out of every part kept: hidden shapes (a locked canvas's too), alternative text,
hyperlinks and their tooltips, comments, processing instructions and extensions (`extLst`), the
choices of alternative content (its fallback stays), whatever is in a namespace that is not the
standard's (`_KNOWN`), ignorable or not, text outside the elements that hold it, and presentation.xml's
settings that are not the look; shapes are renamed by their kind and number, relationships `rId1`…
and the lists of masters and layouts numbered anew, so no id of the template's is written. The text of the master's and
layouts' placeholders is emptied: it is the prompt PowerPoint shows in an empty placeholder, and
`empty_placeholders` takes every placeholder a slide left empty off it. Layout, master and theme
names stay: they are what a user picks a layout by. Every part kept is renamed as kaplan names
its own (`ppt/media/image1.png`), so no name of the template's is written. python-pptx then writes
only the parts still reached, each with its content type, so the package stays whole; `settled` writes the pack's own
document properties.
"""

from __future__ import annotations

from kaplan.report.deck_pictures import plain
from kaplan.report.office_xml import parse

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = _R + "/"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_STANDARD = "http://schemas.openxmlformats.org/"
"""Where the standard's own namespaces are: never ignorable, whatever a part declares."""
_KNOWN = ("http://schemas.openxmlformats.org/drawingml/2006/", "http://schemas.openxmlformats.org/presentationml/2006/main",
          _R)
"""The namespaces kept (DrawingML's, PresentationML's, relationship ids; of XML's own, `xml:space`): an
element or attribute of any other, a Microsoft extension's or one made up (`urn:…`), is read by no
reader of the standard and goes."""
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_WITH_TEXT = frozenset({_A + "t", _A + "tableStyleId", _P + "attrName"})
"""The elements whose text is content (a run's words, a table's style, an animated attribute); any
other text in a part, or between elements, is none of the look."""
_IN_A_TREE = frozenset(_P + name for name in ("nvGrpSpPr", "grpSpPr", "sp", "grpSp", "graphicFrame", "cxnSp", "pic",
                                              "contentPart"))
"""What a shape tree or group holds: its own properties and its shapes; anything else in one is none
of the standard's and shows nowhere."""
_PRESENTATION_KEPT = frozenset(_P + name for name in ("sldMasterIdLst", "sldIdLst", "sldSz", "notesSz",
                                                      "embeddedFontLst", "defaultTextStyle"))
"""What presentation.xml keeps: its masters and slides, sizes, fonts and default text; of its other
settings (`kinsoku`, photo album, …) none."""
_PRESENTATION_ATTRS = frozenset({"firstSlideNum", "showSpecialPlsOnTitleSld", "rtl", "embedTrueTypeFonts",
                                 "saveSubsetFonts"})
_NOTES_SIZE = {"cx": "6858000", "cy": "9144000"}
"""A notes page's size, as PowerPoint's own (the template's notes are dropped)."""
_FIRST_ID = 2**31
"""The first id of a master or layout in the lists that name them (PowerPoint's own numbering)."""
_LOCKED_CANVAS = "{http://schemas.openxmlformats.org/drawingml/2006/lockedCanvas}lockedCanvas"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MAIN = _PML + "presentation.main+xml"
_MASTER, _LAYOUT = _PML + "slideMaster+xml", _PML + "slideLayout+xml"
_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
_TABLE_STYLES = _PML + "tableStyles+xml"
_PICTURES = (_RELS + "image", "http://schemas.microsoft.com/office/2007/relationships/hdphoto")
_FONTS = frozenset({"application/x-fontdata", "application/x-font-ttf", "application/x-font-otf",
                    "application/vnd.openxmlformats-officedocument.obfuscatedFont", "font/ttf", "font/otf",
                    "application/font-sfnt"})
_MACRO_MAINS = ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",)

KEPT: dict[str, frozenset[str]] = {
    _MAIN: frozenset(_RELS + kind for kind in ("slideMaster", "theme", "presProps", "viewProps", "tableStyles",
                                                "font")),
    _MASTER: frozenset({_RELS + "slideLayout", _RELS + "theme", *_PICTURES}),
    _LAYOUT: frozenset({_RELS + "slideMaster", *_PICTURES}),
    _THEME: frozenset(_PICTURES),
}
"""The relationships each kind of part keeps, by its content type; a part of any other kind keeps none,
and the package itself none but the one to the presentation (`settled` adds the pack's properties)."""
LEADS_TO: dict[str, frozenset[str]] = {
    _RELS + "slideMaster": frozenset({_MASTER}),
    _RELS + "slideLayout": frozenset({_LAYOUT}),
    _RELS + "theme": frozenset({_THEME}),
    _RELS + "presProps": frozenset({_PML + "presProps+xml"}),
    _RELS + "viewProps": frozenset({_PML + "viewProps+xml"}),
    _RELS + "tableStyles": frozenset({_TABLE_STYLES}),
    _RELS + "font": _FONTS,
}
"""The content types each kept kind of relationship may lead to (a picture's: any `image/…`)."""
_ONE_EACH = frozenset(_RELS + kind for kind in ("theme", "presProps", "viewProps", "tableStyles", "slideMaster"))
"""Kinds a part refers to by having the relationship, not by naming it: one of each is kept (a
layout's master is the master that lists it)."""
_LISTED = {(_MAIN, _RELS + "slideMaster"): _P + "sldMasterId", (_MASTER, _RELS + "slideLayout"): _P + "sldLayoutId",
           (_MAIN, _RELS + "font"): None}
"""Kinds a part must name in its list of them (a presentation's masters, a master's layouts, the
presentation's embedded fonts, named anywhere in its font list: None)."""

_EMPTY = {
    _PML + "presProps+xml": b"presentationPr",  # printing, the custom show to run, recent colours
    _PML + "viewProps+xml": b"viewPr",  # the view, zoom and slide it was last left at
}
"""Parts kept but emptied (all their content is optional): the template's settings, not its look."""
_SHAPES = {_P + name for name in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp", "contentPart")}
_SHAPE_KIND = {_P + "sp": "Shape", _P + "pic": "Picture", _P + "graphicFrame": "Frame", _P + "cxnSp": "Connector",
               _P + "grpSp": "Group", _P + "contentPart": "Ink"}
_CANVAS_SHAPES = {_A + name for name in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp")}
"""The shapes of a locked canvas (a drawing kept whole in a frame), named and hidden as a slide's are."""
_SHAPE_KIND.update({_A + tag.rsplit("}", 1)[-1]: _SHAPE_KIND[_P + tag.rsplit("}", 1)[-1]] for tag in _CANVAS_SHAPES})
_HOLDERS = _SHAPES | _CANVAS_SHAPES | {_P + "bg", _P + "sndAc"}
"""What goes whole when something in it refers to a part that is gone: a shape, a slide's background,
a transition's sound."""
_LINKS = {_A + name for name in ("hlinkClick", "hlinkHover", "hlinkMouseOver", "snd")}
_NAMES = {_MAIN: "/ppt/presentation.xml", _MASTER: "/ppt/slideMasters/slideMaster%d.xml",
          _LAYOUT: "/ppt/slideLayouts/slideLayout%d.xml", _THEME: "/ppt/theme/theme%d.xml",
          _TABLE_STYLES: "/ppt/tableStyles.xml", _PML + "presProps+xml": "/ppt/presProps.xml",
          _PML + "viewProps+xml": "/ppt/viewProps.xml"}
"""The name each kind of part kept is written under (as python-pptx names its own)."""
_PICTURE_NAMES = {kind: f"/ppt/media/image%d.{ext}" for kind, ext in (
    ("image/png", "png"), ("image/jpeg", "jpeg"), ("image/jpg", "jpeg"), ("image/gif", "gif"), ("image/bmp", "bmp"),
    ("image/x-bmp", "bmp"), ("image/tiff", "tiff"), ("image/x-emf", "emf"), ("image/emf", "emf"),
    ("image/x-wmf", "wmf"), ("image/wmf", "wmf"), ("image/vnd.ms-photo", "wdp"))}
"""A picture's name by its kind (`deck_pictures` keeps no other)."""
_FONT_EXTENSIONS = {"application/vnd.openxmlformats-officedocument.obfuscatedFont": ".odttf",
                    "application/x-font-ttf": ".ttf", "font/ttf": ".ttf", "application/font-sfnt": ".ttf",
                    "application/x-font-otf": ".otf", "font/otf": ".otf"}
_HIDDEN_TEXT = ("descr", "title")
"""Attributes of a shape's properties (`cNvPr`) that show nowhere on a slide: its alternative text."""


def keep_the_look(prs) -> None:
    """Reduce `prs` (a python-pptx Presentation just opened) to its look: see the module's docstring."""
    for sld in list(prs.slides._sldIdLst):  # the template's own slides
        prs.slides._sldIdLst.remove(sld)
    package = prs.part.package
    _drop(package._rels, {rid for rid, rel in package._rels.items()
                          if rel.is_external or rel.reltype != _RELS + "officeDocument"})
    masters: list = []  # each master kept, in order
    ids: list = []  # the entries of the lists of masters and layouts, numbered in turn
    themes: set[int] = set()  # the themes of the masters kept
    seen, todo = set(), [(prs.part, None)]
    while todo:
        part, parent = todo.pop(0)
        if id(part) in seen:
            continue
        seen.add(id(part))
        ctype = _plain(part)
        element = _element(part)
        dropped = _reduce_rels(part, ctype, element, parent)
        if ctype in _EMPTY:
            part._blob = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:' + _EMPTY[ctype]
                          + b' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="' + _R.encode()
                          + b'" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')
        elif element is not None:  # what names a relationship dropped, or one it never had, goes
            _tidy(element, dropped | (_named(element) - set(part.rels)), ctype)
            named = _named(element)  # once a part: a master of 2,000 pictures named it 2,000 times
            _drop(part.rels, {rid for rid, rel in part.rels.items() if rel.reltype in _PICTURES and rid not in named})
            _renumber(part.rels, element)
            for listed in element.iter(_P + "sldMasterId", _P + "sldLayoutId"):
                listed.set("id", str(_FIRST_ID + len(ids)))
                ids.append(listed)
            if not hasattr(part, "_element"):  # an XML part python-pptx keeps as bytes (a theme, table styles)
                from lxml import etree

                part._blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
        if ctype == _MASTER:
            masters.append(part)
            themes.update(id(rel.target_part) for rel in part.rels.values() if rel.reltype == _RELS + "theme")
        todo.extend((rel.target_part, part) for rel in part.rels.values()
                    if not (ctype == _LAYOUT and rel.reltype == _RELS + "slideMaster"))
    # the presentation's theme is its first master's, or none
    _drop(prs.part.rels, {rid for rid, rel in prs.part.rels.items()
                          if rel.reltype == _RELS + "theme" and id(rel.target_part) not in themes})
    _renumber(package._rels, None)
    _name_as_kaplan(package)


def _renumber(rels, element) -> None:
    """Give `rels` the ids rId1, rId2… in turn, and the elements of `element` that name them the same:
    a template's own ids (`Id="price-floor-41k"`) are not written."""
    from lxml import etree

    new = {old: f"rId{n}" for n, old in enumerate(rels, start=1)}
    kept = dict(rels._rels)
    rels._rels.clear()
    for old, rel in kept.items():
        rel._rId = new[old]
        rel.__dict__.pop("rId", None)  # python-pptx's cached copy of it
        rels._rels[new[old]] = rel
    for el in element.iter(etree.Element) if element is not None else ():
        for key, value in el.attrib.items():
            if key.startswith("{" + _R + "}") and value in new:
                el.set(key, new[value])


def _name_as_kaplan(package) -> None:
    """Give every part kept a name of kaplan's own, by its kind (`_NAMES`): no name of the template's
    is written, so none can be a package part's (`_rels/.rels`, `[Content_Types].xml`, a part's
    relationships), differ only in case from a part python-pptx adds (`PPT/SLIDES/SLIDE1.XML`), or
    lie outside `ppt/`. A part of a kind the look does not keep is a fault here, never written."""
    from pptx.opc.packuri import PackURI

    counts: dict[str, int] = {}
    for part in list(package.iter_parts()):
        ctype = part.content_type
        name = _NAMES.get(ctype) or (_PICTURE_NAMES.get(ctype.lower()) if ctype.lower().startswith("image/") else None)
        if name is None and ctype in _FONTS:
            name = "/ppt/fonts/font%d" + _FONT_EXTENSIONS.get(ctype, ".fntdata")
        if name is None:
            raise ValueError(f"the look kept a part of the kind {ctype} ({part.partname})")
        counts[name] = counts.get(name, 0) + 1
        part.partname = PackURI(name % counts[name] if "%d" in name else name)
        part.rels._base_uri = part.partname.baseURI  # the relationships it makes from now on
        for rel in part.rels.values():  # and those it has: their targets are named from its folder
            rel._base_uri = part.partname.baseURI


def empty_placeholders(slide) -> None:
    """Take off `slide` each placeholder left without text (PowerPoint would show a prompt in it)."""
    for ph in list(slide.placeholders):
        if not (ph.has_text_frame and ph.text_frame.text.strip()):
            ph._element.getparent().remove(ph._element)


def _plain(part) -> str:
    """`part`'s content type; a macro-enabled deck's presentation made a plain one (without its macros)."""
    ctype = part.content_type
    if ctype in _MACRO_MAINS:
        ctype = part._content_type = _MAIN
        part.__dict__.pop("content_type", None)  # python-pptx's cached copy of it
    return ctype


def _element(part):
    """`part`'s XML root: python-pptx's own, or (a theme, table styles) its bytes parsed; None for a
    part that is not XML (a picture, a font) or is emptied."""
    if hasattr(part, "_element"):
        return part._element
    if part.content_type in (_THEME, _TABLE_STYLES):
        return parse(part.blob)
    return None


def _reduce_rels(part, ctype: str, element, parent) -> set[str]:
    """Drop from `part` every relationship it may not keep (see the module's docstring); the ids dropped."""
    kinds = KEPT.get(ctype, frozenset())
    listed = {kind: _listed_ids(element, tag) for (owner, kind), tag in _LISTED.items() if owner == ctype}
    dropped, one_each = set(), set()
    for rid, rel in list(part.rels.items()):
        keep = not rel.is_external and rel.reltype in kinds and _leads_where_it_should(rel)
        if keep and rel.reltype in listed:
            keep = rid in listed[rel.reltype]
        if keep and ctype == _LAYOUT and rel.reltype == _RELS + "slideMaster":
            keep = rel.target_part is parent
        if keep and rel.reltype in _ONE_EACH:
            keep = rel.reltype not in one_each
            one_each.add(rel.reltype)
        if keep and ctype == _MASTER and rel.reltype == _RELS + "slideLayout":
            keep = any(r.reltype == _RELS + "slideMaster" and not r.is_external and r.target_part is part
                       for r in rel.target_part.rels.values())  # a layout of another master is not this one's
        if not keep:
            dropped.add(rid)
    _drop(part.rels, dropped)
    return dropped


def _leads_where_it_should(rel) -> bool:
    ctype = rel.target_part.content_type
    if rel.reltype in _PICTURES:
        return _picture(rel.target_part)
    return ctype in LEADS_TO.get(rel.reltype, ()) or (rel.reltype == _RELS + "officeDocument")


def _picture(part) -> bool:
    """Whether `part` is a picture a deck keeps; if so, its bytes are made plain (`deck_pictures`)."""
    if not getattr(part, "_kaplan_plain", False):
        blob = plain(part.blob, part.content_type)
        if blob is None:
            return False
        part._blob, part._kaplan_plain = blob, True
    return True


def _listed_ids(element, tag: str | None) -> set[str]:
    """The relationship ids `element` names in its list of `tag` (None: its embedded font list)."""
    if element is None:
        return set()
    if tag is None:
        lists = element.findall(_P + "embeddedFontLst")
        return {v for lst in lists for el in lst.iter() for k, v in el.attrib.items() if k.startswith("{" + _R + "}")}
    return {el.get(f"{{{_R}}}id") for el in element.iter(tag)}


def _named(element) -> set[str]:
    """Every relationship id an element of `element` names."""
    return {v for el in element.iter() for k, v in el.attrib.items() if k.startswith("{" + _R + "}")}


def _drop(rels, rids) -> None:
    for rid in rids:
        rels.pop(rid)


def _tidy(root, dropped: set[str], ctype: str) -> None:
    """Take out of a part's XML what refers to a dropped relationship, what names what is gone, what
    does not show, and (a master's or layout's) its placeholders' prompt text."""
    from lxml import etree

    if ctype == _MAIN:
        for el in list(root):
            if el.tag not in _PRESENTATION_KEPT:
                root.remove(el)
        for key in [k for k in root.attrib if k not in _PRESENTATION_ATTRS]:
            del root.attrib[key]
        for size in root.findall(_P + "notesSz"):
            size.attrib.clear()
            size.attrib.update(_NOTES_SIZE)
        _once(root, _P + "sldMasterIdLst")
    if ctype == _MASTER:
        _once(root, _P + "sldLayoutIdLst")
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove_keeping_tail(el)
    _compatible(root)
    for el in list(root.iter(_P + "custDataLst", _P + "extLst", _A + "extLst", *_LINKS)):
        _remove(el, root)
    for pr in list(root.iter(_P + "cNvPr", _A + "cNvPr")):
        if pr.get("hidden", "").strip() in ("1", "true"):  # an XML boolean: padding is allowed
            holder = pr.getparent().getparent()
            if holder.tag in _HOLDERS or holder.tag == _LOCKED_CANVAS:
                _take_out(holder, root)
        pr.attrib.pop("hidden", None)
    for pr in root.iter(_P + "cNvPr", _A + "cNvPr"):
        for name in _HIDDEN_TEXT:
            pr.attrib.pop(name, None)
        holder = pr.getparent().getparent()
        pr.set("name", f"{_SHAPE_KIND[holder.tag]} {pr.get('id', '')}".strip() if holder.tag in _SHAPE_KIND else "")
    referring = [el for el in root.iter()
                 if any(k.startswith("{" + _R + "}") and v in dropped for k, v in el.attrib.items())]
    for el in referring:
        gone = [k for k, v in el.attrib.items() if k.startswith("{" + _R + "}") and v in dropped]
        if len(gone) < sum(k.startswith("{" + _R + "}") for k in el.attrib):  # a picture embedded and linked:
            for k in gone:  # it keeps what it embeds
                del el.attrib[k]
        else:
            _take_out(el, root)
    if ctype == _MAIN:  # a font none of whose faces is kept goes with its name
        for font in list(root.iter(_P + "embeddedFont")):
            if not any(k.startswith("{" + _R + "}") for el in font.iter() for k in el.attrib):
                font.getparent().remove(font)
        for fonts in list(root.iter(_P + "embeddedFontLst")):
            if not len(fonts):
                fonts.getparent().remove(fonts)
    if ctype in (_MASTER, _LAYOUT):
        for ph in root.iter(_P + "ph"):
            ph.attrib.pop("hasCustomPrompt", None)
            shape = next((a for a in ph.iterancestors() if a.tag in _SHAPES), None)
            for t in shape.iter(_A + "t") if shape is not None else ():
                t.text = ""


def _compatible(root) -> None:
    """Keep of `root` what a reader that knows only the standard reads: of each alternative content
    its fallback, in its place, and none of its choices (a choice can hold anything, for a reader
    that understands it); nothing of a namespace declared ignorable (`mc:Ignorable`)."""
    from lxml import etree

    ignorable: set[str] = set()
    for el in root.iter(etree.Element):
        if _MC + "Ignorable" in el.attrib:
            ignorable.update(el.nsmap.get(prefix) or "" for prefix in el.attrib.pop(_MC + "Ignorable").split())
    ignorable = {ns for ns in ignorable if ns and not ns.startswith(_STANDARD)}  # every reader reads the standard
    for el in list(root.iter(etree.Element)):
        if etree.QName(el).namespace in ignorable and el is not root:
            _remove(el, root)
        else:
            for key in [k for k in el.attrib if k.startswith("{") and k[1:].split("}", 1)[0] in ignorable]:
                del el.attrib[key]
    for alt in list(root.iter(_MC + "AlternateContent")):
        if alt is root or not any(a is root for a in alt.iterancestors()):
            continue  # gone with a choice it was in
        parent, fallback = alt.getparent(), alt.find(_MC + "Fallback")
        at = parent.index(alt)
        for child in reversed(list(fallback) if fallback is not None else []):
            parent.insert(at, child)
        parent.remove(alt)
    _standard_only(root)


def _standard_only(root) -> None:
    """Keep of `root` only elements and attributes of the standard's namespaces kaplan knows (`_KNOWN`),
    only the text of elements that hold text (`_WITH_TEXT`), and no namespace it no longer uses: data
    in a namespace of its own (`<x:d xmlns:x="urn:…">`), a made-up attribute or words between
    elements show nowhere and go."""
    from lxml import etree

    def known(tag: str) -> bool:
        return not tag.startswith("{") or tag[1:].startswith(_KNOWN)

    text = etree.ElementBase.text

    for el in list(root.iter(etree.Element)):
        if el is not root and not known(el.tag) or el.getparent() is not None and el.getparent().tag in (
                _P + "spTree", _P + "grpSp") and el.tag not in _IN_A_TREE:
            _remove(el, root)
            continue
        for key in [k for k in el.attrib if not (known(k) or k == _XML_SPACE)]:  # xml:lang="…" goes
            del el.attrib[key]
        if el.tag not in _WITH_TEXT and text.__get__(el) is not None:  # lxml's own text: python-pptx's
            text.__set__(el, None)  # elements read a paragraph's as its runs'
        el.tail = None
    etree.cleanup_namespaces(root)


def _once(root, tag: str) -> None:
    """Keep each relationship id only once in the list `tag` (a layout listed twice is one layout)."""
    for lst in root.iter(tag):
        ids = set()
        for el in list(lst):
            rid = el.get(f"{{{_R}}}id")
            if rid in ids:
                lst.remove(el)
            ids.add(rid)


def _take_out(el, root) -> None:
    """Remove `el`, which refers to a part that is gone or does not show: a link alone, otherwise the
    shape or background it is in (a shape without its picture or object is broken) — with the
    alternatives it is one of, if any — or the element itself outside any."""
    target = el
    if el.tag not in _LINKS and el.tag not in _HOLDERS:
        target = next((a for a in el.iterancestors() if a.tag in _HOLDERS), el)
    alternative = next((a for a in target.iterancestors() if a.tag == _MC + "AlternateContent"), None)
    _remove(alternative if alternative is not None else target, root)


def _remove(el, root) -> None:
    if el is not root and any(a is root for a in el.iterancestors()):  # not gone with another already
        el.getparent().remove(el)


def _remove_keeping_tail(el) -> None:
    """Remove a comment or processing instruction, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
