"""The PDF's pages, found again in the EPUB: where each printed page begins, so the EPUB can carry
page-break markers and a page list, and readers of either edition cite the same page numbers.

Both editions are made from the same HTML parts (title page, disclaimer, summary, contents, one
part per section). Within a part, the blocks a page can begin in (paragraphs, list items, table
cells, headings, figures...) are counted in document order. The PDF's copy marks each of them
with its number, so after layout the boxes on each page tell which blocks the page holds, with
their positions (a block broken across pages is on both); the first of them on a page is the
block where that page begins. The EPUB counts the same blocks in the same parts and puts a
marker there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from publish.model import Book
from publish.parts import CONTENTS, DISCLAIMER, FRONT_MATTER, SUMMARY, page_id, section_id
from publish.xhtml import fragment_markup, parse_fragment

# The parts whose markup is the author's, numbered block by block; the others (title page and
# contents) are generated differently per edition, so a page that begins in them maps to their
# start.
# Where a page may begin. The marker goes inside these (all take phrasing content first)...
_INSIDE = frozenset(
    ("p", "li", "dt", "dd", "th", "td", "pre", "figcaption", "blockquote", "div", "aside")
) | {f"h{level}" for level in range(1, 7)}
# ...and before these, whose content model has no room for a span.
_BEFORE = frozenset(("figure", "table", "ul", "ol", "dl", "hr"))
_BLOCKS = _INSIDE | _BEFORE


@dataclass(frozen=True)
class PageStart:
    """Page ``label`` (as printed) begins in block ``block`` of ``part`` (None: at its start)."""

    label: str
    part: str
    block: int | None


@dataclass(frozen=True)
class PageMap:
    pages: tuple[PageStart, ...]

    def in_part(self, part: str) -> list[PageStart]:
        return [page for page in self.pages if page.part == part]


def section_part(anchor: str) -> str:
    return section_id(anchor)


# --- the PDF side: a mark on every block, then where each page begins --------------------------

# The attribute the PDF's copy of each block carries: "<block> <part>". Not an id: WeasyPrint
# makes every id an anchor (a PDF destination, an entry in each page's anchors, a target for
# cross-references), which at 100,000 words cost 50 MB and more than a second of layout.
MARK = "data-page-map"


def with_block_marks(book: Book) -> Book:
    """The book with a mark on every block of the author's parts, for the PDF's layout."""
    return replace(
        book,
        disclaimer_html=_number(book.disclaimer_html, DISCLAIMER),
        summary_html=_number(book.summary_html, SUMMARY),
        sections=tuple(
            replace(s, html=_number(s.html, section_part(s.anchor))) for s in book.sections
        ),
    )


def _number(html: str, part: str) -> str:
    root = parse_fragment(html)
    for index, block in enumerate(_blocks(root)):
        block.set(MARK, f"{index} {part}")
    return fragment_markup(root)


def _depths(html: str) -> list[int]:
    """Each block's depth in its part, in the order the blocks are numbered."""
    return [sum(1 for _ in block.iterancestors()) for block in _blocks(parse_fragment(html))]


# A place a page can begin: a part (block None) or a block of it.
Place = tuple[str, int | None]


def places(book: Book) -> dict[Place, tuple[int, int]]:
    """Every place a page can begin in ``book``, with its depth and its position in the book."""
    order: dict[Place, tuple[int, int]] = {}
    for part in FRONT_MATTER:
        order[(part, None)] = (0, len(order))
    for part, html in _author_parts(book):
        order.setdefault((part, None), (0, len(order)))
        for index, depth in enumerate(_depths(html)):
            order.setdefault((part, index), (depth + 1, len(order)))
    return order


def to_roman(number: int) -> str:
    numerals = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    result = []
    for value, numeral in numerals:
        count, number = divmod(number, value)
        result.append(numeral * count)
    return "".join(result)


def page_labels(body_start: int, page_count: int) -> tuple[str, ...]:
    """Front matter i, ii, … from the title page; the body 1, 2, … from ``body_start``."""
    return tuple(
        to_roman(index + 1) if index < body_start else str(index - body_start + 1)
        for index in range(page_count)
    )


