"""`kaplan init` as a library call: lay out a new portfolio in a folder.

A portfolio is `kaplan.yaml` (every default written out and explained), a `plans/` folder, the JSON
Schemas the plans' editor modeline points at (`.kaplan/`), a pre-commit config, a CI workflow
that runs `kaplan check`, a scheduled one that publishes the risk report every Monday (the Monday
Morning Report), a `.yamllint` under which every file kaplan writes passes yamllint, and a
`.gitignore` that keeps what an interrupted write leaves (the journal, temporary files) out of
commits; an existing `.gitignore` gets the lines it lacks added at its end. Nothing else that exists
is ever overwritten: an existing `kaplan.yaml` means
the folder already is a portfolio and nothing is done; any other file that exists is kept as it is
and reported, so `kaplan init` can be run in a repository that already uses pre-commit or CI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kaplan import DISTRIBUTION, __version__
from kaplan.places import builtin_dir
from kaplan.rounding import fixed
from kaplan.writing.files import WriteRefused, write_new
from kaplan.config import CONFIG_NAME
from kaplan.commands.schema import PORTFOLIO_SCHEMA_DIR, SCHEMAS, modeline, schema_texts

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
YAMLLINT_CONFIG = ".yamllint"
WORKFLOW = Path(".github") / "workflows" / "kaplan.yml"
RISK_WORKFLOW = Path(".github") / "workflows" / "kaplan-risk.yml"
GITIGNORE = Path(".gitignore")
IGNORED = (".kaplan/journal*", ".*.tmp")
"""What an interrupted write leaves (`writing.batch`'s journal and lock, the writer's `.NAME.XXXX.tmp`
files): never to be committed, where a journal would be refused."""
_REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 @+:/._=<>!~,\-\[\]#?&%]*$")


class InitRefused(Exception):
    """The folder already holds a portfolio (or cannot hold one); nothing was written. `usage`: the
    folder must be changed first (a link leading out of it), an exit code 2."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass
class InitResult:
    root: Path
    created: list[Path] = field(default_factory=list)
    """Files and folders written, in the order they were written."""
    kept: list[Path] = field(default_factory=list)
    """Files that already existed and were left as they were."""
    updated: list[Path] = field(default_factory=list)
    """Files that existed and got lines added at their end (`.gitignore`)."""
    not_added: list[tuple[Path, str]] = field(default_factory=list)
    """Files that existed and may lack kaplan's lines, left as they were (a `.gitignore` that is a
    link): (file, what was not done, why, and what to do instead)."""


def config_text() -> str:
    """The `kaplan.yaml` a new portfolio starts with."""
    from kaplan.commands.init_config import render_config

    schema = f"{PORTFOLIO_SCHEMA_DIR}/{SCHEMAS['config'].filename}"
    return render_config(header=[
        modeline(schema).removeprefix("# "),
        "",
        "kaplan.yaml: this portfolio's settings. Every setting is written out below with its default",
        "value and what it does; change what you need. A setting you delete falls back to the same",
        "default. `kaplan check` reports a mistake here at its line with exit code 2.",
    ])


def install_requirement() -> str:
    """How CI should install the running kaplan: the git URL and commit it was installed from
    (recorded by pip, PEP 610), else `kaplan-plans==VERSION` from the package index."""
    import json
    from importlib import metadata

    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        info = json.loads(recorded) if recorded else {}
    except (metadata.PackageNotFoundError, ValueError, OSError):
        info = {}
    vcs, url = info.get("vcs_info") or {}, str(info.get("url", ""))
    if vcs.get("vcs") and vcs.get("commit_id") and url.startswith(("https://", "ssh://")):
        return f"{DISTRIBUTION} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
    return f"{DISTRIBUTION}=={__version__}"


def _render(name: str, **values: str) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(builtin_dir() / "init")), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    return env.get_template(name).render(version=__version__, **values)


def planned_files(requirement: str | None = None) -> dict[Path, str]:
    """Relative path → text of every file `kaplan init` writes, `kaplan.yaml` last.

    `requirement` is what the CI workflow installs (default: `install_requirement()`).
    """
    requirement = requirement or install_requirement()
    if not _REQUIREMENT.fullmatch(requirement):
        # It goes inside a quoted YAML string and a shell command: no quotes, `$`, backslashes.
        raise ValueError(f"{requirement!r} is not a pip requirement kaplan can write into the workflow; "
                         "e.g. `kaplan-plans==1.2.0` or `kaplan-plans @ git+https://example.com/kaplan.git@v1.2.0`")
    files: dict[Path, str] = {Path("plans") / "README.md": _render("plans-readme.md.j2")}
    for filename, text in schema_texts().items():
        files[Path(PORTFOLIO_SCHEMA_DIR) / filename] = text
    files[Path(PRE_COMMIT_CONFIG)] = _render("pre-commit-config.yaml.j2")
    files[Path(YAMLLINT_CONFIG)] = _render("yamllint.yaml.j2")
    install = _yaml_text(f'python -m pip install "{requirement}"')
    files[WORKFLOW] = _render("kaplan-workflow.yml.j2", install=install)
    files[RISK_WORKFLOW] = _render("kaplan-risk-workflow.yml.j2", install=install)
    files[GITIGNORE] = _ignore_lines()
    # Last, so an interrupted init can simply be run again.
    files[Path(CONFIG_NAME)] = config_text()
    return files


