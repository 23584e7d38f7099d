"""The libraries only some formats need (openpyxl, python-pptx, …): imported when asked for, and a
clear message naming the extra to install when they are missing."""

from __future__ import annotations

import importlib


class MissingLibrary(RuntimeError):
    """The library a format needs is not installed (a usage problem: exit 2)."""


def need(module: str, fmt: str, extra: str):
    """`module`, imported; MissingLibrary saying how to get it when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingLibrary(f"--format {fmt} needs {module.split('.')[0]}: "
                             f"pip install 'kaplan-plans[{extra}]'") from None
