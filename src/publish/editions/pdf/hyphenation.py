"""Whether the PDF can hyphenate the book's language: WeasyPrint hyphenates with Pyphen's
dictionaries, and a language without one (Finnish and Turkish, among those the labels cover) is
set justified without a single hyphen, with wide gaps in narrow lines. The build says so."""

from __future__ import annotations

import re

from publish.errors import DiagnosticCollector
from publish.model import Book

_LANG_KEY = re.compile(r"^lang\s*:", re.MULTILINE)


def has_dictionary(lang: str) -> bool:
    """Whether Pyphen, as WeasyPrint asks it, has a hyphenation dictionary for ``lang``."""
    import pyphen

    return bool(pyphen.language_fallback(lang))


def warn_without_dictionary(book: Book, report: DiagnosticCollector) -> None:
    lang = book.metadata.lang
    if has_dictionary(lang):
        return
    report.warning(
        book.source,
        _lang_line(book),
        f"there is no hyphenation dictionary for '{lang}': the PDF is justified without "
        "hyphens, so some lines may have wide gaps",
    )


def _lang_line(book: Book) -> int | None:
    try:
        text = book.source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = _LANG_KEY.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None
