"""Book → one HTML document (Jinja) → WeasyPrint → a tagged PDF. The stylesheet does the styling.

Two things are decided here rather than in ``print.css``: the paper size, which WeasyPrint can
only take from an ``@page`` rule (a custom property cannot reach ``size``), so one generated
declaration names it; and the page labels, which PDF viewers show instead of the page index and
which must say what the stylesheet prints at the foot of each page.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.atomic import replacing
from publish.editions import templating as render
from publish.editions.libraries import import_binding
from publish.editions.pdf import (
    formulas,
    glyphs,
    hyphenation,
    pagemap,
    pagemap_file,
    pagestreams,
    pseudo_styles,
    scripts,
)
from publish.editions.pdf.font_dates import fixed_font_dates
from publish.errors import DiagnosticCollector
from publish.model import Book, Metadata
from publish.reading import footnotes
from publish.safety.fetch import refusals_reported, safe_fetcher

# pandoc's names → CSS page sizes.
PAPER_SIZES = {"letter": "letter", "a4": "A4", "a5": "A5"}
# Where the front matter ends: the first page holding this id starts the body at arabic 1.
BODY_ANCHOR = "body-matter"
# PDF/UA-1: a tagged structure tree, /Lang, DisplayDocTitle and XMP metadata, on PDF 1.7.
PDF_VARIANT = "pdf/ua-1"
# New containers between two runs of Python's cycle collector while WeasyPrint works (see
# fewer_collections); Python's default is 700.
COLLECT_EVERY = 100_000


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    page_map: pagemap.PageMap | None = None


def paper(metadata: Metadata) -> str:
    """The manuscript's ``papersize``; otherwise US Letter in the United States, A4 elsewhere."""
    if metadata.papersize:
        return metadata.papersize
    _, _, region = metadata.lang.partition("-")
    return "letter" if metadata.lang.lower() == "en-us" or region.upper() == "US" else "a4"


def book_html(book: Book) -> str:
    """The whole book as one HTML document, the input WeasyPrint lays out."""
    return render.render(
        "book.html.j2",
        # Every block is marked, so the layout tells where each page begins (pagemap).
        book=footnotes.print_book(pagemap.with_block_marks(formulas.print_formulas(book))),
        m=book.metadata,
        epub=False,
        paper=paper(book.metadata),
        toc_entries=[section.toc for section in book.sections if section.listed],
        local_href=lambda anchor: f"#{anchor}",
        format_date=render.date_formatter(book.metadata.lang),
    )


def page_size_css(metadata: Metadata) -> str:
    return f"@page {{ size: {PAPER_SIZES[paper(metadata)]}; }}"


def write_pdf(book: Book, target: Path, styles_dir: Path, report: DiagnosticCollector) -> PdfResult:
    scripts.refuse_unsettable(book, styles_dir)  # before the layout: no PDF of empty boxes
    hyphenation.warn_without_dictionary(book, report)
    with fewer_collections():
        laid_out = layout(book, styles_dir)
        pages = laid_out.page_map(book)
        with replacing(target) as temporary:
            save_pdf(laid_out, book, temporary)
        report_missing_glyphs(laid_out.document, book, styles_dir, report)
    # For an EPUB built later without the PDF: it reads where the pages begin from here.
    save_page_map(pages, book, target, styles_dir)
    return PdfResult(target, len(laid_out.document.pages), pages)


def save_page_map(pages: pagemap.PageMap, book: Book, target: Path, styles_dir: Path) -> None:
    pagemap_file.save(pages, pagemap_file.sidecar(target), layout_fingerprint(book, styles_dir))


def saved_page_map(
    target: Path, book: Book, styles_dir: Path, report: DiagnosticCollector
) -> pagemap.PageMap | None:
    """The page map saved beside an earlier PDF ``target`` of the same text and design; a
    forged or damaged one is refused with a warning (``pagemap_file``)."""
    saved = pagemap_file.sidecar(target)
    return pagemap_file.load(saved, layout_fingerprint(book, styles_dir), book, report)


