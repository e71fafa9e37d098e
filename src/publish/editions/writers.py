"""Each edition written in this process, through the one interface (``editions.edition``).

The writers' own modules load only when their edition is written: a build of the HTML edition
does not import WeasyPrint or ebooklib.
"""

from __future__ import annotations

import time

from publish.editions.edition import BuildContext, Edition, Written
from publish.model import Book


class PdfEdition:
    format = "pdf"

    def write(self, book: Book, ctx: BuildContext) -> Written:
        from publish.editions.pdf.writer import write_pdf

        started = time.perf_counter()
        result = write_pdf(book, ctx.target(book, "pdf"), ctx.styles, ctx.report)
        seconds = time.perf_counter() - started
        return Written(result.path, "pdf", seconds, result.pages, result.page_map)


class EpubEdition:
    format = "epub"

    def write(self, book: Book, ctx: BuildContext) -> Written:
        from publish.editions.epub.package import write_epub

        started = time.perf_counter()
        # Where the PDF's pages begin: from the PDF being written or just written, else from the
        # page map saved beside an earlier PDF of the same text and design; without either the
        # EPUB lays the PDF out itself.
        page_map = ctx.pdf_layout() if ctx.pdf_layout is not None else None
        if page_map is None:
            pdf = ctx.earlier("pdf")
            page_map = pdf.page_map if pdf else None
        if page_map is None:
            from publish.editions.pdf.writer import saved_page_map

            page_map = saved_page_map(ctx.target(book, "pdf"), book, ctx.styles, ctx.report)
        target = ctx.target(book, "epub")
        epub = write_epub(book, target, ctx.styles, ctx.modified, ctx.report, page_map)
        return Written(epub.path, "epub", time.perf_counter() - started)


class HtmlEdition:
    format = "html"

    def write(self, book: Book, ctx: BuildContext) -> Written:
        from publish.editions.html import write_html

        started = time.perf_counter()
        html = write_html(book, ctx.target(book, "html"), ctx.styles)
        return Written(html.path, "html", time.perf_counter() - started)


class DownloadPage:
    format = "index"

    def write(self, book: Book, ctx: BuildContext) -> Written:
        from publish.editions.download_page import write_downloads_page

        started = time.perf_counter()
        # The PDF's page count when it was written just now: reading a long PDF back takes seconds.
        pdf = ctx.earlier("pdf")
        pages = pdf.pages if pdf else None
        index = write_downloads_page(
            book, ctx.out_dir, ctx.styles, pdf_pages=pages, report=ctx.report
        )
        return Written(index, "index", time.perf_counter() - started)


def in_process() -> dict[str, Edition]:
    """Every edition, written in this process."""
    editions: list[Edition] = [PdfEdition(), EpubEdition(), HtmlEdition(), DownloadPage()]
    return {edition.format: edition for edition in editions}
