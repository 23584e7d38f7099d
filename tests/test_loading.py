"""Reading plans: every broken or hostile file becomes a located finding, never a crash or a hang.

The first half edits a freshly scaffolded plan (`kaplan new acme --today 2026-11-24`) one mistake at
a time and checks the exact line and column reported; the line numbers were counted by hand in the
scaffold. The second half feeds the reader files no editor should ever produce.
"""

from __future__ import annotations

import contextlib
import random
import signal
import time
from pathlib import Path

import pytest

from conftest import TODAY, dedent
from kaplan.reading.loader import load_plan

# ---------------------------------------------------------------- helpers


class TooSlow(BaseException):
    """Raised by `deadline`; a BaseException so no `except Exception/OSError` in kaplan swallows it."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging the test run) when the block takes longer than `seconds`."""

    def expired(signum, frame):
        raise TooSlow(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(kaplan, *paths: str):
    """`kaplan check PATHS --format json`; the run and its findings. Never a traceback."""
    r = kaplan("check", *paths, "--today", TODAY.isoformat(), "--format", "json")
    assert "Traceback" not in r.stdout + r.stderr
    return r, r.json()["findings"]


def the(findings: list[dict], rule: str) -> dict:
    """The one finding of `rule`."""
    hits = [f for f in findings if f["rule"] == rule]
    assert len(hits) == 1, f"expected one `{rule}` finding, got: {findings}"
    return hits[0]


@pytest.fixture
def plan(kaplan, tmp_path) -> Path:
    """A scaffolded plan, plans/acme.yaml, with the working folder set to its portfolio."""
    r = kaplan("new", "acme", "--today", TODAY.isoformat(), "--owner", "Jo Owner", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    return tmp_path / "plans" / "acme.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file with `new` (line count unchanged unless `new` adds lines)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


# ---------------------------------------------------------------- mutations of a scaffolded plan


def test_the_scaffold_is_clean_before_any_edit(kaplan, plan):
    r, findings = check(kaplan)
    assert (r.exit_code, findings) == (0, [])


@pytest.mark.parametrize("old, new, line, column, suggestion", [
    pytest.param("  # sector: Manufacturing", "  secter: Manufacturing", 11, 3, "sector", id="secter-in-account"),
    pytest.param('  owner: "Jo Owner"', '  ownr: "Jo Owner"', 42, 3, "owner", id="ownr-in-plan"),
    pytest.param("  # strength: 3 ", "  strenght: 3 ", 63, 3, "strength", id="strenght-in-relationships"),
    pytest.param("  currency: EUR", "  curency: EUR", 84, 3, "currency", id="curency-in-financials"),
])
def test_unknown_key_points_at_the_key_and_suggests_the_known_one(kaplan, plan, old, new, line, column, suggestion):
    edit(plan, old, new)
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "unknown-key")
    assert (f["path"], f["line"], f["column"]) == ("plans/acme.yaml", line, column)
    assert f["hint"] == f"did you mean `{suggestion}`?"


def test_unknown_key_in_a_list_entry_names_the_entry(kaplan, plan):
    edit(plan, "  contacts: []", "  contacts:\n    - id: cfo\n      nmae: Dana Example")
    r, findings = check(kaplan)
    f = the(findings, "unknown-key")
    assert (f["line"], f["column"]) == (66, 7)
    assert f["message"] == "unknown key `nmae` in relationships.contacts[1]"
    assert f["hint"] == "did you mean `name`?"


def test_misspelt_required_key_is_also_reported_missing(kaplan, plan):
    edit(plan, '  owner: "Jo Owner"', '  ownr: "Jo Owner"')
    _, findings = check(kaplan)
    f = the(findings, "missing-field")
    assert f["message"] == "`owner` is required in plan"
    assert (f["line"], f["column"]) == (42, 3)  # where the plan section's keys start


def test_duplicate_key_points_at_the_second_occurrence(kaplan, plan):
    edit(plan, "  # sector: Manufacturing", "  name: Acme Corporation")  # line 10 already has `name:`
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "duplicate-key")
    assert (f["line"], f["column"]) == (11, 3)
    assert "`name`" in f["message"]


