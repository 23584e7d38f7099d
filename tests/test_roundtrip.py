"""Lossless writes: loading and dumping a plan gives back the same bytes, and an edit changes only itself."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY, dedent
from kaplan.writing import roundtrip as rt
from kaplan.writing.files import WriteRefused
from kaplan.reading.loader import load_plan
from kaplan.commands.new import render_plan

EXAMPLE_FILES = sorted((EXAMPLES / "plans").glob("*.yaml")) + [EXAMPLES / "kaplan.yaml"]

TEMPLATE_NAMES = ["Acme", "O'Brien & Co: \"Ltd\" #1", "Café Ünïcode 日本 🚀", "שלום בע״מ", "- Acme", "yes", "{{ id }}"]


def template_output(name: str) -> str:
    return render_plan("acme", name=name, owner="Jo Owner", today=TODAY)


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(True), new.splitlines(True)) if line[:1] in "+-"]


# ---------------------------------------------------------------- byte for byte


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_every_example_round_trips_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert rt.dump(rt.load(text)) == text
    assert rt.lossless(text)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_the_template_output_round_trips_byte_for_byte(name):
    text = template_output(name)
    assert rt.dump(rt.load(text)) == text


LAYOUTS = {
    "four-space-indent": """\
        kaplan: 1
        account:
            id: acme
            name: Acme
            regions:
                - Germany
                - France
        plan:
            owner: Jo Owner
        """,
    "dashes-at-the-parent-indent": """\
        kaplan: 1
        account:
          id: acme
          name: Acme
          regions:
          - Germany
          - France
        plan:
          owner: Jo Owner
        """,
    "comments-blank-lines-and-quotes": """\
        # Acme: owned by the Munich team
        kaplan: 1   # format

        account:
          id: 'acme'
          name: "Acme \\"the\\" Corp"   # as on the contract
          # sector: later

        plan:
          owner: Jo Owner
          last_reviewed: 2026-10-01
        """,
    "flow-collections": """\
        kaplan: 1
        account: {id: acme, name: Acme, regions: [DE, FR]}
        plan: {owner: Jo Owner, last_reviewed: 2026-10-01}
        """,
    "explicit-document-start": """\
        ---
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
        """,
    "long-lines-are-not-folded": """\
        kaplan: 1
        account:
          id: acme
          name: Acme
          contact_method: """ + ("a very long line of text that goes on " * 10).rstrip() + """
        plan:
          owner: Jo Owner
        """,
    "block-scalars": """\
        kaplan: 1
        account:
          id: acme
          name: Acme
          summary:
            industry: |
              Line one.
              Line two.
            news: >
              Folded
              text.
        plan:
          owner: Jo Owner
        """,
}


@pytest.mark.parametrize("text", [pytest.param(dedent(t), id=k) for k, t in LAYOUTS.items()])
@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "no-final-newline"])
def test_layouts_round_trip_byte_for_byte(text, variant):
    text = {"lf": text, "crlf": text.replace("\n", "\r\n"), "bom": "\ufeff" + text,
            "no-final-newline": text.rstrip("\n")}[variant]
    assert rt.dump(rt.load(text)) == text


# ---------------------------------------------------------------- one edit, one line


@pytest.mark.parametrize("path", EXAMPLE_FILES[:-1], ids=[p.name for p in EXAMPLE_FILES[:-1]])
def test_an_edit_changes_exactly_one_line(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    old = copy.read_text(encoding="utf-8")
    new = rt.set_value(copy, ("plan", "last_reviewed"), dt.date(2026, 11, 24))
    assert copy.read_text(encoding="utf-8") == new
    assert changed_lines(old, new) == [
        f"- {line}" for line in old.splitlines(True) if line.startswith("  last_reviewed:")] + [
        f"+   last_reviewed: 2026-11-24{_comment_of(old)}\n"]
    assert load_plan(copy).plan.plan.last_reviewed == dt.date(2026, 11, 24)


def test_an_edit_keeps_the_byte_order_mark(tmp_path):
    copy = tmp_path / "acme.yaml"
    copy.write_bytes(b"\xef\xbb\xbfkaplan: 1\r\naccount: {id: acme, name: Acme}\r\nplan:\r\n  owner: Jo\r\n")
    rt.set_value(copy, ("plan", "owner"), "Kim")
    assert copy.read_bytes() == b"\xef\xbb\xbfkaplan: 1\r\naccount: {id: acme, name: Acme}\r\nplan:\r\n  owner: Kim\r\n"


def _comment_of(text: str) -> str:
    line = next(line for line in text.splitlines() if line.startswith("  last_reviewed:"))
    value_end = len("  last_reviewed: 2026-11-24")
    return line[value_end:]


@pytest.mark.parametrize("at, value, expected", [
    pytest.param(("actions", 0, "status"), "done", "status: done", id="a-value-in-a-list-entry"),
    pytest.param(("account", "name"), "Acme & Co: \"new\"", "name: 'Acme & Co: \"new\"'",
                 id="text-that-needs-quotes-keeps-single-quotes"),
    pytest.param(("plan", "owner"), "Kim O'Hara", "owner: \"Kim O'Hara\"", id="double-quoted-stays-double"),
    pytest.param(("relationships", "strength"), 4, "strength: 4  # 1-5", id="a-number-keeps-its-comment"),
])
def test_edits_keep_quoting_and_comments(at, value, expected):
    text = dedent("""\
        kaplan: 1
        account:
          id: acme
          name: 'Acme'
        plan:
          owner: "Jo Owner"
        relationships:
          strength: 3  # 1-5
        actions:
          - id: pilot
            action: Run the pilot
            status: planned
        """)
    new = rt.edit_text(text, at, value)
    changed = changed_lines(text, new)
    assert len(changed) == 2 and changed[1].strip().endswith(expected), changed


def test_adding_a_key_keeps_the_next_sections_banner_below_it():
    text = template_output("Acme")
    new = rt.edit_text(text, ("account", "sector"), "Manufacturing")
    changed = changed_lines(text, new)
    assert changed == ["+   sector: Manufacturing\n"]
    lines = new.splitlines()
    at = lines.index("  sector: Manufacturing")
    assert lines[at - 1].startswith("  name:")


def test_a_file_ruamel_would_reformat_is_edited_in_place():
    text = "kaplan:   1\naccount:\n  id:   acme\n  name: Acme\nplan:\n  owner:    Jo   # the KAM\n"
    assert not rt.lossless(text)
    new = rt.edit_text(text, ("plan", "owner"), "Kim: the KAM #2")
    assert changed_lines(text, new) == ["-   owner:    Jo   # the KAM\n",
                                        '+   owner:    "Kim: the KAM #2"   # the KAM\n']


def test_mixed_line_endings_are_edited_in_place():
    text = "kaplan: 1\r\naccount:\n  id: acme\r\n  name: Acme\nplan:\r\n  owner: Jo\n"
    new = rt.edit_text(text, ("plan", "owner"), "Kim")
    assert new == text.replace("owner: Jo", "owner: Kim")


@pytest.mark.parametrize("text, at, value, why", [
    ("kaplan:   1\nplan:\n  owner: Jo\n", ("plan", "sector"), "x", "without reformatting"),
    ("kaplan: 1\ndefaults: &d {owner: Jo}\nplan: *d\n", ("defaults", "owner"), "Kim", "anchor"),
    ("kaplan: 1\nplan:\n  owner: Jo\n", ("plan", "team", "x"), "Kim", "no `team`"),
    ("kaplan: 1\nplan:\n  owner: Jo\n", ("plan", "owner", "x"), "Kim", "single value"),
    ("kaplan: 1\nteam: [a]\n", ("team", 3), "Kim", "no such list entry"),
    ("kaplan: 1\nplan: [\n", ("plan",), "Kim", "cannot be read"),
    ("kaplan: 1\n", (), "Kim", "empty path"),
])
def test_edits_that_cannot_be_exact_are_refused(text, at, value, why):
    with pytest.raises(rt.EditRefused, match=why):
        rt.edit_text(text, at, value)


@pytest.mark.parametrize("head, tail", [
    ("--- # the plan\n", ""), ("# Acme\n---\n", "...\n"), ("%YAML 1.2\n---\n", "... # end\n# after\n"),
    ("\ufeff---\n", "..."),
])
@pytest.mark.parametrize("at, value, added", [
    (("plan", "owner"), "Kim", "kaplan: 1\nplan:\n  owner: Kim   # who\n"),
    (("plan", "team"), ["Ana"], "kaplan: 1\nplan:\n  owner: Jo   # who\n  team:\n    - Ana\n"),
])
def test_document_markers_are_kept_byte_for_byte(head, tail, at, value, added):
    # ruamel.yaml writes none of these back as they were: adding a section was refused
    body = "kaplan: 1\nplan:\n  owner: Jo   # who\n"
    assert rt.edit_text(head + body + tail, at, value) == head + added + tail


def test_a_refusal_names_the_place_ruamel_would_not_keep():
    text = "kaplan: 1\nplan: &p\n  owner: Jo\n"  # an anchor nothing refers to, which ruamel.yaml drops
    with pytest.raises(rt.EditRefused, match="would drop the anchor `&p`") as refused:
        rt.edit_text(text, ("plan", "team"), ["Ana"])
    assert (refused.value.line, refused.value.column) == (2, 7)  # `plan: ` is 6 characters
    assert refused.value.located("plans/acme.yaml").startswith("plans/acme.yaml:2:7: kaplan cannot add a section")
    with pytest.raises(rt.EditRefused) as refused:  # below a `---` line: the line is the file's, not the document's
        rt.edit_text("# Acme\n--- # x\n" + text, ("plan", "team"), ["Ana"])
    assert (refused.value.line, refused.value.column) == (4, 7)


def test_a_refused_edit_leaves_the_file_untouched(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("kaplan: 1\ndefaults: &d {owner: Jo}\nplan: *d\n")
    before = path.read_bytes()
    with pytest.raises(rt.EditRefused):
        rt.set_value(path, ("defaults", "owner"), "Kim")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_bytes("kaplan: 1\nname: Café\n".encode("latin-1"))
    with pytest.raises(rt.EditRefused, match="UTF-8"):
        rt.set_value(path, ("kaplan",), 1)


def test_a_file_too_large_to_edit_gives_its_size_as_shown_everywhere(tmp_path):
    path = tmp_path / "acme.yaml"
    head = b"kaplan: 1\nplan:\n  owner: Jo\n# "
    path.write_bytes(head + b"x" * (5_505_024 - len(head) - 1) + b"\n")  # 5,505,024 / 1,048,576 = 5.25 MiB
    with pytest.raises(rt.EditRefused) as refused:
        rt.set_value(path, ("plan", "owner"), "Kim")
    # 5.25 to one decimal, half away from zero (kaplan.rounding) is 5.3; Python's `:.1f` said 5.2
    assert "the file is 5.3 MiB; plans are limited to 5 MiB" in str(refused.value)


# ---------------------------------------------------------------- where and how it writes


def test_writing_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("kaplan: 1\nplan:\n  owner: Jo\n")
    path.chmod(0o640)
    rt.set_value(path, ("plan", "owner"), "Kim")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_plan_gets_the_usual_permissions_not_private_ones(kaplan, tmp_path):
    old = os.umask(0o022)
    try:
        assert kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plans" / "acme.yaml").stat().st_mode) == 0o644


def test_a_link_inside_the_portfolio_is_written_through(tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    real = tmp_path / "plans" / "acme.yaml"
    real.write_text("kaplan: 1\nplan:\n  owner: Jo\n")
    link = tmp_path / "plans" / "acme-alias.yaml"
    link.symlink_to("acme.yaml")
    rt.set_value(link, ("plan", "owner"), "Kim")
    assert link.is_symlink()
    assert real.read_text() == "kaplan: 1\nplan:\n  owner: Kim\n"


def test_a_link_out_of_the_portfolio_is_never_written_through(tmp_path):
    portfolio = tmp_path / "portfolio"
    (portfolio / "plans").mkdir(parents=True)
    (portfolio / "kaplan.yaml").write_text("kaplan: 1\n")
    outside = tmp_path / "outside.yaml"
    outside.write_text("kaplan: 1\nplan:\n  owner: Jo\n")
    link = portfolio / "plans" / "acme.yaml"
    link.symlink_to(outside)
    with pytest.raises(WriteRefused, match="outside the portfolio"):
        rt.set_value(link, ("plan", "owner"), "Kim")
    assert outside.read_text() == "kaplan: 1\nplan:\n  owner: Jo\n"
    assert link.is_symlink()


def test_text_that_cannot_be_encoded_never_truncates_the_file(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text("kaplan: 1\n")
    with pytest.raises(UnicodeEncodeError):
        rt.save(path, "kaplan: 1\nname: \udc80\n", root=tmp_path)
    assert path.read_text() == "kaplan: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def test_a_failing_disk_never_truncates_the_file(tmp_path, monkeypatch):
    path = tmp_path / "acme.yaml"
    path.write_text("kaplan: 1\nplan:\n  owner: Jo\n")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        rt.set_value(path, ("plan", "owner"), "Kim")
    assert path.read_text() == "kaplan: 1\nplan:\n  owner: Jo\n"
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]


def test_portfolio_root_is_the_nearest_config_above_the_file(tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans" / "emea").mkdir(parents=True)
    assert rt.portfolio_root(tmp_path / "plans" / "emea" / "acme.yaml") == tmp_path
    assert rt.portfolio_root(Path("/") / "acme.yaml") == Path("/")
