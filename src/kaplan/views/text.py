"""Turning values into text for a pack: numbers, dates, labels, and escaping for Markdown and Mermaid.

HTML escaping is jinja2's autoescape. Markdown has no such thing, so every value a Markdown template
prints goes through `md()` (the environment applies it to every `{{ }}` unless the value is marked
safe): characters that would start markup, raw HTML or a table cell are escaped, line breaks
become spaces so a value cannot break out of its table row or paragraph, and what a git host would
turn into a link by itself (`https://…`, `www.…`, `user@example.com`) is broken up invisibly. `mermaid()` does the same
for a label inside a Mermaid diagram, where the escapes are entity codes such as `#60;`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from enum import Enum

from kaplan.clock import days
from kaplan import rounding
from kaplan.plural import counted
from kaplan.rounding import as_recorded, fixed as fixed_figure, progress as progress_shown, rounded, signed as signed_figure
from kaplan.views.safe_text import visible

DASH = "–"

_MD = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "<": "&lt;",
                     ">": "&gt;", "&": "&amp;", "|": "\\|", "~": "\\~", "$": "\\$"})
_LIST_ITEM = re.compile(r"^(?:[-+#](?: |$)|[=-]+$|\d+(?=[.)](?: |$)))")
_SPACE = re.compile(r"\s+")
# What a git host turns into a link without any markup (GFM's autolinks, and linkify's bare domains):
# `https://…`, `//host`, `www.…`, `evil.com` and `user@example.com`. A backslash before the second
# `/` of `//`, before a `.` followed by a letter and after `www` breaks the first four (it renders
# as nothing). Emails are found after escapes are undone, so a WORD JOINER (U+2060, invisible) goes
# before `@`.
_AUTOLINK = re.compile(r"(?<=/)/|\.(?=[^\W\d_])|(?<=[wW]{3})\.|@")
_NO_AUTOLINK = {"/": "\\/", ".": "\\.", "@": "\u2060@"}


def md(value) -> str:
    """`value` as inline Markdown text that renders exactly as written and never as markup or a link,
    nor as a terminal or CI-log control (`views.safe_text.visible`): Markdown is read in terminals and
    in CI job summaries too. It is inline: kaplan never prints it at the start of a line."""
    text = visible(_SPACE.sub(" ", plain(value)).strip(), starts_line=False).translate(_MD)
    text = _AUTOLINK.sub(lambda m: _NO_AUTOLINK[m[0]], text)
    m = _LIST_ITEM.match(text)  # would start a list, a heading or an underline at the start of a line
    if m:
        at = m.end() if text[0].isdigit() else 0
        text = text[:at] + "\\" + text[at:]
    return text


_MERMAID_SAFE = re.compile(r"[\w ,.\-/()+]", re.UNICODE)


def mermaid(value) -> str:
    """`value` for a quoted Mermaid label: anything but letters, digits and plain punctuation as `#NN;`."""
    text = _SPACE.sub(" ", plain(value)).strip()
    return "".join(ch if _MERMAID_SAFE.fullmatch(ch) and ch != "_" else f"#{ord(ch)};" for ch in text)


def plain(value) -> str:
    """A value as plain text: enums by their words, dates as ISO, None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    return str(value)


def label(value) -> str:
    """`economic_buyer` → `economic buyer`."""
    if value is None:
        return DASH
    return str(value.value if isinstance(value, Enum) else value).replace("_", " ")


def money(value: float | None) -> str:
    return DASH if value is None else fixed_figure(value, 0, grouped=True)


def granted(money_granted: float | None, people_granted: float | None = None) -> str:
    """What an investment request was granted: its money, and the people (FTE) when it was allocated
    any (`0 + 2 FTE`, `0 + 1.3 FTE` for 1.25: `fte`), in one figure wherever the allocation is shown."""
    shown = money(money_granted)
    return shown if people_granted is None else f"{shown} + {fte(people_granted)} FTE"


NO_BUDGET = "no budget set"
"""What a pack and `score --budget` say instead of a budget of 0 when kaplan.yaml sets none."""


def budget_words(al) -> str:
    """An allocation's money (`scoring.allocation.AllocationResult`) in one sentence, the same in every
    pack and in `score --budget`: `Budget 100,000 EUR; requested 90,000; granted 90,000; left 10,000`,
    or without a budget (`budget_set`: never "Budget 0 / 0")
    `No budget set (scoring.budget.available in kaplan.yaml); requested 90,000 EUR`."""
    if not al.budget_set:
        return f"No budget set (scoring.budget.available in kaplan.yaml); requested {money(al.requested)} {al.currency}"
    return (f"Budget {money(al.available)} {al.currency}; requested {money(al.requested)}; granted {money(al.granted)}; "
            f"left {money(al.available - al.granted)}")