@pytest.mark.parametrize("old, new, line, column", [
    pytest.param('  name: "Acme"', "  name: Acme: Corp", 10, 13, id="colon-inside-a-plain-value"),
    pytest.param('  name: "Acme"', '   name: "Acme"', 10, 4, id="indented-one-space-too-far"),
    pytest.param("    end: 2027-11-23", "    end: 2027-11-23\n  last_reviewed 2026-11-24", 49, 3,
                 id="key-without-colon"),
])
def test_yaml_syntax_error_reports_the_line(kaplan, plan, old, new, line, column):
    edit(plan, old, new)
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "syntax")
    assert (f["path"], f["line"], f["column"]) == ("plans/acme.yaml", line, column)


def test_impossible_date_is_located_exactly(kaplan, plan):
    edit(plan, "    start: 2026-11-24", "    start: 2026-02-30")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "invalid-date")
    assert (f["line"], f["column"]) == (47, 12)
    assert "2026-02-30" in f["message"]


def test_text_where_a_rating_belongs(kaplan, plan):
    edit(plan, "  # strength: 3 ", "  strength: high ")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "schema")
    assert (f["line"], f["column"]) == (63, 13)
    assert "relationships.strength" in f["message"]


def test_rating_out_of_range(kaplan, plan):
    edit(plan, "  # strength: 3 ", "  strength: 7 ")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "schema")
    assert (f["line"], f["column"]) == (63, 13)
    assert f["message"].startswith("`relationships.strength` is 7")
    assert "5" in f["message"]


def test_missing_required_field(kaplan, plan):
    edit(plan, '  name: "Acme"', "  # name: deleted")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "missing-field")
    assert f["message"] == "`name` is required in account"
    assert (f["line"], f["column"]) == (9, 3)  # the account section, where `name:` has to go
    assert f["hint"] == "add `name:` to account"


def test_misspelt_enum_value_suggests_the_right_one(kaplan, plan):
    edit(plan, "  review_cadence: quarterly ", "  review_cadence: quaterly ")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "schema")
    assert (f["line"], f["column"]) == (50, 19)
    assert f["message"].startswith("`quaterly` is not a valid review_cadence")
    assert f["hint"] == "did you mean `quarterly`?"


def test_unknown_format_version(kaplan, plan):
    edit(plan, "kaplan: 1  #", "kaplan: 2  #")
    r, findings = check(kaplan)
    assert r.exit_code == 1
    f = the(findings, "format-version")
    assert (f["line"], f["column"]) == (2, 9)
    assert f["hint"] == "start the file with `kaplan: 1`"


def test_crlf_line_endings_keep_line_numbers(kaplan, plan):
    edit(plan, "    start: 2026-11-24", "    start: 2026-02-30")
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r\n"))
    _, findings = check(kaplan)
    f = the(findings, "invalid-date")
    assert (f["line"], f["column"]) == (47, 12)


# ---------------------------------------------------------------- hostile files

VALID = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
"""

PAYLOAD_MARKER = "kaplan-was-pwned"


def _alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases each, 9**9 values once expanded."""
    lines = ["kaplan: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _merge_bomb() -> str:
    """Billion laughs through merge keys: each level merges the previous one ten times."""
    lines = ["kaplan: 1", "m0: &m0 {x: 1}"]
    for i in range(1, 10):
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 10) + f"], y{i}: 1}}")
    return "\n".join(lines) + "\n"


def _long_text_bomb() -> str:
    """A 20,000-character KPI name reused through an alias by 2,000 KPIs: 40 MB of text in a 100 KB file,
    and in every message that names the KPIs below target."""
    kpis = [f"    - {{name: &n \"{'K' * 20_000}\", unit: '%', target: 99, actual: 10}}"]
    kpis += ["    - {name: *n, target: 99, actual: 10}"] * 1999
    return VALID + "service:\n  kpis:\n" + "\n".join(kpis) + "\n"


