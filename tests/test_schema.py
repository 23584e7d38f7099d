"""`kaplan schema`: the JSON Schemas of a plan and of kaplan.yaml, and their agreement with `check`.

The agreement runs both ways over a corpus: every plan kaplan accepts (the examples, a scaffolded
plan) is valid under the schema, and every schema-level mistake kaplan rejects (unknown key, wrong
type, bad enum value, rating out of range, missing field…) is rejected by the schema too. The data
is read the way a YAML language server reads it: dates are strings.

Known, accepted differences, where the schema is the stricter: a number written as a quoted string
(`revenue: "1000"`), which kaplan's lax number parsing accepts; and `for_` as a spelling of the
force field's `for`. One where kaplan is the stricter: an unquoted date where text is expected
(`name: 2026-01-01`) is a date to kaplan but a string to an editor.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from conftest import EXAMPLES, MINIMAL, REPO, TODAY, dedent
from kaplan.commands.field_docs import field_docs
from kaplan.reading import document as _yaml
from kaplan.commands import schema
from kaplan.config import Config
from kaplan.reading.loader import load_plan
from kaplan.model import Plan

Validator = jsonschema.Draft202012Validator
COMMITTED = REPO / "schema"


def as_editor_sees_it(value):
    """YAML data as JSON: dates become the strings an editor's YAML parser keeps them as."""
    if isinstance(value, dict):
        return {str(k): as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees_it(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def validator(name: str = "plan") -> Validator:
    return Validator(schema.SCHEMAS[name].build(), format_checker=Validator.FORMAT_CHECKER)


def schema_errors(text: str, name: str = "plan") -> list[str]:
    data = as_editor_sees_it(_yaml.parse(text).data)
    return [e.message for e in validator(name).iter_errors(data)]


# ---------------------------------------------------------------- the schemas themselves


@pytest.mark.parametrize("name", ["plan", "config"])
def test_schema_is_valid_draft_2020_12_with_id_title_and_description(name):
    s = schema.SCHEMAS[name].build()
    Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"] == schema.SCHEMAS[name].id
    assert s["$id"].startswith("https://kaplan.dev/schema/")
    assert s["title"] and s["description"]
    assert list(s)[:4] == ["$schema", "$id", "title", "description"]


@pytest.mark.parametrize("filename", ["plan.schema.json", "config.schema.json"])
def test_committed_schema_matches_the_code(filename, update_goldens):
    """The copies in schema/ are what the code generates. Regenerate: `kaplan schema --out schema`."""
    generated = schema.schema_texts()[filename]
    path = COMMITTED / filename
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        path.write_text(generated, encoding="utf-8")
    assert path.is_file(), f"{path} is missing; run `kaplan schema --out schema`"
    assert path.read_text(encoding="utf-8") == generated, (
        f"schema/{filename} is out of date with the models; run `kaplan schema --out schema` "
        "(or `python -m pytest --update-goldens`) and commit the result")


def _objects(node, where="#"):
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for k, v in node.items():
            yield from _objects(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _objects(v, f"{where}/{i}")


@pytest.mark.parametrize("name", ["plan", "config"])
def test_every_section_forbids_unknown_keys(name):
    for where, node in _objects(schema.SCHEMAS[name].build()):
        if "properties" in node:
            assert node.get("additionalProperties") is False, where
        else:  # a free mapping (rule levels, weights, criteria) constrains its values instead
            assert node.get("additionalProperties") not in (None, True), where


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    import typing

    found: dict[str, type[BaseModel]] = {}

    def visit(tp):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in found:
                return
            found[tp.__name__] = tp
            for f in tp.model_fields.values():
                visit(f.annotation)
            return
        for arg in typing.get_args(tp):
            visit(arg)

    visit(root)
    return found


@pytest.mark.parametrize("name, model", [("plan", Plan), ("config", Config)])
def test_descriptions_are_the_field_docstrings(name, model):
    s = schema.SCHEMAS[name].build()
    checked = 0
    for cls_name, cls in _models(model).items():
        node = s if cls is model else s["$defs"][cls_name]
        docs = field_docs(cls)
        for field_name, field in cls.model_fields.items():
            prop = node["properties"][field.alias or field_name]
            assert prop.get("description") == (field.description or docs.get(field_name)), f"{cls_name}.{field_name}"
            checked += field_name in docs
    assert checked > 30


def test_a_field_s_description_is_the_docstring_written_under_it():
    props = schema.plan_schema()["$defs"]["Account"]["properties"]
    assert props["id"]["description"] == "Short lowercase id (a slug such as `acme-corp`); must match the file name."
    assert props["crm_id"]["description"].startswith("The account's id in the CRM (Salesforce, HubSpot")
    assert "description" not in props["sector"] and "description" not in props["client_since"]  # none written


def test_force_field_uses_the_key_people_write_for():
    force_field = schema.plan_schema()["$defs"]["ForceField"]
    assert set(force_field["properties"]) == {"for", "against"}


def test_dates_are_strings_in_date_format():
    period = schema.plan_schema()["$defs"]["Period"]["properties"]
    assert period["start"] == {"format": "date", "title": "Start", "type": "string"}


def test_a_yaml_date_validates_and_an_impossible_one_does_not():
    plan = MINIMAL.format(id="acme", name="Acme") + "  last_reviewed: 2026-11-24\n"
    assert schema_errors(plan) == []
    bad = MINIMAL.format(id="acme", name="Acme") + "  last_reviewed: '2026-02-30'\n"
    assert any("'2026-02-30'" in m for m in schema_errors(bad))


# ---------------------------------------------------------------- agreement with kaplan check


EXAMPLE_PLANS = sorted((EXAMPLES / "plans").glob("*.yaml"))


@pytest.mark.skipif(not EXAMPLE_PLANS, reason="the example portfolio is not in this tree")
@pytest.mark.parametrize("path", EXAMPLE_PLANS, ids=lambda p: p.stem)
def test_every_example_plan_validates_against_the_schema(path):
    assert load_plan(path).plan is not None
    assert schema_errors(path.read_text(encoding="utf-8")) == []


@pytest.mark.skipif(not (EXAMPLES / "kaplan.yaml").is_file(), reason="the example portfolio is not in this tree")
def test_the_example_kaplan_yaml_validates_against_the_config_schema():
    assert schema_errors((EXAMPLES / "kaplan.yaml").read_text(encoding="utf-8"), "config") == []


def test_a_scaffolded_plan_validates(kaplan, tmp_path):
    assert kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0
    assert schema_errors((tmp_path / "plans" / "acme.yaml").read_text(encoding="utf-8")) == []


def test_the_default_config_validates():
    from kaplan.commands.init import config_text

    assert schema_errors(config_text(), "config") == []
    assert validator("config").is_valid(json.loads(Config().model_dump_json(by_alias=True)))


BASE = MINIMAL.format(id="acme", name="Acme Corp")

BROKEN = {
    # unknown keys, at the top and deep down
    "unknown-top-level-key": (BASE + "planz: {}\n", "unknown-key"),
    "unknown-key-in-account": (BASE.replace("  name: Acme Corp\n", "  name: Acme Corp\n  secter: Retail\n"),
                               "unknown-key"),
    "unknown-key-in-a-contact": (BASE + "relationships:\n  contacts:\n    - {id: cfo, name: Dana, mood: good}\n",
                                 "unknown-key"),
    "for_-spelled-forr": (BASE + "force_field:\n  forr: [{force: x, strength: 2}]\n", "unknown-key"),
    # wrong types
    "contacts-not-a-list": (BASE + "relationships:\n  contacts: Dana\n", "schema"),
    "account-is-a-list": ("kaplan: 1\naccount: [acme]\nplan:\n  owner: Jo\n", "schema"),
    "revenue-is-words": (BASE + "financials:\n  periods:\n    - {period: 2026, revenue: lots}\n", "schema"),
    "regions-not-a-list": (BASE.replace("  name: Acme Corp\n", "  name: Acme Corp\n  regions: {de: 1}\n"),
                           "schema"),
    "name-is-a-number": (BASE.replace("name: Acme Corp", "name: 42"), "schema"),
    "rating-is-a-fraction": (BASE + "relationships:\n  strength: 3.5\n", "schema"),
    "done-is-a-word": (BASE + "objectives:\n  - id: o\n    title: T\n    milestones:\n"
                              "      - {quarter: 2026-Q1, description: d, done: maybe}\n", "schema"),
    # values outside their vocabulary
    "bad-cadence": (BASE + "  review_cadence: sometimes\n", "schema"),
    "bad-buying-role": (BASE + "relationships:\n  contacts:\n    - {id: cfo, name: Dana, buying_role: boss}\n",
                        "schema"),
    "bad-stage": (BASE + "opportunities:\n  - {id: o, name: O, stage: almost}\n", "schema"),
    "bad-health": (BASE.replace("  name: Acme Corp\n", "  name: Acme Corp\n  health: purple\n"), "schema"),
    "format-version-2": (BASE.replace("kaplan: 1", "kaplan: 2"), "format-version"),
    # numbers out of range
    "relationship-strength-6": (BASE + "relationships:\n  strength: 6\n", "schema"),
    "contact-influence-0": (BASE + "relationships:\n  contacts:\n    - {id: cfo, name: Dana, influence: 0}\n",
                            "schema"),
    "force-strength-9": (BASE + "force_field:\n  for: [{force: x, strength: 9}]\n", "schema"),
    "nps-score-11": (BASE + "voice_of_customer:\n  nps:\n    - {date: 2026-01-01, respondent: x, score: 11}\n",
                     "schema"),
    "probability-150": (BASE + "opportunities:\n  - {id: o, name: O, probability: 150}\n", "schema"),
    "negative-revenue": (BASE + "financials:\n  periods:\n    - {period: 2026, revenue: -5}\n", "schema"),
    # text that does not match its pattern
    "id-with-capitals": (BASE.replace("id: acme", "id: Acme"), "schema"),
    "period-Q5": (BASE + "financials:\n  periods:\n    - {period: 2026-Q5}\n", "schema"),
    "currency-word": (BASE + "financials:\n  currency: euro\n", "schema"),
    "empty-name": (BASE.replace("name: Acme Corp", "name: ''"), "schema"),
    "impossible-date-quoted": (BASE + "  last_reviewed: '2026-02-30'\n", "schema"),
    # missing required fields
    "no-format-version": (BASE.replace("kaplan: 1\n", ""), "missing-field"),
    "no-account-name": (BASE.replace("  name: Acme Corp\n", ""), "missing-field"),
    "no-plan-owner": (BASE.replace("plan:\n  owner: Jo Owner\n", "plan: {}\n"), "missing-field"),
    "no-plan-section": (BASE.replace("plan:\n  owner: Jo Owner\n", ""), "missing-field"),
    "risk-without-likelihood": (BASE + "risks:\n  - {id: r, description: d, impact: 3}\n", "missing-field"),
    "period-without-end": (BASE + "  period: {start: 2026-01-01}\n", "missing-field"),
}


@pytest.mark.parametrize("text, rule", BROKEN.values(), ids=BROKEN.keys())
def test_what_check_rejects_at_schema_level_the_schema_rejects(tmp_path, text, rule):
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_plan(path)
    assert loaded.plan is None and rule in {f.rule for f in loaded.findings}, loaded.findings
    assert schema_errors(text), "the schema accepts what kaplan check rejects"


def test_the_broken_corpus_starts_from_a_plan_both_accept(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(BASE, encoding="utf-8")
    assert load_plan(path).findings == []
    assert schema_errors(BASE) == []


CONFIG_BROKEN = {
    "unknown-key": "kaplan: 1\nplanz: accounts\n",
    "bad-rule-level": "kaplan: 1\nrules: {single-threaded: loud}\n",
    "bad-cadence-key": "kaplan: 1\ncadence_days: {fortnightly: 14}\n",
    "grace-negative": "kaplan: 1\nreview_grace_days: -1\n",
    "criterion-without-source": "kaplan: 1\nscoring:\n  criteria:\n    volume: {weight: 1}\n",
    "unknown-source": "kaplan: 1\nscoring:\n  criteria:\n    volume: {source: vibes, weight: 1}\n",
    "tier-unknown-quadrant": "kaplan: 1\nscoring:\n  tiers:\n    - {name: t, when: {quadrant: [Galaxy]}}\n",
    "format-version-2": "kaplan: 2\n",
}


@pytest.mark.parametrize("text", CONFIG_BROKEN.values(), ids=CONFIG_BROKEN.keys())
def test_what_kaplan_rejects_in_kaplan_yaml_the_config_schema_rejects(kaplan, write, tmp_path, text):
    write("kaplan.yaml", text)
    r = kaplan("check", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 2 and "kaplan.yaml:" in r.stderr
    assert schema_errors(text, "config")


# ---------------------------------------------------------------- the command


def test_schema_prints_the_plan_schema_by_default(kaplan, tmp_path):
    r = kaplan("schema", cwd=tmp_path)
    assert r.exit_code == 0
    assert json.loads(r.stdout) == schema.plan_schema()
    assert r.stdout == schema.schema_texts()["plan.schema.json"]


def test_schema_config_prints_the_config_schema(kaplan, tmp_path):
    r = kaplan("schema", "config", cwd=tmp_path)
    assert r.exit_code == 0
    assert json.loads(r.stdout)["$id"] == "https://kaplan.dev/schema/config-1.json"


def test_schema_out_writes_both_files_and_then_has_nothing_to_do(kaplan, tmp_path):
    r = kaplan("schema", "--out", "out/schemas", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["wrote out/schemas/plan.schema.json", "wrote out/schemas/config.schema.json"]
    folder = tmp_path / "out" / "schemas"
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == schema.schema_texts()
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    r = kaplan("schema", "--out", "out/schemas")
    assert r.stdout.strip() == "out/schemas: schemas already up to date"
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_schema_out_replaces_a_stale_copy(kaplan, tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "plan.schema.json").write_text("{}", encoding="utf-8")
    r = kaplan("schema", "--out", "s", "--check", cwd=tmp_path)
    assert r.exit_code == 1
    assert "s/plan.schema.json: out of date" in r.stderr and "s/config.schema.json: out of date" in r.stderr
    assert (tmp_path / "s" / "plan.schema.json").read_text() == "{}"  # --check writes nothing
    assert kaplan("schema", "--out", "s", "-q").stdout == ""
    assert kaplan("schema", "--out", "s", "--check").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["config.schema.json", "plan.schema.json"]


@pytest.mark.parametrize("args, message", [
    (["schema", "planz"], "no schema named 'planz'"),
    (["schema", "--check"], "--check needs --out"),
])
def test_schema_usage_errors(kaplan, tmp_path, args, message):
    r = kaplan(*args, cwd=tmp_path)
    assert r.exit_code == 2
    assert message in r.stderr


def test_schema_out_onto_a_file_is_a_usage_error(kaplan, tmp_path):
    (tmp_path / "f").write_text("x")
    r = kaplan("schema", "--out", "f", cwd=tmp_path)
    assert r.exit_code == 2 and "not a folder" in r.stderr
    assert (tmp_path / "f").read_text() == "x"


# ---------------------------------------------------------------- the modeline `kaplan new` writes


def first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def test_without_a_portfolio_schema_new_writes_one_for_the_modeline_to_name(kaplan, tmp_path):
    kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert first_line(tmp_path / "plans" / "acme.yaml") == "# yaml-language-server: $schema=../.kaplan/plan.schema.json"
    assert (tmp_path / ".kaplan" / "plan.schema.json").read_text(encoding="utf-8") == \
        schema.schema_texts()["plan.schema.json"]


def test_where_no_schema_can_be_written_the_modeline_points_at_the_schema_id(kaplan, tmp_path):
    (tmp_path / ".kaplan").write_text("a file where the folder would go\n")
    assert kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0
    assert first_line(tmp_path / "plans" / "acme.yaml") == \
        "# yaml-language-server: $schema=https://kaplan.dev/schema/plan-1.json"


def test_with_a_portfolio_schema_the_modeline_is_a_relative_path(kaplan, tmp_path):
    assert kaplan("init", "-q", cwd=tmp_path).exit_code == 0
    kaplan("new", "acme", "--today", TODAY.isoformat())
    assert first_line(tmp_path / "plans" / "acme.yaml") == \
        "# yaml-language-server: $schema=../.kaplan/plan.schema.json"


def test_modeline_is_relative_to_a_nested_plans_folder_from_any_working_folder(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\nplans: accounts/emea\n")
    schema.write_schemas(tmp_path / ".kaplan")
    (tmp_path / "notes").mkdir()
    assert kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path / "notes").exit_code == 0
    plan = tmp_path / "accounts" / "emea" / "acme.yaml"
    assert first_line(plan) == "# yaml-language-server: $schema=../../.kaplan/plan.schema.json"
    target = first_line(plan).split("=", 1)[1]
    assert (plan.parent / target).resolve() == (tmp_path / ".kaplan" / "plan.schema.json").resolve()


def test_the_modeline_does_not_change_what_check_sees(kaplan, tmp_path):
    kaplan("init", "-q", cwd=tmp_path)
    kaplan("new", "acme", "--today", TODAY.isoformat())
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json")
    assert r.exit_code == 0 and r.json()["findings"] == []


def test_kaplan_check_does_not_import_the_schema_machinery(tmp_path):
    """`kaplan check` starts fast: jsonschema and the schema/init code are imported only when used."""
    import subprocess
    import sys

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(dedent(BASE), encoding="utf-8")
    code = ("import sys\nfrom kaplan.cli.app import app\n"
            "try:\n    app(['check', '--today', '2026-11-24'], prog_name='kaplan')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'kaplan.commands.schema', "
            "'kaplan.commands.init', 'kaplan.commands.init_config', 'kaplan.cli.progress_bar', 'rich.progress'))))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "['kaplan.cli.progress_bar']"


def test_the_library_exports_the_schema_and_init_functions():
    import kaplan

    assert kaplan.plan_schema() == schema.plan_schema()
    assert kaplan.config_schema() == schema.config_schema()
    from kaplan.commands.init import init_portfolio

    assert kaplan.init_portfolio is init_portfolio


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("how", ["pipe", "link to /dev/zero"])
def test_schema_check_never_waits_on_or_reads_a_pipe_or_device_in_a_schema_files_place(tmp_path, how):
    """A committed `.kaplan/plan.schema.json` that is a named pipe used to hang `schema --check` for
    ever, and one linked to /dev/zero to read until the memory ran out: each is out of date."""
    from _proc import measured

    folder = tmp_path / ".kaplan"
    folder.mkdir()
    target = folder / "plan.schema.json"
    if how == "pipe":
        os.mkfifo(target)
    else:
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero")
        target.symlink_to("/dev/zero")
    m = measured(["schema", "--out", ".kaplan", "--check"], tmp_path, timeout=30)
    assert not m.timed_out and m.exit_code == 1, m.stderr
    assert ".kaplan/plan.schema.json: out of date" in m.stderr and "Traceback" not in m.stderr
    assert ".kaplan/config.schema.json: out of date" in m.stderr  # missing: out of date as before


class _Base(BaseModel):
    kept: int = 1
    """Said once, in the base."""
    redone: int = 2
    """Said in the base only."""


class _Child(_Base):
    redone: int = 3
    new: int = 4
    """Said in the child."""


def test_a_field_s_docstring_is_the_one_of_the_class_that_declares_it():
    assert field_docs(_Child) == {"kept": "Said once, in the base.", "new": "Said in the child."}
    assert field_docs(_Base) == {"kept": "Said once, in the base.", "redone": "Said in the base only."}
