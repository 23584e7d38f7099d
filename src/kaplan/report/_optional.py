"""What the file formats (xlsx, pptx, pdf) share: their libraries, imported only when asked for
(with a message naming the extra to install when one is missing), and plan text made fit for them."""

from __future__ import annotations

import importlib
import re

from kaplan.views.safe_text import visible

# What an Office file (XML 1.0) cannot hold: C0 control characters other than tab, LF and CR
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CELL_MAX = 32767  # the most characters a spreadsheet cell (or any one text here) holds


def clean(value: str) -> str:
    """`value` as every output shows plan text: control characters and bidi overrides as escapes
    (`visible`: a cell or slide cannot reorder or hide what it says), what the file cannot hold
    otherwise as U+FFFD, cut (with …) at 32,767 characters."""
    value = _ILLEGAL.sub("\ufffd", visible(value, lines=True))
    return value if len(value) <= _CELL_MAX else value[:_CELL_MAX - 1] + "…"


class FormatProblem(ValueError):
    """A file format cannot be made as asked (a usage problem: exit 2), e.g. its --template is no deck."""


class MissingLibrary(FormatProblem):
    """The library a format needs is not installed."""


def need(module: str, fmt: str, extra: str):
    """`module`, imported; MissingLibrary saying how to get it when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingLibrary(f"--format {fmt} needs {module.split('.')[0]}: "
                             f"pip install 'kaplan-plans[{extra}]'") from None
