"""What a deck takes from the deck it is built on (`--template company.pptx`): its look, nothing else.

A company's deck holds far more than its slide master, layouts and theme: its own slides with their
notes and comments, who commented (`commentAuthors.xml`), custom XML data stores (`customXml/`),
tags that add-ins hang on the deck, its master and its layouts (`ppt/tags/`), the printer it was
last printed on, the names of its sections and custom shows, a password to modify, a macro project,
a digital signature, the picture of its first slide, and in its layouts' placeholders prompt texts
of its own ("CONFIDENTIAL – internal pricing"). Every deck made from it, a client's included, would
carry them all.

`keep_the_look` reduces a deck opened with python-pptx to what slides are drawn on: the package's
document properties (which `deck._properties` then makes the pack's), the presentation, its slide
master(s), layouts and themes, the pictures and embedded fonts they use, its table styles and empty
presentation and view properties. Each part keeps the relationships of those kinds only
(`KEPT`); every element that referred to one dropped goes with it (a master's shape holding an
embedded object loses the shape, a hyperlink its link), as do the elements that only name what is
gone (custom data, custom shows, sections). The text of the master's and layouts' placeholders is
emptied: it is the prompt PowerPoint shows in an empty placeholder, and `empty_placeholders` takes
every placeholder a slide left empty off it. python-pptx then writes only the parts still reached,
each with its content type, so the package stays whole.
"""

from __future__ import annotations

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = _R + "/"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_MAIN = _PML + "presentation.main+xml"
_PICTURES = (_RELS + "image", "http://schemas.microsoft.com/office/2007/relationships/hdphoto")

PACKAGE = "package"
KEPT: dict[str, frozenset[str]] = {
    PACKAGE: frozenset({_RELS + "officeDocument", _PKG + "core-properties", _RELS + "extended-properties"}),
    _MAIN: frozenset(_RELS + kind for kind in ("slideMaster", "theme", "presProps", "viewProps", "tableStyles",
                                                "font")),
    _PML + "slideMaster+xml": frozenset({_RELS + "slideLayout", _RELS + "theme", *_PICTURES}),
    _PML + "slideLayout+xml": frozenset({_RELS + "slideMaster", *_PICTURES}),
    "application/vnd.openxmlformats-officedocument.theme+xml": frozenset(_PICTURES),
}
"""The relationships each kind of part keeps, by its content type; a part of any other kind keeps none."""

_MACRO_MAINS = ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",)
_EMPTY = {
    _PML + "presProps+xml": b"presentationPr",  # printing, the custom show to run, recent colours
    _PML + "viewProps+xml": b"viewPr",  # the view, zoom and slide it was last left at
}
"""Parts kept but emptied (all their content is optional): the template's settings, not its look."""
_GONE_FROM_PRESENTATION = ("custShowLst", "custDataLst", "smartTags", "modifyVerifier", "extLst",
                           "notesMasterIdLst", "handoutMasterIdLst")
"""What presentation.xml says of what is gone: custom shows, custom data and smart tags, the password
to modify, its extensions (section names among them), the notes and handout masters."""
_SHAPES = {_P + name for name in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp", "contentPart")}
_LINKS = {_A + name for name in ("hlinkClick", "hlinkHover", "hlinkMouseOver", "snd")}
_LOOK = frozenset({_PML + "slideMaster+xml", _PML + "slideLayout+xml"})


def keep_the_look(prs) -> None:
    """Reduce `prs` (a python-pptx Presentation just opened) to its look: see the module's docstring."""
    from lxml import etree

    for sld in list(prs.slides._sldIdLst):  # the template's own slides
        prs.slides._sldIdLst.remove(sld)
    package = prs.part.package
    _keep_rels(package._rels, KEPT[PACKAGE])
    seen, todo = set(), [prs.part]
    while todo:
        part = todo.pop()
        if id(part) in seen:
            continue
        seen.add(id(part))
        ctype = part.content_type
        if ctype in _MACRO_MAINS:  # a macro-enabled deck without its macros is a plain one
            ctype = part._content_type = _MAIN
            part.__dict__.pop("content_type", None)  # python-pptx's cached copy of it
        dropped = _keep_rels(part.rels, KEPT.get(ctype, frozenset()))
        if ctype in _EMPTY:
            part._blob = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:' + _EMPTY[ctype]
                          + b' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="' + _R.encode()
                          + b'" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')
        elif hasattr(part, "_element"):
            _tidy(part._element, dropped, ctype)
            _drop_unused_pictures(part)
        elif dropped and part.content_type.endswith("+xml"):  # an XML part python-pptx keeps as bytes (a theme)
            root = etree.fromstring(part.blob)
            _tidy(root, dropped, ctype)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        todo.extend(rel.target_part for rel in part.rels.values() if not rel.is_external)


def empty_placeholders(slide) -> None:
    """Take off `slide` each placeholder left without text (PowerPoint would show a prompt in it)."""
    for ph in list(slide.placeholders):
        if not (ph.has_text_frame and ph.text_frame.text.strip()):
            ph._element.getparent().remove(ph._element)


def _keep_rels(rels, kinds: frozenset[str]) -> set[str]:
    """Drop from `rels` every relationship not of `kinds`; the ids dropped."""
    dropped = {rid for rid, rel in rels.items() if rel.reltype not in kinds}
    for rid in dropped:
        rels.pop(rid)
    return dropped


def _drop_unused_pictures(part) -> None:
    """Drop the relationships to pictures that nothing in `part` shows any more (the icon of an
    embedded object taken out with its shape)."""
    used = {v for el in part._element.iter() for k, v in el.attrib.items() if k.startswith("{" + _R + "}")}
    for rid in [rid for rid, rel in part.rels.items() if rel.reltype in _PICTURES and rid not in used]:
        part.rels.pop(rid)


def _tidy(root, dropped: set[str], ctype: str) -> None:
    """Take out of a part's XML what refers to a dropped relationship, what names what is gone, and
    (a master's or layout's) its placeholders' prompt text."""
    if ctype == _MAIN:
        for name in _GONE_FROM_PRESENTATION:
            for el in root.findall(_P + name):
                root.remove(el)
    for el in list(root.iter(_P + "custDataLst")):
        el.getparent().remove(el)
    referring = [el for el in root.iter()
                 if any(k.startswith("{" + _R + "}") and v in dropped for k, v in el.attrib.items())]
    for el in referring:
        _take_out(el, root)
    if ctype in _LOOK:
        for ph in root.iter(_P + "ph"):
            ph.attrib.pop("hasCustomPrompt", None)
            shape = next((a for a in ph.iterancestors() if a.tag in _SHAPES), None)
            for t in shape.iter(_A + "t") if shape is not None else ():
                t.text = ""


def _take_out(el, root) -> None:
    """Remove `el`, which refers to a part that is gone: a link alone, otherwise the shape it is in
    (a shape without its picture or object is broken), or the element itself outside any shape."""
    target = el
    if el.tag not in _LINKS and el.tag not in _SHAPES:
        target = next((a for a in el.iterancestors() if a.tag in _SHAPES), el)
    if target is not root and any(a is root for a in target.iterancestors()):  # not gone with another already
        target.getparent().remove(target)
