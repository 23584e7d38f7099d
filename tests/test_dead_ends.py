"""Every message kaplan prints leads somewhere: an option it names exists, a hint works when followed,
and a command whose answer is incomplete says so by its exit code (issue 12, "no dead ends")."""

from __future__ import annotations

import subprocess

import pytest

from conftest import MINIMAL, TODAY

from kaplan.metrics import METRICS

DAY = TODAY.isoformat()


def plans(tmp_path, *ids, bad=()):
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    for pid in ids:
        (folder / f"{pid}.yaml").write_text(MINIMAL.format(id=pid, name=pid.title()), encoding="utf-8")
    for pid in bad:  # no plan.owner: a schema error
        (folder / f"{pid}.yaml").write_text(f"kaplan: 1\naccount: {{id: {pid}, name: X}}\n", encoding="utf-8")
    return tmp_path


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=cwd, check=True,
                   capture_output=True)


# ---------------------------------------------------------------- kaplan score --list-sources


def test_the_config_kaplan_init_writes_names_an_option_that_exists(kaplan, tmp_path):
    assert kaplan("init", "-q", cwd=tmp_path).exit_code == 0
    assert "kaplan score --list-sources" in (tmp_path / "kaplan.yaml").read_text(encoding="utf-8")
    r = kaplan("score", "--list-sources", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    for name in METRICS:
        assert name in r.stdout


def test_list_sources_gives_every_metric_its_unit_definition_and_place_as_json(kaplan, tmp_path):
    r = kaplan("score", "--list-sources", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    sources = {s["source"]: s for s in r.json()["sources"]}
    assert list(sources) == list(METRICS)  # every source a criterion can name, none invented
    for s in sources.values():
        assert s["unit"] and s["unit"] != "?" and s["definition"] and s["plan"], s
    assert sources["margin_pct"]["unit"] == "percent" and "÷ revenue" in sources["margin_pct"]["definition"]
    assert sources["revenue_ttm"]["plan"] == "financials.periods"


# ---------------------------------------------------------------- no commit yet


def test_the_account_pack_in_a_repository_with_no_commit_says_so_plainly(kaplan, tmp_path):
    plans(tmp_path, "acme")
    (tmp_path / "plans" / "acme.yaml").write_text(
        MINIMAL.format(id="acme", name="Acme") + "reviews:\n  - {date: 2026-11-01, kind: quarterly_review}\n",
        encoding="utf-8")
    git(tmp_path, "init", "-q")
    r = kaplan("report", "acme", "--format", "md", "--today", DAY, cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "No comparison: the git repository has no commit yet" in r.stdout
    assert "git <command>" not in r.stdout


# ---------------------------------------------------------------- the empty-file hint works


@pytest.mark.parametrize("text", ["", "   \n\n", "# Acme: plan to come\n# ask Jo\n"])
def test_following_the_empty_file_hint_gives_a_plan_that_passes_check(kaplan, tmp_path, text):
    assert kaplan("init", "-q", cwd=tmp_path).exit_code == 0
    (tmp_path / "plans" / "acme.yaml").write_text(text, encoding="utf-8")
    r = kaplan("check", "--today", DAY, cwd=tmp_path)
    assert r.exit_code == 1 and "[empty-file]" in r.stdout
    assert "hint: run `kaplan new acme` to write a plan into this file" in r.stdout
    r = kaplan("new", "acme", "--owner", "Jo", "--today", DAY, cwd=tmp_path)  # the hint, followed
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "filled plans/acme.yaml\n"
    written = (tmp_path / "plans" / "acme.yaml").read_text(encoding="utf-8")
    kept = "".join(line + "\n" for line in text.splitlines() if line.strip())
    assert written.startswith(kept + ("\n# yaml-language-server" if kept else "# yaml-language-server"))
    assert kaplan("check", "--today", DAY, cwd=tmp_path).exit_code == 0


def test_kaplan_new_still_never_overwrites_a_plan(kaplan, tmp_path):
    plans(tmp_path, "acme")
    before = (tmp_path / "plans" / "acme.yaml").read_bytes()
    r = kaplan("new", "acme", "--owner", "Jo", cwd=tmp_path)
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert (tmp_path / "plans" / "acme.yaml").read_bytes() == before
    (tmp_path / "plans" / "bad.yaml").write_text("kaplan: [\n", encoding="utf-8")  # broken, but not empty
    r = kaplan("new", "bad", "--owner", "Jo", cwd=tmp_path)
    assert r.exit_code == 1 and (tmp_path / "plans" / "bad.yaml").read_text() == "kaplan: [\n"


# ---------------------------------------------------------------- incomplete answers


@pytest.mark.parametrize("command", [["score"], ["score", "--budget"], ["risk", "--today", DAY],
                                     ["report", "--portfolio", "--format", "md", "--today", DAY]])
def test_an_answer_that_leaves_out_plans_names_them_and_exits_1(kaplan, tmp_path, command):
    plans(tmp_path, "acme", "beta", bad=["gamma"])
    r = kaplan(*command, cwd=tmp_path)
    assert r.exit_code == 1
    assert "plans/gamma.yaml" in r.stderr and "--skip-invalid" in r.stderr
    r = kaplan(*command, "--skip-invalid", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "plans/gamma.yaml" in r.stderr  # still named, but accepted


@pytest.mark.parametrize("command", [["score"], ["risk"], ["report", "--portfolio"]])
def test_no_plans_folder_or_no_plans_is_a_usage_error(kaplan, tmp_path, command):
    r = kaplan(*command, cwd=tmp_path)
    assert r.exit_code == 2 and "there is no plans folder" in r.stderr
    (tmp_path / "plans").mkdir()
    r = kaplan(*command, cwd=tmp_path)
    assert r.exit_code == 2 and "there are no plans in" in r.stderr and "kaplan new ACCOUNT" in r.stderr


# ---------------------------------------------------------------- --explain honours --format


def test_explain_honours_format_json(kaplan, tmp_path):
    plans(tmp_path, "acme", "beta")
    for pid in ("acme", "beta"):  # a criterion with a value, so each has a score (and a rank of 2)
        with (tmp_path / "plans" / f"{pid}.yaml").open("a", encoding="utf-8") as f:
            f.write("relationships: {strength: 3}\n")
    r = kaplan("score", "--explain", "acme", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["account"] == "acme" and doc["of"] == 2
    assert [c["criterion"] for c in doc["contributions"]][:2] == ["profitability", "volume"]
    assert sum(c["contribution"] for c in doc["contributions"]) == pytest.approx(doc["score"], abs=0.1)
