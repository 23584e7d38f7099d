"""What reading builds to keep skips the collector's young generations, and nothing escapes it for good."""

from __future__ import annotations

import gc
import weakref

from kaplan.reading.kept import built_to_keep


class _Node:
    pass


def test_what_is_built_to_keep_goes_to_the_oldest_generation_and_its_garbage_is_still_collected():
    gc.collect()
    was = gc.isenabled()
    gc.enable()
    try:
        with built_to_keep():
            assert not gc.isenabled()  # no collection while it is built
            kept = [[i] for i in range(1000)]
            cycle = _Node()
            cycle.me = cycle  # garbage of the pause: a cycle nothing refers to
            gone = weakref.ref(cycle)
            del cycle
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0  # nothing held back from the collector
        young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
        assert not any(id(x) in young for x in kept)
        assert any(x is kept[0] for x in gc.get_objects(generation=2))
        gc.collect(0)
        assert gone() is not None  # a young collection does not look at the oldest generation
        gc.collect()
        assert gone() is None  # a full one does
    finally:
        gc.enable() if was else gc.disable()


def test_the_collector_is_left_as_it_was_found():
    was = gc.isenabled()
    try:
        gc.disable()
        with built_to_keep():
            pass
        assert not gc.isenabled()  # a program that runs without it keeps it off
        gc.enable()
        try:
            with built_to_keep():
                raise KeyError("stopped while building")
        except KeyError:
            pass
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


def test_what_a_program_froze_itself_stays_frozen():
    frozen = [[1], [2]]
    gc.collect()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with built_to_keep():
            [[i] for i in range(100)]
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
    del frozen