def people_words(al) -> str:
    """The people (FTE) of an allocation in one sentence, the same in every pack and in `score --budget`:
    `People: 3 FTE requested, 2 available, 2 granted.`, or `People: 3 FTE requested, not allocated (set
    scoring.budget.people in kaplan.yaml).` without `budget.people`; "" when no request asks for people."""
    if not al.people_requested:
        return ""
    if al.people_available is None:
        return (f"People: {fte(al.people_requested)} FTE requested, not allocated "
                "(set scoring.budget.people in kaplan.yaml).")
    return (f"People: {fte(al.people_requested)} FTE requested, {recorded(al.people_available)} available, "
            f"{fte(al.people_granted)} granted.")


def compact(value: float | None) -> str:
    """1,250,000 → 1.25M; 48,000 → 48k; 999,500 → 1M (cards and chart axes): three significant digits,
    rounded half away from zero as every figure shown (`kaplan.rounding`: 1,125,000 → 1.13M) before the
    unit is chosen, so a figure that rounds up to the next unit takes that unit."""
    if value is None:
        return DASH
    if not math.isfinite(value) or value == 0:
        return f"{value:g}"
    value = rounded(value, 2 - math.floor(math.log10(abs(value))))
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return DASH
    text = fixed_figure(value, digits, grouped=True)
    return text[:-(digits + 1)] if digits and text.endswith("." + "0" * digits) else text


def fixed(value: float | None, digits: int = 1) -> str:
    """Always `digits` decimals (scores), where `number` drops a trailing .0 (measures, counts)."""
    return DASH if value is None else fixed_figure(value, digits, grouped=True)


def pct(value: float | None, digits: int | None = None) -> str:
    """A percentage (margin, share, growth), with `rounding.PCT_PLACES` decimals unless told."""
    places = rounding.PCT_PLACES if digits is None else digits
    return DASH if value is None else fixed_figure(value, places) + "%"


def score(value: float | None) -> str:
    """A portfolio score as shown (`rounding.SCORE_PLACES` decimals, always written: 80.0)."""
    return fixed(value, rounding.SCORE_PLACES)


def axis(value: float | None) -> str:
    """A matrix axis (attractiveness, strength) as shown (`rounding.AXIS_PLACES`)."""
    return fixed(value, rounding.AXIS_PLACES)


def health(value: float | None) -> str:
    """A health score (or one health signal) as shown (`rounding.HEALTH_PLACES`)."""
    return number(value, rounding.HEALTH_PLACES)


def wallet(value: float | None) -> str:
    """Share of wallet, or a competitor's share of the client's spend, as shown (`rounding.WALLET_PLACES`)."""
    return pct(value, rounding.WALLET_PLACES)


def probability(value: float | None) -> str:
    """An opportunity's probability as shown (`rounding.PROBABILITY_PLACES`)."""
    return pct(value, rounding.PROBABILITY_PLACES)


def mean(value: float | None) -> str:
    """A 1-5 mean (relationship strength) as shown (`rounding.mean`; 3.25 → 3.3, 4 → 4.0)."""
    return DASH if value is None else rounding.mean(value)


def fte(value: float | None) -> str:
    """People (FTE) as shown in a pack (`rounding.FTE_PLACES`; 1.0 → 1)."""
    return number(value, rounding.FTE_PLACES)


def progress(value: float | None, digits: int | None = None) -> str:
    """A measure's or an objective's progress: never 100% before the target, nor 0% once off the baseline
    (`kaplan.rounding.progress`)."""
    places = rounding.PROGRESS_PLACES if digits is None else digits
    return DASH if value is None else f"{progress_shown(value, places):.{places}f}%"


def recorded(value: float | None) -> str:
    """A measure's value as the plan records it, never rounded (`kaplan.rounding.as_recorded`)."""
    return DASH if value is None else as_recorded(value)


def signed(value: float | None, digits: int | None = None) -> str:
    """An NPS (or a force-field net) with its sign, with `rounding.NPS_PLACES` decimals unless told."""
    return DASH if value is None else signed_figure(value, rounding.NPS_PLACES if digits is None else digits)


def dots(value: int | None, out_of: int = 5) -> str:
    """A 1-5 rating as ●●●○○."""
    return DASH if value is None else "●" * value + "○" * (out_of - value)


def date(value: _dt.date | None) -> str:
    return DASH if value is None else value.isoformat()


FILTERS = {"md": md, "mermaid": mermaid, "label": label, "money": money, "granted": granted, "compact": compact, "number": number, "fixed": fixed,
           "pct": pct, "score": score, "axis": axis, "health": health, "wallet": wallet, "probability": probability,
           "mean": mean, "fte": fte, "progress": progress, "recorded": recorded, "signed": signed, "dots": dots, "many": counted, "days": days, "date": date, "plain": plain}
