"""A plan that parses but does not validate is located from its lines, exactly as the reference does.

When the fast path reads a plan and pydantic rejects the data, the errors are placed with the
line-based locators instead of parsing the file a second time with the reference reader. This test
makes many invalid plans out of the examples (an unknown key, a wrong type, an out-of-range rating,
a bad enum value or id, a list for a mapping, a missing required key, at every depth) and holds the
findings to those of the reference: `_validation.validate` on `_yaml.parse` of the same text.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from kaplan.reading import fastyaml as _fastyaml
from kaplan.reading import document as _yaml
from kaplan.reading.validation import validate
from kaplan.reading.loader import load_plan
from kaplan.model import Plan

PLANS = sorted((EXAMPLES / "plans").glob("*.yaml"))
_KEY_LINE = re.compile(r"(?m)^( *)(- )?([a-z_]+): ?(.*)$")


def reference(text: str, display: str) -> list:
    return [f.to_dict() for f in validate(Plan, _yaml.parse(text), display)[1]]


def mutate(text: str, rng: random.Random) -> str:
    """One realistic mistake on a random `key: value` line."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if _KEY_LINE.match(line)]
    i = rng.choice(candidates)
    indent, dash, key, value = _KEY_LINE.match(lines[i]).groups()
    lead = indent + (dash or "")
    kind = rng.choice(["typo-key", "text-value", "number-value", "list-value", "map-value", "drop",
                       "negative", "huge", "bad-id", "empty"])
    if kind == "typo-key":
        lines[i] = f"{lead}{key[:-1] or 'x'}q: {value}"
    elif kind == "text-value":
        lines[i] = f"{lead}{key}: not a {key}"
    elif kind == "number-value":
        lines[i] = f"{lead}{key}: 7"
    elif kind == "list-value":
        lines[i] = f"{lead}{key}: [1, 2]"
    elif kind == "map-value":
        lines[i] = f"{lead}{key}: {{a: 1}}"
    elif kind == "drop":
        lines[i] = f"{lead}other_{key}: {value}" if dash else ""
    elif kind == "negative":
        lines[i] = f"{lead}{key}: -3"
    elif kind == "huge":
        lines[i] = f"{lead}{key}: 99999999999"
    elif kind == "bad-id":
        lines[i] = f"{lead}{key}: Not An Id!"
    else:
        lines[i] = f"{lead}{key}:"
    return "\n".join(lines)


def _compare(tmp_path, text: str) -> bool:
    """Whether the fast path took this text; asserts the findings agree either way."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_plan(path, "plan.yaml")
    if loaded.plan is not None:
        return False
    try:
        want = reference(text, "plan.yaml")
    except _yaml.YamlProblem:
        return False
    assert [f.to_dict() for f in loaded.findings] == want
    return loaded.document is None


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_mutated_examples_are_located_like_the_reference(tmp_path, path):
    rng = random.Random(path.stem)
    text = path.read_text(encoding="utf-8")
    located_from_lines = 0
    for _ in range(60):
        mutated = text
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutated = mutate(mutated, rng)
        located_from_lines += _compare(tmp_path, mutated)
    if _fastyaml.available():
        assert located_from_lines > 20  # the line-based way is really taken, not always declined


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**9), which=st.integers(0, len(PLANS) - 1), mistakes=st.integers(1, 4))
def test_random_mistakes_are_located_like_the_reference(tmp_path, seed, which, mistakes):
    rng = random.Random(seed)
    text = PLANS[which].read_text(encoding="utf-8")
    for _ in range(mistakes):
        text = mutate(text, rng)
    _compare(tmp_path, text)


def test_a_non_text_key_is_left_to_the_reference_reader(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("kaplan: 1\naccount:\n  id: a\n  name: A\n  1: x\nplan:\n  owner: O\n")
    loaded = load_plan(path, "plan.yaml")
    assert loaded.document is not None  # read again with positions
    assert [f.to_dict() for f in loaded.findings] == reference(path.read_text(), "plan.yaml")


@pytest.mark.parametrize("key", ["a[b", "p[0]", "x.y", "date", "none", "int"])
def test_an_unknown_key_is_named_as_written_whatever_it_looks_like(kaplan, tmp_path, key):
    """Keys that look like pydantic's union member names (`date`, `x[0]`) are still the user's keys:
    named, and pointed at, in the plan and in kaplan.yaml."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text(f'kaplan: 1\n"{key}": 1\n')
    bad_config = kaplan("check", cwd=tmp_path)
    assert bad_config.exit_code == 2
    assert f"kaplan.yaml:2:1: error [unknown-key] unknown key `{key}` in the file" in bad_config.stderr
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans" / "acme.yaml").write_text(
        f'kaplan: 1\naccount: {{id: acme, name: Acme}}\nplan:\n  owner: kam\n  "{key}": 1\n')
    bad_plan = kaplan("check", "--today", "2026-11-24", cwd=tmp_path)
    assert bad_plan.exit_code == 1
    assert f"plans/acme.yaml:5:3: error [unknown-key] unknown key `{key}` in plan" in bad_plan.stdout


