r"""The fast read path: plan text → Python data in one call to a compiled YAML parser (yaml-rs).

It is only an accelerator. `_yaml.parse` (libyaml through ruamel.yaml, plus kaplan's own node
conversion) stays the reference: it alone reports problems and locates values. The fast path answers
only for text it is known to read identically, and returns None otherwise so the caller falls back:

- text using YAML features the fast parser treats differently — tags (`!`), anchors and aliases
  (`&`, `*`) where a value starts (an `&` inside text such as `R & D` is fine), merge keys (`<<`), several documents (`---`, `...`), directives (`%`), complex keys
  (`?`), tabs, control characters and the characters libyaml counts as line breaks;
- an empty block scalar (`|` or `>`) at the very end of the file, any block scalar when the file
  does not end with a line break (yaml-rs adds one), and a block scalar that strips its line break
  (`>-`) and starts with a digit (yaml-rs takes a text such as `2026-01-01` for a date, whatever its
  style; so too for an escape in double quotes, `"\x32026-01-01"`: any `\` in a text with a `"`);
- a flow collection (`[...]`, `{...}`) not shown to be read alike: libyaml takes every `?` in one for
  a key indicator and refuses `|` or `>` where a value starts, yaml-rs reads them as text, and yaml-rs
  takes a collection for a key (`{[a]: b}`, `[a]: b`). Each collection is read on its line, innermost
  first; one that spans lines, or holds any of these, is declined;
- a line break that is a lone carriage return;
- a date with a time of day, also folded from the next line (plans hold dates only; the two readers
  differ on time zones, and on a time without seconds);
- a quoted date such as `"2026-01-01"` (text for the reference reader, a date for the fast parser);
- a date-like value that is not a real date (libyaml's reader refuses it, the fast parser keeps it
  as text);
- an empty key (`- : x`), which the reference reader refuses;
- a number written with a leading `_`, a `_` in or after its exponent, or an exponent after a leading
  `.` (`_280000`, `1e_3`, `-.5e3`), a capital base prefix (`0X1F`), `.inf` or `.nan` in mixed case
  (`.iNf`), or a time of day with a two-digit hour (`10:00:00`): a number or a time to the fast
  parser, text to the reference reader; and `0x_`, text to the fast parser, an error to the reference;
- a `:` directly followed by a character inside a flow collection (`{url: https://x}`, `[10:30]`):
  text to the fast parser (YAML 1.2), a syntax error to libyaml. Plans rarely have such a `:` at all;
  when one comes on or after the first line holding a bracket, the text is declined;
- text that `_screen` does not clear for every parser (past a limit on nesting or values, or
  needing libyaml's exact count, which stopped at an error): yaml-rs recurses in Rust and would
  build every value;
- anything the fast parser rejects, or a result that is not a mapping.

A differential test (tests/test_fastyaml.py) holds the two paths to the same data.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any

from kaplan.reading import screen as _screen

try:
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - the wheel exists for the common platforms
    _yaml_rs = None

# The Latin-1 bytes that are not control characters (tab among them: `_declines` tests it on its own).
# Deleting them from the text's Latin-1 bytes (one C pass) leaves nothing unless a control character is
# there; the encoding drops the characters past U+00FF, and the three of those that count are looked
# for separately (memchr-fast).
_NOT_CONTROL = bytes(range(0x20, 0x7f)) + b"\t\n\r" + bytes(range(0xa0, 0x100))
_LONE_CR = re.compile(r"\r(?!\n)")
_COMPLEX_KEY = re.compile(r"\n[ ]*\?(?:[ \r\n]|\Z)")
# Each pattern starts with a literal character where it can: the regex engine then skips ahead to it,
# and a pattern starting with a class or an assertion is tried at every position (many times slower).
_DOCUMENT_END = re.compile(r"\.\.\.(?<![^\n]\.\.\.)")  # `...` at a line start (or at the start)
_EMPTY_KEY = re.compile(r":(?<![^ \n{\[,]:)(?:[ \r\n]|\Z)")  # a `:` after a space, line break, `{[,` or nothing
_EMPTY_BLOCK_AT_END = re.compile(r"[|>][-+1-9]*[ ]*(?:#[^\n]*)?\s*\Z")
# A block scalar that strips its last line break (`|-`, `>-`, `|2-`, `>-2`) and whose text starts with a
# digit: yaml-rs takes a text that is a date or a time of day (`2026-01-01`, `10:00:00`) for one, whatever
# its style; the reference reads a block scalar as text. (Quoted dates and times are declined elsewhere;
# a block scalar that keeps its line break is never one, unless it ends the file without one.)
_STRIPPED_BLOCK_DIGIT = tuple(re.compile(rf"{re.escape(indicator)}(?:-[1-9]?|[1-9]-)[ ]*(?:#[^\r\n]*)?[\r\n][ \r\n]*[0-9]")
                              for indicator in "|>")  # one pattern for each, so each starts with a literal
# Numbers the two readers read differently (yaml-rs takes them for numbers, the reference for text): a
# leading `_` (`_280000`, `-_.5`), a `_` in or after an exponent (`1e_3`, `1e3_`), an exponent after a
# leading `.` (`-.5e3`). Both patterns start with a literal, which the regex engine skips ahead to: the
# first finds every `_` that starts a token or follows a digit, a sign, a dot or a number's `e` (more
# than needed: `1_000` is read alike, but a plan rarely writes it), the second a `.` that starts a
# token and is followed by an exponent.
_ODD_UNDERSCORE = re.compile(r"_(?<=[\s\[{,:+\-.0-9_]_)|_(?<=[0-9.][eE]_)|_(?<=0[xob]_)")
_DOT_EXPONENT = re.compile(r"\.(?<![\w.]\.)[0-9_]*[eE]")
# More the two readers read differently: a time of day with a two-digit hour (`10:00:00`, a time to
# yaml-rs), a capital base prefix (`0X1F`, a number to yaml-rs), `.inf` or `.nan` in mixed case.
_CLOCK_TIME = re.compile(r":[0-9]{2}:(?<=[0-9]{2}:[0-9]{2}:)[0-9]")
_CAPITAL_BASE = re.compile(r"0[XOB]")
_SPECIAL_FLOAT = re.compile(r"\.[iInN][nNaA][fFnN]")
_SPELLED_ALIKE = frozenset({"inf", "Inf", "INF", "nan", "NaN", "NAN"})


def _mixed_case_special(text: str) -> bool:
    """`.inf` or `.nan` spelled in a mixed case (`.iNf`) that starts a token: each regex above starts
    with a literal or a short class, which the engine skips ahead to; this one's rare hits are judged here."""
    for m in _SPECIAL_FLOAT.finditer(text):
        start, end = m.start(), m.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if text[start + 1:end] not in _SPELLED_ALIKE and not (before.isalnum() or before in "._") \
                and not (after.isalnum() or after == "_"):
            return True
    return False
