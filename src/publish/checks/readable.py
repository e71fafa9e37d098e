"""Can the PDF and the HTML edition be read at all? Asked before the checks read them.

A PDF handed to ``publish check`` may be random bytes after a ``%PDF-`` header, cut short, or
hold a page tree that leads back to itself; an HTML file may nest past what lxml's parser keeps.
Each is one line naming the file, instead of whatever the library raised on the way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

MAX_PDF_BYTES = 1 << 30
MAX_HTML_BYTES = 256 << 20
# lxml's HTML parser keeps 255 levels and drops, without a word, what is deeper.
MAX_HTML_DEPTH = 255


def first_line(exc: BaseException, limit: int = 160) -> str:
    """The exception's message, one line, control characters shown, clipped."""
    from publish.errors import visible

    lines = str(exc).strip().splitlines()
    text = visible(f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs as warnings; the check's outcome says what matters."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_problem(pdf: Path) -> str | None:
    """One line saying why ``pdf`` cannot be read as a PDF, naming it; ``None`` if it can."""
    size = pdf.stat().st_size
    if size > MAX_PDF_BYTES:
        return f"{pdf}: {size:,} bytes, more than the check reads ({MAX_PDF_BYTES:,})"
    with pdf.open("rb") as stream:
        if not stream.read(1024).lstrip(b"\x00\t\n\f\r ").startswith(b"%PDF-"):
            return f"{pdf}: not a PDF (it does not start with %PDF-)"
    import pypdf

    try:
        with quiet_pypdf():
            reader = pypdf.PdfReader(pdf)
            if "/Root" not in reader.trailer:
                return f"{pdf}: not a readable PDF (no document catalogue, /Root)"
            for page in reader.pages:  # pypdf walks the page tree, and refuses a cycle
                page.get("/Resources")
    except Exception as exc:  # pypdf's errors are of many kinds: each is the file's fault
        return f"{pdf}: not a readable PDF ({first_line(exc)})"
    return None


def html_problem(html: Path) -> str | None:
    """One line saying why the HTML edition cannot be read whole, naming it; else ``None``."""
    size = html.stat().st_size
    if size > MAX_HTML_BYTES:
        return f"{html}: {size:,} bytes, more than the check reads ({MAX_HTML_BYTES:,})"
    import lxml.html

    try:
        page = lxml.html.document_fromstring(html.read_bytes())
    except (etree.ParserError, ValueError) as exc:
        return f"{html}: not readable as HTML ({first_line(exc)})"
    deepest = 0
    stack = [(page, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    if deepest >= MAX_HTML_DEPTH:
        return f"{html}: elements nested {MAX_HTML_DEPTH} deep or more, past what can be read"
    return None
