"""What a template gets: a pack turned into plain, read-only data.

A template — yours through `--templates`, or one a pull request slipped into a shared folder — is
code, and jinja2's sandbox only keeps it from Python internals: every public method of an object it
is handed is still callable. Handed the pack's objects as they are, a template could call
`pack.portfolio.root.joinpath(...).read_text()` (a `pathlib.Path`), `.write_text()`, `.unlink()`,
or change a list that the next pack is rendered from. So the pack is copied before rendering into
values that have no such methods:

- text (with control characters shown as escapes, as on a terminal: `visible(lines=True)`),
  numbers, true/false, None, dates, and kaplan's named choices (enum members);
- lists and tuples as tuples, mappings as read-only mappings;
- every kaplan object (the packs, the plan's sections, scores, health…) as a `Record`: its fields
  and properties by name, read-only, and nothing else — no methods, no way back to the object;
- paths as text. A `Lookup` keeps `pack.count("red")` working: it only looks a key up.

Anything else is refused with a TypeError, so a new kind of object in a pack is a test failure,
never a quiet way out of the sandbox.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import functools
from collections import abc
from pathlib import PurePath
from types import MappingProxyType
from typing import Any, Mapping

from markupsafe import Markup
from pydantic import BaseModel

from kaplan.views.safe_text import visible


class Record:
    """A kaplan object as a template sees it: named values to read, nothing to call or change."""

    __slots__ = ("_kind", "_values")

    def __init__(self, kind: str, values: dict[str, Any]):
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str):
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str):
        return object.__getattribute__(self, "_values")[name]

    def __contains__(self, name: str) -> bool:
        return name in object.__getattribute__(self, "_values")

    def __setattr__(self, name, value):
        raise AttributeError("a template cannot change the pack")

    __delattr__ = __setattr__

    def __repr__(self) -> str:
        return f"<{object.__getattribute__(self, '_kind')}>"


class Lookup:
    """`pack.count("red")`: a method of a pack that only looks a value up, kept callable."""

    __slots__ = ("_values", "_default")

    def __init__(self, values: Mapping, default: Any = None):
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))
        object.__setattr__(self, "_default", default)

    def __call__(self, key):
        return object.__getattribute__(self, "_values").get(key, object.__getattribute__(self, "_default"))

    def __setattr__(self, name, value):
        raise AttributeError("a template cannot change the pack")

    def __repr__(self) -> str:
        return "<lookup>"


def inert(value: Any) -> Any:
    """`value` as template data (see the module docstring); shared objects stay shared."""
    return _Converter().convert(value)


@functools.cache
def _category(cls: type) -> str:
    """How values of a class are handed over (decided once per class: packs hold many thousands)."""
    if issubclass(cls, Markup):
        return "markup"
    if issubclass(cls, (bool, int, float, type(None), _dt.date, enum.Enum)):
        return "plain"  # immutable, and no method reaches the system
    if issubclass(cls, (str, PurePath)):
        return "text"
    if issubclass(cls, abc.Mapping):
        return "mapping"
    if issubclass(cls, (list, tuple, set, frozenset)) and not hasattr(cls, "_fields"):
        return "sequence"
    if issubclass(cls, BaseModel) or dataclasses.is_dataclass(cls):
        return "record"
    raise TypeError(f"{cls.__name__} cannot be handed to a template; make it plain data in kaplan/report/inert.py")


class _Converter:
    def __init__(self):
        self.done: dict[int, tuple[Any, Any]] = {}  # id → (original, converted): the original is kept alive

    def convert(self, value: Any) -> Any:
        category = _category(type(value))
        if category == "plain":
            return value
        if category == "text":
            return visible(str(value), lines=True)
        if category == "markup":
            return Markup(visible(str(value), lines=True))
        key = id(value)
        if key in self.done:
            return self.done[key][1]
        if category == "record":
            return self._record(value)
        if category == "mapping":
            out = MappingProxyType({self.convert(k): self.convert(v) for k, v in value.items()})
        else:
            out = tuple(self.convert(v) for v in value)
        self.done[key] = (value, out)
        return out

    def _record(self, obj: Any) -> Record:
        values: dict[str, Any] = {}
        record = Record(type(obj).__name__, values)
        self.done[id(obj)] = (obj, record)  # before the fields: an object reachable from itself is one record
        for name in _names(type(obj)):
            values[name] = self.convert(getattr(obj, name))
        for name, (mapping, default) in getattr(obj, "template_lookups", lambda: {})().items():
            values[name] = Lookup({self.convert(k): self.convert(v) for k, v in mapping.items()}, default)
        object.__setattr__(record, "_values", MappingProxyType(values))
        return record


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    """The public fields and properties of a kaplan class, in definition order."""
    if issubclass(cls, BaseModel):
        names = list(cls.model_fields) + list(cls.model_computed_fields)
    else:
        names = [f.name for f in dataclasses.fields(cls)]
    for klass in reversed(cls.__mro__):
        if klass in (object, BaseModel) or klass.__module__.startswith("pydantic"):
            continue
        for name, attr in vars(klass).items():
            if isinstance(attr, (property, functools.cached_property)) and not name.startswith("_"):
                names.append(name)
    return tuple(dict.fromkeys(n for n in names if not n.startswith("_")))