_QUOTED_DATE = (re.compile(r'"[ ]*[0-9]{4}-[0-9]'), re.compile(r"'[ ]*[0-9]{4}-[0-9]"))
_TIME_AFTER_DATE = re.compile(r"-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \r\n]+[0-9])")
_MONTH_DAY = re.compile(r"-([0-9]{1,2})-([0-9]{1,2})")
_WORDISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_AFTER_DATE = _WORDISH | {":"}
_WORDISH_CLASS = r"0-9A-Za-z_.\-"  # _WORDISH as the body of a regex class
# A month and day that are on the calendar in every year but year 0 (February 29 only in a leap year),
# as a regex read just after the `-` that ends a four-digit year (the caller says what must follow):
# cheaper than building the date.
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_REAL_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"  # the usual case first: two digits, day 1-28
    r"|(?:0?[13578]|1[02])-(?:0?[1-9]|[12][0-9]|3[01])"  # months of 31 days
    r"|(?:0?[469]|11)-(?:0?[1-9]|[12][0-9]|30)"  # months of 30 days
    r"|0?2-(?:0?[1-9]|1[0-9]|2[0-8])"
    rf"|(?<={_LEAP_YEAR}-)0?2-29)"
)
# One pass over the text for the four tests in `_has_date_problem`, which all look at a `-` (`\n---`, a
# quoted date, a time after a date, a date off the calendar). It matches at every `-` where one of them
# could hold, so when it finds nothing none holds; when it finds something (rare in a plan) the exact
# tests decide. Most `-` in a plan fail it within a few steps: list items and hyphenated words at once,
# an ordinary date (`key: 2026-07-14`: one space before the year, a real month and day, no time after)
# at the `(?!...)` after `(?=[0-9])`.
_SUSPECT_DASH = re.compile(rf"""
    -(?:
        --(?<![^\n]---)                                 # `---` at a line start or at the start
      | (?=[0-9])
        (?!(?<=[^'"\ ][\ ][0-9]{{4}}-)(?<!0000-)        # an ordinary date, as above: no test
           {_REAL_MONTH_DAY}(?![0-9Tt]|[\ \r\n]+[0-9]))  # can hold at this `-`
        (?:
            (?=[0-9]{{1,2}}-[0-9]{{1,2}}(?:[Tt]|[\ \r\n]+[0-9]))   # _TIME_AFTER_DATE matches here
          | (?<=[0-9]{{4}}-)(?:                                 # after four digits, _QUOTED_DATE
                (?<=['"][0-9]{{4}}-)                            # may match (a quote before them,
              | (?<=['"\ ][\ ][0-9]{{4}}-)                      # or a space after a quote or space),
              | (?<![{_WORDISH_CLASS}][0-9]{{4}}-)              # or they are a year as
                (?: (?<=0000-)                                  # _has_impossible_date reads one:
                  | (?!{_REAL_MONTH_DAY}(?![0-9]))              # year 0, or a month and day not
                    [0-9]{{1,2}}-[0-9]{{1,2}}(?![{_WORDISH_CLASS}:])   # surely real, in a date token
                )
            )
        )
    )""", re.VERBOSE)


