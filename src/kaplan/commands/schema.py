"""JSON Schemas (Draft 2020-12) for a plan and for `kaplan.yaml`, generated from the models.

The pydantic models are the one definition of both formats; this module only exports them in the
form editors and other tools understand, so a YAML language server can validate and complete a plan
as it is typed. Field docstrings become descriptions; every object forbids unknown keys, as the
models do.

What a schema cannot say (an action pointing at an objective that does not exist, a review overdue
for its cadence) stays with `kaplan check`: the schema is the first line of checking, not all of it.

This module is not imported by `kaplan check`; nothing on the checking path needs it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kaplan.places import OWN_FOLDER

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URL = "https://kaplan.dev/schema/"
PORTFOLIO_SCHEMA_DIR = OWN_FOLDER
"""Where `kaplan init` puts a portfolio's own copy of the schemas, relative to `kaplan.yaml`."""


@dataclass(frozen=True)
class SchemaFile:
    """One exported schema: its short name, its file name and how to build it."""

    name: str
    filename: str
    id: str
    title: str
    build: Callable[[], dict]


def _plan_model():
    from kaplan.model import Plan

    return Plan


def _config_model():
    from kaplan.config import Config

    return Config


def _generator():
    from pydantic.json_schema import GenerateJsonSchema

    class Generator(GenerateJsonSchema):
        """Shows defaults made by a factory too (`Field(default_factory=list)`), as the editor's hint,
        and the fields' docstrings as their descriptions."""

        def get_default_value(self, schema):
            factory = schema.get("default_factory")
            if factory is not None and not schema.get("default_factory_takes_data"):
                return factory()
            return super().get_default_value(schema)

        def model_schema(self, schema):
            """Each field described by the docstring written under it (`field_docs`)."""
            from kaplan.commands.field_docs import described

            json_schema = super().model_schema(schema)
            described(json_schema, schema["cls"])
            return json_schema

    return Generator


def _export(model, *, id: str, title: str, description: str) -> dict:
    body = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_generator())
    body.pop("title", None)
    body.pop("description", None)
    # The keywords a reader looks for first lead the document.
    return {"$schema": DRAFT, "$id": id, "title": title, "description": description, **body}


def plan_schema() -> dict:
    """The JSON Schema of one plan file."""
    return _export(_plan_model(), id=SCHEMAS["plan"].id, title=SCHEMAS["plan"].title, description=(
        "One key account plan, kept as a YAML file in git and checked by `kaplan check`. Only "
        "`kaplan`, `account.id`, `account.name` and `plan.owner` are required."))


def config_schema() -> dict:
    """The JSON Schema of a portfolio's `kaplan.yaml`."""
    return _export(_config_model(), id=SCHEMAS["config"].id, title=SCHEMAS["config"].title, description=(
        "A portfolio's settings: where the plans live, rule severities, health and scoring. Every "
        "key is optional and falls back to its default."))


SCHEMAS: dict[str, SchemaFile] = {
    "plan": SchemaFile("plan", "plan.schema.json", BASE_URL + "plan-1.json", "kaplan key account plan",
                       plan_schema),
    "config": SchemaFile("config", "config.schema.json", BASE_URL + "config-1.json", "kaplan portfolio config (kaplan.yaml)",
                         config_schema),
}


def render(schema: dict) -> str:
    """A schema as the text kaplan writes: stable key order, two-space indent, final newline, and ASCII
    (`\\u2026` for `…`), so the schema printed to a standard output in cp1252 or ascii is the same
    valid UTF-8 JSON as the file."""
    return json.dumps(schema, indent=2, ensure_ascii=True) + "\n"


def schema_texts() -> dict[str, str]:
    """File name → text of every schema kaplan exports."""
    return {s.filename: render(s.build()) for s in SCHEMAS.values()}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (created if needed), replacing older copies atomically.

    Returns the files whose content changed (unchanged files are not touched).
    """
    from kaplan.writing.files import write_new, write_replace

    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for filename, text in schema_texts().items():
        path = folder / filename
        if path.is_file():
            if _current(path) == text:
                continue
            write_replace(path, text)
        else:
            write_new(path, text)
        changed.append(path)
    return changed


MAX_SCHEMA_BYTES = 4 * 1024 * 1024
"""Most read of a schema file to compare it (kaplan's are about 100 KB)."""


def _current(path: Path) -> str | None:
    """What a schema file holds now; None for anything but a regular file of at most `MAX_SCHEMA_BYTES`
    of UTF-8 (a named pipe or `/dev/zero` committed in its place is never waited on or read)."""
    from kaplan.reading.given import read_file

    try:
        return read_file(path, MAX_SCHEMA_BYTES).decode("utf-8")
    except (OSError, ValueError):  # NotAFile and TooLarge are ValueErrors, as is a decoding error
        return None


def stale_schemas(folder: Path) -> list[Path]:
    """The schema files in `folder` that are missing or differ from what this kaplan generates."""
    out = []
    for filename, text in schema_texts().items():
        path = folder / filename
        if _current(path) != text:
            out.append(path)
    return out


def portfolio_schema(root: Path, name: str = "plan") -> Path | None:
    """The portfolio's own copy of a schema (`.kaplan/plan.schema.json`), if it has one."""
    path = root / PORTFOLIO_SCHEMA_DIR / SCHEMAS[name].filename
    return path if path.is_file() else None


def local_target(plan_path: Path, root: Path, name: str = "plan") -> str:
    """What a file's `# yaml-language-server: $schema=…` line points at for the portfolio's own copy of
    a schema (`.kaplan/plan.schema.json`, written yet or not): a path relative to `plan_path`'s folder,
    which works offline and matches the kaplan that wrote it; the schema's `$id` URL when there is no
    relative path."""
    import os

    local = root / PORTFOLIO_SCHEMA_DIR / SCHEMAS[name].filename
    try:
        relative = os.path.relpath(local.resolve(), plan_path.parent.resolve())
    except ValueError:  # another drive (Windows): no relative path exists
        return SCHEMAS[name].id
    return Path(relative).as_posix()


def modeline(target: str) -> str:
    return f"# yaml-language-server: $schema={target}"
