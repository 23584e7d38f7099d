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

import gc
import os
import sys
from contextlib import contextmanager
from collections import deque
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator

from kaplan.report._optional import FormatProblem, need

PAPERS = {"a4": (210, 297), "letter": (215.9, 279.4)}
"""Width and height in millimetres."""


def pdf(html: str, css: str, paper: str = "a4") -> bytes:
    """`html` (a rendered pack) printed with `css` on `paper` (a4 or letter), as PDF bytes."""
    with _collected_once():
        return _printed_pdf(html, css, paper)


def _printed_pdf(html: str, css: str, paper: str) -> bytes:
    doc = layout(html, css, paper)
    return doc.write_pdf(zoom=doc.zoom)


@contextmanager
def _collected_once() -> Iterator[None]:
    """Python's cycle collector held off while a pack is printed, then run once over what printing left.

    Laying a pack out makes millions of short-lived objects, so the collector started some 160 times
    a pack, each time walking every object alive: a sixth of the CPU time of printing, measured on
    generated packs. Held off, the pack's objects are all young when it is done, and one collection of
    the young generation frees its garbage (the peak memory of a worker was measured unchanged). The
    collector is left as it was found: one a caller turned off stays off, and is not run here."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
            gc.collect(0)


def pdfs(htmls: Iterable[str], css: str, paper: str = "a4", workers: int | None = None) -> Iterator[bytes]:
    """Each of `htmls` printed as `pdf` does, in order, by one process per core (`workers`).

    Laying a pack out takes WeasyPrint a second or more of one core, and nothing in it is shared
    between packs that would make a second pack cheaper in the same process (a shared font
    configuration and pre-parsed stylesheets were measured: no gain), so `--all` prints on every
    core. The workers are started fresh (spawn), not forked: a fork would carry the parent's copy
    of the whole portfolio into each of them. At most two packs per worker wait in the queue, and
    the workers are replaced by fresh ones every `PACKS_PER_WORKER` packs (`_printed`), so memory
    stays flat however many packs there are."""
    workers = workers or cores()
    if workers <= 1:
        for html in htmls:
            yield pdf(html, css, paper)
        return
    _weasyprint()  # the missing library is told here, not by each worker
    htmls = iter(htmls)
    for first in htmls:
        yield from _printed(chain([first], islice(htmls, workers * PACKS_PER_WORKER - 1)), css, paper, workers)


PACKS_PER_WORKER = 40
"""Packs a worker prints before it makes way for a fresh one. A WeasyPrint process keeps some of every
pack it lays out (measured: ~0.4 MB a pack, a shared font configuration or not), so each worker of a
1,000-account `--all` would grow by some 200 MB; a fresh worker costs about half a second (starting
Python and importing WeasyPrint), one pack's time in forty."""


def _printed(htmls: Iterable[str], css: str, paper: str, workers: int) -> Iterator[bytes]:
    """`htmls` printed in order by a pool of `workers` processes of their own, shut down after.

    A pool per batch, not `ProcessPoolExecutor(max_tasks_per_child=…)`: on Python 3.11 and 3.12
    that executor stops replacing a worker that has reached its limit while tasks are queued, and
    `--all` then hangs (CPython issue 115634)."""
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
    weasyprint = _weasyprint()
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


def _weasyprint():
    """WeasyPrint, imported (MissingLibrary when it is not installed).

    On Linux, importing it is made a fifth of a second quicker (a tenth of a one-pack PDF): WeasyPrint
    opens each system library (Pango, HarfBuzz, fontconfig…) by trying several names in turn, and for
    each name that does not open, cffi asks `ctypes.util.find_library`, which runs `ldconfig` and then
    `gcc` in a subprocess. Each list also names the library's Linux file name, which the dynamic
    loader opens directly, so the search is left out while WeasyPrint is imported; if a library is
    then not found (one installed where only that search looks), the import is made again with it."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return need("weasyprint", "pdf", "pdf")
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        return need("weasyprint", "pdf", "pdf")
    except OSError:
        pass
    finally:
        ctypes.util.find_library = search
    return need("weasyprint", "pdf", "pdf")


def _not_searched(name: str) -> None:
    """`ctypes.util.find_library` while WeasyPrint is imported on Linux: no library is searched for."""
    return None


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