def _starts_a_value(text: str, index: int) -> bool:
    """Whether position `index` is where a YAML node starts (line start, or after `:`, `-`, `[`, `{`, `,`)."""
    i = index - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in "\n:-[{,"


def _has_control_character(text: str) -> bool:
    """Any of U+0000-U+001F but tab, line feed and carriage return, U+007F-U+009F, U+2028, U+2029, U+FEFF."""
    if text.encode("latin-1", "ignore").translate(None, _NOT_CONTROL):
        return True
    return "\u2028" in text or "\u2029" in text or "\ufeff" in text


def _has_tag_anchor_or_alias(text: str) -> bool:
    """A `!`, `&` or `*` where a value starts (each is rare in a plan: look at every one)."""
    for ch in "!&*":
        at = text.find(ch)
        while at != -1:
            if _starts_a_value(text, at):
                return True
            at = text.find(ch, at + 1)
    return False


def _has_directive(text: str) -> bool:
    """A `%` at a line start (or at the start)."""
    at = text.find("%")
    while at != -1:
        if at == 0 or text[at - 1] == "\n":
            return True
        at = text.find("%", at + 1)
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


def _has_date_problem(text: str) -> bool:
    """A document start, a quoted date, a time after a date or a date off the calendar (exact tests)."""
    return ("\n---" in "\n" + text or any(p.search(text) for p in _QUOTED_DATE)
            or _TIME_AFTER_DATE.search(text) is not None or _has_impossible_date(text))


def _declines(text: str) -> bool:
    """True when the text uses something the fast parser may read differently (see the module doc).

    Speed matters (this runs on every plan read): memchr-fast substring tests come first, a test that
    needs a pass over the text runs only behind a cheap necessary condition where there is one, and
    the date-shaped tests share one pass (`_SUSPECT_DASH`) that lets the exact tests run only when it
    finds something.
    """
    if "\t" in text or ("<" in text and "<<" in text) or _has_control_character(text):
        return True
    if "\r" in text and _LONE_CR.search(text):
        return True  # a line break the tests below, which know `\n` and `\r\n`, do not look for
    if _has_tag_anchor_or_alias(text) or _has_directive(text) or _DOCUMENT_END.search(text):
        return True
    if "?" in text and _COMPLEX_KEY.search("\n" + text):
        return True
    tail = text[-200:]
    if ("|" in tail or ">" in tail) and _EMPTY_BLOCK_AT_END.search(tail):
        return True
    if _EMPTY_KEY.search(text) or _has_tight_colon_in_flow(text):
        return True
    if ("[" in text or "{" in text) and _has_unsure_flow(text):
        return True
    if _has_block_scalar_problem(text):
        return True
    if "\\" in text and '"' in text:
        return True  # an escape in double quotes may spell a date or a time (`"\x32026-01-01"`)
    if _ODD_UNDERSCORE.search(text) or _DOT_EXPONENT.search(text) or text[:1] == "_" or text[1:2] == "_":
        return True
    if _CLOCK_TIME.search(text) or _CAPITAL_BASE.search(text):
        return True
    if _mixed_case_special(text):
        return True
    return _SUSPECT_DASH.search(text) is not None and _has_date_problem(text)


