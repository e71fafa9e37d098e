"""Book → one HTML document (Jinja) → WeasyPrint → PDF. All styling comes from the stylesheet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import render
from .atomic import replacing
from .fetch import safe_fetcher
from .model import Book


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def book_html(book: Book) -> str:
    """The whole book as one HTML document, the input WeasyPrint lays out."""
    return render.render(
        "book.html.j2",
        book=book,
        m=book.metadata,
        epub=False,
        toc_entries=[section.toc for section in book.sections],
        local_href=lambda anchor: f"#{anchor}",
        format_date=render.date_formatter(book.metadata.lang),
    )


def write_pdf(book: Book, target: Path, styles_dir: Path) -> PdfResult:
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is written

    fetcher = safe_fetcher([book.base_dir, styles_dir])
    stylesheet = CSS(filename=str(styles_dir / "print.css"), url_fetcher=fetcher)
    document = HTML(
        string=book_html(book), base_url=book.base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=[stylesheet])
    with replacing(target) as temporary:
        document.write_pdf(temporary, pdf_identifier=book.metadata.identifier.encode())
    return PdfResult(target, len(document.pages))
