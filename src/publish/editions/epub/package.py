"""Book → one XHTML content document per section (Jinja) → ebooklib → a deterministic zip.

ebooklib writes the package document (OPF) and the NCX; our own templates write the content
documents and the navigation document, so their markup is exactly what we generate.
"""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from publish.atomic import replacing
from publish.editions import templating as render
from publish.editions.cover import Cover, make_cover
from publish.editions.epub import accessibility as epub_a11y
from publish.editions.epub.archive import deterministic_zip, writer_class
from publish.editions.epub.creators import add_creator, join_names
from publish.editions.pdf import pagemap
from publish.editions.pdf.pagemap import PageMap
from publish.errors import DiagnosticCollector
from publish.labels import labels_for
from publish.model import Book, TocEntry
from publish.parts import CONTENTS, DISCLAIMER, SUMMARY, TITLE_PAGE, section_id
from publish.reading import footnotes
from publish.safety import stylesheets
from publish.safety.fetch import resolve_inside
from publish.safety.image_metadata import file_for_edition
from publish.xhtml import escape_text, fragment_markup, parse_fragment

STYLESHEET = "styles/epub.css"
MEDIA_DIR = "media"
XHTML_TYPE = "application/xhtml+xml"
COVER_IMAGE = "cover.jpg"
COVER_PAGE = "cover.xhtml"
# Link schemes EPUBCheck does not know: an sms: link ("text 988") is kept as its text.
UNREGISTERED_SCHEMES = frozenset({"sms:"})
# Send to Kindle refuses larger files; other stores' limits are higher.
SIZE_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One content document: its file, spine id, title and role in the book."""

    uid: str
    file_name: str
    title: str
    body: str
    body_type: str


@dataclass(frozen=True)
class Resource:
    """A file the content documents use (an image), copied from the manuscript folder."""

    uid: str
    file_name: str
    source: Path
    media_type: str


@dataclass(frozen=True)
class EpubResult:
    path: Path


def write_epub(
    book: Book,
    target: Path,
    styles_dir: Path,
    modified: dt.datetime,
    report: DiagnosticCollector,
    page_map: PageMap | None = None,
) -> EpubResult:
    """``page_map`` is where the PDF's pages begin; without it the PDF is laid out here."""
    if page_map is None:
        page_map = _lay_out_pdf(book, styles_dir)
    documents = _documents(book, page_map)
    anchors = _anchor_files(documents)
    resources: dict[str, Resource] = {}
    # The author may link to the contents, which is the navigation document.
    linkable = {**anchors, "contents": "nav.xhtml"}
    documents = [_relink(doc, linkable, book, resources) for doc in documents]
    cover = make_cover(book, styles_dir, report)
    documents = [_cover_document(book), *documents]
    package = _package(
        book, documents, list(resources.values()), cover, styles_dir, anchors, modified, page_map
    )
    data = deterministic_zip(package, modified)
    if len(data) > SIZE_LIMIT:
        report.warning(
            book.source,
            None,
            f"the EPUB is {len(data) / 1024 / 1024:.1f} MB; Send to Kindle refuses files over "
            f"{SIZE_LIMIT // 1024 // 1024} MB: make the images smaller",
        )
    with replacing(target) as temporary:
        temporary.write_bytes(data)
    return EpubResult(target)


def _lay_out_pdf(book: Book, styles_dir: Path) -> PageMap:
    from publish.editions.pdf.writer import fewer_collections, layout

    with fewer_collections():
        laid_out = layout(book, styles_dir)
        return laid_out.page_map(book)


def _cover_document(book: Book) -> Document:
    m = book.metadata
    labels = m.labels
    by = f", {labels.by} {join_names(m.authors, labels.and_)}" if m.authors else ""
    alt = escape_text(f"{labels.cover}: {m.full_title}{by}").replace('"', "&quot;")
    name = escape_text(labels.cover).replace('"', "&quot;")
    body = (
        f'<section class="cover" epub:type="cover" aria-label="{name}">'
        f'<img class="cover-image" src="{COVER_IMAGE}" alt="{alt}" role="doc-cover"/></section>'
    )
    return Document("cover", COVER_PAGE, m.title, body, "cover")


