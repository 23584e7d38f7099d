"""The fast read path gives exactly the data of the reference reader, or declines.

Whenever `_fastyaml.load` returns data, it must equal what `_yaml.parse` produces, type for type
(True is not 1, 1.0 is not 1, a date is not a string). It may decline (None) as often as it likes.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES

from kaplan.reading import fastyaml as _fastyaml

from kaplan.reading import document as _yaml

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


# `_declines` is built for speed: cheap tests first, one pass for the date-shaped tests with the exact
# tests behind it. These pin its answers case by case and hold each shortcut to what it stands for.
DECLINED = [
    "a: 1\n--- \nb: 2\n", "---\na: 1\n", "a: 1\n...\n", "...\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n%x\n",
    "? a\n: 1\n", "  ? x\n", "a: 1\n?\n", "a: 1\n?", ": x\n", ":", "a:\n- : x\n", "a: {: x}\n", "a: [: x]\n",
    "a: [b,: x]\n", "a :\n", "a: 1\nb :", "a: '2026-01-01'\n", 'a: "2026-01-01"\n', "a: '  2026-1-1'\n",
    'a: "   2026-01-01"\n', "a: 'x' 2026-01-01\n", "a: 2026-01-01T10:00:00\n", "a: 2026-01-01t1\n",
    "a: 2026-01-01 10:00\n", "a: 2026-1-1   1\n", "a: x-1-1T\n", "a: 2026-02-30\n", "a: 2025-02-29\n",
    "a: 1900-02-29\n", "a: 2100-2-29\n", "a: 0000-01-01\n", "a: 2026-13-01\n", "a: 2026-00-10\n", "a: 2026-1-32\n",
    "a: 2026-04-31\n", "a: 2026-4-0\n", "a: [2026-06-31]\n", "a: —2026-02-30\n", "a: é2026-02-30\n", "2026-02-30\n",
    "a: 2026-02-30 # c\n", "a: 2026-02-30,\n", "a: 2026-02-30é\n", "a: \x00\n", "a: \x7f\n", "a: \x85\n", "a: \x9f\n",
    "a: \u2028\n", "a: \u2029\n", "\ufeffa: 1\n", "a: \x1b\n", "a: &x 1\n", "a: !x\n", "a: [*x]\n", "a: |\n",
    "a: >\n\n", "a: |2 # c\n", "a: x\tb\n", "a: <<\n",
    "a: {b: https://x}\n", "a: [x:y]\n", "a: {b: 10:30}\n", "a: [a, b:c]\n", "a: [a,\n  b:c]\n", "a: {b:}\n",
    "a: [1]\nb: 10:30\n",
    # numbers yaml-rs reads and the reference reader takes for text
    "a: _280000\n", "a: -.5e3\n", "a: .5e3\n", "a: 1e_3\n", "a: 1e3_\n", "a: [__1]\n", "a: -_.5\n", "a:\n  - 0_E0_\n",
    "_1: x\n", "a: 10:00:00\n", "a: [00:00:00.5]\n", "12:30:00: x\n", "a: 0X1F\n", "a: 0O17\n", "a: 0B1\n",
    "a: .iNf\n", "a: -.iNF\n", "a: [.nAn]\n", "a: 0x_\n", "a: 0o_\n", "a: 0b_\n",
    # in a flow collection libyaml takes any `?` for a key and refuses `|>` where a value starts
    "a: [?x]\n", "a: [x, ?y]\n", "a: [x?y]\n", "a: {b: x ?y}\n", "a: [|x]\n", "a: [x, >y]\n", "a: {b: >-}\n",
    "a: [x,\n  ?y]\n", "a: [x,\n  y]\n", "a: [it's, 'x], y', ?z]\n", "a: {b: [c, ?d]}\n",
    # a collection as a key: a tuple or frozenset to yaml-rs, refused by the reference
    "[a]: b\n", "a: {[b]: c}\n", "a: { []}\n", "a: {b: c, {d: e}}\n", "a: [[b]: c]\n",
    # block scalars: a date yaml-rs finds in one that strips its line break, a line break it adds at the end
    "a: >-\n  2026-01-01\n", "a: |-\n  2026-01-01\n", "a: |2-\n  2026-01-01\n", "a: >-\n\n  2026-01-01 10:00\n",
    "a: |\n  x", "a: >\n  2026-01-01",
    # an escape that may spell a date; a date and a time folded into one plain value; CR line breaks
    'a: "\\x32026-01-01"\n', "a: 2026-01-01\n  10:00\n", "a: 1\r\n:\r\n", "a: 1\r?\r", "a: 1\rb: 2\r",
]
TAKEN = [
    "a: 1\n-- x\n", "a: x---y\n", "a: what?\n", "a: a?b\n", "a: 1\n?x\n", "a: x: y\n", "a: 10:30\n", "a: {b: 1}\n",
    "a: it's 2026\n", "a: 2026-01-01 x\n", "a: 2026-01-01\n", "a: 2024-02-29\n", "a: 2000-02-29\n", "a: 2400-2-29\n",
    "a: 2026-12-31\n", "a: 2026-1-1\n", "a: [2026-06-30, 2026-07-31]\n", "a: x2026-02-30\n", "a: 12026-02-30\n",
    "a: 2026-02-30x\n", "a: 2026-02-30:\n", "a: 2026-02-301\n", "a: 2026-02-30.\n", "a: 2026-02-30-\n",
    "a: -2026-02-30\n", "a: 2027-2031\n", "a: \xa0\n", "a: \r\n", "a: R & D\n", "a: x!\n", "a: 5 * 3\n", "a: 15%\n",
    "a: wait...\n", "a: x ... y\n", "a: |\n  text\n", "a: >-\n  t\n", "a: a<b\n", "- 1\n",
    "a: https://x\nb: 1\n", "a: 10:30\nb: [1, 2]\n",
    "a: snake_case_1\n", "a: v1.5e\n", "a: 1.5e3\n", "a: 0.5\n", "a: file_e_x\n", "a: .inf\n", "a: -.Inf\n",
    "a: .NaN\n", "a: 0x1F\n", "a: 1:20:30\n", "a: the .info file\n",
    "a: [x, y]\n", "a: {b: [1, 2], c: {d: []}}\n", "a: [[a], [b, [c, {d: e}]]]\n", "a: ['what?', 'it''s']\n",
    "a: [x >y, a|b]\n", "a: {b: CEO's plan, c: '%'}\n", "a: [ 'x',  \"y\",   z]\n", "a: {b: [c]}  # d\n",
    "notes: see [1] and [2]\n", "a: x?\n", "a: ?x\n", "a: >-\n  text\n", "a: |-\n  in 2026\n",
    "a: >-\n  text\nb: 1\n", "a: 2026-01-01\nb: 2\n", "a: 1\r\nb: [x]\r\n",
]


FLOW_WORDS = ["a", "x y", "CEO's", "1", "-1", "2026-01-01", "10:00", "null", "?", "?x", "x?", "|", "|x", ">", ">-",
              "x >y", "#", "x #c", "x#y", "-", ":", "a: b", "a:b", "%", "@", "!", "&a", "*a", "'q'", '"q"', "'it''s'",
              "'x?'", "'a], b'", '"]"', "'['", "", " "]


def _flows(inner):
    """A sequence or mapping of `inner` values, written with the spacing, breaks and mismatches plans
    (and typos) have."""
    entry = st.one_of(inner, st.tuples(st.sampled_from(FLOW_WORDS + ["[k]", "{k: v}"]),
                                       st.sampled_from([": ", ":", " : ", ":\n  "]), inner).map("".join))
    separator = st.sampled_from([", ", ",", " , ", ",\n  ", "\n  , ", ", #c\n  "])
    end = st.sampled_from(["", ",", " ", "\n  ", " #c\n  "])
    return st.tuples(st.sampled_from(["[]", "{}", "[}", "{]"]), st.sampled_from(["", " ", "\n  "]),
                     st.lists(st.tuples(entry, separator), max_size=4), end).map(
        lambda t: t[0][0] + t[1] + "".join(e + s for e, s in t[2])[:-len(t[2][-1][1]) or None] + t[3] + t[0][1]
        if t[2] else t[0][0] + t[1] + t[3] + t[0][1])


flow_values = st.recursive(st.sampled_from(FLOW_WORDS), _flows, max_leaves=8)
block_scalars = st.tuples(
    st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2-", ">-2", "|-  # c"]),
    st.lists(st.tuples(st.sampled_from(["  ", "   ", "    ", ""]),
                       st.sampled_from(["2026-01-01", "10:00:00", "text", "2026-01-01 10:00", "", "1", "[a, ?b]"])),
             max_size=3),
).map(lambda t: t[0] + "".join(f"\n{indent}{line}" for indent, line in t[1]))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "competitors", "[k]", "{k: v}", "- a"]),
                          st.one_of(flow_values, block_scalars)), min_size=1, max_size=3),
       st.sampled_from(["\n", "", "\r\n", "\n#\tx\n"]))
@example([("competitors", "[Harrowgate Dairies, ?Vistula Bank]")], "\n")
@example([("competitors", "[|x]")], "\n")
@example([("name", ">-\n  2026-01-01")], "\n")
@example([("a", "{ []}")], "\n")
def test_flow_collections_and_block_scalars_read_the_same_or_are_declined(entries, ending):
    """Flow collections (nested, spread over lines, with quotes, comments, `?|>` and collections as
    keys) and block scalars (every chomping, dates, no final line break): where the readers differ
    (libyaml takes `?` in a collection for a key, yaml-rs finds dates in block scalars), the fast path
    declines."""
    same_or_declined("\n".join(f"{key}: {value}" for key, value in entries) + ending)


@pytest.mark.parametrize("text", DECLINED)
def test_declines_each_case_it_must(text):
    assert _fastyaml._declines(text)


@pytest.mark.parametrize("text", TAKEN)
def test_takes_the_look_alikes(text):
    assert not _fastyaml._declines(text)
    same_or_declined(text)


def test_the_control_character_test_is_the_documented_set():
    documented = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
    codes = [*range(0x3000), *range(0x3000, 0x110000, 0x97), 0xD800, 0xDFFF, 0xFEFF, 0xFFFE, 0xFFFF, 0x10FFFF]
    for code in codes:
        for text in (f"a{chr(code)}b", f"é€{chr(code)}", chr(code)):
            assert _fastyaml._has_control_character(text) == bool(documented.search(text)), hex(code)


def test_the_wordish_class_is_the_wordish_set():
    pattern = re.compile(f"[{_fastyaml._WORDISH_CLASS}]")
    assert {chr(c) for c in range(0x3000) if pattern.fullmatch(chr(c))} == _fastyaml._WORDISH


def test_the_real_month_day_pattern_is_the_calendar():
    real = re.compile(rf"-{_fastyaml._REAL_MONTH_DAY}(?![0-9])")
    parts = [str(i) for i in range(10)] + [f"{i:02d}" for i in range(100)]
    for year in (1, 4, 100, 400, 1600, 1700, 1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400, 9996, 9999):
        for month in parts:
            for day in parts:
                try:
                    on_calendar = bool(dt.date(year, int(month), int(day)))
                except ValueError:
                    on_calendar = False
                assert bool(real.match(f"{year:04d}-{month}-{day}", 4)) == on_calendar, (year, month, day)
    for year in range(1, 10000):
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        for february_29 in ("02-29", "2-29"):
            assert bool(real.match(f"{year:04d}-{february_29}", 4)) == leap, year


date_texts = st.lists(st.sampled_from([
    "-", "--", "---", ":", " ", "  ", "\n", "'", '"', "T", "t", "x", ".", "_", "é", "—", "#", ",", "[",
    "0", "1", "2", "9",
    "29", "30", "31", "02", "12", "13", "00", "0000", "2024", "2025", "2026", "1900", "2000",
    "2026-02-30", "2025-02-29", "2024-02-29", "2026-1-1", "2026-12-31", "2026-04-31", "0000-01-01", "k: ",
]), max_size=14).map("".join)


@settings(max_examples=600, deadline=None)
@given(date_texts)
@example("a: 2026-02-30\n")
@example("'  2026-1-1")
@example("x-1-1T")
@example("---")
def test_the_one_pass_filter_finds_every_date_problem(text):
    if _fastyaml._has_date_problem(text):
        assert _fastyaml._SUSPECT_DASH.search(text), text


@pytest.mark.parametrize("value", ["-_", "._", "+_", "-._"])
def test_signs_and_underscores_without_a_digit_are_text_to_both_readers(value):
    """YAML's number patterns let `-_` or `._` through; with no digit they are text, as the fast
    reader reads them, not a number that cannot be read."""
    same_or_declined(f"a: {value}\n")
    assert _yaml.parse(f"a: {value}\n").data == {"a": value}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="01_.eE+-xXoObBiInNfFaA:", min_size=1, max_size=9),
       st.sampled_from(["a: {}\n", "a: [{}]\n", "a:\n  - {}\n", "{}: x\n"]))
@example("_280000", "a: {}\n")
@example("-.5e3", "a: {}\n")
@example("+_.1", "a:\n  - {}\n")
def test_number_shaped_text_reads_the_same_or_is_declined(token, shape):
    """Underscores, signs, dots, exponents, base prefixes, `.inf`/`.nan` spellings and colons in every
    order, as values and as keys: where the two readers differ on what is a number or a time, the fast
    path declines."""
    same_or_declined(shape.format(token))
