"""`kaplan init`: a new portfolio with every default written out, schemas, pre-commit and CI config."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from kaplan import __version__
from kaplan.reading import document as _yaml
from kaplan.config import Config
from kaplan.commands.init import InitRefused, config_text, init_portfolio
from kaplan.reading.loader import open_portfolio
from kaplan.commands.schema import schema_texts

LAYOUT = [
    ".github", ".github/workflows", ".github/workflows/kaplan-risk.yml", ".github/workflows/kaplan.yml", ".gitignore", ".kaplan", ".kaplan/config.schema.json",
    ".kaplan/plan.schema.json", ".pre-commit-config.yaml", ".yamllint", "kaplan.yaml", "plans", "plans/README.md",
]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder): what "nothing changed" compares."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


def test_init_lays_out_a_portfolio_and_says_what_it_made(kaplan, tmp_path):
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert sorted(tree(tmp_path)) == LAYOUT
    assert r.stdout.splitlines() == [
        "created plans/", "created plans/README.md", "created .kaplan/plan.schema.json",
        "created .kaplan/config.schema.json", "created .pre-commit-config.yaml", "created .yamllint",
        "created .github/workflows/kaplan.yml", "created .github/workflows/kaplan-risk.yml", "created .gitignore",
        "created kaplan.yaml", "next: kaplan new ACCOUNT",
    ]


def test_init_into_a_new_folder_creates_it(kaplan, tmp_path):
    r = kaplan("init", "accounts/portfolio", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert sorted(tree(tmp_path / "accounts" / "portfolio")) == LAYOUT
    assert r.stdout.splitlines()[-1] == "next: cd accounts/portfolio && kaplan new ACCOUNT"


def test_quiet_prints_nothing(kaplan, tmp_path):
    r = kaplan("init", "--quiet", cwd=tmp_path)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert (tmp_path / "kaplan.yaml").is_file()


def test_init_then_new_then_check_is_clean(kaplan, tmp_path):
    assert kaplan("init", cwd=tmp_path).exit_code == 0
    assert kaplan("new", "acme", "--owner", "Jo Owner", "--today", TODAY.isoformat()).exit_code == 0
    r = kaplan("check", "--today", TODAY.isoformat())
    assert r.exit_code == 0, r.stdout
    assert r.stdout.strip() == "1 file checked: no problems"


def test_without_today_a_new_plan_checks_clean_on_the_clock_s_day(kaplan, tmp_path):
    """`new` and `check` both take today from the clock when --today is left out (here a frozen one)."""
    import time_machine

    assert kaplan("init", cwd=tmp_path).exit_code == 0
    with time_machine.travel(dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        assert kaplan("new", "acme", "--owner", "Jo Owner").exit_code == 0
        r = kaplan("check")
        assert r.exit_code == 0, r.stdout
    # the same plan two years on is stale: the date check reads the clock, not the file's day
    with time_machine.travel(dt.datetime(2029, 3, 15, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        assert kaplan("check").exit_code == 1


def test_a_fresh_portfolio_with_no_plans_checks_clean(kaplan, tmp_path):
    kaplan("init", "-q", cwd=tmp_path)
    r = kaplan("check")
    assert r.exit_code == 0
    assert r.stdout.strip() == "0 files checked: no problems"


# ---------------------------------------------------------------- kaplan.yaml


def test_kaplan_yaml_loads_back_to_exactly_the_default_config(tmp_path):
    init_portfolio(tmp_path)
    portfolio = open_portfolio(tmp_path)
    assert portfolio.config_path == (tmp_path / "kaplan.yaml").resolve()
    assert portfolio.config == Config()
    assert portfolio.config.model_dump() == Config().model_dump()


def test_kaplan_yaml_writes_out_every_setting(tmp_path):
    # Every key of the default config, all the way down, is present in the file as written.
    data = _yaml.parse(config_text()).data
    expected = json.loads(Config().model_dump_json(by_alias=True))
    assert data == expected


def test_kaplan_yaml_explains_every_documented_setting():
    from kaplan.config import Config as C
    from kaplan.config.health import HealthSettings
    from kaplan.config.scoring import Criterion, Scoring

    text = " ".join(line.strip().removeprefix("#").strip() for line in config_text().splitlines()
                    if line.strip().startswith("#"))
    text = " ".join(text.split())
    from kaplan.commands.field_docs import field_docs

    documented = [doc for m in (C, HealthSettings, Scoring, Criterion) for doc in field_docs(m).values()]
    assert len(documented) > 20
    for doc in documented:
        assert " ".join(doc.split()) in text, doc


def test_kaplan_yaml_starts_with_the_editor_modeline_and_a_note():
    lines = config_text().splitlines()
    assert lines[0] == "# yaml-language-server: $schema=.kaplan/config.schema.json"
    assert "Every setting is written out below with its default" in config_text()


def test_kaplan_yaml_follows_config_changes(monkeypatch):
    # Generated from the model: a different default shows up without touching any template.
    from kaplan.commands.init_config import render_config

    text = render_config(Config(review_grace_days=11, plans="accounts"))
    assert "\nreview_grace_days: 11\n" in text and "\nplans: accounts\n" in text
    assert Config.model_validate(_yaml.parse(text).data) == Config(review_grace_days=11, plans="accounts")


def test_settings_enumerate_their_choices():
    text = config_text()
    assert "# Review cadence assumed for a plan that does not state one. One of: weekly, biweekly, monthly," in text
    assert "default_cadence: quarterly\n" in text


# ---------------------------------------------------------------- the other files


def test_schemas_are_the_ones_kaplan_exports(tmp_path):
    init_portfolio(tmp_path)
    for name, text in schema_texts().items():
        assert (tmp_path / ".kaplan" / name).read_text(encoding="utf-8") == text


def test_workflow_runs_kaplan_check_with_github_annotations(tmp_path):
    from ruamel.yaml import YAML

    init_portfolio(tmp_path)
    workflow = YAML(typ="safe").load((tmp_path / ".github" / "workflows" / "kaplan.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    # a pull request that edits kaplan.yaml cannot switch off the file-level rules for this check
    assert runs[-1] == "kaplan check --format github --rules-floor"
    # `kaplan` on the package index is an unrelated project: CI must install kaplan's own distribution
    assert any(r == f'python -m pip install "kaplan-plans=={__version__}"' for r in runs)
    assert not any('"kaplan==' in r or '"kaplan @' in r for r in runs)
    assert {"push", "pull_request"} <= set(workflow["on"])


def test_pre_commit_config_is_valid_and_checks_the_whole_portfolio(tmp_path):
    from pre_commit.clientlib import load_config

    from ruamel.yaml import YAML

    init_portfolio(tmp_path)
    path = tmp_path / ".pre-commit-config.yaml"
    load_config(str(path))  # pre-commit's own validation
    config = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local"
    assert hook["id"] == "kaplan-check"
    assert hook["entry"] == "kaplan check"
    # `system` (pre-commit 4.4 also calls it `unsupported`): the kaplan on PATH, nothing to download.
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"\.ya?ml$"


def test_plans_readme_is_not_taken_for_a_plan(kaplan, tmp_path):
    kaplan("init", "-q", cwd=tmp_path)
    assert kaplan("check", "--format", "json").json()["files"] == 0


# ---------------------------------------------------------------- never clobbering


def test_an_existing_portfolio_is_refused_and_nothing_changes(kaplan, tmp_path):
    kaplan("init", "-q", cwd=tmp_path)
    kaplan("new", "acme", "--today", TODAY.isoformat())
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (tmp_path / ".kaplan" / "plan.schema.json").unlink()
    before = tree(tmp_path)
    r = kaplan("init")
    assert r.exit_code == 1
    assert "already exists" in r.stderr and "kaplan.yaml" in r.stderr
    assert tree(tmp_path) == before


def test_a_folder_with_only_kaplan_yaml_is_a_portfolio_too(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\n")
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 1
    assert sorted(tree(tmp_path)) == ["kaplan.yaml"]


def test_existing_pre_commit_and_workflow_are_kept_and_reported(kaplan, write, tmp_path):
    write(".pre-commit-config.yaml", "repos: []  # ours\n")
    write(".github/workflows/kaplan.yml", "name: ours\n")
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []  # ours\n"
    assert (tmp_path / ".github" / "workflows" / "kaplan.yml").read_text() == "name: ours\n"
    assert "kept    .pre-commit-config.yaml (it exists; add kaplan to it by hand, see the README)" in r.stdout
    assert "kept    .github/workflows/kaplan.yml" in r.stdout
    assert (tmp_path / "kaplan.yaml").is_file()


def _ignored(root: Path, *names: str) -> list[str]:
    import subprocess

    done = subprocess.run(["git", "check-ignore", "--no-index", "--", *names], cwd=root, capture_output=True,
                          text=True)
    return done.stdout.splitlines()


LEFT_BY_A_CRASH = [".kaplan/journal.json", ".kaplan/journal.pending.json", ".kaplan/journal.lock",
                   "plans/.acme.yaml.0123456789abcdef.tmp", ".kaplan/.journal.json.0123456789abcdef.tmp"]
KEPT = ["plans/acme.yaml", ".kaplan/imported.json", "kaplan.yaml", ".github/workflows/kaplan.yml"]


def test_init_ignores_what_an_interrupted_write_leaves_and_nothing_kaplan_needs(kaplan, tmp_path):
    """A committed journal is refused by the next write: git should never offer to commit one."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert kaplan("init", cwd=tmp_path).exit_code == 0
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert _ignored(tmp_path, *LEFT_BY_A_CRASH, *KEPT) == LEFT_BY_A_CRASH


