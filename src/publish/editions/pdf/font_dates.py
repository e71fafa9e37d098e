"""One date in the PDF's font subsets, whichever library subsets them, so builds stay identical.

WeasyPrint subsets fonts with HarfBuzz when ``libharfbuzz-subset0`` is installed, and HarfBuzz
keeps each font's own ``head`` table. Without that library WeasyPrint subsets with fontTools,
which rewrites ``head.modified`` with the current time whenever it saves a font (it also saves
one to fix a variable font's axes or to blank an emoji font's images, HarfBuzz or not): two
builds a second apart then differ. fontTools takes that time from ``SOURCE_DATE_EPOCH`` when it
is set (reproducible-builds.org), so the PDF is written with it set: to the caller's own value,
or else to the manuscript's date, the date the PDF's metadata and the EPUB already carry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

from publish.model import Book

VARIABLE = "SOURCE_DATE_EPOCH"


@contextlib.contextmanager
def fixed_font_dates(book: Book) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set while the PDF is written, and as it was afterwards.

    The variable is the process's: a thread of the caller's that read it meanwhile would see
    it. Builds from the command line and the preview write the PDF in a process of their own.
    """
    if VARIABLE in os.environ:  # the build has already checked it is a number of seconds
        yield
        return
    midnight = dt.datetime.combine(book.metadata.date, dt.time(), tzinfo=dt.UTC)
    os.environ[VARIABLE] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        os.environ.pop(VARIABLE, None)
