"""Rewriting a plan without disturbing it: the one way kaplan edits a YAML file a person wrote.

A plan is edited by hand; when kaplan changes a value in it, everything else — comments, key
order, quoting, blank lines, indentation, line endings, a byte-order mark, a missing final
newline — must come back byte for byte. This module does that with ruamel.yaml's round-trip mode,
set up to match the file's own layout (`detect_layout`), and trusts nothing it has not verified:

- an edit is only made through ruamel when `dump(load(text)) == text` for the file as it is; a
  file ruamel would reformat (odd spacing, mixed line endings…) gets the value replaced in place in
  the text instead, or the edit is refused (`EditRefused`, at the first place ruamel would not
  keep) — never a silently reformatted plan;
- document markers (`---` and what is above it, `...` and what follows it) are set aside, kept byte
  for byte, and the document between them is edited;
- the result is read back with kaplan's own reader and must hold exactly the old data with the one
  value changed, or nothing is written;
- the file is written through `_writer.write_replace` (temporary file beside it, fsync, rename),
  never through a symbolic link that leads out of the portfolio (`_containment`).

    set_value("plans/acme.yaml", ("plan", "last_reviewed"), datetime.date(2026, 11, 24))

Reading plans for checking is not done here (see `_yaml.py`); creating a new file is
`_writer.write_new`.
"""

from __future__ import annotations

import copy
import io
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import ScalarString

from kaplan.reading import fastyaml as _fastyaml

from kaplan.reading import screen as _screen

from kaplan.writing import textedit as _textedit

from kaplan.reading import document as _yaml
from kaplan.reading.containment import escapes
from kaplan.reading.document import BOM
from kaplan.writing.files import WriteRefused, write_replace
from kaplan.writing.scalars import EditRefused, plain_ok as _plain_ok, scalar_text as _scalar_text  # noqa: F401

WIDTHS = (4096,)
"""Line widths tried besides the file's longest line; 4096 means "never fold a long value"."""


@dataclass(frozen=True)
class Layout:
    """How a file is laid out, as far as ruamel.yaml's emitter can be told."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    width: int = 4096
    newline: str = "\n"
    bom: bool = False
    final_newline: bool = True
    explicit_start: bool = False


@dataclass
class RoundTrip:
    """A loaded file: ruamel's commented data and the layout to write it back with."""

    data: Any
    layout: Layout


# ---------------------------------------------------------------- load and dump


def detect_layout(text: str) -> Layout:
    """The file's indentation (mapping, sequence, dash offset), line ending, BOM and final newline."""
    body, bom = (text[1:], True) if text.startswith(BOM) else (text, False)
    newline = "\r\n" if "\r\n" in body else "\n"
    body = body.replace("\r\n", "\n")
    mapping, sequence, offset = Counter(), Counter(), Counter()
    try:
        _screen.screen(body)  # before the composer, which recurses in C
        root = YAML().compose(body)
    except Exception:  # not YAML at all, or past the limits: the defaults, and lossless() will say no
        root = None
    if root is not None:
        _measure(root, mapping, sequence, offset)
    off = offset.most_common(1)[0][0] if offset else 2
    seq = sequence.most_common(1)[0][0] if sequence else off + 2
    longest = max((len(line) for line in body.split("\n")), default=0)
    return Layout(
        mapping=mapping.most_common(1)[0][0] if mapping else 2,
        sequence=max(seq, off + 1), offset=off, width=max(longest, 4096), newline=newline, bom=bom,
        final_newline=body.endswith("\n") or not body,
        explicit_start=_first_content_line(body).startswith("---"))


def _measure(root: Node, mapping: Counter, sequence: Counter, offset: Counter) -> None:
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(v)
                if node.flow_style or v.start_mark.line == k.start_mark.line:
                    continue
                if isinstance(v, MappingNode) and not v.flow_style and v.value:
                    mapping[v.value[0][0].start_mark.column - k.start_mark.column] += 1
                elif isinstance(v, SequenceNode) and not v.flow_style and v.value:
                    offset[v.start_mark.column - k.start_mark.column] += 1
                    sequence[v.value[0].start_mark.column - k.start_mark.column] += 1
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def _first_content_line(body: str) -> str:
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return ""


