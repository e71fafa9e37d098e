"""The EPUB's page list read back against the PDF: one entry per PDF page, labelled as the PDF
labels it, each pointing at a page-break marker in the block where that page begins."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf
import pytest

from publish.build import build
from publish.errors import PublishError
from publish.reading.manuscript import read_manuscript
from support import NS, Built, Epub, pdftotext_pages, require_tool
from support.manuscripts import manuscript

XHTML = NS["xhtml"]


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _page_list(book: Epub) -> list[tuple[str, str]]:
    nav = book.document(book.nav_href())
    links = nav.xpath("//xhtml:nav[@epub:type='page-list']//xhtml:a", namespaces=NS)
    return [(link.text, link.get("href")) for link in links]


def _block_after(book: Epub, href: str):
    """The marker ``href`` names, and the block it marks (its parent, or what follows it)."""
    file_name, fragment = href.split("#")
    (marker,) = book.document(file_name).xpath(f"//*[@id='{fragment}']")
    parent = marker.getparent()
    if parent.tag in (f"{{{XHTML}}}body", f"{{{XHTML}}}section") and marker.getnext() is not None:
        following = marker.getnext()
        while following is not None and following.get(f"{{{NS['epub']}}}type") == "pagebreak":
            following = following.getnext()
        return marker, following
    return marker, parent


def test_page_list_has_each_pdf_page_with_its_label(any_book: Built) -> None:
    book = Epub(any_book.epub)
    labels = list(pypdf.PdfReader(any_book.pdf).page_labels)
    entries = _page_list(book)
    assert [label for label, _ in entries] == labels
    for label, href in entries:
        marker, _ = _block_after(book, href)
        assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label
    features = book.property("schema:accessibilityFeature")
    assert {"pageNavigation", "pageBreakMarkers"} <= set(features)
    assert book.meta("source") == book.meta("identifier")
    assert book.property("pageBreakSource") == book.meta("identifier")


def test_each_page_begins_in_the_block_its_marker_is_in(any_book: Built) -> None:
    require_tool("pdftotext")
    book = Epub(any_book.epub)
    pages = pdftotext_pages(any_book.pdf)
    for (label, href), text in zip(_page_list(book), pages, strict=True):
        _, block = _block_after(book, href)
        block_text = _words("".join(block.itertext()))
        lines = [_words(line) for line in text.split("\n") if line.strip()]
        # The page's first line, or the one after a running header, starts inside the block;
        # its last word is left out, as the PDF may have hyphenated it.
        # List markers are drawn by the PDF, not written in the text.
        lines = [re.sub(r"^(?:[\u2013\u2022*-]|\d+\.)\s+", "", line) for line in lines[:2]]
        heads = [" ".join(line.split()[:-1]) or line for line in lines]
        assert any(head and head in block_text for head in heads), (label, lines[:2], block_text)


def test_an_epub_built_alone_gets_the_same_page_list(features: Built, tmp_path: Path) -> None:
    (alone,) = build(features.manuscript, tmp_path, ["epub"])
    assert _page_list(Epub(alone.path)) == _page_list(Epub(features.epub))
    assert alone.path.read_bytes() == features.epub.read_bytes()


def test_an_author_id_that_a_page_marker_needs_is_an_error(tmp_path: Path) -> None:
    path = manuscript(tmp_path, "\n# One\n\n## Where page two begins {#page-2}\n\nText.\n")
    with pytest.raises(PublishError) as caught:
        read_manuscript(path)
    (error,) = caught.value.diagnostics
    assert error.line == 10 and "page-2" in error.message and "page numbering" in error.message


def test_an_epub_built_later_reads_the_page_map_the_pdf_left(
    features: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import publish.editions.pdf.writer
    from publish.editions.pdf import pagemap_file

    build(features.manuscript, tmp_path, ["pdf"])
    saved = pagemap_file.sidecar(tmp_path / features.pdf.name)
    assert saved.is_file()

    def no_layout(*_: object) -> None:
        raise AssertionError("the EPUB laid the PDF out again")

    monkeypatch.setattr(publish.editions.pdf.writer, "layout", no_layout)
    (epub,) = build(features.manuscript, tmp_path, ["epub"])
    assert epub.path.read_bytes() == features.epub.read_bytes()

    # A page map from another text or design is not used: the EPUB lays the PDF out anew.
    saved.write_text(saved.read_text("utf-8").replace('"fingerprint": "', '"fingerprint": "x'))
    with pytest.raises(AssertionError, match="laid the PDF out again"):
        build(features.manuscript, tmp_path, ["epub"])