def test_an_existing_gitignore_gets_the_missing_lines_at_its_end(kaplan, write, tmp_path):
    import shutil
    import subprocess

    write(".gitignore", "# ours\n*.pyc\n.*.tmp")  # one of the two already there, no final newline
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "updated .gitignore" in r.stdout
    assert (tmp_path / ".gitignore").read_text() == (
        "# ours\n*.pyc\n.*.tmp\n# kaplan: what an interrupted write leaves behind; never commit it\n"
        ".kaplan/journal*\n")
    (tmp_path / "kaplan.yaml").unlink()
    r = kaplan("init", cwd=tmp_path)  # again: nothing more to add, nothing said about it
    assert "gitignore" not in r.stdout and (tmp_path / ".gitignore").read_text().count("journal") == 1
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
        assert _ignored(tmp_path, *LEFT_BY_A_CRASH, *KEPT) == LEFT_BY_A_CRASH


def test_existing_plans_are_kept(kaplan, tmp_path):
    kaplan("new", "acme", "--today", TODAY.isoformat(), cwd=tmp_path)
    before = (tmp_path / "plans" / "acme.yaml").read_bytes()
    r = kaplan("init")
    assert r.exit_code == 0
    assert "created plans/\n" not in r.stdout
    assert (tmp_path / "plans" / "acme.yaml").read_bytes() == before
    assert kaplan("check", "--today", TODAY.isoformat()).exit_code == 0


