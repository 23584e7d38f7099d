"""`kaplan report --out` never writes through a folder of the portfolio that is a link leading out of it.

A folder committed as `packs -> ~/.config/autostart` (or any place outside) would otherwise make
`kaplan report --all --out packs` in CI write files there. Such a folder is refused (exit 2) with
nothing written; naming the place itself is the user's choice and is written to.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES

DAY = "2026-11-24"


@pytest.fixture
def linked(tmp_path):
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "packs").symlink_to(outside)
    return root, outside


@pytest.mark.parametrize("args", [
    ("aldergrove-health", "--out", "packs/aldergrove.md"),
    ("--all", "--out", "packs"),
    ("aldergrove-health", "--out", "packs/deeper/aldergrove.md"),  # a folder it would make inside the link
])
def test_a_folder_linked_out_of_the_portfolio_is_refused(kaplan, linked, args):
    root, outside = linked
    r = kaplan("report", *args, "--format", "md", "--today", DAY, cwd=root)
    assert r.exit_code == 2, r.stderr
    assert f"is a symbolic link to {outside}" in r.stderr and "outside the portfolio; kaplan report does not " \
        "write through it" in r.stderr, r.stderr
    assert list(outside.rglob("*")) == []


def test_naming_the_place_itself_writes_there(kaplan, linked):
    root, outside = linked
    r = kaplan("report", "aldergrove-health", "--format", "md", "--today", DAY, "--out",
               str(outside / "aldergrove.md"), cwd=root)
    assert r.exit_code == 0, r.stderr
    assert (outside / "aldergrove.md").read_text(encoding="utf-8").startswith("#")


def test_schema_out_does_not_write_through_a_kaplan_folder_linked_out(kaplan, tmp_path):
    """`kaplan schema --out .kaplan` (what the README says refreshes the portfolio's copies)."""
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / ".kaplan").symlink_to(outside)
    r = kaplan("schema", "--out", ".kaplan", cwd=tmp_path)
    assert r.exit_code == 2, r.stderr
    assert f"--out .kaplan is a symbolic link to {outside}, outside the portfolio" in r.stderr, r.stderr
    assert list(outside.iterdir()) == []