def layout_fingerprint(book: Book, styles_dir: Path) -> str:
    """What the PDF's layout depends on: its HTML, every style file and the layout code.

    A page map saved with another fingerprint belongs to another text or another design.
    """
    from importlib.metadata import version

    digest = hashlib.sha256()
    for part in (book_html(book), page_size_css(book.metadata), version("weasyprint")):
        digest.update(part.encode("utf-8") + b"\0")
    for code in (Path(__file__), Path(pagemap.__file__)):
        digest.update(code.read_bytes())
    for path in sorted(p for p in styles_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(styles_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class LaidOut:
    """WeasyPrint's laid-out document, the index of the body's first page, each page's label."""

    document: Any
    body_start: int
    labels: tuple[str, ...]

    def page_map(self, book: Book) -> pagemap.PageMap:
        """Where each page begins, for the EPUB's page list."""
        return pagemap.page_map(book, self.document.pages, self.labels)


def save_pdf(laid_out: LaidOut, book: Book, path: Path) -> None:
    """Write the laid-out pages to ``path``, with page labels matching the printed folios."""
    body_start, labels = laid_out.body_start, laid_out.labels

    def finish(_document: Any, pdf: Any) -> None:
        import pydyf

        ranges = [0, pydyf.Dictionary({"S": "/r"})]
        if body_start < len(labels):
            ranges += [body_start, pydyf.Dictionary({"S": "/D"})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        formulas.tag_formulas(pdf, formulas.formula_alt_texts(book))

    with fixed_font_dates(book):  # WeasyPrint subsets the fonts as it writes
        laid_out.document.write_pdf(
            path,
            pdf_identifier=book.metadata.identifier.encode(),
            pdf_variant=PDF_VARIANT,
            finisher=finish,
        )


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often while WeasyPrint lays out and writes the PDF.

    Layout creates millions of boxes, styles and tuples that all stay alive until the PDF is
    written. With the default threshold (a collection every 700 new containers) the collector
    walks that growing heap again and again: about a sixth of WeasyPrint's time on a long book.
    Collecting every 100,000 containers keeps the same garbage collected, far less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_EVERY, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class PrintStyle:
    """WeasyPrint's fonts and the print stylesheet, parsed once for a manuscript folder.

    The PDF worker makes it while the manuscript is still being read, and warms WeasyPrint up
    with it (``warm_up``), so the book's layout starts with both ready.
    """

    def __init__(self, base_dir: Path, styles_dir: Path) -> None:
        import_binding("weasyprint")
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.folders = (base_dir.resolve(), styles_dir.resolve())
        self.fetcher = safe_fetcher([base_dir, styles_dir])
        # The stylesheet's @font-face rules register the bundled fonts here, for layout to find.
        self.fonts = FontConfiguration()
        self.print_css = styles_dir / "print.css"
        with refusals_reported(self.print_css):
            self.stylesheet = CSS(
                filename=str(self.print_css), url_fetcher=self.fetcher, font_config=self.fonts
            )
        # WeasyPrint's user-agent sheet without styles for pseudo-elements that cannot exist.
        self.user_agent = pseudo_styles.user_agent_sheet(styles_dir / "print.css")

    def html(
        self, string: str, base_url: str | None = None, *, keep_image_metadata: bool = False
    ) -> Any:
        """A WeasyPrint ``HTML`` document styled with this user-agent sheet, its images served
        without their metadata unless ``keep_image_metadata`` (the manuscript's choice)."""
        from weasyprint import HTML

        fetcher = self.fetcher
        if keep_image_metadata:
            fetcher = safe_fetcher(self.folders, keep_image_metadata=True)
        document = HTML(string=string, base_url=base_url, url_fetcher=fetcher)
        own = getattr(document, "_ua_stylesheets", None)
        if self.user_agent is not None and own is not None:
            user_agent = self.user_agent
            # WeasyPrint asks the document for its user-agent sheets (its own tests give a
            # document other sheets the same way); ours takes the place of the first, the HTML
            # one, and the forms sheet stays.
            document._ua_stylesheets = lambda forms=False: [user_agent, *own(forms)[1:]]
        return document

    def serves(self, book: Book, styles_dir: Path) -> bool:
        return self.folders == (book.base_dir.resolve(), styles_dir.resolve())

    def warm_up(self) -> None:
        """Lay out and write a few styled lines and throw them away.

        The first layout in a process loads each font into Pango and HarfBuzz, has cffi parse
        the C types it allocates, and loads the hyphenation dictionary: a tenth of a second
        that the worker can spend while it waits for the book.
        """
        sample = (
            '<html lang="en"><body><h1>Warm</h1><p>Text, <em>emphasis</em>, <strong>strong'
            "</strong>, <code>code</code>, <sup>1</sup>, a hyphenated-word.</p>"
            "<ul><li>An item</li></ul></body></html>"
        )
        self.html(sample).render(
            stylesheets=[self.stylesheet], font_config=self.fonts, pdf_variant=PDF_VARIANT
        ).write_pdf(pdf_variant=PDF_VARIANT)


def layout(book: Book, styles_dir: Path, style: PrintStyle | None = None) -> LaidOut:
    """The book laid out in pages by WeasyPrint, with the print stylesheet (``style``, when it
    was prepared for this book's folder and these styles)."""
    if style is None or not style.serves(book, styles_dir):
        style = PrintStyle(book.base_dir, styles_dir)  # heavy: only when a PDF is laid out
    from weasyprint import CSS

    stylesheets = [style.stylesheet, CSS(string=page_size_css(book.metadata))]
    with refusals_reported(style.print_css):
        document = style.html(
            book_html(book),
            book.base_dir.resolve().as_uri() + "/",
            keep_image_metadata=book.metadata.keep_image_metadata,
        ).render(stylesheets=stylesheets, font_config=style.fonts, pdf_variant=PDF_VARIANT)
    pagestreams.compress_as_drawn(document)
    keep_followed_links_only(document)
    body_start = next(
        (i for i, page in enumerate(document.pages) if BODY_ANCHOR in page.anchors),
        len(document.pages),
    )
    return LaidOut(document, body_start, pagemap.page_labels(body_start, len(document.pages)))


# What a reader's device can follow from the PDF; the reader (reading/links.py) keeps no other.
FOLLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:", "sms:")


def keep_followed_links_only(document: Any) -> None:
    """Drop any link to an address readers cannot follow: the second line of defence.

    WeasyPrint resolves a relative link against the base URL, the manuscript's folder, and so
    would write a ``file:`` address of the building machine into the PDF (``//host/x`` becomes
    ``file://host/x``, which some viewers open over SMB). The reader already keeps such links
    as text; whatever reaches the layout by another way is not written either.
    """
    for page in document.pages:
        page.links[:] = [
            link
            for link in page.links
            if link[0] == "internal" or str(link[1]).lower().startswith(FOLLOWED_SCHEMES)
        ]


def _laid_out_text(document: Any) -> str:
    """The text on the pages as laid out: what the stylesheet hides is not there."""
    from weasyprint.formatting_structure.boxes import TextBox

    return "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    )


def report_missing_glyphs(
    document: Any, book: Book, styles_dir: Path, report: DiagnosticCollector
) -> None:
    """Name the characters no bundled font has, by script and with the line each script first
    appears on: they print from a machine font, or as boxes."""
    missing = glyphs.uncovered(_laid_out_text(document), styles_dir)
    machine = {font.family for font in document.fonts.values()} - glyphs.bundled_families(
        styles_dir
    )
    if not missing and not machine:
        return
    first_lines: list[int] = []
    named: list[str] = []
    for script, chars in scripts.by_script(missing).items():
        line = scripts.first_line(book.source, chars)
        where = f", first on line {line}" if line is not None else ""
        first_lines += [line] if line is not None else []
        kind = "symbols" if script == "symbols" else f"the {script} script"
        named.append(f"{kind} ({glyphs.describe(chars[:8])}{where})")
    what = "; ".join(named) if named else "characters of an image or a style"
    fallback = (
        f"the PDF takes them from the machine's {', '.join(sorted(machine))}"
        if machine
        else "they print as empty boxes"
    )
    report.warning(
        book.source,
        min(first_lines, default=None),
        f"no bundled font has {what}: {fallback}; add a font that has them to "
        f"{styles_dir / 'fonts'}",
    )
