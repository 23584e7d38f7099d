"""Text from plans made safe to print on a terminal or into a CI log.

A plan is reviewed as YAML, where `"\\e]0;pwned\\a"` or `"\\u202e"` reads as a harmless escape; the
value it stands for, printed raw, retitles or clears the reader's terminal, reorders what a line
says (a bidirectional override), or starts a new line that reads as a finding of its own. A CI log
adds its own commands: GitHub Actions runs a line that starts with `::` (leading blanks aside) as a
workflow command, and `##[command]` anywhere in a line as one in its older syntax (`add-mask`,
`stop-commands`, `error`…). `visible()` shows all of these as escapes, so what is printed says
exactly what the plan holds and does nothing else. It is not an escape for Markdown or HTML
(`report.text.md` and jinja2's autoescape are), and the formats with their own quoting (JSON,
SARIF, GitHub's `%0A`) use it only for what that quoting leaves raw.
"""

from __future__ import annotations

import re

_BIDI_AND_BREAKS = ("\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    # invisible marks that reorder or hide what a line says: zero-width space,
                    # direction marks (LRM, RLM, ALM), word joiner and invisible operators, the
                    # zero-width no-break space, and tag characters (ZWJ and ZWNJ stay: scripts and
                    # emoji need them)
                    "\u200b\u200e\u200f\u061c\u2060-\u2064\ufeff\U000e0000-\U000e007f"
                    # more that show nothing: the soft hyphen, the grapheme joiner, Hangul and
                    # Mongolian fillers, deprecated format controls, interlinear annotation marks,
                    # and variation selectors, which can carry hidden data (but the one that asks
                    # for an emoji's colour form, U+FE0F)
                    "\u00ad\u034f\u115f\u1160\u3164\uffa0\u180e\u206a-\u206f\ufff9-\ufffb"
                    "\ufe00-\ufe0e\U000e0100-\U000e01ef")
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}]")
_UNSAFE_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}]")
_OLD_COMMAND = re.compile(r"##\[")
_LINE_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.M)  # the runner trims any Unicode blank first
_ANYTHING = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}]|##\\[|^[^\\S\\n]*::", re.M)  # one look first


def _escape(m: re.Match) -> str:
    code = ord(m[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, *, lines: bool = False, starts_line: bool = True) -> str:
    """`text` with control characters, bidi overrides and CI-log commands shown as escapes (`\\x1b`).

    One line by default: a line feed shows as `\\x0a`. With `lines=True` (a cell or a paragraph of
    several lines) line feeds and tabs stay, and no line of it can start a workflow command. With
    `starts_line=False` (one line that is always printed after other text, as a Markdown cell is) a
    leading `::` stays as written: only a line's start makes it a command.
    """
    if not _ANYTHING.search(text):  # nearly every value: nothing to do
        return text
    text = (_UNSAFE_BUT_LINES if lines else _UNSAFE).sub(_escape, text)
    text = _OLD_COMMAND.sub(lambda m: "#\\x23[", text)
    return _LINE_COMMAND.sub(lambda m: m[1] + "\\x3a", text) if starts_line or lines else text


# json.dumps escapes C0 controls itself; with ensure_ascii=False it leaves these raw, and lone
# surrogates too (the bytes of a file name that is not UTF-8, which no UTF-8 output can carry raw).
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI_AND_BREAKS}\ud800-\udfff]|##\\[")


def json_text(doc, *, indent: int | None = 2) -> str:
    """`doc` as JSON (UTF-8 text kept readable) that decodes to exactly the same values.

    What `visible()` shows as an escape is written as a JSON `\\uXXXX` escape here, and the `[` of
    `##[` as `\\u005b`, so a program gets every value unchanged while the bytes, printed to a terminal
    or a CI log, cannot act on either.
    """
    import json

    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(_json_escape, text)


def _json_escape(m: re.Match) -> str:
    if m[0] == "##[":
        return "##\\u005b"
    code = ord(m[0])
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # past the Basic Multilingual Plane JSON escapes a surrogate pair (tag characters)
    return f"\\u{0xd800 + (code >> 10):04x}\\u{0xdc00 + (code & 0x3ff):04x}"