def _yaml_text(command: str) -> str:
    """`command` as a workflow's `run:` value: as written when YAML reads it back unchanged, else
    single-quoted (a requirement holding ` #` or `: ` would otherwise be cut short or break the file)."""
    from kaplan.writing.scalars import plain_ok

    return command if plain_ok(command) else "'" + command.replace("'", "''") + "'"


def init_portfolio(folder: Path | str = ".", *, requirement: str | None = None) -> InitResult:
    """Create a portfolio in `folder` (created if missing). Raises `InitRefused` if it is one already.

    `requirement` is the pip requirement the CI workflow installs kaplan with; ValueError if it
    cannot be written there safely.
    """
    root = Path(folder)
    config = root / CONFIG_NAME
    if root.exists() and not root.is_dir():
        raise InitRefused(f"{root} is a file, not a folder")
    if config.exists() or config.is_symlink():
        raise InitRefused(f"{config} already exists: this folder is a kaplan portfolio already; "
                          "kaplan init never overwrites it")
    files = planned_files(requirement)
    linked = _linked_out(root, files)
    if linked:
        raise InitRefused(linked, usage=True)
    obstacle = _obstacle(root, files)
    if obstacle:
        raise InitRefused(obstacle)
    result = InitResult(root=root)
    plans = root / "plans"
    if not plans.is_dir():
        plans.mkdir(parents=True)
        result.created.append(plans)
    for relative, text in files.items():
        path = root / relative
        try:
            write_new(path, text)
        except WriteRefused:
            if relative == Path(CONFIG_NAME):  # appeared while we were writing
                raise InitRefused(f"{config} already exists: this folder is a kaplan portfolio already") from None
            if relative == GITIGNORE:
                _add_ignores(path, result)
                continue
            result.kept.append(path)
            continue
        result.created.append(path)
    return result


def _ignore_lines(missing: tuple[str, ...] = IGNORED) -> str:
    return "# kaplan: what an interrupted write leaves behind; never commit it\n" + "".join(f"{m}\n" for m in missing)


MAX_GITIGNORE = 4 * 1024 * 1024
"""Largest `.gitignore` kaplan init adds its lines to (one of 4 MiB is not a list a person keeps)."""


def _add_ignores(path: Path, result: InitResult) -> None:
    """Add the lines of `IGNORED` that the existing `.gitignore` lacks, at its end (`result.updated`);
    one that cannot take them is left as it is, and `result.not_added` says why and what to do."""
    from kaplan.writing.files import write_replace

    from kaplan.reading.given import NotAFile, TooLarge, read_file

    def not_added(why: str) -> None:
        result.not_added.append((path, f"{why}: add the lines {' and '.join(IGNORED)} to it by hand, so that "
                                       "what an interrupted write leaves is never committed"))

    if path.is_symlink():  # written through, it would change a file that may lie outside the portfolio
        not_added(f"is a symbolic link (to {os.readlink(path)}), which kaplan init does not write through, so it "
                  "added nothing to the file the link leads to")
        return
    try:
        data = read_file(path, MAX_GITIGNORE)
    except NotAFile:
        not_added("is not a regular file, so kaplan init added nothing to it")
        return
    except TooLarge:
        not_added(f"is larger than the {fixed(MAX_GITIGNORE / 1048576)} MiB kaplan init reads, so it added nothing to it")
        return
    except OSError as exc:
        not_added(f"cannot be read ({exc.strerror or exc}), so kaplan init added nothing to it")
        return
    text = data.decode("utf-8", "replace")
    have = {line.strip() for line in text.splitlines()}
    missing = tuple(m for m in IGNORED if m not in have)
    if not missing:
        return
    newline = "\r\n" if b"\r\n" in data else "\n"
    added = _ignore_lines(missing).replace("\n", newline)
    write_replace(path, data + ((newline if data and not data.endswith(b"\n") else "") + added).encode("utf-8"))
    result.updated.append(path)


def _linked_out(root: Path, files: dict[Path, str]) -> str | None:
    """The first folder on the way to a file kaplan init writes that is a symbolic link leading out of
    `root` (`.github -> /elsewhere`), which `write_new` would follow: said before anything is written."""
    from kaplan.reading.containment import escapes

    for relative in files:
        for parent in reversed(relative.parents):  # from the top, so the link itself is named
            if parent == Path("."):
                continue
            target = escapes(root / parent, root)
            if target is not None:
                return (f"{root / parent} is a symbolic link to {target}, outside the portfolio; kaplan init does not "
                        f"write through it and wrote nothing: remove the link (or put a folder in its place) "
                        "and run kaplan init again")
    return None


def _obstacle(root: Path, files: dict[Path, str]) -> str | None:
    """Why the layout cannot be written (a file where a folder must go, or the reverse), if so."""
    if (root / "plans").exists() and not (root / "plans").is_dir():
        return f"{root / 'plans'} is a file where kaplan init needs a folder"
    for relative in files:
        for parent in relative.parents:
            if parent != Path(".") and (root / parent).exists() and not (root / parent).is_dir():
                return f"{root / parent} is a file where kaplan init needs a folder"
        if (root / relative).is_dir():
            return f"{root / relative} is a folder where kaplan init needs a file"
    return None