def _emitter(layout: Layout, width: int | None = None) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.allow_duplicate_keys = False
    y.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    y.width = width or layout.width
    y.explicit_start = layout.explicit_start or None
    return y


def load(text: str) -> RoundTrip:
    """Load `text` for editing (comments and styles kept) with the layout detected from it."""
    layout = detect_layout(text)
    body = (text[1:] if layout.bom else text).replace("\r\n", "\n")
    _screen.screen(body)  # raises TooCostly before the loader, which recurses in C
    data = _emitter(layout).load(body)
    return RoundTrip(data, layout)


def dump(doc: RoundTrip) -> str:
    """The text of `doc`, laid out as the file it was loaded from."""
    return _dump(doc.data, doc.layout, doc.layout.width)


def _dump(data: Any, layout: Layout, width: int) -> str:
    buf = io.StringIO()
    _emitter(layout, width).dump(data, buf)
    out = buf.getvalue()
    if not layout.final_newline and out.endswith("\n"):
        out = out[:-1]
    if layout.newline != "\n":
        out = out.replace("\n", layout.newline)
    return (BOM if layout.bom else "") + out


def lossless(text: str) -> bool:
    """True when this module can write `text` back byte for byte (so an edit changes only itself)."""
    return _lossless_width(text) is not None


def _lossless_width(text: str) -> int | None:
    """The line width at which `dump(load(text)) == text`, or None when there is none."""
    # ruamel.yaml's round-trip constructors and emitter raise more than YAMLError on odd input
    # (IndexError for `!!int ` with no digits, for one); any failure means "cannot reproduce it".
    try:
        doc = load(text)
    except Exception:
        return None
    for width in dict.fromkeys((doc.layout.width, *WIDTHS, _longest_line(text))):
        try:
            if _dump(doc.data, doc.layout, width) == text:
                return width
        except Exception:
            return None
    return None


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=80)


# ---------------------------------------------------------------- edits


def edit_text(text: str, at: Iterable[str | int], value: Any) -> str:
    """`text` with the value at path `at` set to `value`; every other byte unchanged.

    `at` is a path of keys and list indexes, e.g. `("actions", 0, "status")`. The last key may be
    missing from its mapping: it is then added at the end of that mapping, before any comment block
    that follows it. Raises `EditRefused` when the edit cannot be made exactly.
    """
    return edit_text_many(text, [(at, value)])


def edit_text_many(text: str, edits: Iterable[tuple[Iterable[str | int], Any]]) -> str:
    """`text` with every `(path, value)` of `edits` made, in order, in one pass; every other byte unchanged.

    As `edit_text`, and a path may also end with the index one past a list's last entry: the value
    is then appended to that list (after its last entry, before any comment block that follows it).
    Either all the edits are made exactly or `EditRefused` is raised.
    """
    return edit_with_data(text, edits)[0]


def edit_with_data(text: str, edits: Iterable[tuple[Iterable[str | int], Any]], data: Any = None) -> tuple[str, Any]:
    """`edit_text_many`, given the data of `text` when the caller has read it, returning the new text's data too."""
    edits = [(tuple(at), value) for at, value in edits]
    if not edits:
        return text, data if data is not None else _read_quick(text)
    head, body, tail = _framed(text)
    if head or tail:  # the document markers stay as they are; the document between them is edited
        try:
            new, expected = edit_with_data(body, edits, data)
        except EditRefused as e:
            moved = e.line and e.line + head.count("\n")
            raise EditRefused(str(e), moved or None, e.column) from None
        new = head + new + tail
        if not _same(_read(new, "the edited plan"), expected):
            raise EditRefused("kaplan cannot make this edit between the file's document markers (`---`, `...`) "
                              "exactly; edit the file by hand")
        return new, expected
    if any(not at for at, _ in edits):
        raise EditRefused("say which value to change (an empty path would replace the whole plan)")
    before = data if data is not None else _read_quick(text)
    expected = _read_quick(text)  # a fresh copy: reading the text again is quicker than copying the data
    for at, value in edits:
        _put(expected, at, value)
    quick = _textedit.edit(text, edits, before)  # a few characters in place, for the common shapes
    if quick is not None:
        got = _read_quick(quick, "the edited plan")
        # `==` compares the whole plan at C speed; `_same` adds the exact types where values were written
        if got == expected and all(_same(_get(got, at[:-1]), _get(expected, at[:-1])) for at, _ in edits):
            return quick, expected
    width = _lossless_width(text)
    new = None
    if width is not None:
        try:
            doc = load(text)
            for at, value in edits:
                _assign(doc.data, at, value)
            new = _dump(doc.data, doc.layout, width)
        except Exception:  # ruamel could not make this edit: fall back to replacing the text in place
            new = None
    if new is None:
        new = text
        for at, value in edits:
            new = _replace_in_place(new, at, value)
    if not _same(_read(new, "the edited plan"), expected):
        where = ", ".join(_dotted(at) for at, _ in edits[:3]) + (" …" if len(edits) > 3 else "")
        raise EditRefused(f"changing {where} would also change other values (is it shared through an "
                          "anchor `&`/alias `*`?); edit the file by hand")
    return new, expected


