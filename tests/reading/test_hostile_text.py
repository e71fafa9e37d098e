"""Broken manuscript text: encodings, invisible characters, missing or empty sections, ids that
would collide once the sections are joined into one document."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from publish.editions.pdf.writer import book_html
from publish.parts import RESERVED_IDS, RESERVED_PATTERN
from publish.reading.manuscript import read_manuscript
from support.manuscripts import FRONT, body_html, errors, manuscript, warnings

RENAMED = (
    "ids must be unique in the whole book: this one is renamed '{}' (rename it yourself to link "
    "to it)"
)


def _raw(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "book.md"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            FRONT.encode() + b"# One\n\nCaf\xe9 au lait.\n",
            "book.md:9:4: error: byte 0xe9 is not UTF-8: save the file as UTF-8",
        ),
        (
            FRONT.encode() + b"# One\n\nA\x00B\n",
            "book.md:9:2: error: control character U+0000 is not allowed in a manuscript: "
            "delete it (most editors do not show it)",
        ),
        (
            FRONT.encode() + b"# One\n\nRed \x1b[31mtext\n",
            "book.md:9:5: error: control character U+001B is not allowed in a manuscript: "
            "delete it (most editors do not show it)",
        ),
        (
            FRONT.encode() + "# One\n\nNext\u0085line\n".encode(),
            "book.md:9:5: error: control character U+0085 is not allowed in a manuscript: "
            "delete it (most editors do not show it)",
        ),
        (
            b"",
            "book.md:1: error: the manuscript is empty: start it with front matter (title, date, "
            "disclaimer, summary between two '---' lines), then sections under '# Title' headings",
        ),
        (
            b" \n\n\t\n",
            "book.md:1: error: the manuscript is empty: start it with front matter (title, date, "
            "disclaimer, summary between two '---' lines), then sections under '# Title' headings",
        ),
        (
            FRONT.encode(),
            "book.md:7: error: the manuscript has no text after its front matter: write the body "
            "below the closing '---'",
        ),
    ],
    ids=[
        "latin-1 byte", "NUL", "escape", "C1 control", "empty file", "only whitespace",
        "front matter only",
    ],
)  # fmt: skip
def test_text_error(tmp_path: Path, data: bytes, expected: str) -> None:
    assert errors(_raw(tmp_path, data)) == [expected]


@pytest.mark.parametrize(
    ("body", "sections"),
    [
        # As pandoc reads them: the highest level used is the section level, and the text
        # before the first heading opens the body, untitled and not in the contents.
        (
            "Only a paragraph.\n\n## And a subheading\n\nText.\n",
            [("opening", False), ("and-a-subheading", True)],
        ),
        ("Stray text.\n\n# One\n\nText.\n", [("opening", False), ("one", True)]),
    ],
    ids=["no level-1 heading", "text before the first section"],
)  # fmt: skip
def test_text_outside_level1_sections_is_read_as_pandoc_reads_it(
    tmp_path: Path, body: str, sections: list[tuple[str, bool]]
) -> None:
    book, found = warnings(_raw(tmp_path, FRONT.encode() + body.encode()))
    assert found == []
    assert [(s.anchor, s.listed) for s in book.sections] == sections
    assert "<h1" not in book.sections[0].html


def test_byte_order_mark_and_crlf_are_read_as_plain_utf8(tmp_path: Path) -> None:
    text = (FRONT + "# One\n\nText.\n").replace("\n", "\r\n")
    book, found = warnings(_raw(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    assert found == []
    assert book.metadata.title == "T"
    assert "\ufeff" not in body_html(book) + book.metadata.title
    assert body_html(book) == '<h1 id="one">One</h1>\n<p>Text.</p>'


def test_byte_order_mark_keeps_line_numbers(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + FRONT.encode() + b"# One\n\n\x00\n"
    assert errors(_raw(tmp_path, data))[0].startswith("book.md:9:1: error: control character")


def test_empty_section_is_a_warning(tmp_path: Path) -> None:
    book, found = warnings(manuscript(tmp_path, "# One\n\n# Two\n\nText.\n"))
    assert found == ["book.md:7: warning: section 'One' is empty"]
    assert [s.title for s in book.sections] == ["One", "Two"]


DUPLICATE_CASES = [
    (
        "duplicate explicit ids",
        "# One\n\n## A {#same}\n\nx\n\n## B {#same}\n\ny\n",
        ["book.md:13: warning: the id 'same' is used more than once; " + RENAMED.format("same-1")],
        ["one", "same", "same-1"],
    ),
    (
        "raw HTML id equal to a generated heading id",
        '# One\n\n<pre id="two">Raw.</pre>\n\n# Two\n\nx\n',
        ["book.md:11: warning: the id 'two' is used more than once; " + RENAMED.format("two-1")],
        ["one", "two", "two-1"],
    ),
    (
        # Changed on purpose: a raw <p> now holds Markdown, as pandoc reads it, so its id is
        # known while headings get theirs, as an id written {#two} is: the heading takes the next.
        "id of a raw HTML block read as Markdown equal to a generated heading id",
        '# One\n\n<p id="two">Raw.</p>\n\n# Two\n\nx\n',
        [],
        ["one", "two", "two-1"],
    ),
]


@pytest.mark.parametrize(
    ("body", "expected", "ids"),
    [c[1:] for c in DUPLICATE_CASES],
    ids=[c[0] for c in DUPLICATE_CASES],
)
def test_duplicate_ids_nothing_links_to_are_renamed(
    tmp_path: Path, body: str, expected: list[str], ids: list[str]
) -> None:
    """Changed on purpose: a duplicate id no link names was an error; the later one is now
    renamed with a warning, so that documents pandoc reads (its test suite repeats ids) build."""
    book, found = warnings(manuscript(tmp_path, body))
    assert found == expected
    tree = lxml.html.fragment_fromstring(body_html(book), create_parent="div")
    assert [el.get("id") for el in tree.iter() if el.get("id")] == ids


def test_a_link_to_a_duplicate_id_is_an_error(tmp_path: Path) -> None:
    body = "# One\n\nSee [it](#same).\n\n## A {#same}\n\n## B {#same}\n\ny\n"
    assert errors(manuscript(tmp_path, body)) == [
        "book.md:9: error: the link '#same' is ambiguous: 2 elements have the id 'same'; "
        "give each its own id [link]"
    ]


ID_CASES = [
    (
        "explicit id of the book's summary",
        "# One\n\n## Key points {#summary}\n\nx\n",
        [
            "book.md:9: error: the id 'summary' is already used by the book's summary: "
            "choose another id"
        ],
    ),
    (
        "explicit id of the contents",
        '# One\n\n<div id="contents-heading">x</div>\n',
        [
            "book.md:9: error: the id 'contents-heading' is already used by the book's contents: "
            "choose another id"
        ],
    ),
    (
        "explicit id of the title page",
        "# One {#title-page}\n\nx\n",
        [
            "book.md:7: error: the id 'title-page' is already used by the book's title page: "
            "choose another id"
        ],
    ),
    (
        "explicit id of a section's wrapper",
        "# Intro\n\nx\n\n## Details {#section-intro}\n\ny\n",
        [
            "book.md:11: error: the id 'section-intro' is already used by the section 'Intro': "
            "choose another id"
        ],
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"), [c[1:] for c in ID_CASES], ids=[c[0] for c in ID_CASES]
)
def test_colliding_ids_are_errors(tmp_path: Path, body: str, expected: list[str]) -> None:
    assert errors(manuscript(tmp_path, body)) == expected


def test_id_in_the_disclaimer_counts_too(tmp_path: Path) -> None:
    """The disclaimer comes first in reading order: it keeps the id, the heading steps aside."""
    front = FRONT.replace("disclaimer: Not advice.", "disclaimer: |\n  Not advice.\n  {: #one }")
    book, found = warnings(manuscript(tmp_path, "# One\n\nx\n", front=front))
    assert found == [
        "book.md:9: warning: the id 'one' is used more than once; " + RENAMED.format("one-1")
    ]
    assert 'id="one"' in book.disclaimer_html
    assert body_html(book).startswith('<h1 id="one-1">One</h1>')


def test_generated_ids_step_aside(tmp_path: Path) -> None:
    """Changed on purpose: generated ids step aside as pandoc numbers duplicates, with '-1'
    (they had '_1'), and keep pandoc's characters: "Summary_1" is "summary_1"."""
    body = (
        "# Summary\n\nx\n\n# Contents\n\n## Disclaimer\n\ny\n\n"
        "# Title Page\n\nz\n\n# Section Summary_1\n\nw\n\n## A {#b}\n\n## B\n\nv\n"
    )
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    headings = lxml.html.fragment_fromstring(body_html(book), create_parent="div")
    assert [h.get("id") for h in headings.iter("h1", "h2")] == [
        "summary-1", "contents-1", "disclaimer-1", "title-page-1",
        "section-summary_1", "b", "b-1",
    ]  # fmt: skip


