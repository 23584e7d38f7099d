"""Locating values by reading a plan's lines, for the common shapes of hand-written plans.

Most plans are block mappings and sequences with scalars and one-line flow collections
(`- {id: a, due: 2026-01-01}`). For those, the position of every key and value can be read off the
lines directly, about ten times faster than running libyaml's event stream through Python. Anything
outside that subset — a multi-line flow collection, a multi-line plain or quoted scalar, a key that is
not a plain word, an empty value — makes `scan` return None, and the caller uses `_locator` instead.
A differential test holds the two to the same positions.

Positions follow libyaml: a mapping starts at its first key, a sequence at its first `-`, a quoted
scalar at its quote, and a key's position is the start of the key.
"""

from __future__ import annotations

import re

Mark = tuple[int, int]

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?=[ ,}\]])")
_PLAIN_END = re.compile(r" #|: |:$")
_FLOW_PLAIN = re.compile(r"(?:[^,\]}\[{#:]|:(?![ ,\]}]|$))*")
_SPACES = re.compile(r" *")
_NOT_TEXT = {"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"}
"""Keys that YAML reads as something other than text."""


class _Unsupported(Exception):
    pass


def positions(text: str, wanted) -> dict[tuple, tuple[Mark | None, Mark]] | None:
    """Like `_locator.positions`: the recorded positions of the wanted paths and their prefixes.

    Only the lines on the way to each path are read; sibling subtrees are skipped by indentation.
    None when the text leaves the supported subset on the way.
    """
    try:
        lines = text.split("\n")
        out: dict[tuple, tuple[Mark | None, Mark]] = {}
        first = _next_content(lines, 0)
        if first >= len(lines):
            return None
        root = (1 + first, _indent(lines[first]) + 1)
        if _indent(lines[first]) != 0:
            return None
        out[()] = (None, root)
        for path in wanted:
            _walk(lines, first, 0, (), tuple(path), out)
        return out
    except (_Unsupported, IndexError):
        return None


def _skip_subtree(lines: list[str], i: int, ind: int) -> int:
    """The next content line at indentation `ind` or less, from line i."""
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) <= ind:
            return i
        i += 1
    return i


def _walk(lines: list[str], i: int, ind: int, path: tuple, target: tuple, out: dict) -> None:
    """Follow `target` from the block node at line i (indentation ind), recording each step."""
    if not target:
        return
    part, rest = target[0], target[1:]
    body = lines[i][ind:]
    is_seq = body.startswith("- ") or body == "-"
    is_index = isinstance(part, int) and not isinstance(part, bool)
    if not is_seq and not isinstance(part, str):
        raise _Unsupported  # a key that is not text (`1:`, `true:`): left to libyaml
    if is_index != is_seq:
        return  # the path does not continue here
    if is_seq:
        j, index = i, 0
        while j < len(lines) and _indent(lines[j]) == ind and (lines[j][ind:].startswith("- ") or lines[j][ind:] == "-"):
            if index == part:
                _item(lines, j, ind, (*path, part), rest, out)
                return
            j = _skip_subtree(lines, j + 1, ind)
            index += 1
        return
    j = i
    while j < len(lines) and _indent(lines[j]) == ind and not lines[j][ind:].startswith("-"):
        m = _KEY.match(lines[j], ind)
        if not m or m.group(1) in _NOT_TEXT:
            raise _Unsupported
        if m.group(1) == part:
            _value(lines, j, ind, m, (*path, part), rest, out, (j + 1, ind + 1))
            return
        j = _skip_subtree(lines, j + 1, ind)
    return


def _value(lines: list[str], j: int, ind: int, m, path: tuple, rest: tuple, out: dict, key_mark: Mark) -> None:
    line = lines[j]
    col = _skip_spaces(line, m.end())
    tail = line[col:]
    if tail and not tail.startswith("#"):
        _inline_target(line, j, col, path, rest, out, key_mark)
        return
    k = _next_content(lines, j + 1)
    if k >= len(lines) or _indent(lines[k]) < ind or (
            _indent(lines[k]) == ind and not (lines[k][ind:].startswith("- ") or lines[k][ind:] == "-")):
        raise _Unsupported  # an empty value
    out[path] = (key_mark, (k + 1, _indent(lines[k]) + 1))
    _walk(lines, k, _indent(lines[k]), path, rest, out)


