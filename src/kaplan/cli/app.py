"""The `kaplan` command: a thin layer that parses options, calls the library and sets the exit code.

Exit codes: 0 clean, 1 findings (or a refused action), 2 usage or configuration error.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import sys
import time
from pathlib import Path
from typing import List, NoReturn, Optional

import typer

from kaplan import __version__
from kaplan.cli import completion as _complete
from kaplan.plural import counted

app = typer.Typer(
    name="kaplan",
    help="Key account planning as code: validate, scaffold, score and report account plans.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kaplan {__version__}")
        raise typer.Exit(0)


def _config_option(value: Optional[Path]) -> None:
    if value is not None:
        from kaplan.reading.paths import CONFIG_ENV

        if not value.is_file():
            raise _fail(f"--config {value}: no such settings file")
        os.environ[CONFIG_ENV] = os.path.abspath(value)


def _no_cache_option(value: bool) -> None:
    if value:
        os.environ["KAPLAN_NO_CACHE"] = "1"


cache_app = typer.Typer(help="The cache of plans already read: where it is, how big, and clearing it.",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(format: str = typer.Option("text", "--format", "-f", help="text or json.",
                                          autocompletion=lambda incomplete="": [f for f in ("text", "json")
                                                                                if f.startswith(incomplete)])) -> None:
    """Where the cache is, its size and its limits."""
    from kaplan.reading.cache_tidy import info
    from kaplan.reading.fingerprint import cache_dir

    found = info(cache_dir())
    if format == "json":
        from kaplan.views.safe_text import json_text

        typer.echo(json_text(found))
    elif format == "text":
        from kaplan.clock import days
        from kaplan.rounding import fixed
        from kaplan.views.safe_text import visible

        typer.echo(f"{visible(str(found['folder']))}\n{fixed(found['bytes'] / 2**20, 1)} MiB of {fixed(found['max_bytes'] / 2**20)} MiB allowed "
                   f"(KAPLAN_CACHE_MAX_MB); {counted(found['portfolios'], 'portfolio')}, "
                   f"{counted(found['detail_sets'], 'set')} of details; parts unused for {days(found['max_age_days'])} "
                   "are dropped")
    else:
        raise _fail(f"unknown format {format!r}; choose text or json")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cache (only kaplan's own files in it); the next command reads every plan afresh."""
    from kaplan.reading.cache_tidy import clear
    from kaplan.reading.fingerprint import cache_dir

    from kaplan.rounding import fixed
    from kaplan.views.safe_text import visible

    freed = clear(cache_dir())  # the folder is named by KAPLAN_CACHE_DIR: shown as every path is, escaped
    typer.echo(f"cleared {visible(str(cache_dir()))} ({fixed(freed / 2**20, 1)} MiB)")


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit."),
          config: Optional[Path] = typer.Option(
              None, "--config", metavar="PATH", callback=_config_option, envvar=None,
              help="The settings file to use instead of the nearest kaplan.yaml (also: KAPLAN_CONFIG); "
                   "its folder is the portfolio's root."),
          no_cache: bool = typer.Option(False, "--no-cache", callback=_no_cache_option,
                                        help="Read every plan afresh and keep nothing in the cache "
                                             "(also: KAPLAN_NO_CACHE=1).")) -> None:
    """Key account planning as code."""


def _say(message: str) -> None:
    """A line for the user on standard error; names from plans and files in it cannot act on the terminal."""
    from kaplan.views.safe_text import visible

    typer.echo(visible(message), err=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    _say(f"kaplan: {message}")
    return typer.Exit(code)


def _not_written(exc: OSError) -> typer.Exit:
    """A file the command was to write could not be (a read-only or full disk, a folder that is a
    file): said with the system's reason, exit 2 for every command that writes."""
    name = exc.filename
    if name is not None and os.path.basename(name).startswith(".") and str(name).endswith(".tmp"):
        name = os.path.dirname(name)  # the temporary file kaplan writes first: the folder is what tells
    where = f"cannot write into {name}: " if name is not None else ""
    return _fail(f"nothing was written: {where}{exc.strerror or exc}")


def _shown(view, *args) -> None:
    """Call `view(*args)`, the output going to standard output; a CSV it cannot carry exactly (an `é`
    on a stdout in ascii) is a usage error, exit 2, with nothing written."""
    from kaplan.views._csv import Unwritable

    try:
        view(*args)
    except Unwritable as exc:
        raise _fail(str(exc)) from None


def _today(value: Optional[str]) -> _dt.date:
    if value is None:
        return _dt.date.today()
    return _date_option("--today", value)


def _config_error(exc) -> typer.Exit:
    from kaplan.views.check import format_line

    for f in exc.findings:  # a key of kaplan.yaml is quoted here: the line must not start a CI command
        typer.echo(format_line(f), err=True)
        if f.hint:
            _say(f"    hint: {f.hint}")
    return typer.Exit(2)


SkipInvalidOption = typer.Option(
    False, "--skip-invalid",
    help="Accept an answer without the plans it leaves out (unreadable, or with an error that makes their "
         "figures wrong) (exit 0); by default they are named and the exit code is 1.")


def _left_out(skipped: list, skip_invalid: bool, what: str) -> int:
    """Name the plans with errors that an answer leaves out; the exit code that follows (0 or 1)."""
    if not skipped:
        return 0
    names = ", ".join(s.display for s in skipped)
    count = f"{counted(len(skipped), 'plan')} with errors"
    _say(f"kaplan: {count} {what}: {names}; `kaplan check` says what to fix"
         + ("" if skip_invalid else " (--skip-invalid accepts the answer without them)"))
    return 0 if skip_invalid else 1


TodayOption = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                           help="The date every date rule uses as today (default: the real date).")