def _plan_with(extra: str) -> str:
    return VALID + dedent(extra)


HOSTILE = [
    # (id, file name, content, rule, line or None when any line will do)
    ("empty-file", "acme.yaml", b"", "empty-file", 1),
    ("whitespace-only", "acme.yaml", b"  \n\t\n   \n", "empty-file", 1),
    ("only-comments", "acme.yaml", b"# a plan, one day\n# nothing yet\n", "empty-file", 1),
    ("binary-random-bytes", "acme.yaml", random.Random(7).randbytes(4096) + b"\x00", "encoding", None),
    ("binary-png-header", "acme.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "encoding", 3),
    ("latin-1-bytes", "acme.yaml", "kaplan: 1\naccount:\n  id: acme\n  name: Café\n".encode("latin-1"),
     "encoding", 4),
    ("utf-16-with-bom", "acme.yaml", VALID.encode("utf-16"), "encoding", 1),
    ("utf-16-without-bom", "acme.yaml", VALID.encode("utf-16-le"), "encoding", 1),
    ("tab-indentation", "acme.yaml", b"kaplan: 1\naccount:\n\tid: acme\n\tname: Acme\n", "syntax", 3),
    ("six-megabytes", "acme.yaml", b"kaplan: 1\n" + b"# padding padding padding\n" * 242_000, "too-large", 1),
    ("alias-bomb", "acme.yaml", _alias_bomb().encode(), "too-large", None),
    ("long-text-through-an-alias", "acme.yaml", _long_text_bomb().encode(), "too-large", 9),
    ("10000-nested-lists", "acme.yaml", b"kaplan: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "too-deep", 1),
    ("10000-nested-mappings", "acme.yaml", b"{a: " * 10_000 + b"1" + b"}" * 10_000 + b"\n", "too-deep", 1),
    ("10000-unclosed-lists", "acme.yaml", b"[" * 10_000, None, None),
    ("python-object-tag", "acme.yaml", _plan_with(f"""\
        risks:
          - !!python/object/apply:os.system ["touch {PAYLOAD_MARKER}"]
        """).encode(), "unsafe-tag", 8),
    ("python-name-tag", "acme.yaml", b"kaplan: !!python/name:os.system\n", "unsafe-tag", 1),
    ("custom-tag-on-a-mapping", "acme.yaml", b"kaplan: 1\naccount: !foo\n  id: acme\n", "unsafe-tag", 2),
    ("custom-tag-on-a-value", "acme.yaml", b"kaplan: 1\naccount:\n  id: acme\n  name: !foo Acme\n", "unsafe-tag", 4),
    ("two-documents", "acme.yaml", (VALID + "---\n" + VALID).encode(), "syntax", 7),
    ("plan-is-a-list", "acme.yaml", b"- kaplan: 1\n- account: acme\n", "schema", 1),
    ("plan-is-a-scalar", "acme.yaml", b"just some text\n", "schema", 1),
    ("integer-key", "acme.yaml", (VALID + "1: one\n").encode(), "schema", None),
    ("boolean-key", "acme.yaml", (VALID + "true: yes\n").encode(), "schema", None),
    ("null-key", "acme.yaml", (VALID + "~: nothing\n").encode(), "schema", None),
    ("list-as-key", "acme.yaml", (VALID + "? [a, b]\n: pair\n").encode(), "syntax", 7),
    ("infinite-revenue", "acme.yaml", _plan_with("""\
        financials:
          periods:
            - {period: 2026-Q1, revenue: .inf}
        """).encode(), "schema", 9),
    ("nan-revenue", "acme.yaml", _plan_with("""\
        financials:
          periods:
            - {period: 2026-Q1, revenue: .nan}
        """).encode(), "schema", 9),
    ("1e400-revenue", "acme.yaml", _plan_with("""\
        financials:
          periods:
            - {period: 2026-Q1, revenue: 1e400}
        """).encode(), "schema", 9),
    ("nan-rating", "acme.yaml", _plan_with("""\
        relationships:
          strength: .nan
        """).encode(), "schema", 8),
    ("100k-character-name", "acme.yaml", VALID.replace("name: Acme", "name: " + "A" * 100_000).encode(),
     "schema", 4),
    ("raw-control-character", "acme.yaml", VALID.replace("name: Acme", "name: Ac\x07me").encode(), "syntax", None),
    ("raw-escape-sequence", "acme.yaml", VALID.replace("name: Acme", "name: \x1b[31mAcme").encode(), "syntax", None),
    ("unicode-file-name-with-spaces", "Plan für Ünïcode Café.yaml", VALID.encode(), "filename-mismatch", 3),
]


@pytest.mark.parametrize("name, content, rule, line", [pytest.param(*case[1:], id=case[0]) for case in HOSTILE])
def test_hostile_file_is_a_finding_not_a_crash(kaplan, tmp_path, name, content, rule, line):
    (tmp_path / name).write_bytes(content)
    started = time.monotonic()
    with deadline(10):
        r, findings = check_in(kaplan, tmp_path, name)
    assert time.monotonic() - started < 10
    assert r.exit_code == 1
    assert findings and all(f["path"] == name for f in findings)
    if rule is not None:
        f = the(findings, rule)
        if line is not None:
            assert f["line"] == line


def check_in(kaplan, folder: Path, name: str):
    r = kaplan("check", name, "--today", TODAY.isoformat(), "--format", "json", cwd=folder)
    assert "Traceback" not in r.stdout + r.stderr
    return r, r.json()["findings"]


def test_hostile_file_is_also_named_in_text_output(kaplan, tmp_path):
    (tmp_path / "Plan für Café.yaml").write_bytes(b"\x00\x01")
    r = kaplan("check", "Plan für Café.yaml", cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout.startswith("Plan für Café.yaml:1:1: error [encoding] ")


def test_python_tag_payload_never_runs(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(VALID + f'risks:\n  - !!python/object/apply:os.system ["touch {PAYLOAD_MARKER}"]\n',
                                        encoding="utf-8")
    r, findings = check_in(kaplan, tmp_path, "acme.yaml")
    assert the(findings, "unsafe-tag")["message"] == \
        "the tag `!!python/object/apply:os.system` is not allowed in a plan"
    assert not (tmp_path / PAYLOAD_MARKER).exists()


def test_latin1_byte_is_located_by_line_and_column(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_bytes("kaplan: 1\naccount:\n  id: acme\n  name: Café\n".encode("latin-1"))
    _, findings = check_in(kaplan, tmp_path, "acme.yaml")
    f = the(findings, "encoding")
    assert (f["line"], f["column"]) == (4, 12)
    assert "0xe9" in f["message"]


def test_raw_control_character_is_located_on_its_line(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(VALID.replace("name: Acme", "name: Ac\x07me"), encoding="utf-8")
    _, findings = check_in(kaplan, tmp_path, "acme.yaml")
    f = the(findings, "syntax")
    assert (f["line"], f["column"]) == (4, 11)  # the BEL between `Ac` and `me`


def test_integer_key_is_named_as_written(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(VALID + "1: one\n", encoding="utf-8")
    _, findings = check_in(kaplan, tmp_path, "acme.yaml")
    f = the(findings, "schema")
    assert f["line"] == 7
    assert "`1`" in f["message"], f["message"]  # not `[2]`, as if the key were a list index


def test_merge_key_bomb_finishes_quickly(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(_merge_bomb(), encoding="utf-8")
    with deadline(10):
        r, findings = check_in(kaplan, tmp_path, "acme.yaml")
    assert r.exit_code == 1
    assert findings and all(f["path"] == "acme.yaml" for f in findings)


# ---------------------------------------------------------------- unusual files that are valid plans


VALID_VARIANTS = [
    ("utf-8-with-bom", b"\xef\xbb\xbf" + VALID.encode()),
    ("crlf-line-endings", VALID.replace("\n", "\r\n").encode()),
    ("no-final-newline", VALID.rstrip("\n").encode()),
    ("right-to-left-name", VALID.replace("name: Acme", "name: שלום עולם בע״מ").encode()),
    ("arabic-name-with-rlm", VALID.replace("name: Acme", "name: \u200fشركة أكمي").encode()),
    ("emoji-name", VALID.replace("name: Acme", "name: \"Acme 🚀 👩‍👩‍👧\"").encode()),
    ("escaped-control-character", VALID.replace("name: Acme", 'name: "Ac\\x07me"').encode()),
    ("flow-style", b"{kaplan: 1, account: {id: acme, name: Acme}, plan: {owner: Jo Owner}}\n"),
]


@pytest.mark.parametrize("content", [pytest.param(c, id=i) for i, c in VALID_VARIANTS])
def test_unusual_but_valid_plan_is_accepted(kaplan, tmp_path, content):
    (tmp_path / "acme.yaml").write_bytes(content)
    r, findings = check_in(kaplan, tmp_path, "acme.yaml")
    assert (r.exit_code, findings) == (0, [])


MERGED = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
risks:
  - &champion
    id: champion-leaving
    description: Our champion may move to another division
    likelihood: 3
    impact: 4
  - <<: *champion
    id: budget-cut
    description: The client cuts the programme budget
"""


def test_merge_keys_fill_in_shared_values(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(MERGED, encoding="utf-8")
    r, findings = check_in(kaplan, tmp_path, "acme.yaml")
    assert (r.exit_code, findings) == (0, [])
    risks = load_plan(tmp_path / "acme.yaml").plan.risks
    assert [(r.id, r.likelihood, r.impact) for r in risks] == [("champion-leaving", 3, 4), ("budget-cut", 3, 4)]


def test_error_in_merged_value_points_at_its_source(kaplan, tmp_path):
    (tmp_path / "acme.yaml").write_text(MERGED.replace("likelihood: 3", "likelihood: 9"), encoding="utf-8")
    _, findings = check_in(kaplan, tmp_path, "acme.yaml")
    assert {(f["rule"], f["line"], f["column"]) for f in findings} == {("schema", 11, 17)}


@pytest.mark.parametrize("period", ['"0000"', "9999-Q4", '"9999"', "2026-Q5", "1899-12", "26-Q1",
                                    '"20\u0662\u0666-Q3"', '"\uff12\uff10\uff12\uff16"'])
def test_a_period_off_the_calendar_is_a_located_finding(kaplan, tmp_path, period):
    """Year 0 and the end of year 9999 do not exist; such a label is refused, not a crash. So is one
    written with digits other than 0-9 (Arabic-Indic `20٢٦-Q3`, fullwidth `２０２６`), which passed as 2026."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(dedent(f"""
        kaplan: 1
        account: {{id: acme, name: Acme}}
        plan: {{owner: Jo}}
        financials:
          periods:
            - {{period: 2026-Q1, revenue: 10}}
            - {{period: {period}, revenue: 5}}
        """), encoding="utf-8")
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
    (finding,) = r.json()["findings"]
    assert (finding["line"], finding["column"], finding["rule"]) == (7, 16, "schema")
    assert finding["message"] == f"`{period.strip(chr(34))}` is not a period for `financials.periods[2].period`"
    assert "2026-Q3" in finding["hint"]


def test_a_date_tagged_with_digits_other_than_0_to_9_is_no_date(kaplan, tmp_path):
    """`!!timestamp "٢٠٢٦-01-01"` was read as 2026-01-01: YAML's dates are written with 0-9 only."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(dedent("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan:
          owner: Jo
          last_reviewed: !!timestamp "\u0662\u0660\u0662\u0666-01-01"
        """), encoding="utf-8")
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
    (finding,) = r.json()["findings"]
    assert (finding["line"], finding["column"], finding["rule"]) == (5, 18, "invalid-date"), finding
    assert finding["message"] == "`\u0662\u0660\u0662\u0666-01-01` is not a real date"
