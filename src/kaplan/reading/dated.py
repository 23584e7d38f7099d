"""What of a plan the day changes, kept apart so that a new day is not a cold start.

Most of what `kaplan check` finds in a plan does not depend on the day, and is kept in the cache
with the file. The rest comes from the dated rules (`Rule.dated`), the dated health signals
(`health.model.dated_signals`) and the NPS of the survey window ending today. Those read only a few
parts of a plan: its dates, actions, contacts and rituals, reviews and decisions, NPS responses,
objectives' milestones and measures, the contract and the risks.

`facts()` keeps those parts of a valid plan as plain data (one `model_dump`), and `view()` turns
them back into objects shaped like the plan's own: the same attribute names, dates, enums and
properties. On a new day the dated rules and signals run on the view, through the very functions
that ran on the plan, so the two can never disagree. A view holds only those parts: any code that
reached for another part would fail loudly (AttributeError), and the caller then reads the plan's
file again instead.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import types
import typing

from pydantic import BaseModel

from kaplan.model import Plan

SPEC: dict = {
    "plan": ("created last_reviewed next_review review_cadence", {"period": ("start end", {})}),
    "account": ("id client_since", {}),
    "reviews": ("date", {"decisions": ("due decided decision decision_makers", {})}),
    "voice_of_customer": ("", {"nps": ("date score respondent", {"follow_up": ("due closed owner", {})})}),
    "relationships": ("", {"contacts": ("name buying_role influence left last_contact", {}),
                           "rituals": ("name cadence last_held", {})}),
    "actions": ("id due status", {}),
    "financials": ("", {"contract": ("start renewal_date notice_days", {})}),
    "objectives": ("id", {"milestones": ("done quarter description", {}),
                          "measures": ("due target name unit current baseline", {})}),
    "risks": ("id status likelihood impact", {}),
}
"""The parts of a plan kept: per section, its fields kept and the parts under it (the plan: sections only)."""


def _members(annotation) -> list:
    """The types an annotation may hold (through Optional, unions, lists and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation]
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    return [m for a in typing.get_args(annotation) for m in _members(a)]


def _model_of(annotation) -> type[BaseModel] | None:
    return next((m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)), None)


def _is_list(annotation) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_list(typing.get_args(annotation)[0])
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))
    return origin is list


def _include(model: type[BaseModel], fields: str, parts: dict) -> dict:
    """The `include` argument of `model_dump` that keeps `fields` and `parts` of `model`."""
    out: dict = {name: True for name in fields.split()}
    for name, (inner_fields, inner_parts) in parts.items():
        field = model.model_fields[name]
        inner = _include(_model_of(field.annotation), inner_fields, inner_parts)
        out[name] = {"__all__": inner} if _is_list(field.annotation) else inner
    return out


_INCLUDE = _include(Plan, "", SPEC)


def facts(plan: Plan) -> dict:
    """The parts of a valid plan that the dated rules, signals and NPS read, as plain data."""
    return plan.model_dump(mode="json", include=_INCLUDE)


class _Part:
    """One part of a plan in a view: its fields as attributes, the model's properties borrowed."""


_PLAIN, _DATE, _ENUM, _MODEL = range(4)


@functools.lru_cache(maxsize=None)
def _shape(model: type[BaseModel]) -> tuple[type, dict]:
    """The view class standing for `model`, and how each of its fields is read back from plain data."""
    borrowed = {k: v for k, v in vars(model).items()
                if isinstance(v, property) or (isinstance(v, types.FunctionType) and not k.startswith("__"))}
    cls = type(f"Dated{model.__name__}", (_Part,), borrowed)
    how = {}
    for name, field in model.model_fields.items():
        nested = _model_of(field.annotation)
        members = _members(field.annotation)
        if nested is not None:
            how[name] = (_MODEL, nested)
        elif any(m is _dt.date for m in members):
            how[name] = (_DATE, _dt.date.fromisoformat)
        elif (kind := next((m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)), None)):
            how[name] = (_ENUM, kind._value2member_map_.__getitem__)
        else:
            how[name] = (_PLAIN, None)
    return cls, how


def _read(model: type[BaseModel], data: dict):
    cls, how = _shape(model)
    part = cls.__new__(cls)
    values = part.__dict__
    for name, value in data.items():
        kind, arg = how[name]
        if kind == _PLAIN or value is None:
            values[name] = value
        elif kind == _MODEL:
            values[name] = [_read(arg, v) for v in value] if type(value) is list else _read(arg, value)
        else:  # a date or an enum, read back by `arg`
            values[name] = [arg(v) for v in value] if type(value) is list else arg(value)
    return part


def view(data: dict):
    """A plan-shaped object holding what `facts()` kept."""
    return _read(Plan, data)
