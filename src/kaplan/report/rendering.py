"""Rendering a pack through jinja2 templates: the built-in ones, or a user's folder overriding them.

- Where templates come from: `templates/report/` (shipped in the wheel as `kaplan/templates/report`).
  With `--templates DIR`, a file in DIR wins over the built-in file of the same name and every
  other file falls back to the built-in one (a ChoiceLoader, user folder first).
- Every template renders in jinja2's SandboxedEnvironment: a template (a user's, or a plan value
  that looks like one) cannot reach Python internals; trying raises SecurityError → `TemplateProblem`.
  The sandbox still lets a template call any public method of what it is given, so it is given
  plain read-only data (`inert`), never kaplan's objects: no path, nothing that reads or writes.
  That data cannot be changed either (tuples, read-only mappings, records), so jinja2's
  ImmutableSandboxedEnvironment would add nothing but refuse a template's own `{% set _ = d.update(…) %}`.
- Templates are read only from their folders: a link leading out of one, or a name that is not a
  regular file, is refused (`_FolderLoader`).
- HTML templates (`*.html.j2`, `*.html`) autoescape. `select_autoescape` looks only at the last
  suffix (`.j2`), so the choice is made on the full name here.
- Markdown templates: every value printed with `{{ }}` is escaped for Markdown (`text.md`) unless it is
  marked safe, so the same rule holds as in HTML: plan text is shown, never interpreted.
- Undefined names fail loudly (StrictUndefined), and a missing value (None) prints as a dash.

Plan text reaches templates only as values, never as template source, so `{{ 7*7 }}` written in a
plan is printed as those characters.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import pass_eval_context
from markupsafe import Markup

from kaplan.places import builtin_dir
from kaplan.report import capped, charts
from kaplan.views import text
from kaplan.report.inert import inert
from kaplan.report.titles import title

FORMATS = ("html", "md")


_CHARTS = {"account": charts.account_charts, "portfolio": charts.portfolio_charts,
           "client": lambda pack: {}}  # the client's pack has no chart: its figures are the client's own
"""The charts each kind of pack gets, as SVG by name."""


class TemplateProblem(Exception):
    """A template could not be found, parsed or rendered (a usage error: exit 2)."""


def _is_html(name: str | None) -> bool:
    return bool(name) and name.endswith((".html.j2", ".html", ".htm.j2", ".svg.j2"))


@pass_eval_context
def _finalize(ctx, value):
    if value is None:
        value = text.DASH
    if ctx.autoescape or isinstance(value, Markup):
        return value
    return text.md(value)


def _more_row(rows, columns: int, order: str = "plan") -> Markup:
    """A Markdown table's last row saying what its drawn rows leave out (`capped.more`), or nothing."""
    words = capped.more(rows, order)
    return Markup(f"| {text.md(words)} |{' |' * (columns - 1)}\n") if words else Markup("")


def _more_item(rows, order: str = "plan") -> Markup:
    """A Markdown list's last item saying what its drawn items leave out (`capped.more`), or nothing."""
    words = capped.more(rows, order)
    return Markup(f"- {text.md(words)}\n") if words else Markup("")


def _escaping(func):
    """A text filter whose result is already escaped for Markdown, so it is not escaped twice."""

    @pass_eval_context
    def wrapped(ctx, value, *args):
        out = func(value, *args)
        return out if ctx.autoescape else Markup(out)

    return wrapped


class _Sandbox(SandboxedEnvironment):
    """jinja2's sandbox, where a name starting with `_` is refused on any object, present or not.

    The sandbox checks a name only once an object has it; pack data (`inert.Record`) has no
    `__dict__`, so without this `pack.plan.__dict__` would be "undefined" rather than refused.
    """

    def getattr(self, obj, attribute):
        if isinstance(attribute, str) and attribute.startswith("_"):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(argument, str) and argument.startswith("_"):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)


_environments: dict = {}


def environment(templates: Path | None = None) -> SandboxedEnvironment:
    """The environment for the built-in templates, or for `templates` over them (kept: templates compile once)."""
    key = None if templates is None else Path(templates).resolve()
    if key not in _environments:
        _environments[key] = _environment(templates)
    return _environments[key]


