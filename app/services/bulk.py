"""Bulk work: pausing Python's cyclic garbage collector while millions of rows go by."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_work() -> Iterator[None]:
    """Pause Python's cyclic garbage collector around bulk work, then collect once.

    Imports and scoring allocate millions of small tuples that reference counting frees on
    its own; the collector still walks the whole heap every so often, which cost a third of
    an import's time and a fifth of scoring's. What they make forms no cycles worth
    collecting early, so pausing is safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