@app.command()
def check(
    paths: List[Path] = typer.Argument(None, help="Plan files or folders (default: the portfolio's plans)."),
    format: Optional[str] = typer.Option(
        None, "--format", "-f", autocompletion=lambda: _check_formats(),
        help="Output format: text, json, github (workflow annotations) or sarif (code scanning). "
             "Default: github when GITHUB_ACTIONS=true, else text."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Show errors only (text format); no progress bar."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Also say which kaplan.yaml and plans were used, and how long it took."),
    today: Optional[str] = TodayOption,
    explain: Optional[str] = typer.Option(None, "--explain", metavar="RULE", help="Explain a rule and exit.",
                                          autocompletion=_complete.rule_ids),
    list_rules: bool = typer.Option(False, "--list-rules", help="List every rule and exit."),
    stdin_filename: Optional[str] = typer.Option(
        None, "--stdin-filename", metavar="PATH",
        help="With `-` (a plan on standard input): the name to report it under and to judge it by."),
    rules_floor: bool = typer.Option(
        False, "--rules-floor",
        help="Keep the file-level rules (syntax, schema, encoding…) at least at their default severity, "
             "whatever kaplan.yaml says: for CI, where a pull request may change kaplan.yaml."),
) -> None:
    """Validate plans: schema, references, dates and the portfolio's rules. `-` reads one plan from
    standard input (for editors); the portfolio-wide rules are not run on it."""
    from kaplan.commands.check import NoPlans, check as run_check
    from kaplan.views.check import REPORTERS

    if list_rules or explain is not None:
        _rules_help(list_rules, explain, format)
    if format is None:
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    reporter = REPORTERS.get(format)
    if reporter is None:
        raise _fail(f"unknown format {format!r}; choose one of {', '.join(REPORTERS)}")
    day = _today(today)
    if paths and str(paths[0]) == "-":
        _check_stdin(paths, stdin_filename, day, reporter, format, quiet, strict, rules_floor)
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {missing[0]}")
    from kaplan.cli.progress_bar import FileProgress

    started = time.perf_counter()
    portfolio = None
    try:
        if verbose or rules_floor:  # these need the config; an unchanged portfolio is answered without it
            from kaplan.reading.loader import open_portfolio

            portfolio = open_portfolio(paths[0] if paths else None)
        if rules_floor:
            portfolio = _floored(portfolio)
        with FileProgress("checking plans", enabled=not quiet) as progress:
            result = run_check(paths or [], today=day, portfolio=portfolio, progress=progress)
    except NoPlans as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:
        from kaplan.reading.loader import ConfigError

        if isinstance(exc, ConfigError):
            raise _config_error(exc) from None
        raise
    if verbose:
        _explain_run(portfolio, result, time.perf_counter() - started)
    reporter(result, sys.stdout, quiet=quiet) if format == "text" else reporter(result, sys.stdout)
    raise typer.Exit(result.exit_code(strict))


def _check_stdin(paths, name: str | None, day, reporter, format: str, quiet: bool, strict: bool,
                 rules_floor: bool = False) -> None:
    """`kaplan check -`: one plan read from standard input; print its findings, then exit."""
    from kaplan.reading.paths import MAX_BYTES
    from kaplan.commands.check import check_text
    from kaplan.reading.loader import ConfigError, open_portfolio

    if len(paths) != 1:
        raise _fail("`-` (standard input) cannot be checked together with files; check them separately")
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        portfolio = _floored(open_portfolio(None)) if rules_floor else None
        result = check_text(data, name, today=day, portfolio=portfolio)
    except ConfigError as exc:
        raise _config_error(exc) from None
    reporter(result, sys.stdout, quiet=quiet) if format == "text" else reporter(result, sys.stdout)
    raise typer.Exit(result.exit_code(strict))


def _rules_help(list_rules: bool, explain: str | None, format: str | None = None) -> None:
    """`kaplan check --list-rules` and `--explain RULE`: print, then exit."""
    from kaplan import rules

    if list_rules:
        from kaplan.reading.loader import ConfigError, open_portfolio

        try:
            config = open_portfolio(None).config
        except ConfigError as exc:
            raise _config_error(exc) from None
        listed = rules.listing(config)
        if format == "json":
            from kaplan.views.safe_text import json_text

            typer.echo(json_text({"rules": listed}))
        else:
            for r in listed:
                by_path = "".join(f"; {o['severity']} in {', '.join(o['files'])}" for o in r["overrides"])
                typer.echo(f"{r['id']:<24} {r['severity']:<8} {r['summary']}{by_path}")
        raise typer.Exit(0)
    r = rules.REGISTRY.get(explain)
    if r is None:
        raise _fail(f"no rule named {explain!r}; `kaplan check --list-rules` lists them")
    typer.echo(f"{r.id} (default severity: {r.severity.value})\n\n{r.doc}")
    raise typer.Exit(0)


