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
    class's bases when it is inherited; none when a class declares it again without one). Which class
    declares a field is read from the source too, not from `__annotations__`, which Python ≥ 3.14
    makes only when asked."""
    docs: dict[str, str] = {}
    for name in getattr(cls, "model_fields", {}):
        doc = next((declared[name] for base in cls.__mro__ if name in (declared := _declared(base))), None)
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


def _declared(cls: type) -> dict[str, str | None]:
    """Each field a class's own body declares (`name: type`), with the docstring under it or None."""
    return _classes_of(cls.__module__).get(cls.__qualname__, {})


@functools.cache
def _classes_of(module: str) -> dict[str, dict[str, str | None]]:
    """Qualified class name → its declared fields and their docstrings, for every class in a module's source."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError, SyntaxError):  # no source to read: nothing said
        return {}
    found: dict[str, dict[str, str | None]] = {}

    def visit(body: list, prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                found[prefix + node.name] = _docs_in(node.body)
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def _docs_in(body: list) -> dict[str, str | None]:
    """`name: type`, and the string on its own line under it if there is one: the field's docstring."""
    found: dict[str, str | None] = {}
    for field, after in zip(body, [*body[1:], None]):
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
            said = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)
            found[field.target.id] = inspect.cleandoc(after.value.value) if said else None
    return found
