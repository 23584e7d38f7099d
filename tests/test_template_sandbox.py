"""A template — yours, or one a pull request put in a shared folder — cannot touch the system.

jinja2's sandbox keeps a template from Python internals but lets it call any public method of what
it is given. Packs used to hand templates `pathlib.Path` objects (`pack.portfolio.root`), so
`{{ pack.portfolio.root.joinpath("/secret").read_text() }}` printed any file and `.write_text()`,
`.mkdir()`, `.unlink()` changed the disk. Templates now get plain read-only data; every escape
below is tried from every object a template can reach and must neither read, write nor delete.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
from types import MappingProxyType

import pytest
from markupsafe import Markup

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY

from kaplan.report import account_pack, portfolio_pack, snapshot
from kaplan.report.inert import Lookup, Record
from kaplan.report.rendering import TemplateProblem, render

DAY = TODAY.isoformat()
SECRET = "TOP-SECRET-7f3a"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The fixture portfolio, a secret file outside it, a file to try to delete, a place to try to write."""
    root = tmp_path_factory.mktemp("sandbox")
    folder = copy_plain(root / "portfolio")
    (root / "secret.txt").write_text(SECRET)
    (root / "victim.txt").write_text("still here")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        snap = snapshot(today=TODAY)
        packs = {"account": account_pack(snap, ACCOUNT, history=False), "portfolio": portfolio_pack(snap)}
    finally:
        os.chdir(cwd)
    return root, packs


def _try(world, tmp_path, source: str, kind: str) -> str:
    """Render `source` as the user's template for `kind`; the output, or the problem's message."""
    root, packs = world
    mine = tmp_path / "mine"
    mine.mkdir(exist_ok=True)
    source = (source.replace("SECRET", str(root / "secret.txt")).replace("VICTIM", str(root / "victim.txt"))
              .replace("MARKER", str(root / "marker")))
    (mine / f"{kind}.md.j2").write_text(source)
    try:
        return render(packs[kind], "md", mine)
    except TemplateProblem as exc:
        return f"refused: {exc}"


def _untouched(world) -> None:
    root, _ = world
    assert (root / "victim.txt").read_text() == "still here", "a template deleted or changed a file"
    assert not (root / "marker").exists(), "a template wrote a file or made a folder"
    assert (root / "secret.txt").read_text() == SECRET


# Every object a template can reach: the pack and what hangs from it, the charts, today, a loop
# variable, jinja's own globals, and values passed through filters and tests.
REACHABLE = {
    "account": ["pack", "pack.plan", "pack.plan.account", "pack.score", "pack.health", "pack.figures",
                "pack.actions[0]", "pack.org[0]", "pack.objectives[0]", "pack.path", "pack.health.reasons",
                "charts", "today", "fmt", "pack.plan.relationships.contacts[0]", "pack.risks",
                "(pack.plan.reviews|sort(attribute='date')|first)", "pack.signals[0]"],
    "portfolio": ["pack", "pack.portfolio", "pack.portfolio.root", "pack.portfolio.config_path",
                  "pack.portfolio.plans_dir", "pack.portfolio.config", "pack.scoring", "pack.accounts[0]",
                  "pack.accounts[0].score", "pack.quadrants", "pack.tiers", "pack.count", "pack.concentration",
                  "pack.allocation", "pack.risk[0]", "pack.pareto", "charts", "today"],
}

# What used to work on a Path (and would on anything with such methods), called on each reachable value.
CALLS = [
    'joinpath("SECRET").read_text()', 'joinpath("SECRET").read_bytes()', 'joinpath("SECRET").open().read()',
    'joinpath("MARKER").write_text("x")', 'joinpath("MARKER").write_bytes(b"x")', 'joinpath("MARKER").mkdir()',
    'joinpath("MARKER").touch()', 'joinpath("VICTIM").unlink()', 'joinpath("VICTIM").rename("MARKER")',
    'joinpath("VICTIM").chmod(0)', 'joinpath("MARKER").symlink_to("SECRET")', 'joinpath("VICTIM").write_text("x")',
    'parent.parent.iterdir()|list', 'glob("*")|list', 'home()', 'cwd()', 'resolve()', 'stat()', 'exists()',
    'model_dump()', 'model_copy()', 'model_validate({})', 'model_dump_json()', 'append(1)', 'pop()', 'clear()',
    'update({})', 'setdefault("x", 1)', '__class__', '__class__.__mro__', '__dict__', '__init__.__globals__',
    '__setattr__("name", "x")', '__reduce_ex__(2)',
]


