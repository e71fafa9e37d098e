"""Folders a build makes outside its all-or-nothing renames, taken away again when it fails.

The HTML edition copies its stylesheet, fonts and images into ``<slug>_files/`` as it goes;
a build that failed after that left the half-made folder in the output folder."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def removed_on_failure(*folders: Path) -> Iterator[None]:
    """On any exception, remove each of ``folders`` that did not exist when this began."""
    new = [folder for folder in folders if not folder.exists()]
    try:
        yield
    except BaseException:
        for folder in new:
            shutil.rmtree(folder, ignore_errors=True)
        raise
