"""`_screen`: the nesting and value bounds read off a text before any parser sees it.

The bounds must never be below what a parser reads (a file past the limits would then reach the
recursive parsers), and must leave real plans to the cheap path (the fast path stays fast). The
first is a property tested against libyaml's own event stream, the second on every example plan and
on a generated portfolio; the rest are the cases a user meets, with the expected verdicts worked out.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

from conftest import EXAMPLES, REPO
from kaplan.reading import fastyaml as _fastyaml
from kaplan.reading import screen as _screen
from kaplan.reading import document as _yaml

LIMIT = 400


def read_by_libyaml(text: str) -> tuple[int, int]:
    """(deepest node, number of nodes) as far as libyaml reads the text (the root is at depth 0)."""
    depth = deepest = nodes = 0
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
                nodes += 1
                deepest = max(deepest, depth)
                depth += isinstance(event, CollectionStartEvent)
    except Exception:
        pass
    return deepest, nodes


def bounds(text: str, limit: int = LIMIT) -> tuple[int, int]:
    raw = text.encode("utf-8", "surrogatepass")
    return _screen.depth_bound(raw, limit), _screen.value_bound(raw)


PIECES = ["[", "]", "{", "}", "'", '"', "''", "\\", "#", " #", "\n", "\r", "\r\n", " ", "  ", "\t", "- ", "-",
          "? ", ": ", ":", ",", ", ", "a", "a: ", "ab'c", "|", ">", "|-\n", "&a ", "*a", "!t ", "---", "...",
          "\x85", "\u2028", "é", "\n  ", "\n    - ", "\n  - ", "[a, ", "{a: ", "]\n", "}\n", '"[', "']", "# ]"]
nesting = st.lists(st.tuples(st.sampled_from(PIECES), st.integers(1, 70)).map(lambda p: p[0] * p[1]),
                   max_size=30).map("".join)
"""Text made of YAML's structural pieces, some repeated many times over: brackets, indentation,
dashes, quotes, comments, block scalars and line breaks of every kind."""


def _never_below(text):
    deepest, nodes = read_by_libyaml(text)
    depth_bound, value_bound = bounds(text)
    assert depth_bound > LIMIT or deepest <= depth_bound
    assert nodes <= value_bound


def _property(examples: int):
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])(given(text=nesting)(_never_below))


test_the_bounds_are_never_below_what_libyaml_reads = _property(400)
test_the_bounds_are_never_below_what_libyaml_reads_long = pytest.mark.long(_property(20_000))


@pytest.mark.parametrize("path", sorted((EXAMPLES / "plans").glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_plan_is_cleared_by_the_cheap_bounds(path):
    text = path.read_text(encoding="utf-8")
    deepest, nodes = read_by_libyaml(text)
    depth_bound, value_bound = bounds(text, _screen.MAX_DEPTH)
    assert deepest <= depth_bound <= _screen.MAX_DEPTH
    assert nodes <= value_bound <= _screen.MAX_NODES


def test_a_generated_portfolio_is_cleared_by_the_cheap_bounds(tmp_path):
    """The plans bench/run.py times: none may need libyaml's exact count (ten times the cost)."""
    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    generate(tmp_path, 60)
    for path in sorted(tmp_path.rglob("*.yaml")):
        depth_bound, value_bound = bounds(path.read_text(encoding="utf-8"), _screen.MAX_DEPTH)
        assert depth_bound <= _screen.MAX_DEPTH and value_bound <= _screen.MAX_NODES, path.name


def verdict(text: str) -> tuple[str, int, int] | None:
    _screen._last = None
    try:
        _screen.screen(text)
    except _screen.TooCostly as e:
        return (e.rule, e.line, e.column)
    return None


@pytest.mark.parametrize("text, expected", [
    # `x` is at depth 1; the n-th `[` opens a list at depth n; the 64th list's item is at depth 65
    pytest.param("x: " + "[" * 63 + "]" * 63 + "\n", None, id="63-lists-fit"),
    pytest.param("x: " + "[" * 64 + "1" + "]" * 64 + "\n", ("too-deep", 1, 3 + 64 + 1), id="an-item-at-depth-65"),
    pytest.param("x: " + "[" * 65 + "\n", ("too-deep", 1, 3 + 65), id="65-unclosed"),
    pytest.param('x: "' + "[" * 5000 + '"\n', None, id="brackets-in-double-quotes"),
    pytest.param("x: '" + "{" * 5000 + "'\n", None, id="brackets-in-single-quotes"),
    pytest.param("x: 1  # " + "[" * 5000 + "\n", None, id="brackets-in-a-comment"),
    pytest.param("x: |\n  " + "[" * 5000 + "\n", None, id="brackets-in-a-block-scalar"),
    pytest.param("x: a" + "[" * 5000 + "\n", None, id="brackets-in-plain-text"),
    # a quote inside a word is text: the brackets after it are real
    pytest.param("x: [O'Brien, " + "[" * 70 + "\n", ("too-deep", 1, 13 + 64), id="apostrophe-then-brackets"),
    # closing brackets inside quotes close nothing
    pytest.param("x: [" + '"]", ' * 70 + "[" * 70 + "\n", ("too-deep", 1, 5 + 70 * 5 + 63),
                 id="quoted-closers-then-brackets"),
    # the key on line n (counting from 0) is in a mapping at depth n: its value is at depth n + 1
    pytest.param("".join(" " * i + "a:\n" for i in range(63)) + " " * 63 + "a: 1\n", None, id="64-indented-keys"),
    pytest.param("".join(" " * i + "a:\n" for i in range(66)), ("too-deep", 65, 65), id="66-indented-keys"),
    pytest.param("- " * 64 + "x\n", None, id="64-dashes"),
    pytest.param("- " * 65 + "x\n", ("too-deep", 1, 2 * 65 + 1), id="65-dashes"),
    # the list and its items: 250,000 values with 249,999 items; the 250,000th item is value 250,001
    pytest.param("-\n" * 249_999, None, id="250000-values"),
    pytest.param("-\n" * 250_000, ("too-large", 250_000, 2), id="250001-values"),
])
def test_verdicts(text, expected):
    assert verdict(text) == expected


def test_the_reference_reader_gives_the_screen_s_finding():
    with pytest.raises(_yaml.YamlProblem) as caught:
        _yaml.parse("x: " + "[" * 50_000 + "\n")
    assert (caught.value.rule, caught.value.line, caught.value.column) == ("too-deep", 1, 68)


def test_the_fast_path_declines_what_the_screen_refuses():
    assert not _fastyaml.takes("x: " + "[" * 50_000 + "\n")
    assert _fastyaml.load("- " * 100_000 + "x\n") is None  # yaml-rs itself crashes on this one
