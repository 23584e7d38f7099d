"""The quick in-text edits (`_textedit`) change the edited values' lines and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import EXAMPLES
from kaplan.reading import fastyaml as _fastyaml
from kaplan.writing import roundtrip as _roundtrip
from kaplan.writing import textedit as _textedit

FILES = sorted((EXAMPLES / "plans").glob("*.yaml"))


def leaves(data, at=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from leaves(v, (*at, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from leaves(v, (*at, i))
    else:
        yield at, data


def new_value(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, float):
        return value + 0.25
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=3)
    if isinstance(value, str):
        return value + " (updated), #2: 'x'"
    return None


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_quick_edits_change_only_the_edited_lines_and_read_back_exactly(path):
    text = path.read_text(encoding="utf-8")
    data = _fastyaml.load(text)
    candidates = [(at, new_value(v)) for at, v in leaves(data) if new_value(v) is not None]
    # every edit the quick path takes on its own (one value on each line, so lines map to edits)
    edits, lines = [], set()
    for at, value in candidates:
        one = _textedit.edit(text, [(at, value)], data)
        if one is None:
            continue
        changed = [i for i, (a, b) in enumerate(zip(text.splitlines(), one.splitlines())) if a != b]
        if len(changed) == 1 and changed[0] not in lines:
            lines.add(changed[0])
            edits.append((at, value))
    assert len(edits) >= len(candidates) // 3  # most one-line values are edited in place
    periods = data["financials"]["periods"]
    edits.append((("financials", "periods", len(periods)), {"period": "2031-Q4", "revenue": 1000, "note_x": "a, b"}))
    quick = _textedit.edit(text, edits, data)
    assert quick is not None
    old, new = text.splitlines(), quick.splitlines()
    added = [i for i, line in enumerate(new) if "2031-Q4" in line]
    assert len(added) == 1 and len(new) == len(old) + 1  # the appended entry is one flow line
    del new[added[0]]
    assert {i for i, (a, b) in enumerate(zip(old, new)) if a != b} == lines  # each edited line, nothing else
    expected = _roundtrip._read_quick(text)
    for at, value in edits:
        _roundtrip._put(expected, at, value)
    got = _roundtrip._read_quick(quick)
    assert _roundtrip._same(got, expected)