def _floored(portfolio):
    """The portfolio with `rules.floor` applied to its config; says on stderr what was set aside."""
    import dataclasses

    from kaplan import rules
    from kaplan.reading.loader import display_path

    config, lowered = rules.floor(portfolio.config)
    plans = Path(os.path.realpath(portfolio.plans_dir))
    if plans != portfolio.root.resolve() and portfolio.root.resolve() not in plans.parents:
        raise _fail(f"--rules-floor: kaplan.yaml points `plans:` at {portfolio.config.plans}, outside the "
                    f"portfolio ({portfolio.root}); a pull request must not make CI read files elsewhere")
    if lowered:
        where = display_path(portfolio.config_path) if portfolio.config_path else "kaplan.yaml"
        typer.echo(f"kaplan: --rules-floor: {where} lowers {', '.join(lowered)}; "
                   "file-level rules keep their default severity", err=True)
    return dataclasses.replace(portfolio, config=config)


def _check_formats() -> list[str]:
    from kaplan.views.check import REPORTERS

    return list(REPORTERS)


def _formats(command: str, incomplete: str = "") -> list[str]:
    """The output formats of `command`, for completion (each command's own table of them)."""
    if command == "score":
        from kaplan.views.score import FORMATS
    elif command == "risk":
        from kaplan.views.risk import FORMATS
    elif command == "report":
        from kaplan.report.build import FORMATS
    else:
        FORMATS = _check_formats()
    return [f for f in FORMATS if f.startswith(incomplete)]


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


@app.command()
def completion(shell: str = typer.Argument(..., metavar="SHELL", help="bash, zsh, fish or powershell.",
                                           autocompletion=lambda incomplete="": [s for s in SHELLS
                                                                                 if s.startswith(incomplete)])) -> None:
    """Print the completion script for SHELL (add `eval "$(kaplan completion bash)"` to ~/.bashrc)."""
    from typer._completion_shared import get_completion_script

    if shell not in SHELLS:
        raise _fail(f"no completion for {shell!r}; choose one of {', '.join(SHELLS)}")
    typer.echo(get_completion_script(prog_name="kaplan", complete_var="_KAPLAN_COMPLETE", shell=shell))


def _explain_run(portfolio, result, seconds: float) -> None:
    from kaplan import rules
    from kaplan.reading.loader import display_path
    from kaplan.rounding import fixed

    config = display_path(portfolio.config_path) if portfolio.config_path else "none (defaults)"
    off = sorted(r for r, level in portfolio.config.rules.items() if level == "off")
    _say(f"kaplan: config: {config}; plans folder: {display_path(portfolio.plans_dir)}")
    _say(f"kaplan: {len(rules.REGISTRY)} rules" + (f", off: {', '.join(off)}" if off else ""))
    for lp in result.plans:
        _say(f"kaplan: read {lp.display}")
    _say(f"kaplan: {counted(result.files, 'file')} in {fixed(seconds, 2)} s")