_START = re.compile(r"---[ \t]*(?:#.*)?\r?\n?")
_END = re.compile(r"\.\.\.[ \t]*(?:#.*)?\r?\n?")


def _framed(text: str) -> tuple[str, str, str]:
    """`text` as (head, document, tail): the head up to a `---` line that starts the document (with the
    comments and directives before it), the tail from a `...` line that ends it; both '' when absent.

    ruamel.yaml cannot write back every marker as it is (`--- # comment`, `...`, a comment above `---`),
    so an edit is made to the document alone and the markers are kept byte for byte.
    """
    start = pos = 0  # only the lines before the first value and after the last are read
    while pos < len(text):
        stop = text.find("\n", pos) + 1 or len(text)
        line = text[pos:stop].lstrip(BOM) if pos == 0 else text[pos:stop]
        if _START.fullmatch(line):
            start = stop
            break
        if line.strip() and not line.lstrip().startswith("#") and not line.startswith("%"):
            break
        pos = stop
    end = stop = len(text)
    while stop > start:
        pos = max(text.rfind("\n", start, stop - 1) + 1, start)
        line = text[pos:stop]
        if _END.fullmatch(line):
            end = pos
            break
        if line.strip() and not line.lstrip().startswith("#"):
            break
        stop = pos
    return text[:start], text[start:end], text[end:]


