"""Turning pydantic's validation errors into findings a KAM can act on.

pydantic says `('account', 'secter'): Extra inputs are not permitted`; a KAM needs
`plans/acme.yaml:7:3: unknown key `secter` in account — did you mean `sector`?`. This module walks
each error's location through the YAML document to a line and column and rewrites the message.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from kaplan.reading import mistakes as _mistakes
from kaplan.reading.document import Document
from kaplan.findings import Finding, Severity
from kaplan.plural import word
from kaplan.model.types import PERIOD


def dotted(at: tuple) -> str:
    """`('actions', 2, 'due')` → `actions[3].due` (1-based list items, as people count)."""
    out = ""
    for part in at:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


MAX_ERRORS = 1000
"""Validation errors of one file shown as findings; past them, one more finding says how many are not
shown. A file with more is not a plan someone is editing, and working out where each one is costs
time that a hostile file should not get."""


def validate(model: type[BaseModel], doc: Document, path: str) -> tuple[Any, list[Finding]]:
    """Validate `doc.data` as `model`; the instance (or None) and the findings, in file order."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, error_findings(model, exc, doc, path)


def error_findings(model: type[BaseModel], exc: ValidationError, doc, path: str,
                   errors: list[dict] | None = None) -> list[Finding]:
    """The findings for a validation error (its `errors`, when already listed), in file order, the
    first `MAX_ERRORS` of them; `doc` is anything with the `locate(at, key)` of `_yaml.Document`."""
    errors = exc.errors(include_url=False) if errors is None else errors
    shown = errors[:MAX_ERRORS + 1]
    if hasattr(doc, "locate_all"):  # every place in one pass over the text, not one pass each
        doc.locate_all([_located(err) for err in shown])
    findings = {}
    for err in shown[:MAX_ERRORS]:
        f = _finding(model, doc, path, err)
        findings.setdefault((f.line, f.column, f.message), f)
    out = sorted(findings.values())
    if len(errors) > MAX_ERRORS:
        line, column = doc.locate(_located(errors[MAX_ERRORS]))
        more = len(errors) - MAX_ERRORS
        out.append(Finding(path, line, column, "schema", Severity.ERROR,
                           f"{more:,} more {word(more, 'error')} in this file not shown, this one among "
                           f"them (only the first {MAX_ERRORS:,} the schema finds are)",
                           "fix the errors above, then check again"))
    return out


def plainly_located(errors: list[dict], data: Any) -> bool:
    """Whether the place of every error shown (`error_findings`) is a chain of text keys and list
    indexes through `data`, so that a locator which knows only such paths (`_linescan`, `_locator`)
    places it exactly."""
    for err in errors[:MAX_ERRORS + 1]:
        if err["type"] == "invalid_key":
            return False
        node = data
        for part in _place(err):
            if isinstance(node, dict) and isinstance(part, str) and all(isinstance(k, str) for k in node):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and not isinstance(part, bool) \
                    and 0 <= part < len(node):
                node = node[part]
            elif node is None or not isinstance(node, (dict, list)):
                node = None  # past the data (a missing key, or inside a scalar): located by its parent
            else:
                return False
    return True


def _located(err: dict) -> tuple:
    """The path through the document where an error is shown."""
    loc = _place(err)
    if err["type"] == "invalid_key" and loc:
        # pydantic puts keys that are not str or int into `loc` as text (`'1.5'`, `'None'`,
        # `'datetime.date(2026, 1, 1)'`); the key itself is the input, and the locator matches it.
        return loc[:-1] + (err.get("input"),)
    return loc


