"""Writers started together on one new file: the race both write-safety test files run."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from kaplan.writing.files import WriteRefused, write_new


def race_to_create(path: Path, writers: int, text_of: Callable[[int], str]) -> int:
    """Start `writers` threads that each try `write_new(path, text_of(i))` at once; assert that
    exactly one wins, the others are refused, and the file holds the winner's whole text. The winner."""
    barrier = threading.Barrier(writers)
    wins, refusals = [], []

    def create(i: int) -> None:
        barrier.wait()
        try:
            write_new(path, text_of(i))
            wins.append(i)
        except WriteRefused:
            refusals.append(i)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and len(refusals) == writers - 1
    assert path.read_text() == text_of(wins[0])
    return wins[0]