class _FolderLoader(FileSystemLoader):
    """Templates from one folder, and only from it: a link leading out, or anything but a file, is refused.

    jinja2's own loader follows links, so `partials/report.css -> ~/.ssh/id_rsa` in a shared template
    folder would inline the key into every pack, and it would open a named pipe and wait forever.
    """

    def get_source(self, environment, template):
        pieces = split_template_path(template)  # refuses `..`
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if not os.path.lexists(path):
                continue
            top, real = os.path.realpath(folder), os.path.realpath(path)
            if os.path.commonpath([top, real]) != top:
                raise TemplateProblem(f"template {template} in {folder} is a link to {real}, outside the "
                                      "template folder: refused")
            try:  # O_NONBLOCK: a named pipe is opened, found not to be a file, and closed, never waited on
                fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            except OSError as exc:
                raise TemplateProblem(f"template {template} in {folder}: {exc.strerror or exc}") from None
            with os.fdopen(fd, "rb") as fh:
                info = os.fstat(fh.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise TemplateProblem(f"template {template} in {folder} is not a file: refused")
                try:
                    source = fh.read().decode(self.encoding)
                except UnicodeDecodeError as exc:
                    raise TemplateProblem(f"template {template} in {folder} is not {self.encoding} text: {exc}") from None

            def uptodate(real=real, mtime=info.st_mtime) -> bool:
                try:
                    return os.path.getmtime(real) == mtime
                except OSError:
                    return False

            return source, os.path.normpath(path), uptodate
        raise TemplateNotFound(template)


def _environment(templates: Path | None) -> SandboxedEnvironment:
    builtin = builtin_dir() / "report"
    loaders = [_FolderLoader(str(builtin))]
    if templates is not None:
        if not Path(templates).is_dir():
            raise TemplateProblem(f"--templates {templates}: no such folder")
        loaders.insert(0, _FolderLoader(str(templates)))
    env = _Sandbox(loader=ChoiceLoader(loaders), autoescape=_is_html, undefined=StrictUndefined,
                               finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(text.FILTERS)
    env.filters["md"] = _escaping(text.md)
    env.filters["mermaid"] = _escaping(text.mermaid)
    env.filters["shown"] = capped.shown
    env.filters["more"] = capped.more
    env.filters["more_row"] = _more_row
    env.filters["more_item"] = _more_item
    env.filters["joined"] = capped.joined
    env.filters["earlier"] = capped.earlier
    return env


def variables(pack, fmt: str) -> dict:
    """Everything a template is given: `pack`, `charts` (SVGs by name), `today`, `fmt` and the pack's
    `title` (`titles.title`), as plain data."""
    built = _CHARTS[pack.kind](pack)
    return {"pack": inert(pack), "charts": inert({k: Markup(v) for k, v in built.items()}), "today": pack.today,
            "fmt": fmt, "title": inert(title(pack))}


def render(pack, fmt: str = "html", templates: Path | None = None) -> str:
    """`pack` (an AccountPack or PortfolioPack) as HTML or Markdown."""
    if fmt not in FORMATS:
        raise TemplateProblem(f"unknown format {fmt!r}; choose html or md")
    name = f"{pack.kind}.{fmt}.j2"
    env = environment(templates)
    try:
        template = env.get_template(name)
        return template.render(**variables(pack, fmt))
    except TemplateProblem:
        raise
    except TemplateNotFound as exc:
        raise TemplateProblem(f"template {exc.name} not found (looked in "
                              f"{', '.join(str(p) for p in ([templates] if templates else []) + [builtin_dir() / 'report'])})"
                              ) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except SecurityError as exc:
        raise TemplateProblem(f"{_where(exc, name)}: the template tried something a template may not do ({exc}); "
                              "templates render sandboxed") from None
    except TemplateError as exc:
        raise TemplateProblem(f"{_where(exc, name)}: {exc.message or exc}") from None
    except Exception as exc:  # a user's template can fail in any way; it is still their template's problem
        if templates is None:
            raise
        raise TemplateProblem(f"{_where(exc, name)}: {type(exc).__name__}: {exc}") from None


def _where(exc: BaseException, default: str) -> str:
    """`template:line` of the innermost template frame in the traceback (jinja maps it to template lines)."""
    tb, found = exc.__traceback__, default
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".md")):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found

