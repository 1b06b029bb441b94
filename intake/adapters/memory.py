"""How the C allocator hands back the memory of large buffers: at once, to the system.

glibc serves an allocation above its mmap threshold (128 KiB at start) with its own
``mmap`` and unmaps it when freed, but each such free raises the threshold to the freed
size (up to 32 MiB) and the heap's trim threshold to twice that.  After the first large
message (a 27 MB one, and SQLite's copies of it when its row is read or updated) the
next ones come from the heap, and up to twice their size stays resident once freed:
whether a later message's copies land on that memory or beside it decides the poll's
peak (``bench/bench_memory.py``, 1,000 messages: 158 or 184 MB from run to run).
:func:`return_large_buffers` fixes the threshold (``mallopt``), which also stops both
thresholds from rising: every buffer of :data:`MMAP_THRESHOLD_BYTES` or more goes back
to the system when freed (158 MB in every run).  Elsewhere (musl, macOS) it does nothing.

The C library is found through the process's own symbols (``dlopen(NULL)``), not
``ctypes.util.find_library``: that runs ``ldconfig`` in a child process, forked from the
whole worker, and the child's peak RSS (the worker's size at that moment) was counted as
a second worker by every measure that adds the children's peak (``bench/bench_ingest.py``).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Final

MMAP_THRESHOLD_BYTES: Final = 2**20
_M_MMAP_THRESHOLD: Final = -3  # glibc's malloc.h


def return_large_buffers() -> bool:
    """Have freed buffers of :data:`MMAP_THRESHOLD_BYTES` or more go back to the system at
    once.  Returns whether the allocator took the setting (glibc only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: libc's among them
    except (OSError, AttributeError):
        return False  # not glibc
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
