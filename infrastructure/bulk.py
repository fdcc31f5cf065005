"""Bulk work (an ingest, a page of projection rows) without the cyclic garbage collector's rescans.

A batch builds tens of thousands of acyclic objects (payload dicts, tuples, frozen events) that
reference counting frees. While the batch is alive, each young-generation collection rescans the
survivors and promotes them, so the collector's cost grows with the batch: measured here, pausing
it made a 100k-fact ingest 35-40% faster and a projection page's read-and-decode twice as fast.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, restoring its previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
