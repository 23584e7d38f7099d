"""Plan text never becomes a live link in Markdown output, not even one a git host makes by itself.

GitHub turns `https://…`, `www.…` and `user@example.com` into links with no markup at all (GFM's
autolinks), and markdown-it's linkify goes further (`evil.com`, `//host`). Every Markdown output —
both packs, `score --format markdown`, `score --budget --format markdown`, `risk --format markdown`
— is rendered here with GitHub's own parser (cmark-gfm, through cmarkgfm) and with markdown-it-py
plus linkify, and must hold no link, while still reading exactly as the plan is written.
"""

from __future__ import annotations

import html
import os
import re

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from _report_repo import ACCOUNT, copy_plain, poison
from conftest import TODAY

from kaplan.views.text import md

LINKS = "https://evil.example/x?a=1 www.evil.example WWW.EVIL.COM evil.com //evil.com/p ftp://evil.example " \
        "mailto:ceo@evil.example xmpp:bot@evil.example user@example.com http://127.0.0.1:8080/"


def github(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def linkify(markdown: str) -> str:
    return MarkdownIt("gfm-like", {"linkify": True}).render(markdown)


def shown(page: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, the invisible word joiner dropped."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u2060", "").split())


@pytest.mark.parametrize("render", [github, linkify], ids=["github", "linkify"])
@pytest.mark.parametrize("text", LINKS.split() + [LINKS, "see www.x.org, or mail a.b+c@d-e.co.uk.", "www.@"])
def test_md_shows_links_as_text(render, text):
    page = render("| a |\n|---|\n| " + md(text) + " |\n\n" + md(text) + "\n")
    assert "<a" not in page, page
    assert shown(page) == f"a {text} {text}"


# what autolinks are made of, and what md() escapes anyway
PIECES = ["https://", "http://", "ftp://", "//", "www.", "WWW.", "mailto:", "xmpp:", "@", ".", ".com", ".org",
          ".de", "evil", "example", "x", "1", "_", "-", "+", "/", ":", " ", "(", ")", "*", "~", "<", ">", "[", "]",
          "!", "\\", "#", "é", "=", "?q=1", "&", "%", "|", "`", "&amp;", "&#64;", "www", "://", "&#x2e;", "é="]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join))
def test_no_text_made_of_link_parts_becomes_a_link(text):
    for render in (github, linkify):
        page = render("x " + md(text))
        assert "<a" not in page, (render.__name__, text, md(text), page)
        # as written, but `##[`, which a CI log runs as a command wherever it stands (shown `#\x23[`)
        written = " ".join(("x " + text).split()).replace("##[", "#\\x23[")
        assert shown(page) == written, (render.__name__, text, md(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_no_text_at_all_becomes_a_link(text):
    for render in (github, linkify):
        assert "<a" not in render("x " + md(text))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every Markdown output kaplan writes, from the report fixture with LINKS in every free-text field."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    folder = copy_plain(tmp_path_factory.mktemp("links") / "portfolio")
    assert poison(folder, LINKS) > 60
    runs = {"account pack": ["report", ACCOUNT, "--format", "md"], "portfolio pack": ["report", "--portfolio", "--format", "md"],
            "score": ["score", "--format", "markdown"], "budget": ["score", "--budget", "--format", "markdown"],
            "risk": ["risk", "--format", "markdown"]}
    out, cwd = {}, os.getcwd()
    try:
        os.chdir(folder)
        for name, args in runs.items():
            r = CliRunner().invoke(app, [*args, "--today", TODAY.isoformat()], catch_exceptions=False)
            assert r.exit_code == 0, r.output
            out[name] = r.stdout
    finally:
        os.chdir(cwd)
    return out


@pytest.mark.parametrize("name", ["account pack", "portfolio pack", "score", "budget", "risk"])
@pytest.mark.parametrize("render", [github, linkify], ids=["github", "linkify"])
def test_no_markdown_output_links_to_what_a_plan_says(outputs, name, render):
    page = render(outputs[name])
    assert not re.findall(r"<a\s[^>]*>", page), re.findall(r"<a\s[^>]*>.{0,40}", page)[:3]
    assert LINKS in shown(page)  # the text itself is shown as written