def set_value(path: Path | str, at: Iterable[str | int], value: Any, *, root: Path | str | None = None) -> str:
    """Set one value in the plan at `path`, write it back atomically, and return the new text.

    `root` is the portfolio folder (default: the folder of the nearest `kaplan.yaml` above the
    file, else the file's folder); a path that is a symbolic link leading out of it is refused.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = _yaml.decode(raw)
    except _yaml.YamlProblem as p:
        raise EditRefused(f"{path}: {p.message}") from None
    new = edit_text(text, at, value)
    if new != text:
        save(path, (BOM if raw.startswith(BOM.encode()) else "") + new, root=root)  # decode() took it off
    return new


def save(path: Path | str, text: str, *, root: Path | str | None = None) -> Path:
    """Replace the file at `path` with `text` atomically; returns the file actually written.

    A symbolic link that stays inside the portfolio is written through (the link survives); one
    that leads outside is refused with `WriteRefused`, and nothing is written.
    """
    path = Path(path)
    root = Path(root) if root is not None else portfolio_root(path)
    outside = escapes(path, root)
    if outside is not None:
        raise WriteRefused(f"{path} is a symbolic link to {outside}, outside the portfolio; kaplan does not "
                           "write through it")
    real = Path(os.path.realpath(path))
    write_replace(real, text)
    return real


def portfolio_root(path: Path | str) -> Path:
    """The folder of the nearest `kaplan.yaml` above `path` (not following `path` itself), else its folder."""
    from kaplan.config import CONFIG_NAME

    folder = Path(os.path.abspath(path)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return folder


def _read(text: str, what: str = "the plan") -> Any:
    try:
        return _yaml.parse(text).data
    except _yaml.YamlProblem as p:
        raise EditRefused(f"{what} cannot be read at line {p.line}: {p.message}") from None


def _get(data: Any, at: tuple) -> Any:
    for part in at:
        data = data[part]
    return data


def _read_quick(text: str, what: str = "the plan") -> Any:
    """The data of `text`, by the fast reader when it takes the text (it reads what `_read` would)."""
    data = _fastyaml.load(text)
    return data if data is not None else _read(text, what)


def _with_value(data: Any, at: tuple, value: Any) -> Any:
    out = copy.deepcopy(data)
    _put(out, at, value)
    return out


def _put(out: Any, at: tuple, value: Any) -> None:
    """Set the value at `at` in `out` (a list index one past the end appends)."""
    parent = out
    for part in at[:-1]:
        parent = _step(parent, part, at)
    last = at[-1]
    if isinstance(parent, list):
        if not isinstance(last, int) or not 0 <= last <= len(parent):
            raise EditRefused(f"{_dotted(at)}: no such list entry")
        if last == len(parent):
            parent.append(_plain(value))
            return
    elif not isinstance(parent, dict):
        raise EditRefused(f"{_dotted(at[:-1])} holds a single value, not a section")
    parent[last] = _plain(value)


def _step(node: Any, part: str | int, at: tuple) -> Any:
    try:
        if isinstance(node, dict) and not isinstance(part, int) or isinstance(node, list) and isinstance(part, int):
            return node[part]
    except (KeyError, IndexError):
        pass
    raise EditRefused(f"{_dotted(at)}: there is no `{part}` to change")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _assign(data: Any, at: tuple, value: Any) -> None:
    parent = data
    for part in at[:-1]:
        parent = parent[part]
    last = at[-1]
    value = copy.deepcopy(value)  # never the same object twice in a document: ruamel would write an alias
    if isinstance(parent, CommentedSeq) and last == len(parent):
        _append_item(parent, _commented(value))
        return
    old = parent[last] if (isinstance(parent, list) or last in parent) else None
    if isinstance(value, str) and isinstance(old, ScalarString):
        value = type(old)(value)  # keep the quoting the person chose
    else:
        value = _commented(value)
    if isinstance(parent, CommentedMap) and last not in parent:
        _append_key(parent, last, value)
    else:
        parent[last] = value


def _commented(value: Any) -> Any:
    """Plain dicts and lists as ruamel's commented types, all the way down (so comments can attach)."""
    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _append_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add `key` at the end of `mapping`, keeping the comment block that followed the old last key after it.

    ruamel keeps the comment lines after a mapping's last value (often the banner of the next
    section) attached to that value; a key appended naively would land below them, inside the next
    section's banner. The old last key keeps its own end-of-line comment; the lines after move down.
    """
    last = next(reversed(mapping), None) if len(mapping) else None
    mapping[key] = value
    if last is not None:
        _move_trailing_comment(mapping, last, key)


def _append_item(seq: CommentedSeq, value: Any) -> None:
    """Append `value` to `seq`, keeping the comment block that followed the old last entry after the new one."""
    flat = not any(isinstance(v, (dict, list)) for v in (value.values() if isinstance(value, dict) else value)) \
        if isinstance(value, (CommentedMap, CommentedSeq)) else False
    if flat and len(seq) and isinstance(seq[-1], type(value)) and seq[-1].fa.flow_style():
        value.fa.set_flow_style()  # a flat entry in the style of the one before it: `- {period: …}` stays one line
    seq.append(value)
    if len(seq) > 1:
        _move_trailing_comment(seq, len(seq) - 2, len(seq) - 1)


def _move_trailing_comment(container: CommentedMap | CommentedSeq, old: str | int, new: str | int) -> None:
    """Move the comment lines after the value at `old` (on its innermost last entry) to after the value at `new`."""
    from ruamel.yaml.tokens import CommentToken

    holder, slot = _innermost(container, old)
    entry = holder.ca.items.get(slot)
    index = 0 if isinstance(holder, CommentedSeq) else 2
    token = entry[index] if entry is not None and len(entry) > index else None
    if token is None or "\n" not in token.value:
        return
    own, _, rest = token.value.partition("\n")
    if not rest:
        return
    entry[index] = CommentToken(own + "\n", token.start_mark, None) if own else None
    moved = CommentToken("\n" + rest, token.start_mark, None)
    target, at = _innermost(container, new)
    if isinstance(target, CommentedSeq):
        target.ca.items[at] = [moved, None]
    else:
        target.ca.items[at] = [None, None, moved, None]


def _innermost(holder: CommentedMap | CommentedSeq, slot: str | int) -> tuple:
    """The container and slot of the last scalar-or-empty value under `holder[slot]`, where ruamel keeps
    the comment lines that follow it (a slot that already carries a comment stops the walk)."""
    while (isinstance(holder[slot], (CommentedMap, CommentedSeq)) and len(holder[slot])
           and slot not in holder.ca.items):
        holder, slot = holder[slot], _last_slot(holder[slot])
    return holder, slot


def _last_slot(node: CommentedMap | CommentedSeq) -> str | int:
    return next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1


def _replace_in_place(text: str, at: tuple, value: Any) -> str:
    """Replace one existing single-line scalar's characters in `text` (for files ruamel would reformat)."""
    if isinstance(value, (dict, list, tuple)):
        raise _not_kept(text, "kaplan cannot add a section to this file without reformatting it")
    try:
        _screen.screen(text)
        root = YAML().compose(text)
    except Exception:
        raise EditRefused("the plan is not valid YAML") from None
    node = root
    for part in at:
        node = _child(node, part)
        if node is None:
            raise _not_kept(text, f"kaplan cannot add `{_dotted(at)}` to this file without reformatting it")
    if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line or node.style in ("|", ">"):
        raise _not_kept(text, f"{_dotted(at)} is not a one-line value kaplan can replace in place in this file")
    rendered = _scalar_text(value, node.style)
    return text[: node.start_mark.index] + rendered + text[node.end_mark.index:]


