"""The quick way to make the edits an import makes most: straight in the text, a few characters each.

ruamel.yaml's round trip (`_roundtrip`) can make any edit, but loading and dumping a plan costs
tenths of a second; an import into a thousand plans cannot pay that per plan. Most of what an
import does is one of two things, both of which can be done on the lines themselves:

- replace a one-line scalar that is there (`revenue: 100000` → `revenue: 115000`), keeping its
  quoting, its comment and everything around it;
- append entries to a block sequence that has entries (a new period, contact or opportunity),
  right after the last entry's own lines — before any blank lines or comments that follow — in the
  style of that entry (`- {period: …}` on one line, or a block mapping at its indentation).

Positions come from `_linescan` (reading only the lines on the way). Anything else — a key to add
to a mapping, a multi-line value, an empty list — returns None, and `_roundtrip` makes the edit its
own way. The caller checks the result, as every edit is checked: the text read back must hold the
old data with exactly these changes.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from kaplan.reading import linescan as _linescan
from kaplan.writing import scalars

_FLOW_UNSAFE = set(",[]{}#&*!|>'\"%@`?:")
"""Characters that make a plain value unreadable inside `{…}` or `[…]` to libyaml, though fine in a
block (`y?` and `a:b` among them): such a value is written quoted there."""


def edit(text: str, edits: list[tuple[tuple, Any]], data: Any) -> str | None:
    """`text` with `edits` made (`data` is its data as read), or None when an edit is not of a kind done here."""
    if "\r" in text or "\t" in text:
        return None
    appends: dict[tuple, list] = {}
    replaces: list[tuple[tuple, Any]] = []
    for at, value in edits:
        parent = _get(data, at[:-1])
        if isinstance(parent, list) and isinstance(at[-1], int) and at[-1] >= len(parent):
            if not parent or at[-1] != len(parent) + len(appends.get(at[:-1], [])):
                return None
            appends.setdefault(at[:-1], []).append(value)
        elif isinstance(parent, dict) and at[-1] in parent and not isinstance(parent[at[-1]], (dict, list)) \
                and not isinstance(value, (dict, list)):
            replaces.append((at, value))
        else:
            return None
    wanted = [at for at, _ in replaces] + [(*at, len(_get(data, at)) - 1) for at in appends]
    found = _linescan.positions(text, wanted)
    if found is None:
        return None
    starts = _line_starts(text)
    spans: list[tuple[int, int, str]] = []
    for at, value in replaces:
        span = _scalar_span(text, starts, found.get(at))
        if span is None:
            return None
        start, end, style, flow = span
        spans.append((start, end, _render(value, style, flow)))
    for at, values in appends.items():
        spot = _append_spot(text, starts, found.get((*at, len(_get(data, at)) - 1)), values)
        if spot is None:
            return None
        spans.append(spot)
    spans.sort(key=lambda s: s[0], reverse=True)
    last = None
    for start, end, new in spans:
        if last is not None and end > last:
            return None  # overlapping edits: not here
        text = text[:start] + new + text[end:]
        last = start
    return text


def _get(data: Any, at: tuple) -> Any:
    for part in at:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _line_starts(text: str) -> list[int]:
    starts, i = [0], text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _scalar_span(text: str, starts: list[int], mark) -> tuple[int, int, str | None, bool] | None:
    """(start, end, quote style, inside a flow collection) of the one-line scalar at `mark`."""
    if mark is None:
        return None
    line, col = mark[1]
    begin = starts[line - 1]
    end_of_line = text.find("\n", begin)
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    start = begin + col - 1
    head = text[begin:start]
    flow = head.count("{") + head.count("[") > head.count("}") + head.count("]")
    ch = text[start:start + 1]
    if ch == "'":
        i = start + 1
        while True:
            i = text.find("'", i, end_of_line)
            if i < 0:
                return None
            if text.startswith("''", i):
                i += 2
                continue
            return start, i + 1, "'", flow
    if ch == '"':
        i = start + 1
        while i < end_of_line:
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return start, i + 1, '"', flow
            i += 1
        return None
    if ch in "|>[{&*!" or not ch or ch == "\n":
        return None
    end = end_of_line
    comment = text.find(" #", start, end_of_line)
    if comment >= 0:
        end = comment
    if flow:
        for stop in ",}]":
            j = text.find(stop, start, end)
            if j >= 0:
                end = j
    while end > start and text[end - 1] == " ":
        end -= 1
    # a plain scalar that goes on to the next line is not one-line
    nxt = end_of_line + 1
    if not flow and nxt < len(text):
        following = text[nxt:text.find("\n", nxt) if text.find("\n", nxt) >= 0 else len(text)]
        indent = len(following) - len(following.lstrip(" "))
        stripped = following.strip()
        if stripped and not stripped.startswith("#") and indent > col - 1 and ":" not in stripped \
                and not stripped.startswith("-"):
            return None
    return start, end, None, flow


@functools.lru_cache(maxsize=4096)
def _plain_ok(value: str) -> bool:
    """Whether `value` reads back as this text unquoted (an import writes the same labels many times)."""
    return scalars.plain_ok(value)


def _render(value: Any, style: str | None, flow: bool) -> str:
    if isinstance(value, str):
        if style == "'" and "'" not in value and value.isprintable():
            return f"'{value}'"
        if style is None and _plain_ok(value) and not (flow and _FLOW_UNSAFE & set(value)):
            return value
        return json.dumps(value, ensure_ascii=False)
    return scalars.scalar_text(value, style)


def _append_spot(text: str, starts: list[int], mark, values: list) -> tuple[int, int, str] | None:
    """Where and what to insert to append `values` after the sequence entry at `mark`."""
    if mark is None or not all(isinstance(v, dict) and v for v in values):
        return None
    line, col = mark[1]
    begin = starts[line - 1]
    line_text = text[begin:text.find("\n", begin) if text.find("\n", begin) >= 0 else len(text)]
    dash = line_text.rfind("-", 0, col - 1)
    if dash < 0 or line_text[:dash].strip() or line_text[dash + 1:col - 1].strip():
        return None  # not `  - value` with only spaces around the dash
    flow_entry = line_text[col - 1:].startswith("{") and line_text.split(" #")[0].rstrip().endswith("}")
    if not flow_entry and not _linescan._KEY_AT.match(line_text, col - 1):
        return None
    # the entry's own lines: this one and those indented deeper than the dash (blank lines and comments
    # between them included), up to the last such content line
    end = begin + len(line_text) + 1
    i = line
    while i < len(starts):
        s = starts[i]
        nl = text.find("\n", s)
        row = text[s: nl if nl >= 0 else len(text)]
        stripped = row.strip()
        if stripped and not stripped.startswith("#"):
            if len(row) - len(row.lstrip(" ")) <= dash:
                break
            end = (nl + 1) if nl >= 0 else len(text)
        i += 1
    if end > len(text):
        return None  # the file has no newline after the entry
    pieces = []
    for value in values:
        if flow_entry and all(not isinstance(v, (dict, list)) for v in value.values()):
            inner = ", ".join(f"{k}: {_render(v, None, True)}" for k, v in value.items())
            pieces.append(" " * dash + "- {" + inner + "}\n")
        else:
            if any(isinstance(v, (dict, list)) for v in value.values()):
                return None
            keys = list(value.items())
            lines = [" " * dash + "-" + " " * (col - 2 - dash) + f"{keys[0][0]}: {_render(keys[0][1], None, False)}"]
            lines += [" " * (col - 1) + f"{k}: {_render(v, None, False)}" for k, v in keys[1:]]
            pieces.append("\n".join(lines) + "\n")
    return end, end, "".join(pieces)
