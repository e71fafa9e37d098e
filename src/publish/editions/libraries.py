"""Import the libraries that bind C libraries through cffi (WeasyPrint, CairoSVG) without the
library search they do not need on Linux.

WeasyPrint and cairocffi hand cffi several names per C library (the Windows, macOS and Linux
spellings). For each name that does not load directly, cffi asks ``ctypes.util.find_library``,
which on Linux starts ``ldconfig``, ``gcc`` and ``ld`` to look for it: some two hundred processes
and a few tenths of a second before the name that loads (``libpango-1.0.so.0``) is tried. The
dynamic loader finds that name by itself, so while these modules are imported the search answers
"not found" at once and cffi goes on to the next name. Elsewhere than Linux, and once the module
is imported, nothing is changed.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_lock = threading.Lock()


def import_binding(name: str) -> ModuleType:
    """``import name``, with ``ctypes.util.find_library`` answering at once while it runs."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    if not sys.platform.startswith("linux"):
        return importlib.import_module(name)
    import ctypes.util

    with _lock:
        search = ctypes.util.find_library
        ctypes.util.find_library = _not_searched
        try:
            return importlib.import_module(name)
        finally:
            ctypes.util.find_library = search


def _not_searched(name: str) -> None:
    return None
