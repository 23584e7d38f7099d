"""Hypothesis strategies for fuzzing plans: YAML-ish noise, and mutations of real plans.

Shared by tests/test_fuzz.py and bench/reliability.py. Nothing here knows what the right findings
are; the properties in test_fuzz.py only check what must hold for *any* input.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import typing
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel
from ruamel.yaml import YAML

from kaplan.reading import document as _yaml
from kaplan.model import Plan

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PLANS = sorted((REPO / "examples" / "plans").glob("*.yaml"))


def _field_names(model: type[BaseModel], seen: set | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    names = set()
    for name, f in model.model_fields.items():
        names.add(f.alias or name)
        for tp in _types_in(f.annotation):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= _field_names(tp, seen)
    return names


def _types_in(tp: Any) -> list:
    out, todo = [], [tp]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(typing.get_args(t))
    return out


KEYS = sorted(_field_names(Plan))
"""Every key the plan format knows, at any depth."""

PUNCTUATION = [" ", "  ", "    ", "\n", "\n", "\n  ", "\n    - ", "\r\n", "\r", "\t", "- ", ": ", ":", "[", "]",
               "{", "}", ", ", "&a ", "*a", "<<: ", "? ", "---\n", "...\n", "|\n", ">-\n", "# ", '"', "'", "\\",
               "!!python/object/apply:os.system ", "!foo ", "!!str ", "!!int ", "!!binary ", "%YAML 1.2\n",
               "%TAG ! tag:x,2000:\n"]
SCALARS = ["~", "null", "true", "no", "1e400", "-.inf", ".nan", "0x1F", "0o17", "1_000", "2026-02-30",
           "2026-11-24", "9999-12-31", "0001-01-01", "2026-11-24T25:00:00", "2026-Q5", "-1", "0", "5", "6",
           "acme", "Acme Corp", "quarterly", "decision_maker", "\\u2028", "\\x00", "\\e[2J", "\x85", "\u2028",
           "\ufeff", "\x00", "\x1b[2J", "\u202e", "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\u05e9\u05dc\u05d5\u05dd",
           "9" * 5000, "0x" + "f" * 5000, "x" * 30_000]

atoms = st.one_of(
    st.sampled_from(KEYS).map(lambda k: k + ":"),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(SCALARS),
    st.text(max_size=8),
    st.integers(-10**30, 10**30).map(str),
    st.floats().map(repr),
    st.dates().map(str),
)
yamlish = st.lists(atoms, max_size=80).map("".join)
"""Text built from YAML's own pieces: keys, indentation, flow brackets, tags, anchors, odd scalars."""

VALID_HEAD = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"


def example_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in EXAMPLE_PLANS]


def example_data() -> list[Any]:
    return [_yaml.parse(t).data for t in example_texts()]


# ---------------------------------------------------------------- mutations of real plans

WEIRD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["", " ", "x" * 25_000, "\x1b[2J", "2026-02-30", "quarterly"]),
    st.dates(), st.datetimes(), st.just([]), st.just({}), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(KEYS), st.integers(), max_size=3),
)


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and list indexes) to a value in `data`, parents before children."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(prefix + (k,))
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append(prefix + (i,))
            out.extend(paths(v, prefix + (i,)))
    return out


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _typo(key: str, draw) -> str:
    if not key:
        return "x"
    i = draw(st.integers(0, len(key) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "upper", "other"]))
    if kind == "drop":
        return key[:i] + key[i + 1:] or "x"
    if kind == "double":
        return key[:i] + key[i] + key[i:]
    if kind == "swap" and len(key) > 1:
        i = min(i, len(key) - 2)
        return key[:i] + key[i + 1] + key[i] + key[i + 2:]
    if kind == "upper":
        return key.upper()
    return draw(st.sampled_from(KEYS))