def page_map(book: Book, pages: Sequence[object], labels: Sequence[str]) -> PageMap:
    """Where each laid-out page begins, from the boxes on WeasyPrint's pages."""
    order = places(book)  # place -> (depth, position in the book)
    starts: list[Place | None] = []
    for page in pages:
        known = [
            (top, order[place], place) for place, top in _places_on(page).items() if place in order
        ]
        if not known:
            starts.append(None)
            continue
        # Top of the page first; at one height the innermost block, then the first in the text.
        _, _, place = min(known, key=lambda k: (k[0], -k[1][0], k[1][1]))
        starts.append(place)
    # A page with nothing of its own (a blank page) begins where the next page does.
    following: Place | None = None
    filled: list[Place] = []
    for start in reversed(starts):
        following = start or following
        filled.append(following or (CONTENTS, None))
    filled.reverse()
    return PageMap(
        tuple(
            PageStart(label, part, block)
            for label, (part, block) in zip(labels, filled, strict=True)
        )
    )


def _places_on(page: object) -> dict[Place, float]:
    """The parts and marked blocks with a box on ``page`` (a block broken across pages is on
    both), each with the top of its highest box there."""
    places: dict[Place, float] = {}
    seen: set[int] = set()
    for box in page._page_box.descendants():  # type: ignore[attr-defined]
        element = getattr(box, "element", None)
        if element is None or id(element) in seen:
            continue
        seen.add(id(element))
        mark = element.get(MARK)
        if mark is not None:
            index, _, part = mark.partition(" ")
            place: Place = (part, int(index))
        elif (ident := element.get("id")) is not None:
            place = (ident, None)
        else:
            continue
        # The top of the box's hit area, where WeasyPrint puts an element's anchor: the border
        # box of a block, the line of an inline.
        places.setdefault(place, box.hit_area()[1])
    return places


def _author_parts(book: Book) -> Iterable[tuple[str, str]]:
    yield DISCLAIMER, book.disclaimer_html
    yield SUMMARY, book.summary_html
    for section in book.sections:
        yield section_part(section.anchor), section.html


# --- the EPUB side: markers where pages begin -------------------------------------------------


def marker_id(label: str) -> str:
    return page_id(label)


def marker(label: str) -> str:
    """A page-break marker as EPUB 3 and DPUB-ARIA define it: empty, named by its label."""
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        f'<span epub:type="pagebreak" role="doc-pagebreak" id="{marker_id(label)}" '
        f'aria-label="{escaped}"></span>'
    )


def start_markers(part: str, page_map: PageMap | None) -> str:
    """Markers of the pages that begin with ``part`` itself, for the top of its document."""
    starts = page_map.in_part(part) if page_map else []
    return "".join(marker(p.label) for p in starts if p.block is None)


def with_markers(html: str, part: str, page_map: PageMap | None) -> str:
    """``html`` of ``part`` with a marker in each block where a page begins."""
    starts = page_map.in_part(part) if page_map else []
    if not any(p.block is not None for p in starts):
        return html
    by_block: dict[int, list[str]] = {}
    for page in starts:
        if page.block is not None:
            by_block.setdefault(page.block, []).append(page.label)
    root = parse_fragment(html)
    for index, block in enumerate(list(_blocks(root))):
        if index not in by_block:
            continue
        spans = [parse_fragment(marker(label))[0] for label in by_block[index]]
        if block.tag in _INSIDE:
            for span in reversed(spans):
                span.tail = block.text
                block.text = None
                block.insert(0, span)
        else:
            for span in spans:
                block.addprevious(span)
    return fragment_markup(root)


# --- shared -----------------------------------------------------------------------------------


def _blocks(root: etree._Element) -> Iterable[etree._Element]:
    """The blocks a page can begin in, in document order; the same for both editions."""
    for element in root.iter(etree.Element):
        if element is not root and element.tag in _BLOCKS:
            yield element
