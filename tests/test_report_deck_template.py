"""`--template company.pptx` lends a deck its look and nothing else.

A company's deck holds more than its slide master, layouts and theme: custom XML data stores, who
commented and what, tags add-ins hang on slides, the printer it was last printed on, its own slides
and their notes, section and custom-show names, a macro project, the picture of its first slide,
and prompt texts its layouts show in empty placeholders ("CONFIDENTIAL – internal pricing"). The
template built here hides a secret in each of them; every deck made from it (the account's, the
client's, the portfolio's) must hold none of them in any part, open again with python-pptx, and
convert with LibreOffice.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import PROG_ID
from pptx.util import Inches

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY

DAY = TODAY.isoformat()
PROMPT = "CONFIDENTIAL – internal pricing"
SECRETS = [b"SECRET", PROMPT.encode("utf-8"), b"internal pricing"]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PML = "application/vnd.openxmlformats-officedocument.presentationml."
# what the template adds beside python-pptx's parts: name, bytes, content type, the part that refers to it, rel type
EXTRA = [
    ("customXml/item1.xml", b'<?xml version="1.0"?><pricing><deal>SECRET-CUSTOMXML discount 42%</deal></pricing>',
     "application/xml", "ppt/presentation.xml", REL + "customXml"),
    ("ppt/commentAuthors.xml", f'<p:cmAuthorLst {NS}><p:cmAuthor id="0" name="SECRET-AUTHOR" initials="SA" '
                               f'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'.encode(),
     PML + "commentAuthors+xml", "ppt/presentation.xml", REL + "commentAuthors"),
    ("ppt/comments/comment1.xml", f'<p:cmLst {NS}><p:cm authorId="0" dt="2020-01-02T03:04:05.000" idx="1">'
                                  f'<p:pos x="10" y="10"/><p:text>SECRET-COMMENT drop the price</p:text></p:cm>'
                                  f'</p:cmLst>'.encode(),
     PML + "comments+xml", "ppt/slides/slide1.xml", REL + "comments"),
    ("ppt/tags/tag1.xml", f'<p:tagLst {NS}><p:tag name="SECRET_TAG" val="SECRET-TAG-VALUE"/></p:tagLst>'.encode(),
     PML + "tags+xml", "ppt/slideLayouts/slideLayout1.xml", REL + "tags"),
    ("ppt/tags/tag2.xml", f'<p:tagLst {NS}><p:tag name="DEAL" val="SECRET-TAG-MASTER"/></p:tagLst>'.encode(),
     PML + "tags+xml", "ppt/slideMasters/slideMaster1.xml", REL + "tags"),
    ("ppt/tags/tag3.xml", f'<p:tagLst {NS}><p:tag name="DEAL" val="SECRET-TAG-PRESENTATION"/></p:tagLst>'.encode(),
     PML + "tags+xml", "ppt/presentation.xml", REL + "tags"),
    ("ppt/printerSettings/printerSettings1.bin", b"\x00\x01SECRET-PRINTER \\\\pricing-floor\\hp4\x00",
     PML + "printerSettings", "ppt/presentation.xml", REL + "printerSettings"),
    ("ppt/vbaProject.bin", b"\xd0\xcf\x11\xe0SECRET-MACRO Sub AutoOpen()",
     "application/vnd.ms-office.vbaProject", "ppt/presentation.xml",
     "http://schemas.microsoft.com/office/2006/relationships/vbaProject"),
]


def _rel_ids(rels: bytes) -> set[str]:
    return set(re.findall(rb'Id="([^"]+)"', rels))


def hostile_template(path) -> None:
    """A company deck that hides a secret in every part a deck must not take from it."""
    company = Presentation()
    company.slide_width, company.slide_height = Inches(10), Inches(7.5)
    for ph in list(company.slide_master.placeholders):  # the master's and each layout's prompts
        ph.text_frame.text = f"{PROMPT} SECRET-MASTER-PROMPT"
    for layout in company.slide_layouts:
        for ph in layout.placeholders:
            ph.text_frame.text = f"{PROMPT} SECRET-LAYOUT-PROMPT"
            ph.element.nvSpPr.nvPr.ph.set("hasCustomPrompt", "1")  # PowerPoint shows it in an empty placeholder
    old = company.slides.add_slide(company.slide_layouts[1])
    old.shapes.title.text = "SECRET-SLIDE Tiger pricing"
    old.placeholders[1].text_frame.text = "SECRET-SLIDE-BODY floor price 1.2m"
    old.notes_slide.notes_text_frame.text = "SECRET-NOTES say nothing about the discount"
    # on the master: the company's name linking to its intranet, and an embedded workbook
    logo = old.shapes.add_textbox(Inches(0.2), Inches(7), Inches(3), Inches(0.4))
    logo.text_frame.text = "ACME LOGO"
    logo.text_frame.paragraphs[0].runs[0].hyperlink.address = "https://intranet.acme.example/SECRET-LINK"
    sheet = old.shapes.add_ole_object(io.BytesIO(b"SECRET-OLE price floor"), PROG_ID.XLSX, Inches(8), Inches(6),
                                      Inches(1), Inches(1))
    master = company.slide_master
    for shape in (logo, sheet):
        element = copy.deepcopy(shape.element)
        for el in element.iter():
            for key, rid in el.attrib.items():
                if key.startswith(f"{{{RNS}}}"):
                    rel = old.part.rels[rid]
                    target = rel.target_ref if rel.is_external else rel.target_part
                    el.set(key, master.part.relate_to(target, rel.reltype, is_external=rel.is_external))
        master.shapes._spTree.append(element)
    for ph in company.notes_master.placeholders:
        if ph.has_text_frame:
            ph.text_frame.text = "SECRET-NOTES-MASTER"
    buf = io.BytesIO()
    company.save(buf)

    with zipfile.ZipFile(buf) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    types = parts["[Content_Types].xml"].decode()
    rids: dict[str, list[str]] = {}
    for name, body, ctype, owner, reltype in EXTRA:
        parts[name] = body
        types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{ctype}"/></Types>')
        folder, file = owner.rsplit("/", 1)
        rels_name = f"{folder}/_rels/{file}.rels"
        rels = parts[rels_name]
        rid = f"rId{900 + len(_rel_ids(rels))}"
        depth = owner.count("/")
        target = "../" * depth + name
        parts[rels_name] = rels.replace(b"</Relationships>",
                                        f'<Relationship Id="{rid}" Type="{reltype}" Target="{target}"/>'
                                        f'</Relationships>'.encode())
        rids.setdefault(owner, []).append(rid)
    parts["customXml/itemProps1.xml"] = (b'<?xml version="1.0"?><ds:datastoreItem ds:itemID="{SECRET-0000}" '
                                         b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>')
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="' + REL.encode() + b'customXmlProps" Target="itemProps1.xml"/></Relationships>')
    types = types.replace("</Types>", '<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
                                      'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>')
    # a macro-enabled deck (.pptm) is a deck python-pptx opens
    types = types.replace(PML + "presentation.main+xml", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml")
    parts["[Content_Types].xml"] = types.encode()
    parts["docProps/thumbnail.jpeg"] = b"\xff\xd8\xff\xe0SECRET-THUMBNAIL\xff\xd9"

    # the elements that refer to those parts: tags on the title layout, on the master and on the
    # deck; a custom show and a section naming the old slide; a password to modify
    tag_layout, tag_master, tag_prs = (rids["ppt/slideLayouts/slideLayout1.xml"][0],
                                       rids["ppt/slideMasters/slideMaster1.xml"][0], rids["ppt/presentation.xml"][2])
    name = "ppt/slideLayouts/slideLayout1.xml"
    parts[name] = parts[name].replace(b"</p:spTree>", f'</p:spTree><p:custDataLst><p:tags r:id="{tag_layout}"/>'
                                                      f'</p:custDataLst>'.encode(), 1)
    name = "ppt/slideMasters/slideMaster1.xml"
    parts[name] = parts[name].replace(b"</p:spTree>", f'</p:spTree><p:custDataLst><p:tags r:id="{tag_master}"/>'
                                                      f'</p:custDataLst>'.encode(), 1)
    prs = parts["ppt/presentation.xml"].decode()
    slide_rid = re.search(r'<p:sldId [^>]*r:id="([^"]+)"', prs)[1]
    slide_id = re.search(r'<p:sldId id="(\d+)"', prs)[1]
    prs = prs.replace("<p:defaultTextStyle>",
                      f'<p:custShowLst><p:custShow name="SECRET-SHOW for the board" id="0"><p:sldLst>'
                      f'<p:sld r:id="{slide_rid}"/></p:sldLst></p:custShow></p:custShowLst>'
                      f'<p:custDataLst><p:tags r:id="{tag_prs}"/></p:custDataLst><p:defaultTextStyle>', 1)
    prs = prs.replace("</p:presentation>",
                      f'<p:modifyVerifier cryptProviderType="rsaAES" cryptAlgorithmClass="hash" '
                      f'cryptAlgorithmType="typeAny" cryptAlgorithmSid="14" spinCount="100000" '
                      f'saltData="U0VDUkVULVNBTFQ=" hashData="U0VDUkVULUhBU0g="/>'
                      f'<p:extLst><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
                      f'<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
                      f'<p14:section name="SECRET-SECTION pricing" id="{{00000000-0000-0000-0000-000000000001}}">'
                      f'<p14:sldIdLst><p14:sldId id="{slide_id}"/></p14:sldIdLst></p14:section>'
                      f'</p14:sectionLst></p:ext></p:extLst></p:presentation>', 1)
    parts["ppt/presentation.xml"] = prs.encode()
    parts["ppt/presProps.xml"] = parts["ppt/presProps.xml"].replace(
        b"<p:extLst>", b'<p:showPr><p:custShow id="0"/></p:showPr><p:extLst>', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in parts.items():
            out.writestr(name, body)


def every_part(data: bytes, where: str = "") -> dict[str, bytes]:
    """Every part of an Office file, and of the workbooks inside it (a chart's data), by name."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            found[where + name] = body
            if zipfile.is_zipfile(io.BytesIO(body)):
                found.update(every_part(body, f"{where}{name}!"))
    return found


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """The account deck, the client's and the portfolio's, each made on the hostile template."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    root = tmp_path_factory.mktemp("decktpl")
    hostile_template(root / "company.pptx")
    # the template is what it claims to be: python-pptx opens it, and each secret is in it
    company = Presentation(root / "company.pptx")
    assert len(company.slides) == 1 and company.slides[0].has_notes_slide
    everything = b" ".join(every_part((root / "company.pptx").read_bytes()).values())
    for secret in (b"SECRET-CUSTOMXML", b"SECRET-AUTHOR", b"SECRET-COMMENT", b"SECRET-TAG-VALUE", b"SECRET-PRINTER",
                   b"SECRET-MACRO", b"SECRET-THUMBNAIL", b"SECRET-LAYOUT-PROMPT", b"SECRET-MASTER-PROMPT",
                   b"SECRET-SLIDE", b"SECRET-NOTES", b"SECRET-SHOW", b"SECRET-SECTION", b"SECRET-LINK", b"SECRET-OLE",
                   PROMPT.encode()):
        assert secret in everything, secret
    folder = copy_plain(root / "portfolio")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(folder)
    made = {}
    try:
        for name, args in (("account", (ACCOUNT,)), ("client", (ACCOUNT, "--audience", "client")),
                           ("portfolio", ("--portfolio",))):
            out = root / f"{name}.pptx"
            r = CliRunner().invoke(app, ["report", *args, "-f", "pptx", "--template", str(root / "company.pptx"),
                                         "--today", DAY, "-o", str(out)])
            assert r.exit_code == 0, r.output
            made[name] = out
    finally:
        monkeypatch.undo()
    return made


@pytest.mark.parametrize("deck", ["account", "client", "portfolio"])
def test_no_part_of_a_deck_holds_anything_of_the_template_but_its_look(decks, deck):
    data = decks[deck].read_bytes()
    parts = every_part(data)
    for name, body in parts.items():
        for secret in SECRETS:
            assert secret not in body, (name, secret)
    # the parts that carried them are gone, and nothing names them any more
    names = " ".join(parts)
    for gone in ("customXml", "comment", "tags/", "printerSettings", "vbaProject", "notesMaster", "notesSlide",
                 "thumbnail", ".wmf"):  # .wmf: the icon of the workbook embedded in the master
        assert gone not in names, gone
    types = parts["[Content_Types].xml"].decode()
    assert PML + "presentation.main+xml" in types and "macroEnabled" not in types
    for gone in ("customXml", "comment", "tags", "printerSettings", "vbaProject", "notesMaster", "thumbnail"):
        assert gone not in types, gone
    xml = " ".join(b.decode("utf-8") for n, b in parts.items() if n.endswith((".xml", ".rels")) and "!" not in n)
    for gone in ("custDataLst", "p:tags", "custShowLst", "sectionLst", "modifyVerifier", "notesMasterIdLst",
                 "hasCustomPrompt"):
        assert gone not in xml, gone
    # every relationship leads to a part that is there
    for name, body in parts.items():
        if name.endswith(".rels") and "!" not in name:
            for target, mode in re.findall(rb'Target="([^"]+)"(?: TargetMode="(\w+)")?', body):
                if mode != b"External":
                    base = name.replace("_rels/", "").rsplit("/", 1)[0] if "/" in name.replace("_rels/", "") else ""
                    resolved = _resolve(base, target.decode())
                    assert resolved in parts, (name, target)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = [p for p in base.split("/") if p] if base else []
    for step in target.split("/"):
        if step == "..":
            parts.pop()
        elif step != ".":
            parts.append(step)
    return "/".join(parts)


@pytest.mark.parametrize("deck", ["account", "client", "portfolio"])
def test_a_deck_on_the_template_keeps_its_look_and_opens_again(decks, deck):
    """The template's size, master, layouts and theme are the deck's; no slide of the deck has an
    empty placeholder (PowerPoint would show the layout's prompt in it)."""
    prs = Presentation(decks[deck])
    assert prs.slide_width == Inches(10)  # the template's own size
    assert len(prs.slide_layouts) == 11  # python-pptx's master, as the company made it
    assert "SECRET" not in prs.slides[0].shapes.title.text
    master = [sh for sh in prs.slide_master.shapes if not sh.is_placeholder]
    # the master's own drawing stays (the logo's text), not what leads out of the deck (its link, the workbook)
    assert [sh.text_frame.text for sh in master] == ["ACME LOGO"]
    assert master[0].text_frame.paragraphs[0].runs[0].hyperlink.address is None
    for s in prs.slides:
        assert s.slide_layout in list(prs.slide_layouts)
        assert not s.has_notes_slide
        for ph in s.placeholders:
            assert ph.has_text_frame and ph.text_frame.text.strip(), (s.shapes.title.text, ph.name)


@pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice to convert the deck with (apt-get install "
                                            "libreoffice-impress-nogui)")
def test_libreoffice_converts_a_client_deck_made_on_the_template(decks, tmp_path):
    from pypdf import PdfReader

    from test_report_office import convert

    pdf = PdfReader(convert(decks["client"], tmp_path))  # LibreOffice succeeds, and the PDF has pages
    prs = Presentation(decks["client"])
    assert len(pdf.pages) == len(prs.slides)
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Acme Retail Group" in text
    assert "SECRET" not in text and "internal pricing" not in text
    for name, body in every_part(decks["client"].read_bytes()).items():
        assert not any(secret in body for secret in SECRETS), name
