"""The review packs as PDF: `kaplan report … --format pdf [--paper a4|letter]` (WeasyPrint).

The PDF is the HTML pack — the same template, the same numbers — laid out for paper by WeasyPrint
with `partials/pdf.css` added to the pack's own stylesheet: parts run on instead of each starting a
page, type and charts are sized for print, and rows, charts, cards and headings are never cut (a long
table continues on the next page with its header repeated). The paper size is set here.

Why WeasyPrint and not headless Chromium: it is a Python package (pip installs it with kaplan; it
needs the system's Pango library, which Linux desktops and servers ship and Homebrew installs), so
`--format pdf` works where no browser may be installed or started (CI runners, locked-down
laptops). It fetches nothing (the pack has no external resource, and the fetcher here refuses every
URL), and it implements CSS paged media (`@page`, page counters, break rules) that this layout uses.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

from kaplan.report._optional import FormatProblem, need

PAPERS = {"a4": (210, 297), "letter": (215.9, 279.4)}
"""Width and height in millimetres."""


def pdf(html: str, css: str, paper: str = "a4") -> bytes:
    """`html` (a rendered pack) printed with `css` on `paper` (a4 or letter), as PDF bytes."""
    doc = layout(html, css, paper)
    return doc.write_pdf(zoom=doc.zoom)


def pdfs(htmls: Iterable[str], css: str, paper: str = "a4", workers: int | None = None) -> Iterator[bytes]:
    """Each of `htmls` printed as `pdf` does, in order, by one process per core (`workers`).

    Laying a pack out takes WeasyPrint a second or more of one core, and nothing in it is shared
    between packs that would make a second pack cheaper in the same process (a shared font
    configuration and pre-parsed stylesheets were measured: no gain), so `--all` prints on every
    core. The workers are started fresh (spawn), not forked: a fork would carry the parent's copy
    of the whole portfolio into each of them. At most two packs per worker wait in the queue, so
    memory stays flat however many packs there are."""
    workers = workers or cores()
    if workers <= 1:
        for html in htmls:
            yield pdf(html, css, paper)
        return
    need("weasyprint", "pdf", "pdf")  # the missing library is told here, not by each worker
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        waiting: deque = deque()
        for html in htmls:
            waiting.append(pool.submit(pdf, html, css, paper))
            if len(waiting) >= 2 * workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


NEAR_BLANK = 0.25
"""A last page filled less than this (a share of its height) is laid out again, a step smaller."""
FIT_STEPS = (1.0, 1.05, 1.1)
"""Scales tried in turn until no near-blank page is left: the pack is laid out on a page this much
larger and printed shrunk back to the paper's size (everything a few percent smaller)."""


def layout(html: str, css: str, paper: str = "a4"):
    """The pages `pdf` prints (a WeasyPrint Document: its pages and every box on them).

    When the last page would hold only a few lines, the pack is laid out again a step smaller
    (`FIT_STEPS`), so that those lines join the page before instead of leaving a near-blank page.
    `doc.zoom` is what `write_pdf` must shrink it by to come back to the paper's size."""
    if paper not in PAPERS:
        raise FormatProblem(f"unknown paper {paper!r}; choose a4 or letter")
    weasyprint = need("weasyprint", "pdf", "pdf")
    head_end = html.find("</head>")
    width, height = PAPERS[paper]
    for scale in FIT_STEPS:
        # in the document, after the pack's own <style>: stylesheets handed to write_pdf() are user
        # stylesheets, which every rule of the document's own would override
        extra = f"<style>\n{css}\n@page {{ size: {width * scale:.2f}mm {height * scale:.2f}mm; }}\n</style>\n"
        page_html = html[:head_end] + extra + html[head_end:] if head_end >= 0 else extra + html
        doc = weasyprint.HTML(string=page_html, url_fetcher=_fetcher(weasyprint)).render()
        doc.zoom = 1 / scale
        if len(doc.pages) == 1 or filled(doc.pages[-1]) >= NEAR_BLANK:
            break
    return doc


def filled(page) -> float:
    """How much of a laid-out page's height its content reaches down to (0-1)."""
    box = page._page_box  # WeasyPrint keeps the layout here; without it, a page counts as full
    if box is None:  # pragma: no cover
        return 1.0
    bottom, top = 0.0, box.position_y
    stack = list(box.children)
    while stack:
        b = stack.pop()
        if getattr(b, "element_tag", None) not in (None, "html", "body") and hasattr(b, "margin_height"):
            bottom = max(bottom, b.position_y + b.margin_height())
        stack.extend(getattr(b, "children", None) or [])
    return (bottom - top) / box.height if box.height else 1.0


def _fetcher(weasyprint):
    """Only inline `data:` URLs are read: WeasyPrint's fetcher limited to them (WeasyPrint ≥ 67), or
    `_refuse` (a plain function, as older versions take)."""
    urls = getattr(weasyprint, "urls", None)
    if urls is not None and hasattr(urls, "URLFetcher"):
        return urls.URLFetcher(allowed_protocols={"data"})
    return _refuse


def _refuse(url: str, *args, **kwargs):
    """No pack needs anything from outside itself: every URL but inline `data:` is refused."""
    if url.startswith("data:"):
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"a review pack fetches nothing ({url[:40]})")


def stylesheet(templates: Path | None = None) -> str:
    """`partials/pdf.css`, from the user's template folder when it has one."""
    from kaplan.report.rendering import environment

    env = environment(templates)
    source, _, _ = env.loader.get_source(env, "partials/pdf.css")
    return source