def test_joined_document_has_unique_ids(tmp_path: Path) -> None:
    body = (
        "# Summary\n\nx[^1]\n\n# Contents\n\n## Disclaimer\n\ny\n\n# Section Summary_1\n\nw\n\n"
        "# Main\n\n## Body Matter\n\n## Downloads Heading\n\n[^1]: A note.\n"
    )
    book = read_manuscript(manuscript(tmp_path, body))
    document = lxml.html.document_fromstring(book_html(book))
    counts = Counter(el.get("id") for el in document.iter() if el.get("id"))
    assert [ident for ident, count in counts.items() if count > 1] == []


def test_reserved_ids_list_every_id_the_book_adds(tmp_path: Path) -> None:
    """The ids of the book's own parts (outside the author's sections) are all reserved."""
    book = read_manuscript(manuscript(tmp_path, "# One\n\nText.\n"))
    document = lxml.html.document_fromstring(book_html(book))
    authors = {el.get("id") for el in document.iter() if el.get("id") and _in_a_section(el)}
    ours = {el.get("id") for el in document.iter() if el.get("id")} - authors
    # The PDF's blocks are numbered with an attribute, not an id: no anchor for each paragraph.
    assert document.xpath("//p[@data-page-map]")
    assert not {ident for ident in ours if RESERVED_PATTERN.fullmatch(ident)}
    assert ours - {"section-one"} <= RESERVED_IDS