def _item(lines: list[str], j: int, ind: int, path: tuple, rest: tuple, out: dict) -> None:
    line = lines[j]
    col = _skip_spaces(line, ind + 1)
    tail = line[col:]
    if not tail or tail.startswith("#"):
        k = _next_content(lines, j + 1)
        if k >= len(lines) or _indent(lines[k]) <= ind:
            raise _Unsupported
        out[path] = (None, (k + 1, _indent(lines[k]) + 1))
        _walk(lines, k, _indent(lines[k]), path, rest, out)
    elif tail.startswith("- ") or tail == "-" or _KEY.match(tail):
        out[path] = (None, (j + 1, col + 1))
        original = lines[j]
        lines[j] = " " * col + tail
        try:
            _walk(lines, j, col, path, rest, out)
        finally:
            lines[j] = original
    else:
        _inline_target(line, j, col, path, rest, out, None)


def _inline_target(line: str, j: int, col: int, path: tuple, rest: tuple, out: dict, key_mark: Mark | None) -> None:
    """A value starting on this line: record it, and inside a one-line flow collection follow `rest`."""
    if line[col] in "[{":
        found: dict = {}
        _inline_value(line, j, col, path, found, key_mark)
        out[path] = found[path]
        for k in range(1, len(rest) + 1):
            step = (*path, *rest[:k])
            if step not in found:
                break
            out[step] = found[step]
    else:
        _inline_value(line, j, col, path, out, key_mark)


def scan(text: str) -> dict[tuple, tuple[Mark | None, Mark]] | None:
    """path → (key position or None, value position) for every node, or None outside the subset."""
    try:
        lines = text.split("\n")
        out: dict[tuple, tuple[Mark | None, Mark]] = {}
        end = _block(lines, _next_content(lines, 0), 0, (), out, None)
        if _next_content(lines, end) < len(lines):
            raise _Unsupported
        return out
    except (_Unsupported, IndexError):
        return None


def _content(line: str) -> str:
    """The line without a trailing comment (only called on lines the subset allows)."""
    stripped = line.strip()
    return "" if not stripped or stripped.startswith("#") else line


def _next_content(lines: list[str], i: int) -> int:
    while i < len(lines) and not _content(lines[i]):
        i += 1
    return i


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], i: int, min_indent: int, path: tuple, out: dict, key_mark: Mark | None) -> int:
    """Read the block node starting at line i; record it at `path`; return the next line to read."""
    if i >= len(lines):
        raise _Unsupported
    line = lines[i]
    ind = _indent(line)
    if ind < min_indent:
        raise _Unsupported
    body = line[ind:]
    out[path] = (key_mark, (i + 1, ind + 1))
    if body.startswith("- ") or body == "-":
        return _sequence(lines, i, ind, path, out)
    if _KEY.match(body):
        return _mapping(lines, i, ind, path, out)
    raise _Unsupported


def _mapping(lines: list[str], i: int, ind: int, path: tuple, out: dict) -> int:
    while i < len(lines):
        line = lines[i]
        if _indent(line) != ind or line[ind:].startswith("-"):
            break
        m = _KEY.match(line, ind)
        if not m or m.group(1) in _NOT_TEXT:
            raise _Unsupported
        key = m.group(1)
        child = (*path, key)
        if child in out:
            raise _Unsupported  # a duplicate key: the reference reader reports it
        key_mark = (i + 1, ind + 1)
        col = m.end()
        while col < len(line) and line[col] == " ":
            col += 1
        rest = line[col:]
        if rest and not rest.startswith("#"):
            if _inline_value(line, i, col, child, out, key_mark):
                i = _next_content(lines, _block_scalar_end(lines, i + 1, ind))
            else:
                i = _after_scalar(lines, i + 1, ind)
            continue
        j = _next_content(lines, i + 1)
        if j >= len(lines) or _indent(lines[j]) < ind or (
                _indent(lines[j]) == ind and not lines[j][ind:].startswith("- ") and lines[j][ind:] != "-"):
            raise _Unsupported  # an empty value: its position is libyaml's business
        i = _block(lines, j, ind, child, out, key_mark)
        i = _next_content(lines, i)
    return i


def _sequence(lines: list[str], i: int, ind: int, path: tuple, out: dict) -> int:
    index = 0
    while i < len(lines):
        line = lines[i]
        if _indent(line) != ind or not (line[ind:].startswith("- ") or line[ind:] == "-"):
            break
        child = (*path, index)
        col = ind + 1
        while col < len(line) and line[col] == " ":
            col += 1
        rest = line[col:]
        if not rest or rest.startswith("#"):
            j = _next_content(lines, i + 1)
            if j >= len(lines) or _indent(lines[j]) <= ind:
                raise _Unsupported
            i = _block(lines, j, ind + 1, child, out, None)
        elif rest.startswith("- ") or rest == "-" or _KEY.match(rest):
            # a nested node that starts on the dash's line: read it as if its line began there
            start, original = i, lines[i]
            lines[start] = " " * col + rest
            try:
                i = _block(lines, start, col, child, out, None)
            finally:
                lines[start] = original
        elif _inline_value(line, i, col, child, out, None):
            i = _block_scalar_end(lines, i + 1, ind)
        else:
            i = _after_scalar(lines, i + 1, ind)
        i = _next_content(lines, i)
        index += 1
    return i