LEAKS = re.compile(r"bound method|built-in method|<function|<class|<module|Path\(|__globals__|/etc/")


def _leaks(out: str) -> bool:
    """The secret, or a glimpse of Python's insides (a refusal may name what it refused)."""
    return SECRET in out or (not out.startswith("refused:") and bool(LEAKS.search(out)))


@pytest.mark.parametrize("kind", ["account", "portfolio"])
def test_no_reachable_value_reads_writes_or_deletes(world, kind):
    """Every call on every reachable value: refused, or it did nothing (an empty or constant answer).

    The templates are compiled in the sandbox kaplan renders with and given the pack's data as
    `render` gives it; `_try` below runs the same way through template files.
    """
    from kaplan.report.rendering import environment, variables

    root, packs = world
    env = environment(None)
    data = variables(packs[kind], "md")
    done = 0
    for value in REACHABLE[kind]:
        for call in CALLS:
            for source in ("{{ " + value + "." + call + " }}",
                           "{% for x in [" + value + "] %}{{ x." + call + " }}{% endfor %}"):
                source = (source.replace("SECRET", str(root / "secret.txt")).replace("VICTIM", str(root / "victim.txt"))
                          .replace("MARKER", str(root / "marker")))
                try:
                    out = env.from_string(source).render(**data)
                except Exception as exc:  # refused: undefined, unsafe, or not callable
                    out = f"refused: {type(exc).__name__}"
                assert not _leaks(out), (source, out)
                assert out.startswith("refused:") or out.strip() in ("", "None", "False", "True"), (source, out)
                _untouched(world)
                done += 1
    assert done == 2 * len(REACHABLE[kind]) * len(CALLS)


@pytest.mark.parametrize("kind, source", [
    # jinja's globals and filters as ways round
    ("portfolio", '{% set ns = namespace(p=pack.portfolio.root) %}{{ ns.p.joinpath("SECRET").read_text() }}'),
    ("portfolio", '{{ cycler(pack.portfolio.root).next().joinpath("SECRET").read_text() }}'),
    ("portfolio", '{% set j = joiner(pack.portfolio.root) %}{{ j.sep.joinpath("SECRET").read_text() }}'),
    ("portfolio", '{{ ((pack.portfolio.root|attr("joinpath"))("SECRET")|attr("read_text"))() }}'),
    ("portfolio", '{{ pack.portfolio|attr("root")|attr("__class__") }}'),
    ("portfolio", '{{ (pack.portfolio.root|attr("joinpath"))("MARKER")|attr("mkdir") }}'),
    ("portfolio", '{{ [pack.portfolio]|map(attribute="root")|map("attr", "read_text")|list }}'),
    ("portfolio", '{{ "{0.portfolio.root.read_text}".format(pack) }}'),
    ("portfolio", '{{ "{0.__class__.__init__.__globals__}".format(pack) }}'),
    ("portfolio", '{{ "%s"|format(pack.portfolio.root.read_text()) }}'),
    ("portfolio", '{{ pack.count.__self__ }}'),
    ("portfolio", '{{ pack.count.__call__.__globals__ }}'),
    ("portfolio", '{{ pack.count._values }}'),
    ("portfolio", '{{ pack.portfolio._values }}'),
    ("portfolio", '{{ pack.portfolio["_values"] }}'),
    ("portfolio", '{{ self._TemplateReference__context }}'),
    ("portfolio", '{{ range.__globals__ }}'),
    ("portfolio", '{{ dict.__init__.__globals__ }}'),
    ("portfolio", '{{ lipsum.__globals__.os }}'),
    ("account", '{{ today.__class__.__subclasses__() }}'),
    ("account", '{{ today.fromordinal.__self__.__module__ }}'),
    ("account", '{{ charts.values()|first|attr("__html__") }}'),
    ("account", '{{ pack.plan.account.health.__class__.__members__ }}'),
    ("account", '{% for c in pack.org %}{{ loop.__class__ }}{{ c.contact.__dict__ }}{% endfor %}'),
    ("account", '{{ pack.plan.account.name.__class__.__mro__ }}'),
    ("account", '{% set _ = pack.actions.append(1) %}{{ pack.actions|length }}'),
    ("account", '{% set _ = pack.figures.update({"nps": 99}) %}{{ pack.figures.nps }}'),
])
def test_ways_round_the_data_are_closed(world, tmp_path, kind, source):
    out = _try(world, tmp_path, source, kind)
    assert not _leaks(out), out
    assert out.startswith("refused:") or out == "\\[Undefined\\]", out  # `map("attr", …)` finds nothing
    _untouched(world)