def _documents(book: Book, pages: PageMap) -> list[Document]:
    """The content documents, with a page-break marker where each page of the PDF begins."""
    m = book.metadata
    labels = m.labels

    def marked(part: str, html: str) -> str:
        return pagemap.with_markers(html, part, pages)

    def starting(part: str) -> str:
        return pagemap.start_markers(part, pages)

    front = [
        Document(
            TITLE_PAGE,
            "title.xhtml",
            m.title,
            starting(TITLE_PAGE)
            + render.render(
                "title.html.j2", m=m, epub=True, format_date=render.date_formatter(m.lang)
            ),
            "frontmatter",
        ),
        Document(
            DISCLAIMER,
            "disclaimer.xhtml",
            labels.disclaimer,
            starting(DISCLAIMER)
            + _front_section(
                DISCLAIMER,
                "notice",
                "doc-notice",
                labels.disclaimer,
                marked(DISCLAIMER, book.disclaimer_html),
            ),
            "frontmatter",
        ),
        Document(
            SUMMARY,
            "summary.xhtml",
            labels.summary,
            starting(SUMMARY)
            + _front_section(
                SUMMARY,
                "abstract",
                "doc-abstract",
                labels.summary,
                marked(SUMMARY, book.summary_html),
            ),
            "frontmatter",
        ),
    ]
    body = [
        Document(
            f"section-{index:02d}",
            f"section-{index:02d}.xhtml",
            section.title,
            starting(pagemap.section_part(section.anchor))
            + f'<section class="{section.semantics}" epub:type="{section.semantics}" '
            f'role="doc-{section.semantics}" id="{section_id(section.anchor)}">'
            + footnotes.epub_section(
                replace(section, html=marked(pagemap.section_part(section.anchor), section.html)),
                labels,
            )
            + "</section>",
            section.role,
        )
        for index, section in enumerate(book.sections, start=1)
    ]
    return front + body


def _front_section(anchor: str, epub_type: str, role: str, title: str, html: str) -> str:
    heading = f"{anchor}-heading"
    return (
        f'<section class="{anchor} front-matter" id="{anchor}" epub:type="{epub_type}" '
        f'role="{role}" aria-labelledby="{heading}"><h1 class="front-heading" id="{heading}">'
        f"{escape_text(title)}</h1>{html}</section>"
    )


def _anchor_files(documents: list[Document]) -> dict[str, str]:
    """Which content document holds each id, so links between sections can name the file."""
    anchors: dict[str, str] = {}
    for doc in documents:
        for element in parse_fragment(doc.body).iter():
            ident = element.get("id")
            if ident:
                anchors.setdefault(ident, doc.file_name)
    return anchors


def _relink(
    doc: Document, anchors: dict[str, str], book: Book, resources: dict[str, Resource]
) -> Document:
    """Point same-book links at the right file and images at their copies in the package."""
    root = parse_fragment(doc.body)
    for link in root.iter("a"):
        href = link.get("href", "")
        if href[:4].lower() in UNREGISTERED_SCHEMES:
            # EPUBCheck warns about a scheme IANA has but it lacks (HTM-025): the text stays.
            link.tag = "span"
            del link.attrib["href"]
            continue
        if href.startswith("#") and href[1:] in anchors and anchors[href[1:]] != doc.file_name:
            link.set("href", f"{anchors[href[1:]]}{href}")
    for image in root.iter("img"):
        src = image.get("src", "")
        source = resolve_inside((book.base_dir / src).resolve().as_uri(), [book.base_dir])
        relative = source.relative_to(book.base_dir.resolve()).as_posix()
        file_name = f"{MEDIA_DIR}/{relative}"
        if file_name not in resources:
            media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
            resources[file_name] = Resource(
                f"media-{len(resources) + 1:03d}", file_name, source, media_type
            )
        image.set("src", file_name)
    body = fragment_markup(root)
    return Document(doc.uid, doc.file_name, doc.title, body, doc.body_type)


def _page(book: Book, title: str, content: str, body_type: str) -> bytes:
    return render.render(
        "page.xhtml.j2",
        m=book.metadata,
        title=title,
        stylesheet=STYLESHEET,
        content=content,
        body_type=body_type,
    ).encode("utf-8")


def _epub_href(anchors: dict[str, str]) -> object:
    def href(anchor: str) -> str:
        file_name = anchors.get(anchor)
        if file_name is None:
            raise KeyError(f"no content document holds the anchor '{anchor}'")
        return f"{file_name}#{anchor}"

    return href