# Flow collections (`[...]`, `{...}`). Inside one, libyaml (YAML 1.1) takes every `?` for a key
# indicator, even in the middle of plain text, and refuses `|` or `>` where a value starts; yaml-rs
# (YAML 1.2) reads all three as text. And yaml-rs takes a collection for a key (`{[a]: b}`, `{[a]}`,
# `[a]: b`), which the reference refuses. So every collection must be shown free of these, or the text
# is declined: `_has_unsure_flow` replaces each collection it can read, innermost first, by a stand-in
# (`_COLLECTION`, a control character, so never in a text that gets this far), and declines the text
# when an opening bracket is left. A collection is read only on one line (one that spans lines is
# left, and so declined). Brackets in plain text, quotes or comments are read the same way: a balanced
# pair is taken away harmlessly, another one only costs the reference reader's time.
_COLLECTION = "\x01"
# Most collections in a plan are simple: one run of a character class with no `?|>`, no comment and no
# bracket in it, and quoted text only where a value starts (after `[{,` or `: `, with up to two
# spaces); a quote after any other character but a space is plain text (`CEO's`). In a sequence a
# collection replaced already may stand as any entry but a key, in a mapping only as a value (after
# `: `). The collection itself must start where a value starts (after `[{,`, a space, a line break, or
# at the start) and end where one ends (before `,]}`, a line break, a comment or the end: not a key).
_SIMPLE_TEXT = r"[^\[\]{}\r\n'\"#?|>\x01]*+(?:(?<![ \[{,:])['\"][^\[\]{}\r\n'\"#?|>\x01]*+)*+"
_AT_VALUE = r"(?:(?<=[\[{,])|(?<=[\[{,:] )|(?<=[\[{,:]  ))"
_SIMPLE_QUOTED = rf"""{_AT_VALUE}(?:'[^'\r\n\[\]{{}}]*+')*+(?:"[^"\\\r\n\[\]{{}}]*+")?+(?<=['"])"""
_AFTER_COLLECTION = r"(?=[ ]*(?:[,\]}\r\n]|\Z)| +#)"
_SIMPLE_FLOWS = (
    re.compile(rf"\[(?<![^\[{{, \n]\[){_SIMPLE_TEXT}(?:(?:{_SIMPLE_QUOTED}|{_AT_VALUE}\x01(?![ ]*:))"
               rf"{_SIMPLE_TEXT})*+\]{_AFTER_COLLECTION}"),
    re.compile(rf"\{{(?<![^\[{{, \n]\{{){_SIMPLE_TEXT}(?:(?:{_SIMPLE_QUOTED}|(?:(?<=: )|(?<=:  ))\x01)"
               rf"{_SIMPLE_TEXT})*+\}}{_AFTER_COLLECTION}"),
)
# The rest are read token by token (nested two deep; `_has_unsure_flow` repeats for deeper ones): each
# entry quoted text, plain text (no `?`, not starting with `|>?`, an indicator such as `!&*%@` or a
# lone `-`, no `:` and no comment), or a collection, with `key: value` pairs whose keys are text.
# Atomic groups and possessive repeats keep each match linear.
_FLOW_SPACE = r"[ ]*+"
_FLOW_SCALAR = (
    r"(?:[^\s,\[\]{}#'\"?|>!&*%@`:\-\x01]|-(?=[^\s,\[\]{}]))[^\r\n,\[\]{}#:?\x01]*+"  # plain (each run of
    r"(?:(?<![ ])#[^\r\n,\[\]{}#:?\x01]*+)*+"  # characters one repeat of a class: the engine's fast loop)
    r"|'[^'\r\n]*+(?:''[^'\r\n]*+)*+'"  # single-quoted
    r'|"[^"\\\r\n]*+(?:\\[^\r\n][^"\\\r\n]*+)*+"'  # double-quoted
)


