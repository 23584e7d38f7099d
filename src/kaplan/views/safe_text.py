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


# json.dumps escapes C0 controls and (with ensure_ascii) everything past ASCII itself, lone surrogates
# included (the bytes of a file name that is not UTF-8); DEL and `##[` it leaves raw.
_JSON_RAW = re.compile("\x7f|##\\[")


def json_text(doc, *, indent: int | None = 2) -> str:
    """`doc` as JSON in ASCII that decodes to exactly the same values: the one way kaplan prints JSON
    (and SARIF).

    Every character past ASCII is a JSON `\\uXXXX` escape (`"R\\u00e9n"` for `Rén`), so the text is the
    same bytes whatever standard output's encoding is (UTF-8, cp1252, ascii) and always valid JSON: a
    stream that cannot encode a character would otherwise write Python's own escape for it (`\\xe9`),
    which JSON does not know. What `visible()` shows as an escape is escaped too, and the `[` of `##[`
    written as `\\u005b`, so a program gets every value unchanged while the bytes, printed to a terminal
    or a CI log, cannot act on either.
    """
    import json

    return _JSON_RAW.sub(_json_escape, json.dumps(doc, ensure_ascii=True, indent=indent))


def _json_escape(m: re.Match) -> str:
    return "##\\u005b" if m[0] == "##[" else "\\u007f"