def test_a_template_still_reads_every_value_the_builtin_templates_use(world, tmp_path):
    out = _try(world, tmp_path, "{{ pack.count('red') }}/{{ pack.count('green') }}/{{ pack.count('teal') }} "
               "{{ pack.portfolio.root|length > 0 }} {{ pack.quadrants.items()|list|length }} "
               "{{ pack.tiers.get('none', [])|length }} {{ pack.accounts[0].score.name }}", "portfolio")
    pack = world[1]["portfolio"]
    assert out == (f"{pack.count('red')}/{pack.count('green')}/0 yes {len(pack.quadrants)} "
                   f"{len(pack.tiers.get('none', []))} {pack.accounts[0].score.name}")


ALLOWED = (str, int, float, bool, type(None), dt.date, enum.Enum, Markup, tuple, MappingProxyType, Record, Lookup)


@pytest.mark.parametrize("kind", ["account", "portfolio"])
def test_templates_get_only_plain_read_only_data(world, kind):
    seen, kinds = set(), set()

    def walk(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        assert isinstance(value, ALLOWED), type(value)
        kinds.add(type(value).__name__)
        if isinstance(value, str):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", value)
        if isinstance(value, tuple):
            for v in value:
                walk(v)
        elif isinstance(value, MappingProxyType):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, Record):
            values = object.__getattribute__(value, "_values")
            assert isinstance(values, MappingProxyType)
            for v in values.values():
                walk(v)
        elif isinstance(value, Lookup):
            walk(object.__getattribute__(value, "_values"))

    from kaplan.report.rendering import variables

    given = variables(world[1][kind], "md")
    walk(tuple(given.values()))
    data = given["pack"]
    assert {"Record", "tuple", "str", "date"} <= kinds
    assert len(seen) > 200  # the whole pack was walked, not a stub
    if kind == "portfolio":
        assert data.portfolio.root == str(world[1][kind].portfolio.root)  # a path is its text


# ---------------------------------------------------------------- the template folder


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
@pytest.mark.parametrize("name", ["partials/report.css", "account.html.j2", "partials/macros.html.j2"])
def test_a_link_out_of_the_template_folder_is_refused(kaplan, tmp_path, name):
    folder = copy_plain(tmp_path / "portfolio")
    (tmp_path / "secret.txt").write_text(SECRET)
    mine = tmp_path / "mine"
    (mine / "partials").mkdir(parents=True)
    (mine / name).symlink_to(tmp_path / "secret.txt")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and r.stdout == ""
    assert f"template {name} in {mine} is a link to {tmp_path / 'secret.txt'}, outside the template folder: " \
           "refused" in r.stderr
    assert SECRET not in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_linked_folder_out_of_the_template_folder_is_refused(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "report.css").write_text(SECRET)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "partials").symlink_to(outside)
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and "outside the template folder: refused" in r.stderr
    assert SECRET not in r.stdout + r.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_inside_the_template_folder_is_followed(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    (mine / "partials").mkdir(parents=True)
    (mine / "company.css").write_text("body { color: #123456; }\n")
    (mine / "partials" / "report.css").symlink_to(mine / "company.css")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 0 and "body { color: #123456; }" in r.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_the_template_folder_is_refused_not_waited_on(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    (mine / "partials").mkdir(parents=True)
    os.mkfifo(mine / "partials" / "report.css")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and "template partials/report.css in " in r.stderr and "is not a file" in r.stderr


def test_the_path_example_from_the_review_no_longer_reads_a_file(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    (tmp_path / "secret.txt").write_text(SECRET)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "portfolio.md.j2").write_text('{{ pack.portfolio.root.joinpath("%s").read_text() }}'
                                          % (tmp_path / "secret.txt"))
    r = kaplan("report", "--portfolio", "--format", "md", "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and SECRET not in r.stdout + r.stderr
    assert "portfolio.md.j2:1" in r.stderr and "has no attribute 'joinpath'" in r.stderr
