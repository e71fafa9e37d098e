"""Give freed memory back to the system between the steps of a build.

glibc keeps the pages of freed large buffers in the process for reuse, so a step that briefly
needs tens of megabytes (drawing the cover) would otherwise raise the floor every later step
(WeasyPrint's layout) builds on, and with it the build's peak memory.
"""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any


def release_free_memory() -> None:
    """``malloc_trim(0)`` where the C library has it (glibc); elsewhere nothing to do."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Any:
    # The symbols already loaded into the process (the C library among them), without
    # ctypes.util.find_library, which on Linux starts ldconfig to search for libc.
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None