def _child(node: Node | None, part: str | int) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == part:
                return v
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


_ANCHOR = re.compile(r"[ \t]*(&[^\s,\[\]{}]+)")


def _not_kept(text: str, what: str) -> EditRefused:
    """`what` refused, at the first place of `text` that ruamel.yaml would not write back as it is, and why."""
    lines = text.split("\n")
    if "\r\n" in text and "\n" in text.replace("\r\n", ""):
        crlf = lines[0].endswith("\r")
        line = next(i for i, one in enumerate(lines[:-1], 1) if one.endswith("\r") != crlf)
        return EditRefused(f"{what}: it mixes Windows and Unix line endings (line {line} ends otherwise than line "
                           "1); end every line the same way, or edit it by hand", line, len(lines[line - 1]) + 1)
    spot = _first_unkept(text)
    if spot is None:
        return EditRefused(f"{what} (its layout is one ruamel.yaml cannot reproduce exactly); edit it by hand")
    line, column = spot
    anchor = _ANCHOR.match(lines[line - 1], column - 1)
    if anchor:
        return EditRefused(f"{what}: ruamel.yaml would drop the anchor `{anchor[1]}`; delete it if nothing refers to "
                           f"it (`*{anchor[1][1:]}`), or edit it by hand", line, anchor.start(1) + 1)
    return EditRefused(f"{what}: ruamel.yaml would not write this line back as it is; lay it out as the lines "
                       "around it are, or edit it by hand", line, column)


def _first_unkept(text: str) -> tuple[int, int] | None:
    """Line and column (from 1) of the first character of `text` ruamel.yaml's round trip changes, or None."""
    try:
        doc = load(text)
        out = _dump(doc.data, doc.layout, doc.layout.width)
    except Exception:  # ruamel cannot read it at all: no one place to name
        return None
    if out == text or not text:
        return None
    i = next((i for i, (a, b) in enumerate(zip(text, out)) if a != b), min(len(text), len(out)))
    i = min(i, len(text) - 1)
    start = text.rfind("\n", 0, i) + 1
    return text.count("\n", 0, i) + 1, i - start + 1 - (start == 0 and text.startswith(BOM))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _dotted(at: tuple) -> str:
    out = ""
    for part in at:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the plan"