def _after_scalar(lines: list[str], i: int, ind: int) -> int:
    """Skip comment and blank lines; a more-indented content line would continue the scalar."""
    j = _next_content(lines, i)
    if j < len(lines) and _indent(lines[j]) > ind:
        raise _Unsupported
    return j


def _block_scalar_end(lines: list[str], i: int, ind: int) -> int:
    """The line after a block scalar (`|`, `>`) whose header closed line i - 1, under a node at `ind`.

    Its content is every following line indented more than the first non-blank one's indentation
    allows, blank lines included (a `#` inside it is text, not a comment).
    """
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or _indent(lines[j]) <= ind:
        return j
    content = _indent(lines[j])
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) >= content):
        j += 1
    return j


def _inline_value(line: str, i: int, col: int, path: tuple, out: dict, key_mark: Mark | None) -> bool:
    """A value that starts on this line at `col`: a one-line flow collection or scalar, or the header
    of a block scalar (then True: its content lines follow)."""
    ch = line[col]
    out[path] = (key_mark, (i + 1, col + 1))
    if ch in "[{":
        end = _flow(line, i, col, path, out)
        tail = line[end:].strip()
        if tail and not tail.startswith("#"):
            raise _Unsupported
    elif ch in "\"'":
        end = _quoted_end(line, col)
        tail = line[end:].strip()
        if tail and not tail.startswith("#"):
            raise _Unsupported
    elif ch in "|>":
        header = line[col:].split(" #", 1)[0].rstrip()
        if not re.fullmatch(r"[|>][-+]?", header):
            raise _Unsupported  # an explicit indentation indicator: rare, left to libyaml
        return True
    else:
        m = _PLAIN_END.search(line, col)
        if m and m.group(0).startswith(":"):
            raise _Unsupported
    return False


def _quoted_end(line: str, col: int) -> int:
    quote = line[col]
    j = col + 1
    while j < len(line):
        if quote == "'" and line[j] == "'":
            if j + 1 < len(line) and line[j + 1] == "'":
                j += 2
                continue
            return j + 1
        if quote == '"' and line[j] == "\\":
            j += 2
            continue
        if quote == '"' and line[j] == '"':
            return j + 1
        j += 1
    raise _Unsupported  # continues on the next line


def _skip_spaces(line: str, j: int) -> int:
    return _SPACES.match(line, j).end()


def _flow(line: str, i: int, col: int, path: tuple, out: dict) -> int:
    """Read a one-line flow collection starting at `col`; return the column after it."""
    closing = "]" if line[col] == "[" else "}"
    is_map = closing == "}"
    j = _skip_spaces(line, col + 1)
    index = 0
    while True:
        if j >= len(line):
            raise _Unsupported
        if line[j] == closing:
            return j + 1
        if is_map:
            m = _FLOW_KEY.match(line, j)
            if not m or m.group(1) in _NOT_TEXT:
                raise _Unsupported
            key_mark = (i + 1, j + 1)
            child = (*path, m.group(1))
            if child in out:
                raise _Unsupported
            j = _skip_spaces(line, m.end())
            if j >= len(line) or line[j] in ",}":
                raise _Unsupported  # an empty value
        else:
            key_mark = None
            child = (*path, index)
            index += 1
        out[child] = (key_mark, (i + 1, j + 1))
        ch = line[j]
        if ch in "[{":
            j = _flow(line, i, j, child, out)
        elif ch in "\"'":
            j = _quoted_end(line, j)
        else:
            m = _FLOW_PLAIN.match(line, j)
            j = m.end()
            if j < len(line) and line[j] not in ",]}":
                raise _Unsupported  # `[`, `{`, `#` or `: ` inside a plain scalar: left to libyaml
        j = _skip_spaces(line, j)
        if j < len(line) and line[j] == ",":
            j = _skip_spaces(line, j + 1)
            if j < len(line) and line[j] == closing:
                raise _Unsupported  # a trailing comma
        elif j >= len(line) or line[j] != closing:
            raise _Unsupported