@pytest.mark.parametrize("obstacle, message", [
    ("plans", "is a file where kaplan init needs a folder"),
    (".github", "is a file where kaplan init needs a folder"),
    (".kaplan", "is a file where kaplan init needs a folder"),
])
def test_a_file_in_the_way_is_refused_before_anything_is_written(kaplan, write, tmp_path, obstacle, message):
    write(obstacle, "not a folder\n")
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 1
    assert message in r.stderr
    assert sorted(tree(tmp_path)) == [obstacle]


@pytest.mark.parametrize("links", [
    (".github",), ("plans",), (".kaplan",), (".github", "plans", ".kaplan"),
    (".github/workflows",),  # a real .github holding a link
])
def test_a_folder_linked_out_of_the_portfolio_is_refused_and_nothing_is_written_anywhere(kaplan, tmp_path, links):
    """`.github -> /elsewhere` used to make init write the workflows into /elsewhere/workflows (and a
    linked plans/ or .kaplan/ its README and schemas): refused before any file is written, exit 2."""
    outside = tmp_path / "outside"
    folder = tmp_path / "d"
    folder.mkdir()
    for i, name in enumerate(links):
        (outside / str(i)).mkdir(parents=True)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(outside / str(i))
    before = tree(folder)
    r = kaplan("init", "d", cwd=tmp_path)
    assert r.exit_code == 2, r.stderr
    first = min(links, key=["plans", ".kaplan", ".github", ".github/workflows"].index)  # the order init writes in
    assert (f"d/{first} is a symbolic link to {outside / str(links.index(first))}, outside the portfolio; "
            "kaplan init does not write through it and wrote nothing: remove the link") in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not any(p.is_file() for p in outside.rglob("*")) and tree(folder) == before


