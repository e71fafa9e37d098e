"""The download page ``index.html``: what the book is, and the editions in the folder beside it.

It describes the files as they are on disk (size, the PDF's page count), so it is written after
the editions. The cover comes from the EPUB's own cover image when it has one and it is verified
as an image, so the page shows exactly the cover readers get; otherwise it shows the title
block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.atomic import current, replacing
from publish.editions import language
from publish.editions import templating as render
from publish.editions.html import STYLESHEET, ImageCopier, assets_dir, copy_stylesheet, page_markup
from publish.errors import DiagnosticCollector, PublishError
from publish.model import Book
from publish.safety.image_metadata import for_edition
from publish.safety.packaged_cover import RefusedCover, packaged_cover

INDEX_NAME = "index.html"


@dataclass(frozen=True)
class Download:
    """One edition as the page offers it."""

    label: str
    file_name: str
    media_type: str
    size: int
    pages: int | None = None
    download: bool = True


@dataclass(frozen=True)
class Cover:
    src: str
    alt: str


def write_downloads_page(
    book: Book,
    out_dir: Path,
    styles_dir: Path,
    *,
    pdf_pages: int | None = None,
    report: DiagnosticCollector | None = None,
) -> Path:
    """``pdf_pages``: the page count of the PDF in ``out_dir`` when the caller just wrote it."""
    assets = assets_dir(out_dir, book)
    copy_stylesheet(styles_dir, assets, keep_image_metadata=book.metadata.keep_image_metadata)
    downloads = editions_in(out_dir, book, pdf_pages)
    images = ImageCopier(book, assets)
    html_edition = next((d.file_name for d in downloads if d.media_type == "text/html"), None)

    def in_the_html_edition(anchor: str) -> str | None:
        # The disclaimer and summary may link into the book, which this page does not hold.
        return f"{html_edition}#{anchor}" if html_edition else None

    epub = current(out_dir / f"{book.slug}.epub")
    cover = _extract_cover(epub, assets, book, report) if epub.is_file() else None
    page = render.render(
        "index.html.j2",
        book=book,
        m=book.metadata,
        assets=assets.name,
        stylesheet=STYLESHEET,
        downloads=downloads,
        cover=cover,
        disclaimer_html=page_markup(
            book.disclaimer_html, images, demote=False, elsewhere=in_the_html_edition
        ),
        summary_html=page_markup(
            book.summary_html, images, demote=False, elsewhere=in_the_html_edition
        ),
        human_size=language.size_formatter(book.metadata.lang),
        format_date=render.date_formatter(book.metadata.lang),
    )
    target = out_dir / INDEX_NAME
    with replacing(target) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return target


def editions_in(out_dir: Path, book: Book, known_pdf_pages: int | None = None) -> list[Download]:
    """The editions in ``out_dir`` (as this build leaves them), in the order readers see them."""
    found: list[Download] = []
    pdf, pdf_now = out_dir / f"{book.slug}.pdf", current(out_dir / f"{book.slug}.pdf")
    if pdf_now.is_file():
        pages = known_pdf_pages if known_pdf_pages is not None else pdf_pages(pdf_now)
        found.append(Download("PDF", pdf.name, "application/pdf", pdf_now.stat().st_size, pages))
    epub, epub_now = out_dir / f"{book.slug}.epub", current(out_dir / f"{book.slug}.epub")
    if epub_now.is_file():
        size = epub_now.stat().st_size
        found.append(Download("EPUB", epub.name, "application/epub+zip", size))
    html, html_now = out_dir / f"{book.slug}.html", current(out_dir / f"{book.slug}.html")
    if html_now.is_file():
        size = html_now.stat().st_size
        found.append(Download("HTML", html.name, "text/html", size, download=False))
    return found


def pdf_pages(pdf: Path) -> int:
    import pypdf  # imported only here: the page count of a PDF written earlier

    # The page tree's /Count, not len(pages): that walks every page object of a long book.
    catalog: Any = pypdf.PdfReader(pdf).trailer["/Root"].get_object()
    return int(catalog["/Pages"].get_object()["/Count"])


def _extract_cover(
    epub: Path, assets: Path, book: Book, report: DiagnosticCollector | None
) -> Cover | None:
    """Copy the EPUB's ``cover-image`` item beside the page once it is verified as an image.

    The EPUB in the folder may be anything (``safety/packaged_cover``): a cover that is not
    taken leaves the title block on the page, and a warning naming the EPUB.
    """
    try:
        found = packaged_cover(epub)
        if found is None:
            return None
        data = for_edition(found.data, epub, keep=book.metadata.keep_image_metadata)
    except (RefusedCover, PublishError) as refused:
        if report is not None:
            reason = (
                refused.diagnostics[0].message if isinstance(refused, PublishError) else refused
            )
            report.warning(epub, None, f"the download page shows no cover: {reason}")
        return None
    name = f"cover{found.suffix}"
    target = assets / name
    if not (target.is_file() and target.read_bytes() == data):
        with replacing(target) as temporary:
            temporary.write_bytes(data)
    return Cover(
        f"{assets.name}/{name}",
        book.metadata.labels.cover_of.format(title=book.metadata.full_title),
    )
