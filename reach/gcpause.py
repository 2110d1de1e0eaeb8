"""Pause Python's cyclic garbage collector around work that makes many objects and no cycles."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


FREEZE_ABOVE = 100_000
"""Young objects worth freezing: below, one young-generation pass over them costs under a millisecond."""


@contextmanager
def paused(*, freeze_above: int | None = FREEZE_ABOVE) -> Iterator[None]:
    """Run the block with the cyclic collector off, then turn it back on if it was.

    Loading a snapshot and walking its questions make millions of objects and next to no cycles
    (78 objects in cycles over the M bench audit), yet each full pass of the collector walks every
    live object again: about a quarter of an audit's time, and two thirds of a load's
    (docs/performance.md). Reference counting still frees everything as usual.

    When the block made more than `freeze_above` young objects and ended normally, they move to
    the permanent generation (`gc.freeze`): else the first pass after it walks all of them (half a
    second after the M audit), and later full passes again. None: never freeze."""
    was_on = gc.isenabled()
    gc.disable()
    done = False
    try:
        yield
        done = True
    finally:
        if was_on:
            if done and freeze_above is not None and gc.get_count()[0] > freeze_above:
                gc.freeze()
            gc.enable()