def test_a_folder_linked_within_the_portfolio_is_written_through(kaplan, tmp_path):
    """A link that stays inside is the portfolio's own layout: init writes through it, and it stays a link."""
    (tmp_path / "accounts").mkdir()
    (tmp_path / "plans").symlink_to("accounts")
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "plans").is_symlink() and (tmp_path / "accounts" / "README.md").is_file()


def test_a_gitignore_larger_than_any_a_person_keeps_is_left_alone_unread(kaplan, write, tmp_path, monkeypatch):
    from kaplan.commands import init

    monkeypatch.setattr(init, "MAX_GITIGNORE", 100)  # the real bound is 4 MiB; the check is the same
    big = write(".gitignore", "*.pyc\n" * 20).read_bytes()  # 120 bytes
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "gitignore" not in r.stdout and (tmp_path / ".gitignore").read_bytes() == big
    assert "kaplan: .gitignore is larger than" in r.stderr and "add the lines .kaplan/journal*" in r.stderr


@pytest.mark.parametrize("quiet", [(), ("--quiet",)])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_gitignore_that_is_a_link_is_not_written_through_and_init_says_so(kaplan, tmp_path, quiet, dangling):
    """Init used to leave a linked `.gitignore` alone without a word; the user then committed the
    journal an interrupted write leaves. It still never writes through the link, and says what to add."""
    outside = tmp_path / "shared-ignore"
    if not dangling:
        outside.write_bytes(b"*.pyc\n")
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / ".gitignore").symlink_to(outside)
    r = kaplan("init", "d", *quiet, cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert (f"kaplan: d/.gitignore is a symbolic link (to {outside}), which kaplan init does not write through, "
            "so it added nothing to the file the link leads to: add the lines .kaplan/journal* and .*.tmp to it "
            "by hand") in " ".join(r.stderr.split()), r.stderr
    assert (folder / ".gitignore").is_symlink()
    assert outside.read_bytes() == b"*.pyc\n" if not dangling else not outside.exists()
    assert "gitignore" not in r.stdout and (folder / "kaplan.yaml").is_file()


def test_a_folder_where_a_file_goes_is_refused(kaplan, tmp_path):
    (tmp_path / ".pre-commit-config.yaml").mkdir()
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 1
    assert "is a folder where kaplan init needs a file" in r.stderr
    assert sorted(tree(tmp_path)) == [".pre-commit-config.yaml"]


def test_init_onto_a_file_is_refused(kaplan, write, tmp_path):
    write("notes.txt", "x")
    r = kaplan("init", "notes.txt", cwd=tmp_path)
    assert r.exit_code == 1
    assert "is a file, not a folder" in r.stderr


def test_no_temporary_files_are_left_behind(tmp_path):
    init_portfolio(tmp_path)
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_library_call_reports_created_and_kept(tmp_path):
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    result = init_portfolio(tmp_path)
    assert result.kept == [tmp_path / ".pre-commit-config.yaml"]
    assert result.created[-1] == tmp_path / "kaplan.yaml"
    with pytest.raises(InitRefused):
        init_portfolio(tmp_path)


def test_kaplan_yaml_is_written_last_so_an_interrupted_init_can_run_again(tmp_path, monkeypatch):
    import kaplan.commands.init as init

    real = init.write_new

    def fail_on_workflow(path, text):
        if path.name == "kaplan.yml":
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(init, "write_new", fail_on_workflow)
    with pytest.raises(OSError):
        init_portfolio(tmp_path)
    assert not (tmp_path / "kaplan.yaml").exists()
    monkeypatch.setattr(init, "write_new", real)
    result = init_portfolio(tmp_path)
    assert (tmp_path / "kaplan.yaml").is_file()
    assert tmp_path / ".github" / "workflows" / "kaplan.yml" in result.created


def test_a_write_error_is_reported_without_a_traceback(kaplan, tmp_path, monkeypatch):
    import kaplan.commands.init as init

    def no_space(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(init, "write_new", no_space)
    r = kaplan("init", cwd=tmp_path)
    assert r.exit_code == 2  # as every command whose write the system refuses
    assert "No space left on device" in r.stderr


# ---------------------------------------------------------------- how CI installs kaplan


def test_install_option_sets_the_workflow_requirement(kaplan, tmp_path):
    r = kaplan("init", "-q", "--install", "kaplan @ git+https://git.example.com/kaplan.git@v0.1.0", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    workflow = (tmp_path / ".github" / "workflows" / "kaplan.yml").read_text(encoding="utf-8")
    assert '- run: python -m pip install "kaplan @ git+https://git.example.com/kaplan.git@v0.1.0"\n' in workflow


@pytest.mark.parametrize("requirement", [
    "kaplan-plans @ git+https://git.example.com/kaplan.git@v1#egg=kaplan-plans",  # `#` inside a word: plain
    "kaplan-plans==1.0 #pinned",  # ` #` starts a YAML comment in a plain scalar: the rest was cut off
    "kaplan-plans @ https://example.com/a: b/kaplan.whl",  # `: ` made the workflow invalid YAML
    "kaplan-plans[pdf] @ https://example.com/x: #1",
])
def test_an_install_requirement_is_written_so_yaml_reads_back_the_whole_command(kaplan, tmp_path, requirement):
    """The workflows must pass `yamllint --strict` and run exactly `pip install "REQUIREMENT"`."""
    import subprocess
    import sys

    r = kaplan("init", "-q", "--install", requirement, cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    lint = subprocess.run([sys.executable, "-m", "yamllint", "--strict", "-f", "parsable", ".github"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    for name in ("kaplan.yml", "kaplan-risk.yml"):
        doc = _yaml.parse((tmp_path / ".github" / "workflows" / name).read_text(encoding="utf-8")).data
        runs = [step.get("run") for job in doc["jobs"].values() for step in job["steps"]]
        assert f'python -m pip install "{requirement}"' in runs


@pytest.mark.parametrize("requirement", ['kaplan"; rm -rf ~', "kaplan\n- run: evil", "$(evil)", "kaplan\\", "kaplan==1.0\n"])
def test_an_install_requirement_that_cannot_be_written_safely_is_a_usage_error(kaplan, tmp_path, requirement):
    r = kaplan("init", "portfolio", "--install", requirement, cwd=tmp_path)
    assert r.exit_code == 2
    assert "is not a pip requirement" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_kaplan_installed_from_git_is_installed_from_there_in_ci(monkeypatch):
    from importlib import metadata

    import kaplan.commands.init as init

    class Dist:
        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps({"url": "https://git.example.com/team/kaplan.git",
                               "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "v0.1.0"}})

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist() if name == "kaplan-plans" else None)
    assert init.install_requirement() == "kaplan-plans @ git+https://git.example.com/team/kaplan.git@0123abc"


def test_a_kaplan_installed_from_a_folder_falls_back_to_its_version(monkeypatch):
    from importlib import metadata

    import kaplan.commands.init as init

    class Dist:
        def read_text(self, name):
            return json.dumps({"url": "file:///home/me/kaplan", "dir_info": {"editable": True}})

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist())
    assert init.install_requirement() == f"kaplan-plans=={__version__}"


def test_the_distribution_is_named_kaplan_plans_and_the_command_kaplan():
    """`kaplan` on the public package index is another project; kaplan ships as `kaplan-plans`."""
    import tomllib

    import kaplan

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == kaplan.DISTRIBUTION == "kaplan-plans"
    assert project["scripts"] == {"kaplan": "kaplan.cli.app:main"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install kaplan-plans" in readme
