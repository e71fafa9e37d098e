"""Compress each page's drawing as soon as WeasyPrint has drawn it, not when the PDF is saved.

WeasyPrint draws every page into a pydyf stream that holds the page's operators as a list of
small ``bytes`` and ``str`` items, and compresses them only when the whole PDF is serialised:
until then every page's drawing sits in memory uncompressed, item by item (about 30 MB at the
peak of a 100,000-word book). Joining and deflating each page right after it is drawn keeps a
few kilobytes per page instead.

The bytes written are the same: pydyf serialises a stream by joining its items with newlines
and, when it compresses, deflating them at level 9 and adding ``/Filter /FlateDecode`` before
``/Length``; this does the same earlier and tells pydyf the data is already filtered.
(``tests/editions/pdf/test_pdf_memory.py`` compares the PDFs written with and without it.)
"""

from __future__ import annotations

import zlib
from typing import Any

# pydyf's level (pydyf.Stream.data): the same level gives the same bytes.
DEFLATE_LEVEL = 9


def compress_as_drawn(document: Any) -> None:
    """Have every page of a laid-out WeasyPrint ``document`` compress its stream once drawn."""
    import pydyf

    if not hasattr(pydyf, "_to_bytes"):
        return  # a pydyf that serialises otherwise: it compresses at the end, as it always did
    for page in document.pages:
        # An attribute of this page object only: nothing outside this document changes.
        page.paint = _drawing_then_compressing(page.paint)


def _drawing_then_compressing(paint: Any) -> Any:
    def paint_and_compress(stream: Any, *args: Any, **kwargs: Any) -> None:
        paint(stream, *args, **kwargs)
        compress_stream(stream)

    return paint_and_compress


def compress_stream(stream: Any) -> None:
    """Replace a pydyf stream's items by their serialised bytes, deflated if it compresses."""
    from pydyf import _to_bytes  # how pydyf serialises one item (numbers, names, objects)

    data = b"\n".join(_to_bytes(item) for item in stream.stream)
    if stream.compress:
        deflate = zlib.compressobj(level=DEFLATE_LEVEL)
        data = deflate.compress(data) + deflate.flush()
        stream.extra["Filter"] = "/FlateDecode"
        stream.compress = False
    stream.stream = [data]
