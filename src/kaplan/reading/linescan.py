"""Locating values by reading a plan's lines, for the common shapes of hand-written plans.

Most plans are block mappings and sequences with scalars and one-line flow collections
(`- {id: a, due: 2026-01-01}`). For those, the position of every key and value can be read off the
lines directly, about ten times faster than running libyaml's event stream through Python. Anything
outside that subset — a multi-line flow collection, a multi-line plain or quoted scalar, a key that is
not a plain word, an empty value — makes `scan` (or `positions`, on the lines it reads) return None,
and the caller uses `_locator` instead. A differential test holds the two to the same positions.

`positions`, which the checker uses for the few paths it reports, reads only the lines on the way to
them, straight from the text: each sibling's subtree is skipped by one regex search for the next line
indented no deeper, and what is read is kept for the other paths of the call.

Positions follow libyaml: a mapping starts at its first key, a sequence at its first `-`, a quoted
scalar at its quote, and a key's position is the start of the key.
"""

from __future__ import annotations

import functools
import re

from kaplan.reading import screen as _screen

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

    Only the lines on the way to each path are read, straight from the text (it is never split): a
    node's next entry is found by one regex search that skips the subtree before it, and what was
    read is kept for the other wanted paths, which mostly share prefixes and nodes. None when the
    text leaves the supported subset on the way.
    """
    try:
        _screen.screen(text)  # a flow collection is followed by recursion
        first = _next_content_line(text, 0, 0)
        if first is None or first[2] != 0:
            return None
        out: dict[tuple, tuple[Mark | None, Mark]] = {(): (None, (first[0] + 1, 1))}
        walk = _Walk(text, out, first)
        for path in wanted:
            walk.follow(tuple(path))
        return out
    except (_Unsupported, IndexError, _screen.TooCostly):
        return None


_KEY_AT = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: |(?=\n)|\Z) *")
_ITEM_AT = re.compile(r"-(?: |(?=\n)|\Z) *")
"""`_KEY`, and a dash followed by a space or ending the line, each with the spaces after it: tested in
the whole text, where a line ends at a newline or at the end of the text (`$` in the line's text)."""
_CONTENT_FROM = re.compile(r"((?:[^\S\n]*+(?:#[^\n]*+)?\n)*+)( *+)[^\S\n]*+[^\s#]")
"""From a line's start: the lines that `_content` finds blank or comments (group 1), then the next
line's leading spaces (group 2), its other leading whitespace and its first other character."""


@functools.lru_cache(maxsize=64)
def _line_within(ind: int) -> re.Pattern:
    """A newline, then the spaces of a line indented `ind` or less and its first other character.

    Searched for after an entry indented `ind`, it finds the line after the entry's subtree in one
    search rather than a Python step per line. The blank and comment lines it passes are those with
    nothing after the spaces, or `#` first, as skipping a subtree always had it (`_content`, used to
    find the line below a key, differs a little; each is kept where it was used).
    """
    return re.compile(rf"\n {{0,{ind}}}+[^ #\n]")


def _next_content_line(text: str, number: int, start: int) -> tuple[int, int, int] | None:
    """(number, start, indentation) of the first line from this one that is neither blank nor a
    comment; the indentation counts spaces only, as `_indent` does."""
    m = _CONTENT_FROM.match(text, start)
    if m is None:
        return None
    line = m.end(1)
    return number + text.count("\n", start, line), line, m.end(2) - line


def _line_text(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


class _Node:
    """A block mapping or sequence met on the way: the entries read so far, and the search for more."""

    __slots__ = ("found", "is_seq", "last", "lines")

    def __init__(self, is_seq: bool, found: dict, last: tuple[int, int] | None):
        self.is_seq = is_seq
        self.found = found
        """key or index → (line number, line start, column of the value after the key or dash)"""
        self.lines = None
        """The search for the lines after the last entry read, once it has begun."""
        self.last = last
        """(number, start) of the last entry read, or None when there are no more entries."""


class _Walk:
    """Following wanted paths through one text, keeping what was read for the next path.

    A block node is known by its first line's start and its indentation. A node that starts after a
    dash (`- key: x`, `- - x`) has the dash's line, at the column after the dash: that line is only
    read from that column on.
    """

    def __init__(self, text: str, out: dict, root: tuple[int, int, int]):
        self.text = text
        self.out = out
        self.nodes: dict[tuple[int, int], _Node] = {}
        """(line start, indentation) of each node met → the node"""
        self.blocks: dict[tuple, tuple[int, int, int]] = {(): root}
        """path → (line number, start, indentation) of the block node that is its value, for each
        path reached: a later path goes on from its longest prefix here, as following it from the
        root again would only record the same positions again. (A path's prefixes are here too.)"""

    def follow(self, path: tuple) -> None:
        """Follow `path` from the root, recording the position of each step."""
        text, out, blocks = self.text, self.out, self.blocks
        known = 0
        try:
            while known < len(path) and path[:known + 1] in blocks:
                known += 1
        except TypeError:
            pass  # an unhashable part is no key or index: the checks below stop the path there
        number, start, ind = blocks[path[:known]]
        for depth in range(known, len(path)):
            part, at = path[depth], path[:depth + 1]
            node = self.nodes.get((start, ind))
            if node is None:
                node = self.nodes[start, ind] = self._open(number, start, ind)
            if not node.is_seq and not isinstance(part, str):
                raise _Unsupported  # a key that is not text (`1:`, `true:`): left to libyaml
            if (isinstance(part, int) and not isinstance(part, bool)) != node.is_seq:
                return  # the path does not continue here
            entry = node.found.get(part)
            if entry is None and node.last is not None:
                entry = self._read_to(node, ind, part)
            if entry is None:
                return  # no such key or index
            number, start, col = entry
            key_mark = None if node.is_seq else (number + 1, ind + 1)
            if text.startswith(("\n", "#"), start + col) or start + col == len(text):
                # nothing after the key or dash: the value is the block node below
                end = text.find("\n", start + col)
                below = None if end < 0 else _next_content_line(text, number + 1, end + 1)
                if below is None or below[2] < ind + node.is_seq or (
                        below[2] == ind and not _ITEM_AT.match(text, below[1] + ind)):
                    raise _Unsupported  # an empty value
                number, start, ind = below
                out[at] = (key_mark, (number + 1, ind + 1))
            elif node.is_seq and (_KEY_AT.match(text, start + col) or _ITEM_AT.match(text, start + col)):
                # a node that starts on the dash's line, after the dash
                ind = col
                out[at] = (None, (number + 1, ind + 1))
            else:
                _inline_target(_line_text(text, start), number, col, at, path[depth + 1:], out, key_mark)
                return
            blocks[at] = (number, start, ind)

    def _open(self, number: int, start: int, ind: int) -> _Node:
        """The node at column `ind` of this line, with its first entry read (if it has one).

        A mapping's first key is checked here, before the path's next part is: a path that cannot
        be in a mapping (an index) gives up on the text either way.
        """
        text = self.text
        head = _KEY_AT.match(text, start + ind)  # (a key is never a dash: this settles most nodes)
        if head is not None:
            if head[1] in _NOT_TEXT:
                raise _Unsupported
            return _Node(False, {head[1]: (number, start, head.end() - start)}, (number, start))
        head = _ITEM_AT.match(text, start + ind)
        if head is not None:
            return _Node(True, {0: (number, start, head.end() - start)}, (number, start))
        if text.startswith("-", start + ind):
            return _Node(False, {}, None)  # `-x: 1`: no entries
        raise _Unsupported  # not a plain key

    def _read_to(self, node: _Node, ind: int, part) -> tuple[int, int, int] | None:
        """Read the node's entries on from the last one read, up to `part`; its entry or None."""
        text, found, is_seq = self.text, node.found, node.is_seq
        pattern = _ITEM_AT if is_seq else _KEY_AT
        number, start = node.last
        if node.lines is None:
            node.lines = _line_within(ind).finditer(text, start + ind)
        for m in node.lines:
            line, first = m.start() + 1, m.end() - 1  # the line's start, its first character after the spaces
            head = pattern.match(text, first) if first - line == ind else None
            if head is None or not is_seq and head[1] in _NOT_TEXT:
                if not is_seq and first - line == ind and text.startswith("-", first):
                    if _ITEM_AT.match(text, first):
                        continue  # an item of a sequence at its key's indentation: the mapping goes on after it
                    raise _Unsupported  # a key such as `-x:`
                if first - line < ind or is_seq or text.startswith("-", first):
                    break  # the node has ended: a line indented less, or not an entry of it
                raise _Unsupported  # not a plain key
            number += text.count("\n", start, line)
            start = line
            label = len(found) if is_seq else head[1]
            entry = found.setdefault(label, (number, start, head.end() - start))  # a repeated key: the first
            if label == part:
                node.last = (number, start)
                return entry
        node.last = None
        return None


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
