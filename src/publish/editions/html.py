"""Book → one self-contained HTML page (Jinja), with its stylesheet and images beside it.

The page reads offline: everything it uses is copied into ``<slug>_files/`` next to it, and no
address outside that folder is ever written into it.
"""

from __future__ import annotations

import mimetypes
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from publish.atomic import replacing
from publish.editions import templating as render
from publish.errors import PublishError
from publish.model import Book
from publish.parts import CONTENTS, DISCLAIMER, SUMMARY
from publish.reading import footnotes
from publish.safety import stylesheets
from publish.safety.fetch import resolve_inside
from publish.safety.image_metadata import file_for_edition
from publish.xhtml import escape_text, parse_fragment

STYLESHEET = "html.css"
MEDIA_DIR = "media"
# url(...) and @import "..." in a stylesheet: the files a page needs beside the stylesheet.


@dataclass(frozen=True)
class HtmlResult:
    path: Path


def assets_dir(out_dir: Path, book: Book) -> Path:
    """The folder beside the editions that holds what the HTML pages use."""
    return out_dir / f"{book.slug}_files"


def write_html(book: Book, target: Path, styles_dir: Path) -> HtmlResult:
    assets = assets_dir(target.parent, book)
    copy_stylesheet(styles_dir, assets, keep_image_metadata=book.metadata.keep_image_metadata)
    images = ImageCopier(book, assets)
    sections = [
        (section, page_markup(footnotes.section_with_notes(section, book.metadata.labels), images))
        for section in book.sections
    ]
    html = render.render(
        "edition.html.j2",
        book=book,
        m=book.metadata,
        assets=assets.name,
        stylesheet=STYLESHEET,
        disclaimer_html=page_markup(book.disclaimer_html, images, demote=False),
        summary_html=page_markup(book.summary_html, images, demote=False),
        sections=sections,
        toc_entries=[e for e in render.navigation(book) if e.anchor != CONTENTS],
        local_href=lambda anchor: f"#{anchor}",
        format_date=render.date_formatter(book.metadata.lang),
    )
    with replacing(target) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return HtmlResult(target)


def copy_stylesheet(styles_dir: Path, assets: Path, *, keep_image_metadata: bool = False) -> None:
    """Copy ``html.css`` and every file it names (imports, fonts and their licences, images:
    those without their metadata unless ``keep_image_metadata``)."""
    root = styles_dir.resolve()
    pending = [root / STYLESHEET]
    seen: set[Path] = set()
    while pending:
        source = pending.pop()
        if source in seen:
            continue
        seen.add(source)
        if not source.is_file():
            raise PublishError.at(
                source, None, "the HTML edition needs this file, which is missing"
            )
        relative = source.relative_to(root)
        if (mimetypes.guess_type(source.name)[0] or "").startswith("image/"):
            _copy_image(source, assets / relative, keep=keep_image_metadata)
        else:
            _copy_if_changed(source, assets / relative)
        if source.suffix != ".css":
            # A font's licence travels with it (the OFL asks for that on redistribution).
            pending.extend(p for p in source.parent.glob("LICENSE*") if p.is_file())
            pending.extend(p for p in source.parent.glob("OFL*") if p.is_file())
        else:
            text = source.read_text(encoding="utf-8")
            for found in stylesheets.references(text):
                reference = found.address.strip()
                if stylesheets.is_inert(reference):
                    continue
                try:
                    if urlsplit(reference).scheme or reference.startswith(("/", "\\")):
                        raise PublishError.at(source, found.line, "not a relative path")
                    pending.append(resolve_inside((source.parent / reference).as_uri(), [root]))
                except PublishError:
                    raise PublishError.at(
                        source,
                        found.line,
                        f"'{reference}' must be a file inside the styles folder",
                    ) from None


def page_markup(
    fragment: str,
    relink: Callable[[str], str] | None = None,
    *,
    demote: bool = True,
    elsewhere: Callable[[str], str | None] | None = None,
) -> str:
    """XHTML from the Book as HTML5 for one page.

    Headings move one level down because the page's own ``h1`` is the title; attributes in other
    namespaces (``epub:type``) have no meaning in HTML and are dropped. ``elsewhere`` gives the
    address of an id that is not on this page (or ``None``: the link becomes its text).
    """
    wrapper = parse_fragment(fragment)
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue
        for name in [n for n in element.attrib if str(n).startswith("{")]:
            del element.attrib[name]
        if demote and element.tag in ("h1", "h2", "h3", "h4", "h5"):
            element.tag = f"h{int(element.tag[1]) + 1}"
        if relink is not None and element.tag == "img":
            element.set("src", relink(element.get("src", "")))
    if elsewhere is not None:
        on_page = {str(e.get("id")) for e in wrapper.iter() if e.get("id")}
        for link in list(wrapper.iter("a")):
            href = link.get("href") or ""
            if not href.startswith("#") or href[1:] in on_page | PAGE_IDS:
                continue
            moved = elsewhere(href[1:])
            if moved is not None:
                link.set("href", moved)
            else:
                _unlink(link)
    etree.cleanup_namespaces(wrapper)
    head = escape_text(wrapper.text or "")
    return head + "".join(
        lxml.html.tostring(child, method="html", encoding="unicode", with_tail=True)
        for child in wrapper
    )


# The ids the page templates give the front matter beside the author's text.
PAGE_IDS = frozenset({DISCLAIMER, SUMMARY})


def _unlink(link: etree._Element) -> None:
    link.tag = "span"
    if "href" in link.attrib:
        del link.attrib["href"]


class ImageCopier:
    """Copies each image the book uses into ``assets/media`` once and names its new address."""

    def __init__(self, book: Book, assets: Path) -> None:
        self.base = book.base_dir.resolve()
        self.assets = assets
        self.keep = book.metadata.keep_image_metadata
        self.copied: dict[Path, str] = {}

    def __call__(self, src: str) -> str:
        source = resolve_inside((self.base / src).as_uri(), [self.base])
        if source not in self.copied:
            if not source.is_file():
                raise PublishError.at(source, None, "no such image file")
            relative = source.relative_to(self.base).as_posix()
            _copy_image(source, self.assets / MEDIA_DIR / relative, keep=self.keep)
            self.copied[source] = f"{self.assets.name}/{MEDIA_DIR}/{relative}"
        return self.copied[source]


def _copy_image(source: Path, target: Path, *, keep: bool) -> None:
    """The image without its metadata (``image_metadata``), written only when it changed."""
    data = file_for_edition(source, keep=keep)
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        temporary.write_bytes(data)
        shutil.copystat(source, temporary)


def _copy_if_changed(source: Path, target: Path) -> None:
    """Leave an unchanged copy alone, so a rebuild does not touch files a browser has cached.

    The copy keeps the source's modification time, so size and time tell "unchanged" without
    reading the fonts again on every rebuild of the preview.
    """
    if target.is_file():
        have, want = target.stat(), source.stat()
        if (have.st_size, have.st_mtime_ns) == (want.st_size, want.st_mtime_ns):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        shutil.copyfile(source, temporary)
        shutil.copystat(source, temporary)
