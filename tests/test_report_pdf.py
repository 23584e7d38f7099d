"""`kaplan report … --format pdf`: the packs on paper, measured page by page.

The largest example plan's account pack must fit on 4 pages of A4 and of Letter, the portfolio pack of
the 13 examples on 5, with no near-blank page; no table row, chart or summary card may be cut across
two pages (checked on WeasyPrint's own layout: no such element has a box on two pages); and the PDF
shows the HTML pack's figures.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from _report_repo import ACCOUNT, copy_plain
from conftest import EXAMPLES, MINIMAL, TODAY

from kaplan.report import account_pack, portfolio_pack, render, snapshot
from kaplan.report.pdf import layout, pdf, pdfs, stylesheet

DAY = TODAY.isoformat()
LARGEST = max(EXAMPLES.joinpath("plans").glob("*.yaml"), key=lambda p: p.stat().st_size).stem
POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # 210 × 297 mm; 8.5 × 11 in


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    snap = snapshot([EXAMPLES / "plans"], today=TODAY)
    return {"account": render(account_pack(snap, LARGEST, history=False), "html"),
            "portfolio": render(portfolio_pack(snap), "html")}


def pages_text(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("pack, most", [("account", 4), ("portfolio", 5)])
def test_pages_fit_and_none_is_near_blank(examples, pack, most, paper):
    data = pdf(examples[pack], stylesheet(), paper)
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= most
    for page in reader.pages:
        w, h = (float(v) for v in page.mediabox.upper_right)
        assert (round(w), round(h)) == tuple(round(v) for v in POINTS[paper])
    # a near-blank page would carry little more than its page number and the footer
    assert all(len(t) >= 300 for t in pages_text(data)), [len(t) for t in pages_text(data)]


@pytest.mark.parametrize("pack", ["account", "portfolio"])
def test_no_row_chart_or_card_is_cut(examples, pack):
    doc = layout(examples[pack], stylesheet(), "a4")
    seen: dict[int, int] = {}
    for number, page in enumerate(doc.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            header = box.element_tag == "tr" and element.find("td") is None  # a table's header repeats on each page
            if element is not None and not header and (box.element_tag in ("tr", "figure", "svg")
                                                       or "card" in (element.get("class") or "").split()):
                first = seen.setdefault(id(element), number)
                assert first == number, f"a <{box.element_tag}> runs from page {first + 1} onto page {number + 1}"
            stack.extend(getattr(box, "children", None) or [])
    assert len(seen) > 50  # the rows, charts and cards were found


def test_the_pdf_shows_the_html_figures(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    r = kaplan("report", ACCOUNT, "-f", "pdf", "--today", DAY, "-o", tmp_path / "a.pdf", cwd=folder)
    assert r.exit_code == 0, r.stderr
    text = " ".join(pages_text((tmp_path / "a.pdf").read_bytes()))
    # revenue over the last four quarters 460000 + 480000 + 500000 + 450000 = 1,890,000 → "1.89M" on the
    # card; margin 629000 / 1890000 = 33.3 %; each period's revenue as in the HTML table
    for shown in ("Acme Retail Group", "1.89M", "33.3%", "500,000", "2026-Q3"):
        assert shown in text, shown
    assert kaplan("report", ACCOUNT, "-f", "pdf", "--paper", "a5", "-o", tmp_path / "b.pdf").exit_code == 2


def test_a_pack_fetches_nothing(tmp_path):
    """A URL in the HTML (a user's template could add one) is refused, not fetched; the PDF is still made."""
    html = '<html><head></head><body><p>x</p><img src="http://127.0.0.1:9/track.png"><img src="file:///etc/passwd"></body></html>'
    assert pages_text(pdf(html, "", "a4"))[0].strip().startswith("x")


def test_every_account_pack_printed_on_all_cores_is_the_pack_printed_alone(kaplan, tmp_path):
    """`--all --format pdf` prints the packs in worker processes; each file must be the account's
    own pack, byte for byte the one `kaplan report ACCOUNT --format pdf` prints."""
    plans = tmp_path / "portfolio" / "plans"
    plans.mkdir(parents=True)
    for account, name in [("alder", "Alder Works"), ("birch", "Birch Mills"), ("cedar", "Cedar Labs")]:
        (plans / f"{account}.yaml").write_text(MINIMAL.format(id=account, name=name), encoding="utf-8")
    r = kaplan("report", "--all", "-f", "pdf", "--today", DAY, "-o", tmp_path / "packs", cwd=tmp_path / "portfolio")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["alder.pdf", "birch.pdf", "cedar.pdf"]
    for account, name in [("alder", "Alder Works"), ("birch", "Birch Mills"), ("cedar", "Cedar Labs")]:
        alone = kaplan("report", account, "-f", "pdf", "--today", DAY, "-o", tmp_path / f"{account}.pdf")
        assert alone.exit_code == 0, alone.stderr
        printed = (tmp_path / "packs" / f"{account}.pdf").read_bytes()
        assert printed == (tmp_path / f"{account}.pdf").read_bytes()
        assert name in pages_text(printed)[0]


def test_packs_printed_by_two_workers_come_back_in_order(examples):
    # whatever the machine's cores, two worker processes: the portfolio pack between two copies of
    # the account pack comes back second, and each is the PDF printed in this process
    css = stylesheet()
    order = [examples["account"], examples["portfolio"], examples["account"]]
    printed = list(pdfs(order, css, "a4", workers=2))
    assert printed == [pdf(html, css, "a4") for html in order]
    assert "Key account portfolio review" in pages_text(printed[1])[0]


def test_packs_printed_by_workers_replaced_every_pack_come_back_in_order(monkeypatch):
    # one pack per worker: five packs printed by three pools of two fresh workers (2 + 2 + 1), each
    # PDF still the one printed in this process, in the order given
    import kaplan.report.pdf as printing

    monkeypatch.setattr(printing, "PACKS_PER_WORKER", 1)
    htmls = [f"<html><head></head><body><p>pack {n}</p></body></html>" for n in range(1, 6)]
    printed = list(pdfs(htmls, "", "a4", workers=2))
    assert [pages_text(data)[0].strip() for data in printed] == [f"pack {n}" for n in range(1, 6)]
    assert printed == [pdf(html, "", "a4") for html in htmls]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is left out on Linux only")
def test_weasyprint_is_imported_without_searching_for_libraries_and_the_search_is_put_back():
    # a fresh interpreter (WeasyPrint not yet imported): while it is imported no library is searched
    # for (each lookup would run ldconfig and gcc), and ctypes' own search is in place again after
    script = (
        "import ctypes.util, sys\n"
        "calls = []\n"
        "search = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: calls.append(name) or search(name)\n"
        "spy = ctypes.util.find_library\n"
        "from kaplan.report.pdf import _weasyprint\n"
        "weasyprint = _weasyprint()\n"
        "assert 'weasyprint' in sys.modules and hasattr(weasyprint, 'HTML')\n"
        "assert ctypes.util.find_library is spy, 'the search was not put back'\n"
        "print(len(calls))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_printing_leaves_the_cycle_collector_as_it_found_it():
    # printing holds Python's cycle collector off while a pack is laid out; a caller's program finds
    # it as it left it afterwards: running, or (turned off by the caller) still off
    import gc

    html = "<html><head></head><body><p>pack</p></body></html>"
    assert gc.isenabled()
    assert pages_text(pdf(html, "", "a4"))[0].strip() == "pack"
    assert gc.isenabled()
    gc.disable()
    try:
        pdf(html, "", "a4")
        assert not gc.isenabled()
    finally:
        gc.enable()
