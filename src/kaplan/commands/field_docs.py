"""What a model's fields say of themselves: the docstring under each, as people read it in the source.

The exported JSON Schemas (`schema`) and `kaplan init`'s commented `kaplan.yaml` (`init_config`) show
them. They are read from kaplan's own source when one of those asks, never as a model is defined:
reading them then (pydantic's `use_attribute_docstrings`) parsed each class's source again, a third
of the time it took to import the plan model, on every command that reads a plan.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys


def field_docs(cls: type) -> dict[str, str]:
    """Field name → the docstring written under it, in the class that declares it (the nearest in the
    class's bases when it is inherited; none when a class declares it again without one)."""
    docs: dict[str, str] = {}
    for name in getattr(cls, "model_fields", {}):
        declared = next((base for base in cls.__mro__ if name in base.__dict__.get("__annotations__", {})), None)
        doc = _own_docs(declared).get(name) if declared is not None else None
        if doc is not None:
            docs[name] = doc
    return docs


def described(schema: dict, cls: type) -> None:
    """Give each property of a model's JSON Schema the docstring of its field, unless it has a
    description already (`Field(description=…)`)."""
    properties = schema.get("properties", {})
    fields = cls.model_fields
    for name, doc in field_docs(cls).items():
        field = fields[name]
        prop = properties.get(field.alias or name, properties.get(name))
        if isinstance(prop, dict) and "description" not in prop:
            prop["description"] = doc


def _own_docs(cls: type) -> dict[str, str]:
    return _classes_of(cls.__module__).get(cls.__qualname__, {})


@functools.cache
def _classes_of(module: str) -> dict[str, dict[str, str]]:
    """Qualified class name → its fields' docstrings, for every class in a module's source."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError, SyntaxError):  # no source to read: nothing said
        return {}
    found: dict[str, dict[str, str]] = {}

    def visit(body: list, prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                found[prefix + node.name] = _docs_in(node.body)
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def _docs_in(body: list) -> dict[str, str]:
    """`name: type` followed by a string on its own: that string is the field's docstring."""
    return {field.target.id: inspect.cleandoc(doc.value.value) for field, doc in zip(body, body[1:])
            if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
            and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str)}
