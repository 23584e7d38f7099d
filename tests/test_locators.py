"""The two fast locators give exactly the positions of the reference reader's node tree.

Files read by the fast path carry no positions; when they have findings, `_linescan` (reading lines,
for the usual shapes of plans) or else `_locator` (libyaml's event stream) finds them. Both must
agree with `_yaml.Document.locate` on every path, including paths that do not exist.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES

from kaplan.reading import fastyaml as _fastyaml

from kaplan.reading import linescan as _linescan

from kaplan.reading import locator as _locator

from kaplan.reading import document as _yaml


def all_paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from all_paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from all_paths(v, (*prefix, i))


def assert_same_positions(text: str, rng: random.Random) -> None:
    doc = _yaml.parse(text)
    paths = list(all_paths(doc.data))
    paths += [(*p, "missing") for p in paths[:40]] + [(*p, 0) for p in paths[:40] if isinstance(p[-1:], tuple)]
    rng.shuffle(paths)
    for start in range(0, len(paths), 4):
        group = paths[start:start + 4]
        for found in (_linescan.positions(text, group), _locator.positions(text, group)):
            if found is None:
                continue
            for path in group:
                for key in (False, True):
                    assert _locator.locate(found, path, key) == doc.locate(path, key), (path, key)


@pytest.mark.parametrize("path", sorted((EXAMPLES / "plans").glob("*.yaml")), ids=lambda p: p.stem)
def test_examples(path):
    text = path.read_text(encoding="utf-8")
    assert _linescan.positions(text, [("actions", 0, "due")]) is not None, "examples are in the line subset"
    assert_same_positions(text, random.Random(path.stem))


def test_template_output(kaplan, tmp_path):
    kaplan("new", "acme", "--today", "2026-11-24", cwd=tmp_path)
    assert_same_positions((tmp_path / "plans" / "acme.yaml").read_text(), random.Random(1))


words = st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True)
scalars = st.sampled_from(["x", "1", "2026-01-05", "'q'", '"d q"', "a b", "[]", "{}", "[1, 2]", "{a: 1, b: [x, y]}",
                           "|\n  block\n  text", ">-\n  folded", "text # comment", "'it''s'", "http://x.y/z"])


@st.composite
def documents(draw, depth=0):
    lines = []
    keys = draw(st.lists(words, min_size=1, max_size=4, unique=True))
    for key in keys:
        kind = draw(st.sampled_from(["scalar", "map", "seq", "seqmap"] if depth < 2 else ["scalar"]))
        if kind == "scalar":
            value = draw(scalars).replace("\n", "\n" + "  " * depth + "  ") if "\n" in draw(scalars) else draw(scalars)
            value = value if "\n" not in value else value.replace("\n", "\n" + "  " * depth)
            lines.append(f"{key}: {value}")
        elif kind == "map":
            inner = draw(documents(depth + 1))
            lines.append(f"{key}:")
            lines.extend("  " + line for line in inner.split("\n"))
        elif kind == "seq":
            lines.append(f"{key}:")
            for item in draw(st.lists(scalars.filter(lambda s: "\n" not in s), min_size=1, max_size=3)):
                lines.append(f"  - {item}")
        else:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(1, 3))):
                inner = draw(documents(depth + 2)).split("\n")
                lines.append("  - " + inner[0])
                lines.extend("    " + line for line in inner[1:])
        if draw(st.booleans()):
            lines.append("  " * 0 + "# a comment")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_generated_documents(text):
    text += "\n"
    if _fastyaml.load(text) is None:
        return
    assert_same_positions(text, random.Random(0))


AWKWARD = {
    "comments and blank lines at any indentation": (
        "# head\n\na:\n  # c\n  b: 1\n    # deeper\n\n  c:\n      # far\n    - x\n  #\n    - y\n   \n  d: 2\n"
        "# mid\ne: [1, 2]\n"),
    "a sequence at its key's indentation": "b: 1\na:\n- x\n- k: v\n  j: w\n- - y\n  - z\n",
    "keys after a sequence at its key's indentation": (
        "a:\n- x\n- k: v\n  j: w\nb: 1\nc:\n- - y\n  - z\n-\n  - w\nd:\n  e:\n  - 1\n  f: 2\n"),
    "nodes that start after a dash": "a:\n  - - - x\n      - y\n    - z\n  - k: v\n    j:\n      - 1\n  - k:\n      - 2\n  - {f: g}\n",
    "block scalars skipped over": "a: |\n  # not a comment\n  b: not a key\n\n  x\nb:\n  c: >-\n    - not an item\n  d: 1\n",
    "no newline at the end": "a:\n  b:\n    - 1\n    - 2",
    "long subtrees between siblings": "a:\n" + "".join(f"  k{i}:\n    - {i}\n    - x: {i}\n" for i in range(40)) + "b: 1\n",
}


@pytest.mark.parametrize("name", AWKWARD)
def test_awkward_but_supported_shapes(name):
    text = AWKWARD[name]
    paths = list(all_paths(_yaml.parse(text).data))
    assert _linescan.positions(text, paths) is not None, "in the line subset"
    assert_same_positions(text, random.Random(name))


@pytest.mark.parametrize("path", sorted((EXAMPLES / "plans").glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_rewritten_with_sequences_at_their_keys_indentation(path):
    """A common hand-written style: `actions:` then `- id: …` at the same indentation."""
    indentless = _dedent_top_level_lists(path.read_text(encoding="utf-8"))
    assert indentless != path.read_text(encoding="utf-8")
    paths = list(all_paths(_yaml.parse(indentless).data))
    assert _linescan.positions(indentless, paths) is not None, "in the line subset"
    assert_same_positions(indentless, random.Random(path.stem))


def _dedent_top_level_lists(text: str) -> str:
    """Move each list that is the value of a top-level key two columns left, to the key's column."""
    out, inside = [], False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line and not line.startswith((" ", "#")):
            following = next((n for n in lines[i + 1:] if n.strip() and not n.lstrip().startswith("#")), "")
            inside = line.rstrip().endswith(":") and following.startswith("  - ")
        elif inside and line.startswith("  "):
            line = line[2:]
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("path", sorted((EXAMPLES / "plans").glob("*.yaml")), ids=lambda p: p.stem)
def test_paths_read_together_or_one_by_one(path):
    """One call reads each node once for all its paths; that gives what one call per path gives."""
    text = path.read_text(encoding="utf-8")
    paths = list(all_paths(_yaml.parse(text).data))
    paths += [(*p, "missing") for p in paths[::7]]
    random.Random(path.stem).shuffle(paths)
    together = _linescan.positions(text, paths)
    one_by_one = {}
    for p in paths:
        one_by_one.update(_linescan.positions(text, [p]))
    assert together == one_by_one
