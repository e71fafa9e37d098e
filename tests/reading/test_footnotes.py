"""Footnotes read back from each edition: pop-up notes in the EPUB, notes at the foot of the
calling page in the PDF, notes after their section in the HTML edition."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from publish.errors import DiagnosticCollector
from publish.reading.manuscript import read_manuscript
from support import NS, Built, Epub, pdftotext_pages, require_tool
from support.manuscripts import manuscript

EPUB_TYPE = f"{{{NS['epub']}}}type"


def _defined_notes(path: Path) -> list[str]:
    """Labels of the notes the manuscript defines, read from its Markdown."""
    return re.findall(r"^\[\^([^\]]+)\]:", path.read_text(encoding="utf-8"), re.M)


def _documents(book: Epub) -> dict[str, object]:
    return {href: book.document(href) for href in book.spine_hrefs()}


def test_epub_notes_pop_up_from_their_calls_and_link_back(features: Built) -> None:
    book = Epub(features.epub)
    documents = _documents(book)
    asides = {
        aside.get("id"): (href, aside)
        for href, doc in documents.items()
        for aside in doc.iter(f"{{{NS['xhtml']}}}aside")
    }
    assert sorted(asides) == sorted(f"fn-{label}" for label in _defined_notes(features.manuscript))
    numbers_in_reading_order: list[str] = []
    for href, doc in documents.items():
        assert not doc.xpath("//xhtml:div[@class='footnote']", namespaces=NS)
        for ref in doc.xpath("//xhtml:a[@epub:type='noteref']", namespaces=NS):
            assert ref.get("role") == "doc-noteref"
            file_name, _, fragment = ref.get("href").rpartition("#")
            note_href, aside = asides[fragment]
            assert (file_name or href) == note_href
            assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
            if ref.text not in numbers_in_reading_order:
                numbers_in_reading_order.append(ref.text)
                # A note lives in the content document of its first call.
                assert not file_name
    assert numbers_in_reading_order == [str(n) for n in range(1, len(asides) + 1)]

    for note_href, aside in asides.values():
        backlinks = aside.xpath(".//xhtml:a[@role='doc-backlink']", namespaces=NS)
        assert backlinks
        for link in backlinks:
            target = link.get("href").removeprefix("#")
            (call,) = documents[note_href].xpath(f"//*[@id='{target}']")
            (ref,) = call.xpath("self::xhtml:a | xhtml:a", namespaces=NS)
            assert ref.get("href").endswith(f"#{aside.get('id')}")


def test_pdf_notes_sit_at_the_foot_of_the_page_that_calls_them(features: Built) -> None:
    require_tool("pdftotext")
    pages = pdftotext_pages(features.pdf)
    notes = {
        "The WHO publishes guidance on depression": "1. The World Health Organization",
        "find it at the foot of the page": "2. A longer note, with emphasis",
    }
    for call, note in notes.items():
        (page,) = [p for p in pages if call in " ".join(p.split())]
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        at = next(i for i, line in enumerate(lines) if line.startswith(note))
        assert at > next(i for i, line in enumerate(lines) if call in line)
        # Each note appears once in the whole PDF: at the foot of its page, nowhere else.
        assert sum(" ".join(p.split()).count(note) for p in pages) == 1


def test_html_edition_puts_notes_after_their_section(features: Built) -> None:
    page = lxml.html.parse(str(features.html)).getroot()
    for label in _defined_notes(features.manuscript):
        (note,) = page.xpath(f"//aside[@id='fn-{label}']")
        assert note.get("role") == "doc-footnote"
        section = note.getparent()
        refs = section.xpath(f".//a[@class='footnote-ref'][@href='#fn-{label}']")
        assert refs, f"the note fn-{label} is not in the section that calls it"


def test_a_note_never_called_is_reported_at_its_line(tmp_path: Path) -> None:
    path = manuscript(
        tmp_path, "\n# One\n\nText.[^used]\n\n[^used]: Called.\n\n[^lost]: Never called.\n"
    )
    report = DiagnosticCollector()
    book = read_manuscript(path, report)
    assert [note.anchor for s in book.sections for note in s.notes] == ["fn-used"]
    (warning,) = report.warnings
    assert warning.line == 14 and "[^lost]" in warning.message
