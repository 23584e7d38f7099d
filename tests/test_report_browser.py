"""The HTML packs in a real browser: offline, no failed request, no console error, prints on A4 and Letter.

Uses Debian's Chromium (`/usr/bin/chromium`, installed by .ci/run); skipped only where it is absent.
"""

from __future__ import annotations

import re

import pytest

from _chromium import CHROMIUM, Browser, pdf_pages, run_cli
from _report_repo import ACCOUNT, make_repo
from conftest import TODAY

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="no Chromium at /usr/bin/chromium (apt-get install chromium)")

A4 = (8.27, 11.69)
LETTER = (8.5, 11.0)


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """Both HTML packs of the fixture portfolio, written by the real command."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    root = tmp_path_factory.mktemp("browser")
    monkeypatch = pytest.MonkeyPatch()
    repo = make_repo(root / "portfolio", monkeypatch)
    monkeypatch.chdir(repo)
    out = root / "packs"
    for args in ((ACCOUNT,), ("--portfolio",)):
        r = CliRunner().invoke(app, ["report", *args, "--out", str(out), "--today", TODAY.isoformat()])
        assert r.exit_code == 0, r.output
    monkeypatch.undo()
    return {"account": out / f"{ACCOUNT}.html", "portfolio": out / "portfolio.html"}


def test_html_is_self_contained(packs):
    for path in packs.values():
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower()
        assert not re.search(r"(?:src|href)\s*=", html, re.I)
        assert "http://" not in html and "https://" not in html
        assert "@import" not in html and "url(" not in html


@pytest.mark.parametrize("pack, pages", [("portfolio", (6, 12)), ("account", (7, 16))])
def test_opens_offline_without_errors_and_prints(packs, tmp_path, pack, pages):
    browser = Browser(tmp_path / "profile")
    try:
        url = packs[pack].as_uri()
        browser.navigate(url)
        loaded = list(browser.events)
        shot = browser.screenshot()
        sizes = {name: pdf_pages(browser.pdf(*size)) for name, size in (("A4", A4), ("Letter", LETTER))}
        requests = [e["params"]["request"]["url"] for e in loaded if e.get("method") == "Network.requestWillBeSent"]
        failed = browser.named("Network.loadingFailed")
        console = [e["params"] for e in browser.named("Runtime.consoleAPICalled")
                   if e["params"]["type"] in ("error", "warning", "assert")]
        thrown = browser.named("Runtime.exceptionThrown")
        logged = [e["params"]["entry"] for e in browser.named("Log.entryAdded")
                  if e["params"]["entry"]["level"] in ("error", "warning")]
        text = browser.evaluate("document.body.innerText")
    finally:
        browser.close()
    assert requests == [url], requests  # the page itself and nothing else
    assert failed == [] and console == [] and thrown == [] and logged == []
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    for name, count in sizes.items():
        assert pages[0] <= count <= pages[1], (name, count)
    assert ("Key account portfolio review" if pack == "portfolio" else "Acme Retail Group") in text


def test_chromium_command_line_screenshot_and_pdf(packs, tmp_path):
    shot, pdf = tmp_path / "portfolio.png", tmp_path / "portfolio.pdf"
    url = packs["portfolio"].as_uri()
    r = run_cli(f"--screenshot={shot}", "--window-size=1000,1400", url, profile=tmp_path / "p1")
    assert r.returncode == 0 and shot.read_bytes().startswith(b"\x89PNG"), r.stderr[-2000:]
    r = run_cli(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url, profile=tmp_path / "p2")
    assert r.returncode == 0 and pdf.read_bytes().startswith(b"%PDF"), r.stderr[-2000:]
    assert 6 <= pdf_pages(pdf.read_bytes()) <= 12
