"""The fast read path gives exactly the data of the reference reader, or declines.

Whenever `_fastyaml.load` returns data, it must equal what `_yaml.parse` produces, type for type
(True is not 1, 1.0 is not 1, a date is not a string). It may decline (None) as often as it likes.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES

from kaplan import _fastyaml, _yaml

pytestmark = pytest.mark.skipif(not _fastyaml.available(), reason="yaml-rs has no wheel for this platform")


def typed(value):
    """A comparable form that keeps types apart (and NaN equal to itself)."""
    if isinstance(value, dict):
        return ("dict", sorted((repr(typed(k)), typed(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def same_or_declined(text: str) -> bool:
    fast = _fastyaml.load(text)
    if fast is None:
        return True
    try:
        reference = _yaml.parse(text).data
    except _yaml.YamlProblem as problem:
        pytest.fail(f"fast path accepted text the reference refuses ({problem.rule}: {problem.message}):\n{text}")
    assert typed(fast) == typed(reference), text
    return False


@pytest.mark.parametrize("path", sorted((EXAMPLES / "plans").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_reads_the_same_through_the_fast_path(path):
    text = path.read_text(encoding="utf-8")
    assert not same_or_declined(text), "the fast path should take every example plan"


TRICKY = [
    "no", "yes", "on", "off", "y", "n", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL", "~", "",
    "0", "-0", "+1", "012", "0o17", "0o8", "0x1F", "-0x1F", "0b101", "1_000", "1__0", "0x_1", "1e3", "1E3", "1e400",
    "-1e400", ".inf", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "1.", ".5", "-.5", "6.8523015e+5", "0.1_0", "1.0e+3",
    "2026-01-01", "2026-1-5", "2026-02-30", "2026-13-01", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "2026-01-01T10:00:00", "2026-01-01T10:00:00Z", "12:30", "1:20:30", "190:20:30",
    "'quoted'", '"double"', '"2026-01-01"', "'2026-01-01'", '"\\u00e9t\\u00e9"', '"a\\tb"', "'it''s'", "a: b",
    "R & D", "x #not comment", "x#y", "-", "- x", "[]", "{}", "[1, 2]", "{a: 1}", "@x", "`x`", "%x", "=", "<<",
    "Kovač", "数据", "🙂", "a\\b", "'multi\n  line'", "|\n  block\n  text", ">\n  folded\n  text", "0.", "00",
    "+.5", "1_0.5", "0o", "0x", "12e", "1e-3", "-", "...", "---",
]
scalars = st.one_of(st.sampled_from(TRICKY), st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=12))
keys = st.one_of(st.sampled_from(["a", "b", "name", "2026", "1", "true", "null", "x y", "revenue"]),
                 st.from_regex(r"[a-z_]{1,8}", fullmatch=True))


def render(entries) -> str:
    lines = []
    for key, values in entries:
        if len(values) == 1:
            lines.append(f"{key}: {values[0]}")
        else:
            lines.append(f"{key}:")
            lines.extend(f"  - {v}" for v in values)
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(keys, st.lists(scalars, min_size=1, max_size=3)), min_size=1, max_size=6))
@example([("a", ["2026-02-30"])])
@example([("a", ['"2026-01-01"'])])
@example([("a", ["!!python/object:os.system x"])])
def test_fast_path_agrees_with_the_reference_or_declines(entries):
    same_or_declined(render(entries))


def test_declines_what_it_cannot_read_identically():
    for text in ["a: !!python/object/apply:os.system ['x']\n", "a: &x 1\nb: *x\n", "b: &b {x: 1}\nd:\n  <<: *b\n",
                 "a: 1\n---\nb: 2\n", "a: 2026-02-30\n", "a:\tb\n", "a: \x07\n", "- 1\n", "just text\n"]:
        assert _fastyaml.load(text) is None, text
    assert _fastyaml.load("a: R & D, done\nd: 2026-01-05\n") == {"a": "R & D, done", "d": dt.date(2026, 1, 5)}
