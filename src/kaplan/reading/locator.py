"""Finding the line and column of values in a plan's text without building the whole node tree.

Used for files read by the fast path (`_fastyaml`), which carries no positions: when such a file has
findings, one pass over libyaml's event stream records where each wanted path's key and value start,
stopping once all are found. It gives exactly what `_yaml.Document.locate` gives (a test holds them
equal), for a fraction of the cost, because no scalar is resolved or converted.

The fast path only accepts text without anchors, aliases, merge keys or complex keys, so every key
here is a plain scalar and every path is a chain of keys and list indexes.
"""

from __future__ import annotations

from typing import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent,
)

from kaplan.reading import screen as _screen

Path = tuple
Mark = tuple[int, int]


def _mark(event) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def positions(text: str, wanted: Iterable[Path]) -> dict[Path, tuple[Mark | None, Mark]]:
    """path → (key position or None, value position) for every prefix of the wanted paths found;
    nothing for a text past `_screen`'s limits (the fast path never takes one)."""
    try:
        _screen.screen(text)
    except _screen.TooCostly:
        return {}
    targets = {tuple(p) for p in wanted}
    prefixes = {p[:i] for p in targets for i in range(len(p) + 1)}
    found: dict[Path, tuple[Mark | None, Mark]] = {}
    remaining = set(targets)
    # stack of [path, kind, state]: kind "map" (state: pending key or None) or "seq" (state: next index)
    stack: list[list] = []
    pending_key_mark: Mark | None = None
    for event in YAML(typ="safe").parse(text):
        if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            stack.pop()
            continue
        is_start = isinstance(event, (MappingStartEvent, SequenceStartEvent))
        if not (is_start or isinstance(event, ScalarEvent)):
            continue
        if not stack:
            path: Path = ()
            key_mark = None
        else:
            frame = stack[-1]
            if frame[1] == "map":
                if frame[2] is None:  # this scalar is a key
                    frame[2] = event.value if isinstance(event, ScalarEvent) else object()
                    pending_key_mark = _mark(event)
                    continue
                path, key_mark = (*frame[0], frame[2]), pending_key_mark
                frame[2] = None
            else:
                path, key_mark = (*frame[0], frame[2]), None
                frame[2] += 1
        if path in prefixes and path not in found:
            found[path] = (key_mark, _mark(event))
            remaining.discard(path)
            if not remaining:
                break
        if is_start:
            stack.append([path, "map" if isinstance(event, MappingStartEvent) else "seq",
                          None if isinstance(event, MappingStartEvent) else 0])
    return found


def locate(found: dict[Path, tuple[Mark | None, Mark]], at: Path, key: bool = False) -> Mark:
    """The position `_yaml.Document.locate` gives, from the recorded positions."""
    at = tuple(at)
    if at in found:
        key_mark, value_mark = found[at]
        return key_mark if key and key_mark is not None else value_mark
    for i in range(len(at) - 1, -1, -1):
        if at[:i] in found:
            return found[at[:i]][1]
    return (1, 1)
