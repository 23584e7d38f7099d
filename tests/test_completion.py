"""Shell completion: values completed from the portfolio, and a script for each shell.

A completion request is what the shell sends on <Tab>: the command line in environment variables,
answered by the real `kaplan` program. The bash test sources the real script in bash and asks it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from _proc import kaplan_command
from conftest import EXAMPLES, dedent


def complete(words: str, cwd) -> list[str]:
    """What `kaplan` offers for the last word of `words` (bash's protocol, as its script sends it)."""
    parts = words.split(" ")
    env = {**os.environ, "_KAPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    done = subprocess.run(kaplan_command(), cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return [line for line in done.stdout.splitlines() if line]  # nothing to offer is one empty line


@pytest.fixture
def portfolio(tmp_path):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: accounts   # not the default folder\n")
    plans = tmp_path / "accounts"
    (plans / "emea").mkdir(parents=True)
    (plans / "acme-corp.yaml").write_text(dedent("""
        kaplan: 1
        account: {id: acme-corp, name: Acme}
        plan:
          owner: Jo Owner   # the KAM
    """))
    (plans / "emea" / "acme-labs.yml").write_text("kaplan: 1\naccount: {id: acme-labs, name: Labs}\n"
                                                   "plan: {owner: 'Max Kay', review_cadence: monthly}\n")
    (plans / "beta.yaml").write_text("kaplan: 1\naccount: {id: beta, name: B}\nplan: {owner: Jo Owner}\n")
    (plans / "notes.txt").write_text("not a plan\n")
    return tmp_path


def test_account_ids_come_from_the_plans_folder_kaplan_yaml_names(portfolio):
    assert complete("kaplan report acme", portfolio) == ["acme-corp", "acme-labs"]
    assert complete("kaplan report ", portfolio) == ["acme-corp", "acme-labs", "beta"]
    assert complete("kaplan score --explain b", portfolio) == ["beta"]
    assert complete("kaplan report acme", portfolio / "accounts" / "emea") == ["acme-corp", "acme-labs"]


def test_owners_tiers_levels_and_rule_ids(portfolio):
    # bash inserts a value as it is given: a space in it is escaped, so the owner is one word
    assert complete("kaplan risk --owner ", portfolio) == ["Jo\\ Owner", "Max\\ Kay"]
    assert complete("kaplan risk --owner M", portfolio) == ["Max\\ Kay"]
    assert complete("kaplan risk --tier ", portfolio) == ["core", "development", "key", "strategic"]
    assert complete("kaplan score --tier s", portfolio) == ["strategic"]
    assert complete("kaplan risk --level ", portfolio) == ["high", "medium", "low", "red", "amber", "green"]
    assert complete("kaplan check --explain single", portfolio) == ["single-threaded"]


def test_every_command_completes_its_own_formats(portfolio):
    assert complete("kaplan check --format ", portfolio) == ["text", "json", "github", "sarif"]
    assert set(complete("kaplan score --format ", portfolio)) == {"table", "csv", "json", "markdown"}
    assert set(complete("kaplan risk --format ", portfolio)) == {"table", "json", "csv", "markdown"}
    assert {"html", "md"} <= set(complete("kaplan report --format ", portfolio))


def test_tiers_follow_the_portfolio_s_own_settings(tmp_path):
    (tmp_path / "kaplan.yaml").write_text(dedent("""
        kaplan: 1
        scoring:
          tiers:
            - {name: gold, when: {min_score: 70}}
            - {name: silver}
    """))
    assert complete("kaplan risk --tier ", tmp_path) == ["gold", "silver"]


def test_the_examples_complete_every_account(tmp_path):
    ids = sorted(p.stem for p in (EXAMPLES / "plans").glob("*.yaml"))
    assert complete("kaplan report ", EXAMPLES) == ids


def test_each_shell_gets_its_own_script():
    run = lambda *a: subprocess.run(kaplan_command() + list(a), capture_output=True, text=True, timeout=60)  # noqa: E731
    zsh, fish, bash = run("completion", "zsh").stdout, run("completion", "fish").stdout, run("completion", "bash").stdout
    assert zsh.startswith("#compdef kaplan") and "compdef _kaplan_completion kaplan" in zsh
    assert "complete --command kaplan" in fish
    assert "complete -o default -F _kaplan_completion kaplan" in bash
    assert run("--show-completion", "zsh").stdout == zsh  # the shell asked for, not the one detected
    assert run("--show-completion", "fish").stdout == fish
    bad = run("completion", "tcsh")
    assert bad.returncode == 2 and "choose one of bash, zsh, fish" in bad.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_registers_the_script_and_answers_a_tab(portfolio):
    script = subprocess.run(kaplan_command() + ["completion", "bash"], capture_output=True, text=True).stdout
    kaplan_dir = os.path.dirname(kaplan_command()[0])
    probe = (f'{script}\ncomplete -p kaplan\n'
             'COMP_WORDS=(kaplan report acme); COMP_CWORD=2; _kaplan_completion kaplan; printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": kaplan_dir + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "--norc", "-c", probe], cwd=portfolio, capture_output=True, text=True, env=env,
                          timeout=60)
    lines = done.stdout.splitlines()
    assert lines[0] == "complete -o default -F _kaplan_completion kaplan", done.stderr
    assert lines[1:] == ["acme-corp", "acme-labs"]


@pytest.fixture
def hostile(tmp_path):
    """A portfolio whose plan text and file names a shell would run or read as options if inserted as is."""
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "acme.yaml").write_text('kaplan: 1\naccount: {id: acme, name: A}\nplan: {owner: "$(touch PWN2)"}\n')
    (plans / "beta.yaml").write_text("kaplan: 1\naccount: {id: beta, name: B}\nplan: {owner: Jo Owner}\n")
    (plans / "gamma.yaml").write_text("kaplan: 1\naccount: {id: gamma, name: G}\nplan: {owner: 'Kay *'}\n")
    for name in ("$(touch PWN).yaml", "-rf.yaml", "--out=x.yaml", "a b.yaml", "`id`.yaml", "x;y.yaml"):
        (plans / name).write_text("kaplan: 1\n")
    return tmp_path


def test_no_file_name_a_shell_would_not_take_as_one_literal_word_is_offered_as_an_account(hostile):
    assert complete("kaplan report ", hostile) == ["acme", "beta", "gamma"]
    assert not {"-rf", "--out=x"} & set(complete("kaplan report -", hostile))  # the command's options only
    assert complete("kaplan report $", hostile) == []


def shell_answer(shell: str, words: str, cwd) -> list[str]:
    """What `kaplan` answers zsh, fish or PowerShell for the last word of `words` (their scripts' protocols)."""
    env = {**os.environ, "_KAPLAN_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": words,
           "_TYPER_COMPLETE_FISH_ACTION": "get-args", "_TYPER_COMPLETE_WORD_TO_COMPLETE": words.split(" ")[-1]}
    done = subprocess.run(kaplan_command(), cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_owners_are_offered_to_each_shell_only_as_it_takes_them_for_one_literal_word(hostile):
    # bash inserts what it is given (escaped here), but expands a pattern in it first (`Kay *` is left out)
    assert complete("kaplan risk --owner ", hostile) == ["\\$\\(touch\\ PWN2\\)", "Jo\\ Owner"]
    assert complete("kaplan risk --owner J", hostile) == ["Jo\\ Owner"]
    assert complete("kaplan risk --owner $", hostile) == []  # what was typed is no plain word to keep
    # zsh and fish quote what they insert; typer's zsh script passes values through `eval`
    assert shell_answer("zsh", "kaplan risk --owner ", hostile) == ["""_arguments '*: :(("Jo Owner"))'"""]
    assert shell_answer("fish", "kaplan risk --owner ", hostile) == ["Jo Owner"]
    # PowerShell inserts a value as it is: plain words only
    assert shell_answer("powershell", "kaplan report ", hostile) == ["acme::: ", "beta::: ", "gamma::: "]
    assert shell_answer("powershell", "kaplan risk --owner ", hostile) == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_a_value_bash_inserts_runs_nothing_when_the_line_is_run(hostile):
    # what bash's <Tab> puts on the command line, run as the line it is (`eval`), gives the owner as written
    script = subprocess.run(kaplan_command() + ["completion", "bash"], capture_output=True, text=True).stdout
    kaplan_dir = os.path.dirname(kaplan_command()[0])
    probe = (f'{script}\nCOMP_WORDS=(kaplan risk --owner ""); COMP_CWORD=3; _kaplan_completion kaplan\n'
             'for word in "${COMPREPLY[@]}"; do eval "printf \'<%s>\\n\' $word"; done\n')
    env = {**os.environ, "PATH": kaplan_dir + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "--norc", "-c", probe], cwd=hostile, capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.stdout.splitlines() == ["<$(touch PWN2)>", "<Jo Owner>"], done.stderr
    assert not (hostile / "PWN2").exists()