def _in_a_section(element: lxml.html.HtmlElement) -> bool:
    return any(
        (parent.get("id") or "").startswith("section-") for parent in element.iterancestors()
    )


def test_heading_without_text_in_the_summary(tmp_path: Path) -> None:
    front = FRONT.replace("summary: A summary.", 'summary: "#"')
    book, found = warnings(manuscript(tmp_path, "# One\n\nText.\n", front=front))
    assert (found, book.summary_html) == ([], "<h1/>")


def test_a_device_is_not_read_as_a_manuscript(tmp_path: Path) -> None:
    link = tmp_path / "book.md"
    link.symlink_to("/dev/zero")
    assert errors(link) == ["book.md: error: is not a regular file: name the manuscript's .md file"]


def test_a_folder_is_not_a_manuscript(tmp_path: Path) -> None:
    (tmp_path / "book.md").mkdir()
    assert errors(tmp_path / "book.md") == ["book.md: error: is a folder, not a manuscript file"]


def test_a_pipe_is_not_read_as_a_manuscript(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "book.md")  # opening it would wait for a writer forever
    assert errors(tmp_path / "book.md") == [
        "book.md: error: is not a regular file: name the manuscript's .md file"
    ]


def test_an_oversized_manuscript_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "book.md"
    with path.open("wb") as handle:
        handle.truncate(65_000_000)  # sparse: no disk is used
    assert errors(path) == [
        "book.md: error: is 65 MB; a manuscript over 64 MB is refused: split the book"
    ]
