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
# A lone surrogate is no character: it cannot be written as UTF-8. U+DC80-U+DCFF is how Python holds a
# byte that is not UTF-8 (a file name's, through surrogateescape); it is shown as that byte, `\xff`.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}{_SURROGATES}]")
_UNSAFE_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}{_SURROGATES}]")
_OLD_COMMAND = re.compile(r"##\[")
_LINE_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.M)  # the runner trims any Unicode blank first
_ANYTHING = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_BREAKS}{_SURROGATES}]|##\\[|^[^\\S\\n]*::", re.M)  # one look first
_SURROGATE = re.compile(f"[{_SURROGATES}]")


def _escape(m: re.Match) -> str:
    code = ord(m[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as surrogateescape holds it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, *, lines: bool = False, starts_line: bool = True) -> str:
    """`text` with control characters, bidi overrides and CI-log commands shown as escapes (`\\x1b`).

    One line by default: a line feed shows as `\\x0a`. With `lines=True` (a cell or a paragraph of
    several lines) line feeds and tabs stay, and no line of it can start a workflow command. With
    `starts_line=False` (one line that is always printed after other text, as a Markdown cell is) a
    leading `::` stays as written: only a line's start makes it a command.
    """
    if text.isascii() and text.isprintable() and "##[" not in text and not text.lstrip(" ").startswith("::"):
        return text  # nearly every value (what `_ANYTHING` finds nothing in, told without a regex)
    if not _ANYTHING.search(text):
        return text
    text = (_UNSAFE_BUT_LINES if lines else _UNSAFE).sub(_escape, text)
    text = _OLD_COMMAND.sub(lambda m: "#\\x23[", text)
    return _LINE_COMMAND.sub(lambda m: m[1] + "\\x3a", text) if starts_line or lines else text


# json.dumps escapes C0 controls and (with ensure_ascii) everything past ASCII itself; DEL and `##[` it
# leaves raw. A lone surrogate it writes as `\udcff`, valid JSON syntax that no UTF-8 decoder accepts.
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

    The one value that cannot go unchanged is text holding a lone surrogate, which is no character:
    a byte of a file name that is not UTF-8 (`plans/\\xff.yaml` on Linux). JSON escapes it as
    `\\udcff`, which strict parsers (and any UTF-8 decoder) refuse; it is written as the four
    characters `\\xff` instead, as `visible()` and so every text output shows it.
    """
    import json

    text = json.dumps(doc, ensure_ascii=True, indent=indent)
    if "\\ud" in text and _has_surrogate(doc):  # a pair (an emoji) is escaped as `\ud83d\ude00` too
        text = json.dumps(_without_surrogates(doc), ensure_ascii=True, indent=indent)
    return _JSON_RAW.sub(_json_escape, text)


def _has_surrogate(doc) -> bool:
    if isinstance(doc, str):
        return _SURROGATE.search(doc) is not None
    if isinstance(doc, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in doc.items())
    if isinstance(doc, (list, tuple)):
        return any(_has_surrogate(v) for v in doc)
    return False


def _without_surrogates(doc):
    if isinstance(doc, str):
        return _SURROGATE.sub(_escape, doc)
    if isinstance(doc, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in doc.items()}
    if isinstance(doc, (list, tuple)):
        return [_without_surrogates(v) for v in doc]
    return doc


def _json_escape(m: re.Match) -> str:
    return "##\\u005b" if m[0] == "##[" else "\\u007f"
