"""Reader edge cases: empty documents located inside the file, and a linked plans folder out of the portfolio."""

from __future__ import annotations

import pytest

from conftest import TODAY


@pytest.mark.parametrize("text, line, column", [
    ("---", 1, 4),
    ("--- ", 1, 5),
    ("---\n ", 2, 2),
    ("---\n# nothing yet", 2, 14),
    ("%YAML 1.2\n---\n ", 3, 2),
])
def test_an_empty_document_without_a_final_newline_is_located_inside_the_file(kaplan, tmp_path, text, line, column):
    """The null root of an empty document takes libyaml's end-of-stream mark, one line past the end of a
    file without a final line break; it is reported at the end of the last line, as end-of-file syntax
    errors are. Found by tests/test_fuzz.py."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans" / "acme.yaml").write_text(text)
    r = kaplan("check", "plans/acme.yaml", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["line"], f["column"]) for f in r.json()["findings"]] == [("schema", line, column)]


def _linked_plans_folder(tmp_path):
    """portfolio/plans is a symbolic link to a folder outside the portfolio holding someone's plan."""
    portfolio, outside = tmp_path / "portfolio", tmp_path / "outside"
    portfolio.mkdir()
    outside.mkdir()
    (portfolio / "kaplan.yaml").write_text("kaplan: 1\n")
    (outside / "other.yaml").write_text("kaplan: 1\naccount:\n  id: other\n  name: Other\nplan:\n  owner: Jo\n"
                                        "  review_cadence: s3cr3t-api-key\n")
    (portfolio / "plans").symlink_to(outside)
    return portfolio, outside


def test_a_plans_folder_linked_out_of_the_portfolio_is_not_read(kaplan, tmp_path):
    """config.Portfolio.plans_dir resolves `root / plans`, following a `plans` link to wherever it
    leads, so discovery only sees real paths outside the root and `_containment.escapes` treats them
    as named by the user. Keep plans_dir lexical (os.path.normpath, not resolve) and let discovery's
    containment check see the link: every file under it is then `outside-portfolio`."""
    portfolio, _ = _linked_plans_folder(tmp_path)
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=portfolio)
    assert r.exit_code == 1
    assert {f["rule"] for f in r.json()["findings"]} == {"outside-portfolio"}
    assert "s3cr3t" not in r.stdout


def test_kaplan_new_does_not_write_through_a_plans_folder_linked_out_of_the_portfolio(kaplan, tmp_path):
    """Same cause: scaffold.new_plan writes to `portfolio.plans_dir / ID.yaml`, already resolved to
    the link's target. With a lexical plans_dir, new_plan (or _writer.write_new given the root) can
    refuse with `_containment.escapes(path, portfolio.root)`."""
    portfolio, outside = _linked_plans_folder(tmp_path)
    r = kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=portfolio)
    assert r.exit_code != 0
    assert not (outside / "acme.yaml").exists()


_PLAN = "kaplan: 1\naccount:\n  id: acme\n{account}plan:\n  owner: Jo Owner\n"


@pytest.mark.parametrize("account", [
    "  name: Acme\n  competitors: [Harrowgate Dairies, ?Vistula Bank]\n",
    "  name: Acme\n  competitors: [Harrowgate Dairies, |x]\n",
    "  name: Acme\n  competitors: [Harrowgate Dairies, >x]\n",
    "  name: Acme\n  competitors: [Harrowgate Dairies, Vistula Bank?]\n",
    "  name: Acme\n  competitors: {Harrowgate Dairies: x, [Vistula Bank]}\n",
    "  name: >-\n    2026-01-01\n",
    "  name: |-\n    2026-01-01\n",
    '  name: "\\x32026-01-01"\n',
    "  name: 2026-01-01\n    10:00\n",
    "  name: Acme\n  competitors: [Harrowgate Dairies, 'Vistula Bank?']\n",
    "  name: Acme\n  competitors: [Harrowgate Dairies, Vistula Bank]\n",
])
def test_an_unrelated_tab_comment_does_not_change_the_verdict(kaplan, tmp_path, account):
    """A line `#<TAB>x` sends the file to the reference reader; the fast reader must have given the same
    verdict (found by a differential fuzz: flow text starting with `?|>`, a date in a block scalar)."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    verdicts = []
    for extra in ("", "#\tx\n"):
        (tmp_path / "plans" / "acme.yaml").write_text(_PLAN.format(account=account) + extra)
        r = kaplan("check", "plans/acme.yaml", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
        verdicts.append((r.exit_code, sorted((f["rule"], f["line"], f["column"], f["message"])
                                             for f in r.json()["findings"])))
    assert verdicts[0] == verdicts[1]
