"""Every link resolves in every edition, or is kept as text with a warning naming its line; no
edition carries a file: address or a path of the building machine."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
import pytest

from publish.errors import DiagnosticCollector
from publish.reading.manuscript import read_manuscript
from support import FIXTURES, Built
from support import build_fixture as _build
from support.linkcheck import epub_hrefs, epub_unresolved, html_unresolved, pdf_links
from support.manuscripts import FRONT, body_html, errors, manuscript, warnings

LINKS = FIXTURES / "links" / "links.md"
KEPT_AS_TEXT = ": its text is kept without the link"


@pytest.fixture(scope="module")
def links(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(LINKS, tmp_path_factory.mktemp("links"))


def test_each_link_that_cannot_be_kept_is_a_warning_at_its_line() -> None:
    report = DiagnosticCollector()
    read_manuscript(LINKS, report)
    found = sorted(
        (d.line or 0, d.message.split(":")[0].split(" (")[0].split(", which")[0])
        for d in report.warnings
        if d.rule in ("link", "raw-html")
    )
    assert found == [
        (23, "'../../etc/passwd' links to a file that is not part of the book"),
        (23, "'notes.md' links to a file that is not part of the book"),
        (24, "'//fileserver/share/report.pdf' is a protocol-relative address"),
        (24, "'/health-care/clinics' links to a file that is not part of the book"),
        (26, "'www.example.org' looks like a web address"),
        (26, "the address 'https"),
        (27, "the address 'https"),
    ]
    assert all(d.message.endswith(KEPT_AS_TEXT) for d in report.warnings if d.rule == "link")


def test_duplicate_and_invalid_ids_are_warnings_at_their_lines() -> None:
    report = DiagnosticCollector()
    read_manuscript(LINKS, report)
    assert [(d.line, d.message) for d in report.warnings if d.rule is None] == [
        (36, "the id 'bar' is used more than once; ids must be unique in the whole book: this "
         "one is renamed 'bar-1' (rename it yourself to link to it)"),
        (38, "the id 'bar' is used more than once; ids must be unique in the whole book: this "
         "one is renamed 'bar-2' (rename it yourself to link to it)"),
        (44, "the id 'odd\\u200bid' holds characters an id cannot have (U+200B): it is now "
         "'oddid'"),
    ]  # fmt: skip


def test_the_pdf_has_no_file_address_and_every_internal_link_lands(links: Built) -> None:
    uris, named, missing = pdf_links(links.pdf)
    assert not [u for u in uris if not u.startswith(("https:", "mailto:", "tel:", "sms:"))]
    assert sorted(uris) == [
        "https://example.org/guide", "mailto:editor@example.org", "sms:988", "tel:+18002738255",
        "tel:988",
    ]  # fmt: skip
    assert missing == []
    for target in ("reader-options-1", "option--reference-doc", "fn-1", "methods", "contents"):
        assert target in named
    assert b"file:" not in links.pdf.read_bytes()
    assert str(LINKS.parent).encode() not in links.pdf.read_bytes()


def test_every_epub_href_resolves(links: Built) -> None:
    assert epub_unresolved(links.epub) == []
    hrefs = epub_hrefs(links.epub)
    assert "tel:988" in hrefs and "tel:+18002738255" in hrefs
    assert not [h for h in hrefs if h.startswith(("file:", "sms:", "/", "../")) or "notes.md" in h]
    with zipfile.ZipFile(links.epub) as archive:
        assert not [n for n in archive.namelist() if b"file:" in archive.read(n)]


def test_every_fragment_of_the_html_edition_and_download_page_resolves(links: Built) -> None:
    assert html_unresolved(links.html) == []
    assert html_unresolved(links.index) == []
    page = lxml.html.parse(str(links.index)).getroot()
    hrefs = [a.get("href") for a in page.iter("a")]
    # The summary's links go into the book, which is the HTML edition.
    assert "links.html#reader-options-1" in hrefs and "links.html#contents" in hrefs
    for edition in (links.html, links.index):
        text = edition.read_text(encoding="utf-8")
        assert "file:" not in text and str(LINKS.parent) not in text


def test_kept_text_of_a_dropped_link_reads_in_every_edition(links: Built) -> None:
    html = lxml.html.parse(str(links.html)).getroot()
    paragraph = next(p for p in html.iter("p") if "Not part of the book" in p.text_content())
    assert "local notes" in paragraph.text_content() and "a share" in paragraph.text_content()
    assert paragraph.find(".//a") is None


def test_a_fragment_no_element_has_is_an_error_with_a_hint(tmp_path: Path) -> None:
    body = "# Reader options\n\nSee [below](#reader-option).\n"
    assert errors(manuscript(tmp_path, body)) == [
        "book.md:9: error: the link '#reader-option' points at an id no element has; did you "
        "mean '#reader-options'? [link]"
    ]


def test_a_link_to_the_manuscript_itself_is_a_link_within_the_book(tmp_path: Path) -> None:
    book, found = warnings(manuscript(tmp_path, "# One\n\n## Two\n\nSee [two](book.md#two).\n"))
    assert found == []
    assert '<a href="#two">two</a>' in body_html(book)


def test_a_malformed_phone_number_is_kept_as_text(tmp_path: Path) -> None:
    book, found = warnings(manuscript(tmp_path, "# One\n\n[Call us](tel:call-me)\n"))
    assert found == [
        "book.md:9: warning: the address 'tel:call-me' is not a phone number"
        + KEPT_AS_TEXT
        + " [raw-html]"
    ]
    assert "<a" not in body_html(book) and "Call us" in body_html(book)


def test_links_in_the_front_matter_are_checked_too(tmp_path: Path) -> None:
    front = FRONT.replace("summary: A summary.", "summary: See [elsewhere](#nowhere).")
    assert errors(manuscript(tmp_path, "# One\n\nx\n", front=front)) == [
        "book.md:5: error: the link '#nowhere' points at an id no element has [link]"
    ]


def test_an_author_id_taken_by_a_footnote_is_an_error(tmp_path: Path) -> None:
    body = "# One\n\nText.[^1]\n\n## Notes {#fn-1}\n\n[^1]: The note.\n"
    assert errors(manuscript(tmp_path, body)) == [
        "book.md:11: error: the id 'fn-1' is already used by the footnote [^1]: choose another id"
    ]


def test_a_footnote_id_the_author_does_not_take_stays_linkable(tmp_path: Path) -> None:
    body = "# One\n\nText.[^1] See [the note](#fn-1).\n\n[^1]: The note.\n"
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    assert '<a href="#fn-1">the note</a>' in body_html(book)


def test_the_pdf_writer_drops_a_file_link_that_reached_it(tmp_path: Path) -> None:
    """The second line of defence: a link the reader would never keep, forged into the book."""
    from dataclasses import replace

    from publish.editions.pdf.writer import write_pdf
    from publish.styles import default_styles_dir

    path = manuscript(tmp_path, "# One\n\nText.\n")
    book = read_manuscript(path)
    forged = '<p><a href="notes.md">relative</a> <a href="//host/share/x">share</a></p>'
    section = replace(book.sections[0], html=book.sections[0].html + forged)
    book = replace(book, sections=(section,))
    pdf = write_pdf(
        book, tmp_path / "book.pdf", default_styles_dir(path), DiagnosticCollector()
    ).path
    uris, _, _ = pdf_links(pdf)
    assert uris == []
    assert b"file:" not in pdf.read_bytes()


def test_an_address_linked_many_times_is_one_warning_at_its_first_line(tmp_path: Path) -> None:
    body = "# One\n\n[a](/url) and [b](/url)\n\n[c](/url)\n"
    book, found = warnings(manuscript(tmp_path, body))
    assert found == [
        "book.md:9: warning: '/url' links to a file that is not part of the book (each edition "
        "is a single file or package): link to a web address, or to a section with #its-id: "
        "its text is kept without the link (and 2 more links to it) [link]"
    ]
    assert "<a" not in body_html(book)


def test_a_bracketed_span_id_is_a_link_target(tmp_path: Path) -> None:
    body = (
        "# One\n\n[`--reference-doc`]{#option--reference-doc} takes a file.\n\n"
        "See [the option](#option--reference-doc) and [walk](#type:walk).\n\n"
        "## Walk {#type:walk}\n"
    )
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    html = body_html(book)
    assert 'id="option--reference-doc"' in html
    assert '<a href="#option--reference-doc">the option</a>' in html
    # A colon cannot be in an EPUB id: the heading and the link to it follow the same rule.
    assert 'id="type-walk"' in html and '<a href="#type-walk">walk</a>' in html
