"""Reading YAML plans into plain Python data that remembers where every value came from.

The file is parsed (YAML 1.2, libyaml's C parser through ruamel.yaml when available) into a node
tree; this module then turns nodes into dicts, lists and scalars itself. Doing the conversion here
rather than in a YAML constructor is what makes the reader safe and exact: only the core tags are
accepted (no `!!python/...`, no custom tags, nothing ever executed), duplicate keys are reported at
the second key, alias expansion and nesting are bounded, impossible dates are findings, and the
node tree stays behind as a locator so any rule can point at `line:column` of any value.

Writing is not done here: see `_writer.py`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from kaplan.reading import screen as _screen
from kaplan.reading.paths import MAX_BYTES
from kaplan.reading.screen import MAX_DEPTH, MAX_NODES  # noqa: F401 (re-exported)

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_TIMESTAMP, _MAP, _SEQ, _MERGE = _T + "timestamp", _T + "map", _T + "seq", _T + "merge"
_VALUE = _T + "value"
BOM = "\ufeff"
"""The byte-order mark a plan may start with: not part of its text (`decode`), kept when it is written."""


class YamlProblem(Exception):
    """The file cannot be read as a plan at all; carries the rule id, the position and a hint."""

    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1, hint: str | None = None):
        super().__init__(message)
        self.rule, self.message, self.line, self.column, self.hint = rule, message, line, column, hint


@dataclass(slots=True)
class Document:
    """A parsed YAML file: its data, and the node tree that locates any path in it."""

    data: Any
    root: Node | None
    memo: dict | None = None
    text: str | None = None
    """The parsed text, to keep positions inside the file (see `_clamp`)."""
    shape: tuple[int, int] | None = None
    """The text's count of lines and the length of its last (`_shape`), worked out on first use: a
    plan with thousands of findings must not split its text into lines once for each."""

    def locate(self, at: Iterable[str | int], key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `at`, or of its key when `key` is true.

        A path that leaves the file (a missing key) stops at the deepest node that exists, which is
        where the user has to add it.
        """
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for part in at:
            found = _child(node, part, self.memo)
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark if key and key_node is not None else node.start_mark
        else:
            return self._inside(mark.line + 1, mark.column + 1)
        return self._inside(node.start_mark.line + 1, node.start_mark.column + 1)

    def _inside(self, line: int, column: int) -> tuple[int, int]:
        # an empty document's node sits at the end of input, possibly on a line that does not exist
        if self.text is None or line <= 1:
            return (line, column)
        if self.shape is None:
            self.shape = _shape(self.text)
        return _clamped(self.shape, line, column)


def _child(node: Node, part: str | int, memo: dict | None = None) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for k, v in _pairs(node, memo):
            if isinstance(k, ScalarNode) and _scalar_key(k) == part:
                return (k, v)
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return (None, node.value[part])
    return None


def _pairs(node: MappingNode, memo: dict | None = None, depth: int = 0) -> list[tuple[Node, Node]]:
    """Key/value node pairs of a mapping, with `<<` merges resolved (explicit keys win).

    `memo` caches each mapping's pairs by node identity, so a mapping merged many times (a merge-key
    bomb) is resolved once; the caller counts the pairs against its budget.
    """
    if memo is None:
        memo = {}
    cached = memo.get(id(node))
    if cached is not None:
        return cached
    if not any(k.tag == _MERGE for k, _ in node.value):
        memo[id(node)] = node.value
        return node.value
    if depth > MAX_DEPTH:
        raise YamlProblem("too-deep", f"merge keys nest deeper than {MAX_DEPTH} levels", *_where(node))
    own = [(k, v) for k, v in node.value if k.tag != _MERGE]
    out = list(own)
    seen = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    for k, v in node.value:
        if k.tag != _MERGE:
            continue
        sources = v.value if isinstance(v, SequenceNode) else [v]
        for src in sources:
            if not isinstance(src, MappingNode):
                raise YamlProblem("syntax", "`<<` merges only mappings (an alias to a `key: value` block)",
                                  *_where(src))
            for mk, mv in _pairs(src, memo, depth + 1):
                kv = mk.value if isinstance(mk, ScalarNode) else id(mk)
                if kv not in seen:
                    seen.add(kv)
                    out.append((mk, mv))
    memo[id(node)] = out
    return out


