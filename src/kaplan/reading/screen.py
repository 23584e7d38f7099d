"""What a YAML text may cost, bounded before any parser sees it: its nesting depth and its values.

The parsers kaplan uses build nested collections by recursion in C or Rust (ruamel.yaml's composer,
yaml-rs): a file nested some ten thousand levels deep kills the process with SIGSEGV before any Python
code can refuse it. And a parser builds a node for every value before kaplan can count them, so a
5 MiB file of `-` lines cost 16 s and 1.1 GB before the value limit was checked. So every text is
screened first, on every read path (`_yaml.parse`, the fast path, the locators, the round-trip
writer), in two steps:

1. Upper bounds read off the text with a few string operations that run at C speed:

   - depth: a block collection nested in another starts at a column no smaller than its parent's,
     and at most two of them (a mapping and a sequence at its key's indentation) share a column, so
     the block nesting above any node is at most 2 x (C + 1), where C is the longest run of spaces,
     tabs and the indicators `-`, `?`, `:` that starts a line. Flow nesting (`[`, `{`) is counted
     over the brackets: every opening bracket counts, and a closing one only where no quoted text or
     comment might hold it (where a closing bracket outside those is not a real one, the parser is
     at flow level 0 and the count cannot go below 0). Both are upper bounds for any text.
   - values: every value past the first needs an indicator before it (`-`, `:`, `,`, `?`, `[`,
     `{`), and none brings more than three, so a weighted count of those characters bounds them.

   A plan passes both bounds by far (depth about 20 against 64, values a few thousand against
   250,000), and that is the end of it: the cost is a few string scans of the text.
2. When a bound is over its limit, libyaml's event stream (a state machine in C, no recursion) is
   walked with the depth and the values counted exactly, up to the first node past a limit: that
   node is where the finding points. The walk never goes past `MAX_NODES` events, so it costs at
   most about half a second, whatever the file.

Quotes do not count: `name: "[[[["` is one value at depth 1. The bounds count brackets inside quotes
(cheaply), and the exact walk, which reads the quotes as YAML does, decides.
"""

from __future__ import annotations

import re

MAX_NODES = 250_000
"""Most values one file may hold, counting every use of an alias (stops alias bombs)."""
MAX_DEPTH = 64
"""Deepest nesting accepted (a plan is at most ~6 levels deep)."""


class TooCostly(Exception):
    """The text is past a limit: `rule` (`too-deep` or `too-large`), a message and the 1-based position."""

    def __init__(self, rule: str, message: str, line: int, column: int, hint: str):
        super().__init__(message)
        self.rule, self.message, self.line, self.column, self.hint = rule, message, line, column, hint


# The bounds work on the UTF-8 bytes, where a translation or a substring search runs at memory speed.
# libyaml also breaks lines at U+0085, U+2028 and U+2029; their last UTF-8 bytes (0x85, 0xa8, 0xa9)
# are taken as line breaks and as whitespace wherever they appear, which finds more line starts and
# more possible quotes: more than there are, never fewer, so the bounds only grow.
_BREAKS = b"\n\r\x85\xa8\xa9"
# A line's head: its leading spaces, tabs and indicators, made spaces; every line break made `\n`.
_HEADS = bytes.maketrans(b" \t?:-" + _BREAKS, b" " * 5 + b"\n" * len(_BREAKS))
# Quoted text might start at a quote after whitespace, a flow indicator or `:`/`?` (anywhere else a
# quote is part of plain text). It ends at its closing quote, or at the end of the text. A comment
# starts at a `#` after whitespace and runs to the end of the line. Only spans that hold a closing
# bracket matter (an opening one counts wherever it is), so only those are found.
_SINGLE = re.compile(rb"'(?<![^\s\[{,:?\x85\xa8\xa9]')(?:[^'\]}]++|'')*+[\]}](?:[^']++|'')*+(?:'|\Z)")
_DOUBLE = re.compile(rb'"(?<![^\s\[{,:?\x85\xa8\xa9]")(?:[^"\\\]}]++|\\[^\]}])*+\\?[\]}](?:[^"\\]++|\\.)*+(?:"|\Z)',
                     re.DOTALL)
_COMMENT = re.compile(rb"#(?<![^\s\x85\xa8\xa9]#)[^\n\r\x85\xa8\xa9\]}]*+[\]}][^\n\r\x85\xa8\xa9]*+")
_QUICK_HEAD = 10
_MOST_SPANS = 10_000
_LONG_HEAD = re.compile(rb"\n[ \t?:-]{%d}" % (_QUICK_HEAD + 1))
_PAIRS = bytes.maketrans(b"[]{}", b"()()")
_NOT_PAIRS = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_OPENING = bytes(b for b in range(256) if b not in b"[{")

_last: tuple[str, bool] | None = None


