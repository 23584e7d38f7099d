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
- anything the fast parser rejects, or a result that is not a mapping.

A differential test (tests/test_fastyaml.py) holds the two paths to the same data.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

try:
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - the wheel exists for the common platforms
    _yaml_rs = None

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_EMPTY_KEY_IN_BLOCK = re.compile(r"\n[ ]*(?:-[ ]+)*:(?:[ \n]|\Z)")
_EMPTY_KEY_IN_FLOW = re.compile(r"[\[{,][ ]*:(?:[ \n]|\Z)")
_COMPLEX_KEY = re.compile(r"\n[ ]*\?(?:[ \n]|\Z)")
_QUOTED_DATE = re.compile(r"[\"'][ ]*\d{4}-\d")
_DATE_LIKE = re.compile(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w:.-])")
# a month outside 1-12, a day outside 1-31, or a day 29-31 in a month that may not have it
_SUSPICIOUS_DATE = re.compile(r"\d{4}-(?:0?0|1[3-9]|[2-9]\d|\d{3,})-|\d{4}-\d{1,2}-(?:0?0|3[2-9]|[4-9]\d|\d{3,})"
                              r"|\d{4}-0?2-(?:29|3[01])|\d{4}-(?:0?[469]|11)-31")
_EMPTY_BLOCK_AT_END = re.compile(r"[|>][-+1-9]*[ ]*(?:#[^\n]*)?\s*\Z")
_TIME_AFTER_DATE = re.compile(r"-\d{1,2}-\d{1,2}(?:[Tt]|[ ]+\d)")


def _starts_a_value(text: str, index: int) -> bool:
    """Whether position `index` is where a YAML node starts (line start, or after `:`, `-`, `[`, `{`, `,`)."""
    i = index - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in "\n:-[{,"


def _declines(text: str) -> bool:
    """True when the text uses something the fast parser may read differently (see the module doc).

    Cheap substring tests come first; a pattern runs only when its trigger is present.
    """
    if "\t" in text or "<<" in text or _CONTROL.search(text):
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
    if _EMPTY_KEY_IN_BLOCK.search(head) or _EMPTY_KEY_IN_FLOW.search(text):
        return True
    if _EMPTY_BLOCK_AT_END.search(text[-200:]):
        return True
    if ("'" in text or '"' in text) and _QUOTED_DATE.search(text):
        return True
    return _TIME_AFTER_DATE.search(text) is not None


def available() -> bool:
    return _yaml_rs is not None


def load(text: str) -> dict | None:
    """The data of a plan's text when the fast parser reads it exactly as the reference does, else None."""
    if _yaml_rs is None or _declines(text):
        return None
    if _SUSPICIOUS_DATE.search(text):  # only then is it worth checking each date against the calendar
        for m in _DATE_LIKE.finditer(text):
            try:
                _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    try:
        data: Any = _yaml_rs.loads(text)
    except Exception:  # any parse error: let the reference reader report it
        return None
    return data if isinstance(data, dict) else None