def _flow_patterns(depth: int) -> tuple[str, str]:
    """A sequence and a mapping, each holding collections nested `depth` deep at most."""
    inner = (_COLLECTION, *_flow_patterns(depth - 1)) if depth else (_COLLECTION,)
    collection = "|".join(inner)
    value = rf"(?:(?:{_FLOW_SCALAR}|{collection}){_FLOW_SPACE})?"
    pair = rf"(?::(?=[ ,\]}}]){_FLOW_SPACE}{value})?"
    seq_entry = rf"(?:(?:{_FLOW_SCALAR}){_FLOW_SPACE}{pair}|(?:{collection}){_FLOW_SPACE}(?!:))"
    map_entry = rf"(?:{_FLOW_SCALAR}){_FLOW_SPACE}{pair}"
    return (rf"\[(?>{_FLOW_SPACE}(?:{seq_entry}(?:,{_FLOW_SPACE}|(?=\])))*+\])",
            rf"\{{(?>{_FLOW_SPACE}(?:{map_entry}(?:,{_FLOW_SPACE}|(?=\}})))*+\}})")


@functools.cache
def _flows() -> tuple[re.Pattern, ...]:
    """One pattern for each opening bracket, so each starts with a literal the engine skips ahead to;
    compiled when first wanted (it takes longer than reading a plan, and most plans need only
    `_SIMPLE_FLOWS`)."""
    return tuple(re.compile(pattern + r"(?![ ]*:)") for pattern in _flow_patterns(2))


def _has_unsure_flow(text: str) -> bool:
    """A `[` or `{` that does not start a collection both readers read alike (see `_SIMPLE_FLOWS`)."""
    for _ in range(16):
        found = 0
        for pattern in _SIMPLE_FLOWS:
            text, count = pattern.subn(_COLLECTION, text)
            found += count
        if "[" not in text and "{" not in text:
            return False
        if not found:
            for pattern in _flows():
                text, count = pattern.subn(_COLLECTION, text)
                found += count
            if not found:
                break
    return "[" in text or "{" in text


def _has_block_scalar_problem(text: str) -> bool:
    """A block scalar yaml-rs reads differently: one ending the file without a line break (yaml-rs adds
    one), or one that strips its last line break and starts with a digit (`_STRIPPED_BLOCK_DIGIT`)."""
    found = False
    for indicator, pattern in zip("|>", _STRIPPED_BLOCK_DIGIT):
        if indicator in text:
            found = True
            if pattern.search(text):
                return True
    return found and not text.endswith("\n")


_TIGHT_COLON = re.compile(r":[^ \n\r]")


def _has_tight_colon_in_flow(text: str) -> bool:
    """A `:` directly followed by a character, where a flow collection may hold it: on or after the
    first line with a bracket (quotes and multi-line collections are not worked out; declining more
    than needed only costs the reference reader's time)."""
    if _TIGHT_COLON.search(text) is None:
        return False
    brackets = [i for i in (text.find("["), text.find("{")) if i != -1]
    if not brackets:
        return False
    return _TIGHT_COLON.search(text, text.rfind("\n", 0, min(brackets)) + 1) is not None


def available() -> bool:
    return _yaml_rs is not None


def takes(text: str) -> bool:
    """Whether the fast path reads this text (then positions in it can be read off its lines too)."""
    if _yaml_rs is None:
        return False
    try:
        if not _screen.screen(text):
            return False
    except _screen.TooCostly:
        return False
    return not _declines(text)


def load(text: str) -> dict | None:
    """The data of a plan's text when the fast parser reads it exactly as the reference does, else None."""
    if not takes(text):
        return None
    try:
        data: Any = _yaml_rs.loads(text)
    except Exception:  # any parse error: let the reference reader report it
        return None
    return data if isinstance(data, dict) else None