@st.composite
def mutated_plans(draw) -> str:
    """An example plan with 1-3 structural mutations (drop, duplicate, retype, rename, swap), as YAML text."""
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 3))):
        every = paths(data)
        if not every:
            break
        path = draw(st.sampled_from(every))
        parent, last = _parent(data, path), path[-1]
        op = draw(st.sampled_from(["drop", "duplicate", "retype", "rename", "swap"]))
        if op == "drop":
            del parent[last]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif op == "duplicate":  # a mapping cannot hold a key twice: copy the value under a sibling key
            parent[draw(st.sampled_from(KEYS))] = copy.deepcopy(parent[last])
        elif op == "retype":
            parent[last] = draw(WEIRD_VALUES)
        elif op == "rename" and isinstance(parent, dict):
            new = _typo(str(last), draw)
            items = [(new if k == last else k, v) for k, v in parent.items()]
            parent.clear()
            parent.update(items)
        elif op == "swap":
            other = draw(st.sampled_from(every))
            if other[:len(path)] != path and path[:len(other)] != other:  # neither inside the other
                a, b = _get(data, path), _get(data, other)
                parent[last] = b
                _parent(data, other)[other[-1]] = a
    return dump(data)


@st.composite
def text_mutations(draw) -> str:
    """An example plan with 1-3 line edits: delete, duplicate, swap, re-indent, insert noise, truncate."""
    lines = draw(st.sampled_from(EXAMPLE_TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][1:] if lines[i].startswith(" ") else lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(atoms) + lines[i][at:]
        else:
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
            del lines[i + 1:]
    return "".join(lines)


def dump(data: Any) -> str:
    """Plain data as block-style YAML (what a person might have typed)."""
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.allow_unicode = True
    y.width = 4096
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


# ---------------------------------------------------------------- valid plans

TODAY = dt.date(2026, 11, 24)
slugs = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")
names = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip())
past = st.dates(dt.date(2000, 1, 1), TODAY)



def _amounts(largest: float):
    """An amount a plan may record: 0, or from `types.FIGURE_MIN` up to `largest`."""
    from kaplan.model.types import FIGURE_MIN

    return st.one_of(st.just(0.0), st.floats(FIGURE_MIN, largest))


@st.composite
def valid_plans(draw) -> dict:
    """A plan that passes `kaplan check` with no errors: valid ids, ratings, ordered past dates."""
    contact_ids = draw(st.lists(slugs, max_size=4, unique=True))
    start = draw(past)
    plan: dict[str, Any] = {
        "kaplan": 1,
        "account": {"id": "acme", "name": draw(names)},
        "plan": {"owner": draw(names), "last_reviewed": TODAY,
                 "period": {"start": start, "end": start + dt.timedelta(days=draw(st.integers(0, 800)))}},
    }
    if draw(st.booleans()):
        plan["account"]["regions"] = draw(st.lists(names, max_size=3))
        plan["account"]["client_since"] = draw(past)
        plan["account"]["sector"] = draw(names)
    if contact_ids:
        plan["relationships"] = {"strength": draw(st.integers(1, 5)), "contacts": [
            {"id": cid, "name": draw(names), "strength": draw(st.integers(1, 5))} for cid in contact_ids]}
    if draw(st.booleans()):
        plan["financials"] = {"periods": [
            {"period": f"{year}", "revenue": draw(_amounts(1e12)), "cost_to_serve": draw(_amounts(1e9))}
            for year in draw(st.lists(st.integers(2000, 2026), max_size=3, unique=True))]}
    if draw(st.booleans()):
        plan["risks"] = [{"id": rid, "description": draw(names), "likelihood": draw(st.integers(1, 5)),
                          "impact": draw(st.integers(1, 5))}
                         for rid in draw(st.lists(slugs, max_size=3, unique=True))]
    return plan


EXAMPLE_TEXTS = example_texts()
EXAMPLE_DATA = example_data()


def editor_lines(text: str) -> list[str]:
    """The file's lines as an editor counts them (CR, LF, CRLF)."""
    return re.split("\r\n|\r|\n", text)