def screen(text: str) -> bool:
    """Raise `TooCostly` when `text` nests deeper than `MAX_DEPTH` or holds more than `MAX_NODES`
    values. Else return whether any parser may read it: False when the bounds did not settle it and
    libyaml stopped at an error before the end, so only a parser that stops there too (libyaml,
    through `_yaml.parse`) may.

    The answer for the last text screened is kept, so the several readers of one text pay once.
    """
    global _last
    if _last is not None and _last[0] is text:
        return _last[1]
    raw = text.encode("utf-8", "surrogatepass")
    breaks = "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text
    anyone = value_bound(raw) <= MAX_NODES and depth_bound(raw, MAX_DEPTH, breaks) <= MAX_DEPTH
    if not anyone:
        anyone = _exact(text)
    _last = (text, anyone)
    return anyone


def value_bound(raw: bytes) -> int:
    """At least the number of values (nodes) a YAML parser reads from the text with these bytes."""
    if 3 * len(raw) < MAX_NODES:  # no byte brings more than three
        return 1 + 3 * len(raw)
    c = raw.count
    return 1 + c(b"-") + 2 * (c(b":") + c(b"?") + c(b",") + c(b"[")) + 3 * c(b"{")


def depth_bound(raw: bytes, limit: int, breaks: bool = True) -> int:
    """At least the deepest nesting (the root is at 0) in the text with these bytes, or some number
    over `limit`. `breaks`: the text may break lines at other characters than `\n`."""
    block = 2 * (_longest_head(raw, limit // 2, breaks) + 1)
    if block > limit or (b"[" not in raw and b"{" not in raw):
        return block
    return block + _flow_bound(raw, limit - block)


def _longest_head(raw: bytes, most: int, breaks: bool) -> int:
    """The longest line head C, or `most + 1` when it is longer than `most`."""
    if not breaks and not (
            _LONG_HEAD.match(b"\n" + raw[:_QUICK_HEAD + 1]) or _LONG_HEAD.search(raw)):
        return _QUICK_HEAD  # the common case, settled by one search: lines end at `\n`, heads are short
    heads = b"\n" + raw.translate(_HEADS)
    low, high = 0, most + 1
    while low < high:
        mid = (low + high + 1) // 2
        if b"\n" + b" " * mid in heads:
            low = mid
        else:
            high = mid - 1
    return low


def _flow_bound(raw: bytes, limit: int) -> int:
    """At least the deepest flow nesting, or some number over `limit`."""
    opened = raw.count(b"[") + raw.count(b"{")
    if opened <= limit:
        return opened
    spans = sorted(m.span() for pattern in (_SINGLE, _DOUBLE, _COMMENT) for m in pattern.finditer(raw))
    if len(spans) > _MOST_SPANS:
        return limit + 1  # not worth it: let libyaml count
    pieces, at = [], 0
    for start, end in spans:
        if end <= at:
            continue
        if start > at:
            pieces.append(raw[at:start].translate(_PAIRS, _NOT_PAIRS))
        pieces.append(_inside(raw[max(start, at):end].translate(_PAIRS, _NOT_PAIRS), limit))
        at = end
    pieces.append(raw[at:].translate(_PAIRS, _NOT_PAIRS))
    nested, left = _pairs(b"".join(pieces), limit)
    return nested + left.count(b"(")


def _pairs(brackets: bytes, limit: int) -> tuple[int, bytes]:
    """How deep the pairs in `brackets` nest (or `limit + 1`), and the unpaired brackets: closing
    ones, then opening ones. Each pass takes away the innermost pairs."""
    passes = 0
    while b"()" in brackets and passes <= limit:
        passes += 1
        brackets = brackets.replace(b"()", b"")
    return passes, brackets


def _inside(brackets: bytes, limit: int) -> bytes:
    """The brackets of a span that may be quoted text or a comment, for the count: a closing bracket
    there may close nothing, so those that would close a bracket opened before the span are dropped;
    the pairs (as one peak as deep) and the opening brackets left open stay, which is as much as the
    span can add whether or not it is text."""
    if b")" not in brackets:
        return brackets
    nested, left = _pairs(brackets, limit)
    return b"(" * (nested + left.count(b"(")) + b")" * nested


def _exact(text: str) -> bool:
    """Walk libyaml's events; raise `TooCostly` at the first node past a limit. False when libyaml
    cannot read the text to its end (the reader reports why, stopping at the same place)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    depth = nodes = 0
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, CollectionEndEvent):
                depth -= 1
                continue
            if not isinstance(event, (ScalarEvent, AliasEvent, CollectionStartEvent)):
                continue
            nodes += 1
            if depth > MAX_DEPTH:
                raise _too_deep(event)
            if nodes > MAX_NODES:
                raise _too_many(event)
            if isinstance(event, CollectionStartEvent):
                depth += 1
    except TooCostly:
        raise
    except Exception:  # a YAML error (or an oddity of the parser): the reader reports it
        return False
    return True


def _position(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _too_deep(event) -> TooCostly:
    return TooCostly("too-deep", f"the file nests deeper than {MAX_DEPTH} levels", *_position(event),
                     "a plan is a few levels deep: look for brackets `[`/`{` that are never closed, or "
                     "indentation that keeps growing")


def _too_many(event) -> TooCostly:
    return TooCostly("too-large", f"the file holds more than {MAX_NODES:,} values; a plan holds a few thousand",
                     *_position(event), "split the content, or move data that is not a plan out of the file")
