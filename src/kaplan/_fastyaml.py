"""The fast read path: plan text → Python data in one call to a compiled YAML parser (yaml-rs).

It is only an accelerator. `_yaml.parse` (libyaml through ruamel.yaml, plus kaplan's own node
conversion) stays the reference: it alone reports problems and locates values. The fast path answers
only for text it is known to read identically, and returns None otherwise so the caller falls back:

- text using YAML features the fast parser treats differently — tags (`!`), anchors and aliases
  (`&`, `*`) where a value starts (an `&` inside text such as `R & D` is fine), merge keys (`<<`), several documents (`---`, `...`), directives (`%`), complex keys
  (`?`), tabs, control characters and the characters libyaml counts as line breaks;
- an empty block scalar (`|` or `>`) at the very end of the file;
- a date with a time of day (plans hold dates only; the two readers differ on time zones);
- a quoted date such as `"2026-01-01"` (text for the reference reader, a date for the fast parser);
- a date-like value that is not a real date (libyaml's reader refuses it, the fast parser keeps it
  as text);
- an empty key (`- : x`), which the reference reader refuses;
- text so large it may reach the reference reader's limit on the number of values;
- anything the fast parser rejects, or a result that is not a mapping.

A differential test (tests/test_fastyaml.py) holds the two paths to the same data.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ._yaml import MAX_NODES

try:
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - the wheel exists for the common platforms
    _yaml_rs = None

_MAX_SEPARATORS = MAX_NODES // 2 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_ASCII_TEXT = bytes(range(0x20, 0x7f)) + b"\n\r"
_COMPLEX_KEY = re.compile(r"\n[ ]*\?(?:[ \n]|\Z)")
# Patterns start with a literal character where they can: the regex engine then skips ahead to it.
_QUOTED_DATE = (re.compile(r'"[ ]*[0-9]{4}-[0-9]'), re.compile(r"'[ ]*[0-9]{4}-[0-9]"))
_MONTH_DAY = re.compile(r"-([0-9]{1,2})-([0-9]{1,2})")
_EMPTY_BLOCK_AT_END = re.compile(r"[|>][-+1-9]*[ ]*(?:#[^\n]*)?\s*\Z")
_TIME_AFTER_DATE = re.compile(r"-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ ]+[0-9])")
_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_AFTER_DATE = _WORDISH | {":"}


def _starts_a_value(text: str, index: int) -> bool:
    """Whether position `index` is where a YAML node starts (line start, or after `:`, `-`, `[`, `{`, `,`)."""
    i = index - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in "\n:-[{,"


def _has_control_character(text: str) -> bool:
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_TEXT))
    return _CONTROL.search(text) is not None


def _has_empty_key(head: str) -> bool:
    """A `:` that starts a mapping entry with no key (`- : x`, `{: x}`), which the reference refuses."""
    for pair in (" :", "\n:", "{:", "[:", ",:"):
        at = head.find(pair)
        while at != -1:
            after = head[at + 2:at + 3]
            if after in ("", " ", "\n"):
                return True
            at = head.find(pair, at + 1)
    return False


def _has_impossible_date(text: str) -> bool:
    """A YYYY-MM-DD value that is not on the calendar (the reference refuses it; yaml-rs keeps text)."""
    seen: set = set()
    for m in _MONTH_DAY.finditer(text):
        start, end = m.start(), m.end()
        year = text[start - 4:start]
        if len(year) != 4 or not year.isdigit() or not year.isascii():
            continue
        if (start > 4 and text[start - 5] in _WORDISH) or (end < len(text) and text[end] in _AFTER_DATE):
            continue
        key = (year, m[1], m[2])
        if key in seen:
            continue
        seen.add(key)
        try:
            _dt.date(int(year), int(m[1]), int(m[2]))
        except ValueError:
            return True
    return False


def _declines(text: str) -> bool:
    """True when the text uses something the fast parser may read differently (see the module doc).

    Cheap substring tests come first; a pattern runs only when its trigger is present.
    """
    if "\t" in text or "<<" in text or _has_control_character(text):
        return True
    # Every key or value past the root needs a `:`, `-` or `,`; past this many the reference reader may
    # hit its limit on values (`_yaml.MAX_NODES`), so let it decide.
    if text.count(":") + text.count("-") + text.count(",") > _MAX_SEPARATORS:
        return True
    for ch in "!&*":
        at = text.find(ch)
        while at != -1:
            if _starts_a_value(text, at):
                return True
            at = text.find(ch, at + 1)
    head = "\n" + text
    if "\n---" in head or "\n..." in head or "\n%" in head:
        return True
    if "?" in text and _COMPLEX_KEY.search(head):
        return True
    if _has_empty_key(head) or _EMPTY_BLOCK_AT_END.search(text[-200:]):
        return True
    if any(p.search(text) for p in _QUOTED_DATE):
        return True
    return _TIME_AFTER_DATE.search(text) is not None or _has_impossible_date(text)


def available() -> bool:
    return _yaml_rs is not None


def load(text: str) -> dict | None:
    """The data of a plan's text when the fast parser reads it exactly as the reference does, else None."""
    if _yaml_rs is None or _declines(text):
        return None
    try:
        data: Any = _yaml_rs.loads(text)
    except Exception:  # any parse error: let the reference reader report it
        return None
    return data if isinstance(data, dict) else None
