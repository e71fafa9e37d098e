"""Book → files. Every edition is written through one call, ``write(book, ctx) -> Written``
(``editions.edition``); this module says which editions there are and in what order they are
written. It imports nothing heavy: the command line reads it before the libraries load."""

from __future__ import annotations

from collections.abc import Iterable

# The editions, in the order one process writes them: the EPUB's page list follows the PDF's
# pages, and the download page ("index") describes the editions written before it.
FORMATS = ("pdf", "epub", "html", "index")
# What an edition takes from the PDF: the EPUB where its pages begin, the download page its file.
NEEDS_PDF_LAYOUT = frozenset({"epub"})
NEEDS_PDF_FILE = frozenset({"index"})


def writing_order(wanted: Iterable[str], pdf_elsewhere: bool = False) -> list[str]:
    """``wanted`` in the order they are written. When another process makes the PDF, what needs
    nothing of it comes first (while it is laid out), then what needs its layout, then the PDF
    itself, then what needs its file."""
    order = [fmt for fmt in FORMATS if fmt in set(wanted)]
    if not pdf_elsewhere:
        return order

    def rank(fmt: str) -> int:
        if fmt == "pdf":
            return 2
        if fmt in NEEDS_PDF_FILE:
            return 3
        return 1 if fmt in NEEDS_PDF_LAYOUT else 0

    return sorted(order, key=rank)