def _scalar_key(node: ScalarNode) -> Any:
    if node.tag == _STR:
        return node.value
    try:
        return _scalar(node)
    except YamlProblem:
        return node.value


def decode(raw: bytes) -> str:
    """The text of a plan file, or a `YamlProblem` for files that are not UTF-8 text."""
    if len(raw) > MAX_BYTES:
        from kaplan.rounding import fixed  # only for this message: `decimal` stays out of a plain read

        raise YamlProblem("too-large", f"the file is {fixed(len(raw) / 1048576, 1)} MiB; plans are limited to "
                          f"{MAX_BYTES // 1048576} MiB", hint="split the content or move attachments out of the plan")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("encoding", "the file is UTF-16 encoded; kaplan reads UTF-8",
                          hint="save the file as UTF-8 (your editor's 'Save with encoding' option)")
    if raw.startswith(BOM.encode()):
        raw = raw[3:]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise YamlProblem("encoding", "the file holds binary data (NUL bytes), not text", line, 1,
                          hint="a plan is a text file; check the file name points at the right file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblem("encoding", f"byte 0x{raw[e.start]:02x} is not valid UTF-8", line, column,
                          hint="save the file as UTF-8 (your editor's 'Save with encoding' option)")


def parse(text: str) -> Document:
    """Parse one YAML document into a `Document`, or raise `YamlProblem` saying what and where."""
    if not text.strip():
        raise YamlProblem("empty-file", "the file is empty", hint="run `kaplan new ACCOUNT` to start a plan")
    original = text
    hidden = _hide_yaml11_breaks(text)
    if hidden is not None:
        text = hidden
    try:
        _screen.screen(text)  # before the composer, which recurses in C and builds every node
    except _screen.TooCostly as e:
        raise YamlProblem(e.rule, e.message, *_clamp(original, e.line, e.column), e.hint) from None
    try:
        root = _parser().compose(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if e.context_mark is not None and e.context and e.context.startswith(
                ("while scanning a simple key", "while scanning a quoted scalar")):
            mark = e.context_mark  # where the mistake starts: the key without its colon, the open quote
        problem = (e.problem or e.context or "invalid YAML").strip()
        if "found another document" in str(e) or "expected a single document" in str(e):
            return_msg = "the file holds more than one YAML document (`---`); a plan is one document"
            raise YamlProblem("syntax", return_msg, mark.line + 1, mark.column + 1,
                              "keep one plan per file and remove the extra `---` section")
        line, col = _clamp(original, mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem("syntax", f"YAML syntax error: {problem}", line, col,
                          "check the indentation here and that every `key:` is followed by a space")
    except ReaderError as e:
        before = original[: e.position] if isinstance(e.position, int) else ""
        lines = _LINE_BREAK.split(before)
        line, column = len(lines), len(lines[-1]) + 1
        raise YamlProblem("syntax", f"character {e.character!r} is not allowed in YAML: {e.reason}", line, column,
                          hint="remove the control character (often pasted in from another program)")
    except RecursionError:
        raise YamlProblem("too-deep", f"the file nests deeper than {MAX_DEPTH} levels")
    except YAMLError as e:
        raise YamlProblem("syntax", f"YAML syntax error: {str(e).splitlines()[0] if str(e) else e!r}")
    if root is None:
        raise YamlProblem("empty-file", "the file holds no YAML content (only comments or blanks)",
                          hint="run `kaplan new ACCOUNT` to start a plan")
    budget = [MAX_NODES, MAX_TEXT]
    memo: dict = {}
    data = _convert(root, 0, budget, memo)
    return Document(_restore_yaml11_breaks(data) if hidden is not None else data, root, memo, original)


_LINE_BREAK = re.compile("\r\n|\r|\n")
_YAML11_BREAKS = "\x85\u2028\u2029"
_STAND_INS = "\ue085\ue028\ue029"  # private-use characters, one for one, so positions do not move
_HIDE = str.maketrans(_YAML11_BREAKS, _STAND_INS)
_SHOW = str.maketrans(_STAND_INS, _YAML11_BREAKS)


def _hide_yaml11_breaks(text: str) -> str | None:
    """NEL, LS and PS are ordinary characters in YAML 1.2 (and in editors) but line breaks to libyaml,
    which would shift every later line number. Swap them for stand-ins while parsing."""
    if not any(ch in text for ch in _YAML11_BREAKS) or any(ch in text for ch in _STAND_INS):
        return None
    return text.translate(_HIDE)


def _restore_yaml11_breaks(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_SHOW)
    if isinstance(value, list):
        return [_restore_yaml11_breaks(v) for v in value]
    if isinstance(value, dict):
        return {_restore_yaml11_breaks(k): _restore_yaml11_breaks(v) for k, v in value.items()}
    return value


def _clamp(text: str, line: int, column: int) -> tuple[int, int]:
    """A position inside the file: libyaml puts errors at the end of input on a line that may not exist."""
    return _clamped(_shape(text), line, column)


def _shape(text: str) -> tuple[int, int]:
    """(lines in the text, the length of the last), a last empty line not counted."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return (len(lines), len(lines[-1]) if lines else 0)


def _clamped(shape: tuple[int, int], line: int, column: int) -> tuple[int, int]:
    count, last = shape
    if not count:
        return (1, 1)
    if line > count:
        return (count, last + 1)
    return (line, column)


def _parser() -> YAML:
    y = YAML(typ="safe")  # C parser when ruamel.yaml.clib is present; pure Python otherwise
    return y


def _where(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: Node, depth: int, budget: list[int], memo: dict) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem("too-large", f"the file expands to more than {MAX_NODES:,} values through "
                          "its aliases (`*name` reusing an `&name` anchor)", *_where(node),
                          hint="write the values out instead of nesting aliases")
    if depth > MAX_DEPTH:
        raise YamlProblem("too-deep", f"the file nests deeper than {MAX_DEPTH} levels", *_where(node))
    if isinstance(node, ScalarNode):
        budget[1] -= len(node.value)
        if budget[1] < 0:
            raise _too_much_text(node)
        return _scalar(node)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            raise _bad_tag(node)
        return [_convert(item, depth + 1, budget, memo) for item in node.value]
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            raise _bad_tag(node)
        out: dict = {}
        pairs = _pairs(node, memo)
        budget[0] -= len(pairs)
        if budget[0] < 0:
            raise YamlProblem("too-large", f"the file expands to more than {MAX_NODES:,} values through "
                              "its aliases and merge keys (`<<: *name`)", *_where(node),
                              hint="write the values out instead of nesting aliases")
        for k, v in pairs:
            if not isinstance(k, ScalarNode):
                raise YamlProblem("syntax", "a key must be a plain word, not a list or mapping", *_where(k))
            key = _scalar_key(k) if k.tag in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _VALUE) else None
            if key is None and k.tag not in (_NULL,):
                raise _bad_tag(k)
            budget[1] -= len(k.value)
            if budget[1] < 0:
                raise _too_much_text(k)
            if key in out:
                raise YamlProblem("duplicate-key", f"`{key}` appears twice in the same section", *_where(k),
                                  hint="merge the two entries into one; YAML keeps only one of them")
            out[key] = _convert(v, depth + 1, budget, memo)
        return out
    raise _bad_tag(node)  # pragma: no cover - the composer makes only the three kinds


def _bad_tag(node: Node) -> YamlProblem:
    shown = node.tag.replace(_T, "!!")
    return YamlProblem("unsafe-tag", f"the tag `{shown}` is not allowed in a plan", *_where(node),
                       hint="remove the `!` tag; plans hold only plain text, numbers, dates, lists and mappings")


MAX_TEXT = MAX_BYTES
"""Most text (characters of keys and values) one file may hold with every alias written out: no more
than a file may hold, so aliases cannot make a small file cost what a huge one would (a long value
reused ten thousand times is 200 MB of text in every message that names it)."""


def _too_much_text(node: Node) -> YamlProblem:
    return YamlProblem("too-large", f"the file expands to more than {MAX_TEXT // (1024 * 1024)} MiB of text "
                       "through its aliases (`*name` reusing an `&name` anchor)", *_where(node),
                       hint="write the values out instead of reusing long ones through aliases")


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR or (tag == _VALUE and not node.style):
        return value  # a plain `=` is text in YAML 1.2; only YAML 1.1 made it a "value key"
    if tag == _NULL:
        if value not in ("", "~", "null", "Null", "NULL"):
            raise YamlProblem("schema", f"`{value}` is tagged `!!null` but is not empty", *_where(node),
                              hint="remove the `!!null` tag")
        return None
    if tag == _BOOL:
        if value not in ("true", "True", "TRUE", "false", "False", "FALSE"):
            raise YamlProblem("schema", f"`{value}` is tagged `!!bool` but is not true or false", *_where(node),
                              hint="write true or false")
        return value.lower() == "true"
    if tag == _INT:
        if value and set(value) <= set("+-_."):  # `-_`: the resolver's pattern, but no number at all
            return value
        v = value.replace("_", "")
        sign = -1 if v.startswith("-") else 1
        body = v.lstrip("+-")
        try:
            if body[:2].lower() in ("0x", "0o", "0b"):
                return sign * int(body, 0)
            return sign * int(body, 10)
        except ValueError:
            raise YamlProblem("schema", f"`{value}` is not a usable whole number", *_where(node))
    if tag == _FLOAT:
        v = value.replace("_", "").lower()
        if v.lstrip("+-") in (".inf",):
            return -math.inf if v.startswith("-") else math.inf
        if v == ".nan":
            return math.nan
        if value and set(value) <= set("+-_."):  # `._`: text, as the fast reader reads it
            return value
        try:
            return float(v)
        except ValueError:
            raise YamlProblem("schema", f"`{value}` is not a usable number", *_where(node))
    if tag == _TIMESTAMP:
        return _timestamp(node)
    raise _bad_tag(node)


_TIMESTAMP_RE = re.compile(  # digits 0-9 only, as YAML's own: `\d` would read `!!timestamp "٢٠٢٦-01-01"`
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?"
    r"(?:[ \t]*(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?\Z")


def _timestamp(node: ScalarNode) -> _dt.date | _dt.datetime:
    """A YAML timestamp: a date, or a date and time with an optional fraction and time zone."""
    value = node.value
    m = _TIMESTAMP_RE.match(value)
    try:
        if not m:
            raise ValueError(value)
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if m[4] is None:
            return _dt.date(year, month, day)
        fraction = int((m[7] or "0")[:6].ljust(6, "0"))
        tz = None
        if m[8]:
            if m[8] == "Z":
                tz = _dt.timezone.utc
            else:
                sign = -1 if m[8][0] == "-" else 1
                digits = m[8][1:].replace(":", "")
                hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
                tz = _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))
        return _dt.datetime(year, month, day, int(m[4]), int(m[5]), int(m[6]), fraction, tz)
    except ValueError:
        raise YamlProblem("invalid-date", f"`{value}` is not a real date", *_where(node),
                          hint="write dates as YYYY-MM-DD with a month of 1-12 and a day that exists in it")