def test_past_the_first_thousand_errors_one_finding_says_how_many_more(tmp_path, kaplan):
    """A file with 1,200 periods that are each a word: the first 1,000 are located, each at its line,
    and one more finding, at the 1,001st, counts the 200 left (1,200 − 1,000). The fast path and the
    reference reader (which reads a file with an anchor) say the same."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    head = "kaplan: 1\naccount:\n  id: {id}\n  name: Acme\nplan:\n  owner: Jo\nfinancials:\n  periods:\n"
    for name, items in (("acme.yaml", "    - x\n" * 1200),  # line 9 is the first item
                        ("anchored.yaml", "    - &a x\n" + "    - x\n" * 1199)):
        (tmp_path / "plans" / name).write_text(head.format(id=name[:-5]) + items)
        result = kaplan("--no-cache", "check", "--today", "2026-11-24", "--format", "json", f"plans/{name}",
                        cwd=tmp_path)
        assert result.exit_code == 1, result.stderr
        findings = result.json()["findings"]
        assert len(findings) == 1001
        assert [f["line"] for f in findings[:1000]] == list(range(9, 1009))
        last = findings[-1]
        assert (last["rule"], last["line"], last["column"]) == ("schema", 1009, 7)
        assert last["message"] == ("200 more errors in this file not shown, this one among them (only the first "
                                   "1,000 the schema finds are)")


def test_an_amount_too_large_or_all_but_zero_is_a_located_error_and_the_largest_make_finite_packs(tmp_path, kaplan):
    """A plan's amounts lie within 1e15 (FIGURE_MAX) and are 0 or at least 1e-6 (FIGURE_MIN): beyond
    them a sum reached infinity, or a margin over a revenue of 1e-300 did, and the packs showed "inf"
    and "nan%" or crashed. At the largest allowed, every figure is a finite number."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    head = "kaplan: 1\naccount: {{id: {id}, name: {id}}}\nplan: {{owner: Jo}}\nfinancials:\n  currency: EUR\n  periods:\n"
    bad = tmp_path / "plans" / "bad.yaml"
    bad.write_text(head.format(id="bad") + "    - {period: 2026-Q2, revenue: 1.0e308, gross_profit: -2.0e15}\n"
                   "    - {period: 2026-Q3, revenue: 1.0e-300}\n")
    found = kaplan("--no-cache", "check", "--today", "2026-11-24", "--format", "json", "plans/bad.yaml",
                   cwd=tmp_path).json()["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in found] == \
        [("schema", 7, 34), ("schema", 7, 57), ("schema", 8, 34)]
    bad.unlink()
    for account in ("g", "h"):  # the largest amounts in every field, in two plans summed together
        (tmp_path / "plans" / f"{account}.yaml").write_text(
            head.format(id=account) + "    - {period: 2025-Q3, revenue: 0.000001}\n"
            "    - {period: 2026-Q3, revenue: 1.0e15, gross_profit: -1.0e15, cost_to_serve: 1.0e15, "
            "client_category_spend: 0.000001}\n")
    assert kaplan("--no-cache", "check", "--today", "2026-11-24", cwd=tmp_path).exit_code != 2
    for args in (("--portfolio", "--format", "md", "--out", "p.md"), ("--portfolio", "--format", "xlsx", "--out", "p.xlsx"),
                 ("--portfolio", "--format", "pptx", "--out", "p.pptx"), ("g", "--format", "md", "--out", "g.md"),
                 ("g", "--format", "html", "--out", "g.html"), ("g", "--format", "xlsx", "--out", "g.xlsx")):
        r = kaplan("report", *args, "--today", "2026-11-24", cwd=tmp_path)
        assert r.exit_code == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    for shown in ("p.md", "g.md", "g.html"):
        text = (tmp_path / shown).read_text()
        assert not any(word in text for word in ("inf%", "+inf", " inf ", "nan%", "NaN")), shown
    score = kaplan("score", "--format", "json", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert "Infinity" not in score and "NaN" not in score