def _package(
    book: Book,
    documents: list[Document],
    resources: list[Resource],
    cover: Cover,
    styles_dir: Path,
    anchors: dict[str, str],
    modified: dt.datetime,
    pages: PageMap,
) -> bytes:
    from ebooklib import epub  # heavy: imported only when an EPUB is written

    m = book.metadata
    package = epub.EpubBook()
    package.set_identifier(m.identifier)
    package.set_title(m.title)
    package.set_language(m.lang)
    if m.direction:
        package.set_direction(m.direction)  # the spine's page-progression-direction
    if m.subtitle:
        package.add_metadata("DC", "title", m.subtitle, {"id": "subtitle"})
        package.add_metadata(
            None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"}
        )
    for index, author in enumerate(m.credited):
        add_creator(package, author, f"creator-{index + 1}")
    package.add_metadata("DC", "date", m.date.isoformat())
    if pages.pages:
        # EPUB Accessibility 1.1: name the edition the page numbers come from, the PDF, which
        # carries the same identifier as this book.
        package.add_metadata("DC", "source", m.identifier)
        package.add_metadata(None, "meta", m.identifier, {"property": "pageBreakSource"})
    package.add_metadata("DC", "description", book.summary_text)
    if m.publisher:
        package.add_metadata("DC", "publisher", m.publisher)
    if m.rights:
        package.add_metadata("DC", "rights", m.rights)
    for keyword in m.keywords:
        package.add_metadata("DC", "subject", keyword)

    css = stylesheets.self_contained(styles_dir / "epub.css")
    package.add_item(epub.EpubItem("stylesheet", STYLESHEET, "text/css", css))
    cover_item = epub.EpubItem("cover-image", COVER_IMAGE, "image/jpeg", cover.jpeg)
    cover_item.properties = ["cover-image"]
    package.add_item(cover_item)
    # EPUB 2's pointer to the cover: Kindle's converter still looks for it.
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    moving_media = False
    for resource in resources:
        data = file_for_edition(resource.source, keep=m.keep_image_metadata)
        moving_media = moving_media or epub_a11y.moves_by_itself(resource.media_type, data)
        package.add_item(epub.EpubItem(resource.uid, resource.file_name, resource.media_type, data))
    items = []
    xhtml: list[bytes] = []
    for doc in documents:
        page = _page(book, doc.title, doc.body, doc.body_type)
        item = epub.EpubItem(doc.uid, doc.file_name, XHTML_TYPE, page)
        if b"<math" in page:
            item.properties = ["mathml"]  # EPUB 3 asks content documents with MathML to say so
        package.add_item(item)
        items.append(item)
        xhtml.append(page)

    nav_anchors = {**anchors, "contents": "nav.xhtml"}
    entries = render.navigation(book)
    body_start = next((d.file_name for d in documents if d.body_type == "bodymatter"), "nav.xhtml")
    landmarks = [
        {"type": "cover", "href": COVER_PAGE, "title": m.labels.cover},
        {"type": "toc", "href": "nav.xhtml#contents", "title": m.labels.contents},
        {"type": "frontmatter", "href": "title.xhtml", "title": m.labels.title_page},
        {"type": "bodymatter", "href": body_start, "title": m.labels.start},
    ]
    landmarks += [
        {"type": "bibliography", "href": f"{nav_anchors[s.anchor]}#{s.anchor}", "title": s.title}
        for s in book.sections
        if s.semantics == "bibliography"
    ]
    nav_xhtml = render.render(
        "nav.xhtml.j2",
        m=m,
        stylesheet=STYLESHEET,
        toc_entries=entries,
        epub_href=_epub_href(nav_anchors),
        landmarks=landmarks,
        contents_markers=pagemap.start_markers(CONTENTS, pages),
        page_list=[
            {"label": page.label, "href": f"{nav_anchors.get(ident, 'nav.xhtml')}#{ident}"}
            for page in pages.pages
            for ident in [pagemap.marker_id(page.label)]
        ],
    )
    nav = epub.EpubItem("nav", "nav.xhtml", XHTML_TYPE, nav_xhtml.encode("utf-8"))
    nav.properties = ["nav"]
    package.add_item(nav)
    package.add_item(epub.EpubNcx())
    package.toc = [_ncx_entry(entry, _epub_href(nav_anchors)) for entry in entries]
    # The contents page follows the front matter, where a printed book has it; with ``toc:
    # false`` it stays reachable from the reader's menu but out of the reading order.
    front = sum(1 for d in documents if d.body_type in ("cover", "frontmatter"))
    nav_entry: str | tuple[str, str] = "nav" if m.toc else ("nav", "no")
    package.spine = [*(i.id for i in items[:front]), nav_entry, *(i.id for i in items[front:])]
    package.guide = [
        {"type": "cover", "href": COVER_PAGE, "title": m.labels.cover},
        {"type": "title-page", "href": "title.xhtml", "title": m.labels.title_page},
        {"type": "toc", "href": "nav.xhtml", "title": m.labels.contents},
        {"type": "text", "href": body_start, "title": m.labels.start},
    ]
    accessibility = epub_a11y.describe(
        [etree.fromstring(page) for page in [*xhtml, nav_xhtml.encode("utf-8")]],
        has_toc=True,
        has_page_list=bool(pages.pages),
        moving_media=moving_media,
        labels=m.labels,
    )
    # The summary is in the book's words: English, and marked so, for a language with none.
    summary_lang = m.lang if labels_for(m.lang).found else "en"
    for name, value in accessibility.properties():
        own_lang = name == "schema:accessibilitySummary" and summary_lang != m.lang
        package.add_metadata(
            None,
            "meta",
            value,
            {
                "property": name,
                **({"{http://www.w3.org/XML/1998/namespace}lang": "en"} if own_lang else {}),
            },
        )

    buffer = io.BytesIO()
    writer = writer_class()(buffer, package, {"mtime": modified, "raise_exceptions": True})
    writer.process()
    writer.write()
    return buffer.getvalue()


def _ncx_entry(entry: TocEntry, href: object) -> object:
    from ebooklib import epub

    target = href(entry.anchor)  # type: ignore[operator]
    if not entry.children:
        return epub.Link(target, entry.title, f"nav-{entry.anchor}")
    return (
        epub.Section(entry.title, target),
        [_ncx_entry(child, href) for child in entry.children],
    )
