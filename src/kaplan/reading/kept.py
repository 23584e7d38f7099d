"""Building what a command keeps to its end without the collector looking at it again and again.

Python's cyclic garbage collector looks at every new container once it has been made (and at what
survives, now and then, again). A portfolio's index and its summaries are hundreds of thousands of
lists, dicts and objects made in one go and kept to the end of the command, with no garbage among
them: on a first check of a new day of 10,000 plans, looking at them was a tenth of the run.
`built_to_keep()` pauses the collector while they are made, then moves what is alive to its oldest
generation (`gc.freeze` then `gc.unfreeze`), which only a full collection looks at. Nothing is kept
from the collector for good, but a full collection is rare within one command, so any garbage made in
the pause may stay to the end of it: a pause is only ever around building what is kept, never around
the reading of plan files, which makes garbage of its own (a plan that cannot be parsed leaves ~10 KB).
A worker process forked in a pause collects as usual (`parallel._init`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def built_to_keep():
    """Pause the collector while long-lived objects are built; afterwards they count as old."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():  # (what a program froze itself stays frozen: then left young)
            gc.freeze()  # everything tracked, to the permanent generation…
            gc.unfreeze()  # …and back, into the oldest
        if running:
            gc.enable()
