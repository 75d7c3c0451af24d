"""Pausing Python's cyclic garbage collector while a plan's objects are made (issue 17).

Reading a 10,000-action workbook and building its model and view makes
hundreds of thousands of objects that all stay alive until the documents are
written. Each burst of new objects sets off a collection that walks all of
them and frees nothing: about a tenth of the time. Reference counting still
frees everything as usual while the collector is paused; it is switched back
on (if it was on) when the work ends, however it ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (usable as a decorator too)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
