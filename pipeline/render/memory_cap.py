"""The memory cap on a template's render (memory_budget), apart from the sandbox's other limits.

The Word plan's render runs in a child of its own (isolation.py), so the cap is set there only.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

#: Memory the render may add to the process (where the system can enforce it), in bytes.
MEMORY_HEADROOM = 4 * 1024**3


@contextlib.contextmanager
def memory_budget(headroom: int | None = None) -> Iterator[None]:
    """Cap the process's address space at its present size plus headroom while a template renders.

    The last line of defence against a tag that builds a huge value inside
    one C call (`map('center', ...)` over a long range), which no deadline
    can interrupt: the allocation fails with MemoryError instead of
    exhausting the machine. Linux only (elsewhere RLIMIT_AS is not
    enforced or does not exist); the previous limit is always restored.
    """
    if not sys.platform.startswith("linux"):
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        present = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = present + (MEMORY_HEADROOM if headroom is None else headroom)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already capped more tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
