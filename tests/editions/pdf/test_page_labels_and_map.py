"""Fast tests of the pure parts of the PDF: its page labels and where each page begins, the
latter on fake pages shaped like WeasyPrint's (boxes with an element and a hit area)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from publish.editions.pdf.pagemap import (
    MARK,
    PageStart,
    page_labels,
    page_map,
    to_roman,
    with_block_marks,
)
from publish.model import Book, Metadata, Section, TocEntry


def test_roman_numerals() -> None:
    cases = {1: "i", 4: "iv", 9: "ix", 14: "xiv", 40: "xl", 90: "xc", 400: "cd", 1994: "mcmxciv"}
    assert {n: to_roman(n) for n in cases} == cases


def test_front_matter_is_roman_and_the_body_starts_at_one() -> None:
    assert page_labels(2, 5) == ("i", "ii", "1", "2", "3")
    assert page_labels(0, 2) == ("1", "2")
    # No body page (the book ends in its front matter): every page is roman.
    assert page_labels(4, 3) == ("i", "ii", "iii")


def _book(section_html: str) -> Book:
    metadata = Metadata("T", (), dt.date(2026, 1, 1), "en-US", "urn:x")
    section = Section("one", "One", section_html, TocEntry("One", "one", 1))
    return Book(Path("book.md"), metadata, "<p>D</p>", "<p>S</p>", "S", (section,))


@dataclass
class FakeElement:
    attributes: dict[str, str]

    def get(self, name: str) -> str | None:
        return self.attributes.get(name)


@dataclass
class FakeBox:
    element: FakeElement | None
    top: float

    def hit_area(self) -> tuple[float, float, float, float]:
        return (0.0, self.top, 100.0, 10.0)


class FakePage:
    def __init__(self, *boxes: FakeBox) -> None:
        self._page_box = self
        self.boxes = boxes

    def descendants(self) -> tuple[FakeBox, ...]:
        return self.boxes


def _part(ident: str, top: float = 0.0) -> FakeBox:
    return FakeBox(FakeElement({"id": ident}), top)


def _block(index: int, part: str, top: float) -> FakeBox:
    return FakeBox(FakeElement({MARK: f"{index} {part}"}), top)


def test_each_page_begins_at_its_highest_box() -> None:
    book = _book("<h1 id='one'>One</h1><p>first</p><p>second</p>")
    pages = [
        FakePage(_part("title-page")),
        FakePage(_block(0, "disclaimer", 30), _part("disclaimer", 20), _block(0, "summary", 90)),
        FakePage(_block(2, "section-one", 50), _block(1, "section-one", 5)),
    ]
    found = page_map(book, pages, ("i", "ii", "1")).pages
    assert found == (
        PageStart("i", "title-page", None),
        PageStart("ii", "disclaimer", None),
        PageStart("1", "section-one", 1),
    )


def test_at_one_height_the_innermost_block_wins_and_a_blank_page_takes_the_next_start() -> None:
    book = _book("<h1 id='one'>One</h1><ul><li>item</li></ul>")  # blocks: h1 0, ul 1, li 2
    pages = [
        FakePage(_part("title-page")),
        FakePage(FakeBox(None, 0)),  # a blank page: nothing of the book on it
        FakePage(_block(1, "section-one", 10), _block(2, "section-one", 10)),
    ]
    found = page_map(book, pages, ("i", "ii", "1")).pages
    assert found[1] == PageStart("ii", "section-one", 2)
    assert found[2] == PageStart("1", "section-one", 2)


def test_a_page_with_nothing_after_it_maps_to_the_contents() -> None:
    found = page_map(_book("<h1 id='one'>One</h1>"), [FakePage()], ("i",)).pages
    assert found == (PageStart("i", "contents", None),)


def test_the_marks_are_the_blocks_page_map_counts() -> None:
    marked = with_block_marks(
        _book("<h1 id='one'>One</h1><p>a</p><table><tr><td>x</td></tr></table>")
    )
    html = marked.sections[0].html
    assert f'{MARK}="0 section-one"' in html  # the heading
    assert f'{MARK}="1 section-one"' in html  # the paragraph
    assert f'{MARK}="2 section-one"' in html  # the table
    assert f'{MARK}="3 section-one"' in html  # its cell
    assert f'{MARK}="0 disclaimer"' in marked.disclaimer_html