def _finding(model: type[BaseModel], doc: Document, path: str, err: dict) -> Finding:
    loc = _place(err)
    kind, value = err["type"], err.get("input")
    where = dotted(loc[:-1]) if loc else "the file"
    name = loc[-1] if loc else None
    hint = None
    rule = "schema"
    if kind == "extra_forbidden":
        rule = "unknown-key"
        line, col = doc.locate(loc, key=True)
        cut = _mistakes.comma_in_text(doc, name, value, line)
        if cut:
            return Finding(path, line, col, rule, Severity.ERROR, f"unknown key in {where}: {cut[0]}", cut[1])
        message = f"unknown key `{name}` in {where}"
        allowed = _keys_at(model, loc[:-1])
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        return Finding(path, line, col, rule, Severity.ERROR, message, hint)
    if kind == "invalid_key":
        line, col = doc.locate(_located(err), key=True)
        split = _mistakes.comma_in_number(doc, value, line, col)
        if split:
            return Finding(path, line, split[0], "schema", Severity.ERROR, f"{where}: {split[1]}", split[2])
        shown = "an empty key" if value is None else f"the key `{_text(value)}`"
        return Finding(path, line, col, "schema", Severity.ERROR,
                       f"{shown} in {where} is not a name; keys are words such as `name` or `revenue`",
                       "check the spelling; quote it if it really is text")
    line, col = doc.locate(loc)
    written = _mistakes.number_as_text(name, value) if kind.endswith(("_parsing", "_type")) else None
    if written:
        return Finding(path, line, col, rule, Severity.ERROR, f"`{dotted(loc)}` {written[0]}", written[1])
    if kind == "missing":
        rule = "missing-field"
        message = f"`{name}` is required in {where}" if isinstance(name, str) else f"missing value in {where}"
        hint = f"add `{name}:` to {where}"
    elif loc == ("kaplan",):
        rule = "format-version"
        message = f"`kaplan: {_text(value)}` is not a plan format this version reads"
        hint = "start the file with `kaplan: 1`"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        what = "a plan" if not loc else f"`{dotted(loc)}`"
        message = f"{what} should be a mapping of `key: value` lines, not {_shape(value)}"
    elif kind == "list_type":
        message = f"`{dotted(loc)}` should be a list (lines starting with `- `), not {_shape(value)}"
    elif kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        message = f"`{_text(value)}` is not a valid {name}; expected one of {expected}"
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        close = difflib.get_close_matches(_text(value), choices, n=1, cutoff=0.5)
        hint = f"did you mean `{close[0]}`?" if close else None
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == PERIOD.pattern:
        message = f"`{_text(value)}` is not a period for `{dotted(loc)}`"
        hint = "write a year (2026), quarter (2026-Q3), half (2026-H1) or month (2026-07), from 1900 to 2199"
    elif kind == "string_pattern_mismatch" and name in ("id", "reports_to", "objective") or (
            kind == "string_pattern_mismatch" and isinstance(name, int)):
        message = f"`{_text(value)}` is not a valid id for `{dotted(loc)}`"
        hint = "use lowercase letters, digits and single hyphens, e.g. `acme-corp`"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = f"`{dotted(loc)}` is {_text(value)}, {err['msg'].lower().replace('input should be', 'it should be')}"
    elif kind in ("finite_number",):
        message = f"`{dotted(loc)}` must be a finite number, not {_text(value)}"
    elif kind == "value_error":
        message = f"`{dotted(loc)}`: {err['msg'].removeprefix('Value error, ')}"
    else:
        message = f"`{dotted(loc)}`: {err['msg'][:1].lower()}{err['msg'][1:]}"
        if value is not None and kind.endswith(("_type", "_parsing")):
            message += f" (found {_shape(value)})"
    return Finding(path, line, col, rule, Severity.ERROR, message, hint)


_UNION_TAG = re.compile(r"[a-z][\w-]*\[.*\]")


def _place(err: dict) -> tuple:
    """The error's place in the plan: its `loc` without the member names pydantic inserts for some
    unions ('function-after[...]', 'int', 'date'…). The key an `extra_forbidden` error is about is
    the user's own, whatever it looks like (`a[b`, `date`), so it is always kept."""
    loc = err["loc"]
    last = len(loc) - 1 if err["type"] == "extra_forbidden" else len(loc)
    # `date` after a list index is a field of the item (a review's, an NPS response's), not a tag
    return tuple(p for i, p in enumerate(loc) if i >= last or not (isinstance(p, str) and _is_union_tag(p))
                 or (p == "date" and i and isinstance(loc[i - 1], int)))


def _is_union_tag(part: str) -> bool:
    return bool(_UNION_TAG.fullmatch(part)) or part in ("int", "float", "str", "bool", "date", "none")


def _text(value: Any) -> str:
    """`str(value)`, also for a whole number too long to print (Python refuses past 4,300 digits)."""
    try:
        return str(value)
    except ValueError:
        return f"a number of about {int(value.bit_length() * 0.30103):,} digits"


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    text = _text(value)
    return f"`{text[:40]}{'…' if len(text) > 40 else ''}`"


def _keys_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model accepts at `loc` (for "did you mean")."""
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else Any
            continue
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return []
        field = next((f for n, f in tp.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        tp = field.annotation
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or n for n, f in tp.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = members[0] if len(members) == 1 else tp
            if len(members) != 1:
                return tp
        else:
            return tp