@app.command()
def new(
    account: str = typer.Argument(..., help="Account id: a slug such as `acme-corp`; also the file name."),
    name: Optional[str] = typer.Option(None, "--name", help="The client's name (default: from the id)."),
    owner: Optional[str] = typer.Option(None, "--owner", help="The KAM who owns the plan (default: git user)."),
    today: Optional[str] = TodayOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Scaffold a new plan, with guidance comments, that passes `kaplan check`."""
    from kaplan.reading.loader import ConfigError, display_path, open_portfolio
    from kaplan.commands.new import ScaffoldError, new_plan

    day = _today(today)
    try:
        portfolio = open_portfolio(Path.cwd())
    except ConfigError as exc:
        raise _config_error(exc) from None
    try:
        created = new_plan(portfolio, account, name=name, owner=owner, today=day)
    except ScaffoldError as exc:
        raise _fail(str(exc), 2 if exc.usage else 1) from None
    except OSError as exc:
        raise _not_written(exc) from None
    for note in [] if quiet else created.notes:
        _say(f"kaplan: {note}")
    if not quiet:
        if created.schema is not None:
            typer.echo(f"created {display_path(created.schema)} (the schema the plan's editor modeline names)")
        typer.echo(f"{'filled' if created.filled else 'created'} {display_path(created.path)}")


@app.command()
def init(
    folder: Path = typer.Argument(Path("."), help="Folder to set up (created if missing; default: this one)."),
    install: Optional[str] = typer.Option(
        None, "--install", metavar="REQUIREMENT",
        help="How the CI workflow installs kaplan, as a pip requirement (default: the git URL this kaplan "
             "was installed from, else kaplan-plans==VERSION)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Start a portfolio: kaplan.yaml with every default, plans/, editor schemas, pre-commit and CI."""
    from kaplan.commands.init import InitRefused, init_portfolio
    from kaplan.reading.loader import display_path

    try:
        done = init_portfolio(folder, requirement=install)
    except InitRefused as exc:
        raise _fail(str(exc), 2 if exc.usage else 1) from None
    except ValueError as exc:
        raise _fail(f"--install: {exc}") from None
    except OSError as exc:
        raise _fail(f"cannot write into {folder}: {exc.strerror or exc}") from None
    for path, why in done.not_added:  # something left for the user to do: said even with --quiet
        _say(f"kaplan: {display_path(path)} {why}")
    if quiet:
        return
    for path in done.created:
        typer.echo(f"created {display_path(path)}{'/' if path.is_dir() else ''}")
    for path in done.kept:
        typer.echo(f"kept    {display_path(path)} (it exists; add kaplan to it by hand, see the README)")
    for path in done.updated:
        typer.echo(f"updated {display_path(path)} (added what an interrupted write leaves: never commit it)")
    where = "" if Path(folder).resolve() == Path.cwd().resolve() else f"cd {display_path(Path(folder))} && "
    typer.echo(f"next: {where}kaplan new ACCOUNT")


@app.command()
def schema(
    which: Optional[str] = typer.Argument(None, metavar="[plan|config]",
                                          autocompletion=lambda: ["plan", "config"],
                                          help="Print this schema (default: plan)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR",
                                       help="Write plan.schema.json and config.schema.json into DIR instead."),
    check_only: bool = typer.Option(False, "--check",
                                    help="With --out: exit 1 if the files in DIR are missing or out of date; "
                                         "write nothing."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Export the JSON Schemas (Draft 2020-12) of a plan and of kaplan.yaml, for editors and tools."""
    from kaplan.commands import schema as schemas
    from kaplan.reading.loader import display_path

    if which is not None and which not in schemas.SCHEMAS:
        raise _fail(f"no schema named {which!r}; choose plan or config")
    if out is None:
        if check_only:
            raise _fail("--check needs --out DIR: the folder whose schema files to compare")
        typer.echo(schemas.render(schemas.SCHEMAS[which or "plan"].build()), nl=False)
        return
    if out.exists() and not out.is_dir():
        raise _fail(f"--out {out}: not a folder")
    if check_only:
        stale = schemas.stale_schemas(out)
        for path in stale:
            typer.echo(f"{display_path(path)}: out of date; run `kaplan schema --out {display_path(out)}`", err=True)
        raise typer.Exit(1 if stale else 0)
    from kaplan.reading.containment import escapes
    from kaplan.reading.loader import locate_portfolio

    leads = escapes(out, locate_portfolio(None)[0])
    if leads is not None:  # `.kaplan` committed as a link out of the portfolio
        raise _fail(f"--out {out} is a symbolic link to {leads}, outside the portfolio; kaplan schema does not "
                    f"write through it: to write there, name {leads} itself")
    try:
        changed = schemas.write_schemas(out)
    except OSError as exc:
        raise _fail(f"cannot write into {out}: {exc.strerror or exc}") from None
    if not quiet:
        for path in changed:
            typer.echo(f"wrote {display_path(path)}")
        if not changed:
            typer.echo(f"{display_path(out)}: schemas already up to date")


def _weights(values: List[str]) -> dict[str, float]:
    from kaplan.commands.score import weight_problem

    out = {}
    for item in values:
        name, sep, number = item.partition("=")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            raise _fail(f"--weight {item!r}: write it as CRITERION=NUMBER, e.g. volume=2") from None
        if not sep:
            raise _fail(f"--weight {item!r}: write it as CRITERION=NUMBER, e.g. volume=2")
        if (problem := weight_problem(out[name.strip()])) is not None:
            raise _fail(f"--weight {item!r}: {problem}")
    return out


@app.command()
def score(
    paths: List[Path] = typer.Argument(None, help="Plan files or folders (default: the portfolio's plans)."),
    format: str = typer.Option("table", "--format", "-f", help="table, csv, json or markdown.",
                               autocompletion=lambda incomplete="": _formats("score", incomplete)),
    explain: Optional[str] = typer.Option(None, "--explain", metavar="ACCOUNT", autocompletion=_complete.account_ids,
                                          help="Show how one account's score is made up."),
    top: Optional[int] = typer.Option(None, "--top", min=1, help="Show only the N best-ranked accounts."),
    tier: Optional[str] = typer.Option(None, "--tier", help="Show only accounts in this tier.",
                                       autocompletion=_complete.tiers),
    budget: bool = typer.Option(False, "--budget", help="Show the investment allocation instead."),
    weight: List[str] = typer.Option([], "--weight", metavar="CRITERION=N",
                                     help="Override a criterion's weight (what-if); repeatable."),
    list_sources: bool = typer.Option(False, "--list-sources",
                                      help="List every metric a criterion can use (definition, unit) and exit."),
    skip_invalid: bool = SkipInvalidOption,
    today: Optional[str] = TodayOption,
) -> None:
    """Rank the portfolio: score, key accounts, tiers, matrix quadrants, ABC and budget allocation."""
    from kaplan.reading.loader import ConfigError
    from kaplan.commands.score import score_portfolio
    from kaplan.views import score as view

    if format not in view.FORMATS:
        raise _fail(f"unknown format {format!r}; choose one of {', '.join(view.FORMATS)}")
    if list_sources:
        _shown(view.sources, sys.stdout, format)
        raise typer.Exit(0)
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {missing[0]}")
    from kaplan.commands.check import NoPlans

    try:
        result = score_portfolio(paths or [], weights=_weights(weight), today=_today(today))
    except ConfigError as exc:
        raise _config_error(exc) from None
    except (ValueError, NoPlans) as exc:
        raise _fail(str(exc)) from None
    code = _left_out(result.skipped, skip_invalid, "left out of the ranking")
    if explain is not None:
        account = result.account(explain)
        if account is None:
            raise _fail(f"no scored account {explain!r}")
        _shown(view.explain, result, account, sys.stdout, format)
        raise typer.Exit(code)
    if budget:
        _shown(view.budget, result, sys.stdout, "table" if format == "table" else format)
        raise typer.Exit(code)
    accounts = result.accounts
    if tier is not None:
        known = {t.name for t in result.scoring.tiers}
        if tier not in known:
            raise _fail(f"no tier {tier!r}; tiers: {', '.join(sorted(known))}")
        accounts = [a for a in accounts if a.tier_name == tier]
    if top is not None:
        accounts = accounts[:top]
    _shown(view.FORMATS[format], result, accounts, sys.stdout)
    if format == "table" and result.note_count:
        typer.echo(f"{counted(result.note_count, 'missing value')}; `kaplan score --format json` lists them", err=True)
    raise typer.Exit(code)


@app.command()
def risk(
    paths: List[Path] = typer.Argument(None, help="Plan files or folders (default: the portfolio's plans)."),
    format: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown.",
                               autocompletion=lambda incomplete="": _formats("risk", incomplete)),
    since: Optional[str] = typer.Option(None, "--since", metavar="REV",
                                        help="Compare with the plans at this git revision, both judged as of --today."),
    judge_then: bool = typer.Option(False, "--judge-then",
                                    help="With --since: judge the earlier plans as of their commit date instead."),
    owner: Optional[str] = typer.Option(None, "--owner", help="Only accounts owned by this KAM.",
                                        autocompletion=_complete.owners),
    tier: Optional[str] = typer.Option(None, "--tier", help="Only accounts in this tier.",
                                       autocompletion=_complete.tiers),
    level: Optional[str] = typer.Option(None, "--level", help="Only this risk level: high, medium or low.",
                                        autocompletion=_complete.levels),
    today: Optional[str] = TodayOption,
    skip_invalid: bool = SkipInvalidOption,
) -> None:
    """The weekly risk report: every account's health, worst first, with reasons and changes."""
    from kaplan.reading.loader import ConfigError
    from kaplan.commands.risk import risk_report
    from kaplan.views import risk as view

    if format not in view.FORMATS:
        raise _fail(f"unknown format {format!r}; choose one of {', '.join(view.FORMATS)}")
    levels = {"high": "high", "medium": "medium", "low": "low", "red": "high", "amber": "medium", "green": "low"}
    if level is not None and level not in levels:
        raise _fail(f"--level {level!r}: choose high, medium or low (or red, amber, green)")
    day = _today(today)
    missing = [p for p in paths or [] if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {missing[0]}")
    from kaplan.commands.check import NoPlans

    try:
        report = risk_report(paths or [], today=day, since=since, judge_then=judge_then)
    except ConfigError as exc:
        raise _config_error(exc) from None
    except NoPlans as exc:
        raise _fail(str(exc)) from None
    if report.history_note:  # the revision asked for cannot be read: the question cannot be answered
        raise _fail(f"--since {since}: {report.history_note}")
    code = _left_out(report.skipped, skip_invalid, "left out of the risk report")
    for said in report.history_left_out:
        _say(f"kaplan: --since {since}: {said}" + ("" if skip_invalid else " (--skip-invalid accepts the answer without it)"))
        code = 0 if skip_invalid else 1
    rows = [r for r in report.rows
            if (owner is None or r.owner == owner) and (tier is None or r.tier == tier)
            and (level is None or r.health.level == levels[level])]
    _shown(view.FORMATS[format], report, rows, sys.stdout)
    raise typer.Exit(code)


@app.command()
def report(
    account: Optional[str] = typer.Argument(None, help="The account whose review pack to make.",
                                            autocompletion=_complete.account_ids),
    portfolio: bool = typer.Option(False, "--portfolio", help="Make the portfolio pack."),
    all_accounts: bool = typer.Option(False, "--all", help="Make every account's pack (with --out FOLDER)."),
    format: str = typer.Option("html", "--format", "-f",
                               autocompletion=lambda incomplete="": _formats("report", incomplete),
                               help="html (one self-contained file), md, xlsx (a workbook), pptx (a deck) or "
                                    "pdf; xlsx, pptx and pdf need --out or a pipe."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="PATH",
                                       help="File to write, or a folder (default, or `-`: standard output)."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR",
                                             help="Your templates; each file overrides the built-in one."),
    deck_template: Optional[Path] = typer.Option(None, "--template", metavar="DECK.pptx",
                                                 help="pptx: a company deck whose slide master the deck uses."),
    paper: str = typer.Option("a4", "--paper", help="pdf: a4 or letter."),
    audience: str = typer.Option("internal", "--audience",
                                 help="internal, or client: an account's pack to send to the client (its "
                                      "objectives, joint actions, KPIs and decisions; nothing internal)."),
    today: Optional[str] = TodayOption,
    skip_invalid: bool = SkipInvalidOption,
) -> None:
    """Review packs: an account's, for its quarterly review, or the portfolio's; HTML, Markdown, workbook, deck."""
    from kaplan.writing.files import WriteRefused
    from kaplan.reading.loader import ConfigError
    from kaplan.report import InvalidPlan, NoSuchAccount, snapshot
    from kaplan.report.build import BINARY, FORMATS, Unsupported, build_each
    from kaplan.reading.containment import escapes
    from kaplan.report.output import target, write_pack
    from kaplan.report.rendering import TemplateProblem
    from kaplan.report._optional import FormatProblem
    from kaplan.places import OWN_FOLDER

    if format not in FORMATS:
        raise _fail(f"unknown format {format!r}; choose {', '.join(FORMATS)}")
    if (account is not None) + portfolio + all_accounts != 1:
        raise _fail("name one ACCOUNT, or give --portfolio or --all")
    if out is not None and str(out) == "-":  # the usual name for standard output
        out = None
    if all_accounts and out is None:
        raise _fail("--all writes one file per account: give --out FOLDER")
    if audience not in ("internal", "client"):
        raise _fail(f"unknown audience {audience!r}; choose internal or client")
    if audience == "client" and portfolio:
        raise _fail("--audience client makes one account's pack for that client; name the ACCOUNT (or --all)")
    if format in BINARY and out is None and sys.stdout.isatty():
        raise _fail(f"--format {format} makes a file, not text: give --out FILE (or pipe the output)")
    day = _today(today)
    from kaplan.commands.check import NoPlans

    try:
        snap = snapshot(today=day)
    except ConfigError as exc:
        raise _config_error(exc) from None
    except NoPlans as exc:
        raise _fail(str(exc)) from None
    # An account's own pack is whole when its plan is valid (InvalidPlan below when it is not), so
    # others left out are only named; the portfolio pack and --all are missing whatever was skipped.
    code = _left_out(snap.skipped, skip_invalid or account is not None, "left out of the packs")
    # realpath, not Path.resolve: a link loop among the plans resolves to itself instead of raising
    protected = {Path(os.path.realpath(p)) for p in snap.paths}
    if snap.portfolio.config_path:
        protected.add(Path(os.path.realpath(snap.portfolio.config_path)))
    names = [None] if portfolio else snap.account_ids if all_accounts else [account]
    try:
        for name, made in build_each(snap, names, format, audience=audience, templates=templates,
                                     deck_template=deck_template, paper=paper):
            try:  # only what fails here failed to write the output; the pack itself was made
                if out is None:
                    if isinstance(made, bytes):
                        sys.stdout.flush()
                        sys.stdout.buffer.write(made)
                    else:
                        sys.stdout.write(made)
                    continue
                path = target(out, name or "portfolio", format, many=all_accounts)
                leads = escapes(path.parent, snap.portfolio.root)
                if leads is not None:  # a folder committed as a link (`packs -> ~/.config/…`)
                    raise _fail(f"{path.parent} is a symbolic link to {leads}, outside the portfolio; kaplan report "
                                f"does not write through it: to write there, name {leads} itself with --out")
                write_pack(path, made, protected, own=snap.portfolio.root / OWN_FOLDER)
            except OSError as exc:
                raise _fail(f"cannot write {exc.filename or out or 'to standard output'}: {exc.strerror or exc}") from None
            _say(f"wrote {path}")
    except InvalidPlan as exc:
        raise _fail(str(exc), 1) from None
    except NoSuchAccount as exc:
        raise _fail(str(exc.args[0])) from None
    except (TemplateProblem, FormatProblem, Unsupported) as exc:
        raise _fail(str(exc)) from None
    except WriteRefused as exc:  # --out names a plan, kaplan.yaml or kaplan's own folder: a usage error
        raise _fail(str(exc)) from None
    except OSError as exc:  # while the pack was made: a file it reads, or a program it runs (git)
        raise _fail(_unusable(exc, "no pack was written")) from None
    raise typer.Exit(code)


# ---------------------------------------------------------------- data in: import and review


@app.command("import")
def import_(
    source: Path = typer.Argument(..., metavar="SOURCE.csv|SOURCE.xlsx", help="A CRM report export."),
    kind: str = typer.Option(..., "--as", metavar="KIND", autocompletion=lambda: list(_import_kinds()),
                             help="What the export holds: financials, contacts or opportunities."),
    profile: Optional[str] = typer.Option(
        None, "--profile", "-p", metavar="NAME",
        help="Column profile: one of kaplan.yaml's `import: profiles:`, or salesforce, hubspot, dynamics, "
             "kaplan (default: the first whose columns the file has)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print the diff of every plan it would change; "
                                                                 "write nothing."),
    prefer: str = typer.Option("plan", "--prefer", metavar="plan|crm",
                               help="On a conflict (a value edited by hand that differs from the CRM): keep the "
                                    "plan's (default) or take the CRM's."),
    create: bool = typer.Option(False, "--create", help="Start a plan for an account that has none."),
    today: Optional[str] = TodayOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems."),
) -> None:
    """Update the plans from a CRM export (Salesforce, HubSpot, Dynamics or your own columns); all or nothing."""
    from kaplan.writing.files import WriteRefused
    from kaplan.commands.importing import import_file
    from kaplan.reading.loader import ConfigError
    from kaplan.views.check import format_line

    if not source.exists():
        raise _fail(f"no such file: {source}")
    day = _today(today)
    try:
        result = import_file(source, kind, profile=profile, prefer=prefer, dry_run=dry_run, create=create,
                             today=day)
    except ConfigError as exc:
        raise _config_error(exc) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    except WriteRefused as exc:
        _said_recovery(exc)
        raise _fail(f"nothing was written: {exc}", 1) from None
    except OSError as exc:
        _said_recovery(exc)
        raise _not_written(exc) from None
    for note in result.recovered:
        _say(f"kaplan: {note}")
    for note in [] if quiet else result.notes:
        _say(f"kaplan: {note}")
    for f in [*result.findings, *result.conflicts]:
        typer.echo(format_line(f), err=True)
        if f.hint:
            _say(f"    hint: {f.hint}")
    if result.findings:
        _say(f"kaplan: {counted(len(result.findings), 'problem')} in {result.source}; no plan was changed")
    elif dry_run:
        from kaplan.views.safe_text import visible

        sys.stdout.write(visible(result.diff(), lines=True))
        if not quiet:
            _say(f"kaplan: would change {counted(len(result.plans), 'plan')}; nothing written (--dry-run)")
    elif not quiet:
        values = sum(c.values for c in result.plans)
        _say(f"kaplan: {counted(result.rows, 'row')} of {result.source} ({result.profile} profile): "
             + (f"{counted(values, 'value')} changed in {counted(len(result.plans), 'plan')}" if result.plans
                else "no plan changed"))
    raise typer.Exit(result.exit_code)


def _import_kinds() -> tuple[str, ...]:
    from kaplan.config.imports import KINDS

    return KINDS


@app.command()
def review(
    account: str = typer.Argument(..., help="The account whose review to record."),
    date: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD",
                                       help="When the review was held (default: --today)."),
    kind: str = typer.Option("quarterly_review", "--kind", autocompletion=lambda: list(_review_kinds()),
                             help="biweekly_update, monthly_call, quarterly_review, annual_review or ad_hoc."),
    attendee: List[str] = typer.Option([], "--attendee", metavar="NAME", help="Who took part; repeatable."),
    decision: List[str] = typer.Option([], "--decision", metavar="'WHAT | OWNER | DUE'",
                                       help="A decision taken, its owner and due date (both optional); repeatable."),
    next_review: Optional[str] = typer.Option(None, "--next-review", metavar="YYYY-MM-DD",
                                              help="The next review agreed; also sets plan.next_review."),
    notes: Optional[str] = typer.Option(None, "--notes", help="A line of notes."),
    edit: bool = typer.Option(False, "--edit", help="Open $EDITOR on the prepared entry before writing it."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print the diff; write nothing."),
    today: Optional[str] = TodayOption,
) -> None:
    """Record a review held: append it to the plan's reviews and move last_reviewed (and next_review)."""
    from kaplan.writing.files import WriteRefused
    from kaplan.reading.loader import ConfigError
    from kaplan.commands.review import ReviewEntry, ReviewProblem, edit_entry, parse_decision, record_review

    if kind not in _review_kinds():
        raise _fail(f"--kind {kind!r}: choose one of {', '.join(_review_kinds())}")
    day = _today(today)
    held = _date_option("--date", date) or day
    try:
        entry = ReviewEntry(held, kind, list(attendee), [parse_decision(d) for d in decision],
                            _date_option("--next-review", next_review), notes)
        data = edit_entry(entry) if edit else entry
        if data is None:
            raise _fail("the entry was emptied; nothing recorded", 1)
        result = record_review(account, data, dry_run=dry_run, today=day)
    except ReviewProblem as exc:
        from kaplan.views.check import format_line

        _said_recovery(exc)
        for f in exc.findings:
            typer.echo(format_line(f), err=True)
            if f.hint:
                _say(f"    hint: {f.hint}")
        raise _fail(str(exc), 2 if exc.usage else 1) from None
    except ConfigError as exc:
        raise _config_error(exc) from None
    except WriteRefused as exc:
        _said_recovery(exc)
        raise _fail(f"nothing was written: {exc}", 1) from None
    except OSError as exc:
        _said_recovery(exc)
        raise _not_written(exc) from None
    for note in result.recovered:
        _say(f"kaplan: {note}")
    if dry_run:
        from kaplan.views.safe_text import visible

        sys.stdout.write(visible(result.diff(), lines=True))
    else:
        saved = result.recorded  # what was written, which `--edit` may have changed from the options
        _say(f"recorded the {saved.kind.value.replace('_', ' ')} of {saved.date.isoformat()} in {result.display}")


def _said_recovery(exc: BaseException) -> None:
    """Say what finishing an interrupted earlier write did, when the command then failed."""
    for note in getattr(exc, "__notes__", []):
        _say(f"kaplan: {note}")


def _review_kinds() -> list[str]:
    from kaplan.model.vocab import ReviewKind

    return [k.value for k in ReviewKind]


def _date_option(name: str, value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    from kaplan import years

    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{name} {value!r} is not a date; write it as YYYY-MM-DD") from None
    if (said := years.outside(day)) is not None:
        raise _fail(f"{name} {said}")
    return day


def _tolerant_streams() -> None:
    """A character the terminal's encoding cannot show (cp1252, ascii; a plan's `Ω`, kaplan's own
    `≥` and `−`) is written as an escape such as `\\u2265`, never a crash that hides the findings.
    A reader that stops reading (`kaplan check | head -1`) is as a closed output: what is left to
    write is dropped and the command ends with its own exit code, as if everything had been read."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # started with the descriptor closed (`kaplan check >&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # as `>/dev/null`: the exit code tells
            continue
        try:
            if stream.isatty():  # a terminal has no reader to lose: leave it as Python made it
                raise io.UnsupportedOperation
            stream.flush()
            fd = stream.fileno()
            raw = _UntilTheReaderGoes(fd)
            buffered = raw if isinstance(stream.buffer, io.RawIOBase) else io.BufferedWriter(  # as it was: `-u`
                raw, max(os.fstat(fd).st_blksize, io.DEFAULT_BUFFER_SIZE))
            setattr(sys, name, io.TextIOWrapper(buffered, encoding=stream.encoding, errors="backslashreplace",
                                                line_buffering=stream.line_buffering,
                                                write_through=stream.write_through))
        except (AttributeError, ValueError, OSError, io.UnsupportedOperation):  # not a stream on a descriptor
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError, OSError):  # not a text stream kaplan can retune: leave it
                pass


class _UntilTheReaderGoes(io.RawIOBase):
    """A descriptor's raw writer that drops what is written once the reader has gone (EPIPE), instead
    of raising: click stopped the command with exit code 1 (findings) and a report with 2, whatever
    the command found. Any other failure (a full disk) is raised as before."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd, self._gone = fd, False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        if not self._gone:
            try:
                return os.write(self._fd, data)
            except BrokenPipeError:
                self._gone = True
        return len(data)


def _unusable(exc: OSError, outcome: str = "") -> str:
    """What to say of `exc`, met while reading or running what a command needs (not while writing its
    output): which file, the system's reason, and what to do."""
    what = f"{exc.filename}" if exc.filename else "a file kaplan needs"
    return (f"{outcome}{': ' if outcome else ''}{what} could not be used ({exc.strerror or exc}); check that it "
            "exists and that you may read it (or run it), then run kaplan again")


def _output_failed(exc: OSError) -> bool:
    """Whether `exc` is output that could not be written (a full disk, a reader gone): then say so,
    once, and leave nothing for the interpreter to fail on again while it exits."""
    import errno

    if exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return False
    if exc.errno != errno.EPIPE:  # a reader that stopped reading (`| head`) needs no message
        try:
            os.write(2, f"kaplan: could not write the output ({exc.strerror}); make room where it goes, "
                        "or write it to a file elsewhere\n".encode("ascii", "backslashreplace"))
        except OSError:
            pass
    for stream in (sys.stdout, sys.stderr):  # what is still buffered would fail again at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
    return True


def main() -> None:
    """Console entry point."""
    _tolerant_streams()
    try:
        os.getcwd()  # plans and findings are named relative to it
    except OSError:
        _say("kaplan: the working folder no longer exists (it was deleted or moved); "
             "change to a folder that exists and run kaplan again")
        sys.exit(2)
    if len(sys.argv) == 3 and sys.argv[1] == "--show-completion" and sys.argv[2] in SHELLS:
        sys.argv[1:] = ["completion", sys.argv[2]]  # the shell named, not the one detected
    try:
        try:
            app()
        finally:  # what is still buffered fails here, where it can be said, not while the interpreter exits
            sys.stdout.flush()
        code = 0
    except SystemExit as exc:  # how every command ends
        code = exc.code
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:
        if not _output_failed(exc):  # a file or program the command needed: said, never a traceback
            _say(f"kaplan: {_unusable(exc)}")
        code = 2
    finally:
        _said_no_cache()
    _leave(code)


def _leave(code) -> NoReturn:
    """End the process as `sys.exit(code)` would, but without freeing one by one what the command
    built: the system takes a process's memory back at once, while the interpreter's own exit undoes
    every object of a 10,000-plan portfolio (70 ms of a first check of a new day, 5 %). What runs at
    exit still runs, and what is buffered is written; with a thread still running, kaplan leaves as
    usual (it waits for the thread)."""
    import atexit

    threading = sys.modules.get("threading")  # not imported: no thread was started
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as the interpreter does with `sys.exit("message")`
        _say(str(code))
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


def _said_no_cache() -> None:
    """Say once, at the end, why the command ran without its cache when its key could not be used."""
    fingerprint = sys.modules.get("kaplan.reading.fingerprint")  # not imported: no key was asked for
    why = fingerprint.key_unusable() if fingerprint is not None else None
    if why is not None:
        try:
            _say(f"kaplan: ran without the cache (every plan read afresh, nothing kept): {why}")
        except (OSError, ValueError):
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
