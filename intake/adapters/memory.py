"""How the C allocator hands back the memory of large buffers: at once, to the system.

glibc serves a large allocation (a 27 MB message, the copies SQLite and the
database driver make of it) with its own ``mmap`` and unmaps it when freed, but
after the first such free it raises that threshold to the freed size, so the
next large buffers come from the heap and stay there after they are freed: a
worker that has stored two large messages keeps their memory for the rest of
its life.  :func:`return_large_buffers` fixes the threshold (``mallopt``), so
every buffer above it goes back to the system when freed.  Elsewhere (musl,
macOS) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Final

MMAP_THRESHOLD_BYTES: Final = 256 * 1024
_M_MMAP_THRESHOLD: Final = -3  # glibc's malloc.h


def return_large_buffers() -> bool:
    """Have freed buffers above :data:`MMAP_THRESHOLD_BYTES` returned to the system at once.

    Returns whether the allocator took the setting (glibc only)."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False  # not glibc
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
