"""The `kaplan.yaml` that `kaplan init` writes: every default, written out and explained.

It is generated from the `Config` model itself — its default values and its field docstrings — so it
can never drift from what kaplan really assumes, and it loads back to exactly the default config.
A model class is explained the first time it appears (the first criterion, the first tier); later
entries of the same kind carry only their values, so the file stays readable.
"""

from __future__ import annotations

import enum
import inspect
import json
import re
import textwrap
import types
import typing
from typing import Any

from pydantic import BaseModel

from kaplan.commands.field_docs import field_docs

WIDTH = 100

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./ -]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def render_config(config: BaseModel | None = None, header: list[str] = ()) -> str:
    """`config` (default: the default `Config`) as commented YAML, each key with its explanation."""
    if config is None:
        from kaplan.config import Config

        config = Config()
    out: list[str] = [f"# {line}".rstrip() for line in header]
    _Emitter(out).model(config, indent=0, top=True)
    return "\n".join(out).rstrip("\n") + "\n"


class _Emitter:
    def __init__(self, out: list[str]):
        self.out = out
        self.explained: set[type] = set()

    # ---------------------------------------------------------------- structure

    def model(self, value: BaseModel, indent: int, top: bool = False, first_prefix: str | None = None) -> None:
        cls = type(value)
        explain = cls not in self.explained
        self.explained.add(cls)
        pad = " " * indent
        docs = field_docs(cls) if explain else {}
        for i, (name, field) in enumerate(cls.model_fields.items()):
            key = _scalar(field.alias or name)
            # The first key of a list item shares the item's `- ` line (its comment goes above it).
            lead = first_prefix if (i == 0 and first_prefix is not None) else pad
            if top and self.out:
                self.out.append("")
            if explain:
                doc = field.description or docs.get(name) or _class_doc(field.annotation)
                note = _choices(field.annotation)
                text = " ".join(p for p in (doc, note) if p)
                if text:
                    self._comment(text, " " * (len(lead) - len(lead.lstrip(" "))))
            self.entry(lead, key, getattr(value, name), indent)

    def entry(self, lead: str, key: str, value: Any, indent: int) -> None:
        child = indent + 2
        if isinstance(value, BaseModel):
            self.out.append(f"{lead}{key}:")
            self.model(value, child)
        elif isinstance(value, dict):
            if not value:
                self.out.append(f"{lead}{key}: {{}}")
                return
            self.out.append(f"{lead}{key}:")
            for k, v in value.items():
                self.entry(" " * child, _scalar(k), v, child)
        elif isinstance(value, (list, tuple)):
            if not value:
                self.out.append(f"{lead}{key}: []")
            elif not any(isinstance(v, (BaseModel, dict, list, tuple)) for v in value):
                self.out.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]")
            else:
                self.out.append(f"{lead}{key}:")
                for v in value:
                    self.item(v, child)
        else:
            self.out.append(f"{lead}{key}: {_scalar(value)}")

    def item(self, value: Any, indent: int) -> None:
        pad = " " * indent
        if isinstance(value, BaseModel):
            self.model(value, indent + 2, first_prefix=f"{pad}- ")
        else:
            self.out.append(f"{pad}- {_scalar(value)}")

    def _comment(self, text: str, pad: str) -> None:
        for n, paragraph in enumerate(text.split("\n\n")):
            if n:
                self.out.append(f"{pad}#")
            for line in textwrap.wrap(" ".join(paragraph.split()), width=max(40, WIDTH - len(pad) - 2)):
                self.out.append(f"{pad}# {line}")


# ---------------------------------------------------------------- values and types


def _scalar(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def _unwrap(tp: Any) -> list[Any]:
    """The member types of an annotation, through Optional, unions and Annotated."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(tp) if a is not type(None) for m in _unwrap(a)]
    return [tp]


def _class_doc(tp: Any) -> str | None:
    """The docstring of the model a field holds (directly, or as list items or mapping values)."""
    for member in _unwrap(tp):
        origin = typing.get_origin(member)
        if origin in (list, dict):
            args = typing.get_args(member)
            member = args[-1] if args else None
        if isinstance(member, type) and issubclass(member, BaseModel) and member.__dict__.get("__doc__"):
            return inspect.cleandoc(member.__doc__)
    return None


def _choices(tp: Any) -> str | None:
    """"One of: …" for a field limited to fixed values (a Literal or an enum, or a list of them)."""
    for member in _unwrap(tp):
        prefix = "One of"
        if typing.get_origin(member) is list:
            member, prefix = typing.get_args(member)[0], "Each one of"
            member = _unwrap(member)[0]
        values = None
        if typing.get_origin(member) is typing.Literal:
            values = typing.get_args(member)
        elif isinstance(member, type) and issubclass(member, enum.Enum):
            values = [m.value for m in member]
        if values and len(values) > 1:
            return f"{prefix}: {', '.join(str(v) for v in values)}."
    return None
