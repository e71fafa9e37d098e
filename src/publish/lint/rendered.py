"""The text readers get, block by block, from the Book the reader made, mapped to source lines.

The lint's first pass reads the Markdown source (``prose``), where lines are known; but a
comment, an entity, emphasis or a tag inside a word (``cu<!-- -->res``, ``5&#x20;g``,
``cu**r**es``) splits it there and not in the editions. So the lint also judges each block of
the Book's HTML (paragraphs, list items, headings, cells, captions, notes) as a reader gets it,
normalised (``characters.normalise``), and maps each finding back to the source.

The map: the letters and digits of the source paragraphs (masked as the first pass masks
them) and those of the rendered blocks are the same letters in the same order, give or take
markup. Each block is anchored where its first letters occur in the source, from where the
previous block ended, then each of its letters is matched a few letters ahead at most. A
letter the source does not have (an entity written as ``&#99;``) keeps the place of the one
before it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from publish.lint.characters import Normalised, hidden_characters, latin_look_alike, normalise
from publish.lint.prose import Paragraph
from publish.lint.verdicts import Finding
from publish.model import Book
from publish.reading.limits import parse_fragment

_BLOCKS = frozenset(
    ("p", "li", "dt", "dd", "td", "th", "figcaption", "caption", "blockquote", "div", "aside")
) | frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "section", "figure", "table", "ul", "ol", "dl"))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_NOT_PROSE = frozenset(("code", "pre", "kbd", "samp", "script", "style", "math", "svg"))
# An address is not prose: the source pass masks it too.
# Addresses are not prose. Found word by word (a pattern such as ``\S+@\S+\.\w+`` backtracks
# through a long run of '@' or '.' in the square of its length, or worse).
_WORD = re.compile(r"\S+")
_URL_START = re.compile(r"\b(?:https?://|www\.|mailto:)")
_DOMAIN_PART = re.compile(r"\.\w")
HIDDEN = "hidden-character"
_ANCHOR = 12  # letters that find a block in the source
_LOOKAHEAD = 24  # letters of markup a block's letter may be behind in the source
_SEARCH_BUDGET = 32  # times the source's length, for blocks found out of order (notes)


@dataclass(frozen=True)
class Block:
    """One block of rendered text: normalised, with the origin of each character."""

    text: Normalised
    raw: str
    heading: bool
    cited: bool


@dataclass(frozen=True)
class Placed:
    """A block with, for each character of its text, the source place it came from."""

    block: Block
    places: list[Place | None]


@dataclass(frozen=True)
class Place:
    """Where in the source a rendered character came from: a paragraph and an offset in it."""

    paragraph: int
    offset: int


def book_blocks(book: Book) -> dict[str, list[Block]]:
    """The rendered blocks of each region the lint reads, in reading order."""
    body: list[Block] = []
    for section in book.sections:
        if section.role != "bodymatter":
            continue  # the references are made from the references file, not written here
        body.extend(_blocks(section.html))
        for note in section.notes:
            body.extend(_blocks(note.html))
    regions = {
        "body": body,
        "disclaimer": _blocks(book.disclaimer_html),
        "summary": _blocks(book.summary_html),
        "title": [_block(book.metadata.title, heading=False, cited=False)],
    }
    if book.metadata.subtitle:
        regions["subtitle"] = [_block(book.metadata.subtitle, heading=False, cited=False)]
    return regions


def _blocks(html: str) -> list[Block]:
    if not html.strip():
        return []
    root = parse_fragment(html)
    found: list[Block] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(a.tag in _NOT_PROSE for a in element.iterancestors()):
            continue
        pieces: list[str] = []
        cited = _own_text(element, pieces, top=True)
        text = "".join(pieces)
        if text.strip():
            found.append(_block(text, heading=element.tag in _HEADINGS, cited=cited))
    return found


def make_block(text: str, *, heading: bool) -> Block:
    """A block of rendered ``text`` that cites nothing (the readability rule's own blocks)."""
    return _block(text, heading=heading, cited=False)


def _block(text: str, *, heading: bool, cited: bool) -> Block:
    normalised = normalise(text)
    masked = _mask_addresses(normalised.text)
    return Block(Normalised(masked, normalised.origins), text, heading, cited)


def _mask_addresses(text: str) -> str:
    """``text`` with web and e-mail addresses made spaces, in time linear in its length."""
    pieces: list[str] = []
    last = 0
    for word in _WORD.finditer(text):
        url = _URL_START.search(text, word.start(), word.end())
        if url is not None:
            start = url.start()
        else:
            at = text.find("@", word.start(), word.end())
            if at <= word.start() or _DOMAIN_PART.search(text, at + 2, word.end()) is None:
                continue
            start = word.start()
        pieces.append(text[last:start])
        pieces.append(" " * (word.end() - start))
        last = word.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _own_text(element: etree._Element, pieces: list[str], *, top: bool = False) -> bool:
    """The text of ``element`` outside its nested blocks, code and markers; whether it cites."""
    cited = False
    if element.text:
        pieces.append(element.text)
    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif child.tag in _BLOCKS or child.tag in _NOT_PROSE:
            pieces.append(" ")  # a nested block is a block of its own
        elif _is_marker(child):
            cited = cited or "citation" in (child.get("class") or "")
            if "citation" in (child.get("class") or "") and child.text:
                pieces.append(child.text)  # the authors of an in-text citation are words
        else:
            cited = _own_text(child, pieces) or cited
        if child.tail:
            pieces.append(child.tail)
    return cited


def _is_marker(element: etree._Element) -> bool:
    """A citation's numbers or a footnote's call: numbers that are no statistic."""
    classes = (element.get("class") or "").split()
    return "citation" in classes or "footnote-ref" in classes or "footnote-backref" in classes


def _key(character: str) -> str:
    return (latin_look_alike(character) or character).lower()[:1]


class SourceMap:
    """The letters of a region's source paragraphs, to find where rendered text came from."""

    def __init__(self, paragraphs: Sequence[Paragraph]) -> None:
        keys: list[str] = []
        self.paragraphs = paragraphs
        self.places: list[Place] = []
        for index, paragraph in enumerate(paragraphs):
            for offset, character in enumerate(paragraph.text):
                if character.isalnum():
                    keys.append(_key(character))
                    self.places.append(Place(index, offset))
        self.keys = "".join(keys)
        self.position = 0
        self.budget = _SEARCH_BUDGET * (len(self.keys) + 1)

    def places_of(self, block: Block) -> list[Place | None]:
        """For each character of the block's text, the source place of the nearest letter."""
        letters = [(i, _key(c)) for i, c in enumerate(block.text.text) if c.isalnum()]
        if not letters or not self.places:
            return [None] * len(block.text.text)
        start = self._anchor("".join(key for _, key in letters[:_ANCHOR]))
        matched: list[tuple[int, int]] = []  # (offset in the block, index of the source letter)
        here = start
        for offset, key in letters:
            found = self.keys.find(key, here, here + _LOOKAHEAD)
            if found >= 0:
                here = found + 1
            source_letter = found if found >= 0 else max(here - 1, start)
            matched.append((offset, min(source_letter, len(self.places) - 1)))
        self.position = here
        return list(_spread(matched, len(block.text.text), self.places))

    def _anchor(self, anchor: str) -> int:
        near = self.keys.find(anchor, self.position, self.position + 50 * len(anchor) + 200)
        if near >= 0:
            return near
        if self.budget > 0:
            self.budget -= len(self.keys)
            anywhere = self.keys.find(anchor)
            if anywhere >= 0:
                return anywhere
        return min(self.position, len(self.keys) - 1)


def _spread(
    matched: list[tuple[int, int]], length: int, places: list[Place]
) -> Iterator[Place | None]:
    """Every character takes the place of the next letter at or after it, else the last."""
    offsets = [offset for offset, _ in matched]
    for index in range(length):
        at = bisect.bisect_left(offsets, index)
        yield places[matched[min(at, len(matched) - 1)][1]]


SentenceRules = Callable[..., list[Finding]]


def block_findings(
    blocks: Sequence[Block], source: SourceMap, rules: SentenceRules
) -> Iterator[tuple[Placed, list[tuple[int, Finding]]]]:
    """Each block placed in the source, with what ``rules`` and the character check find in it
    (offsets in the block's text)."""
    for block in blocks:
        placed = Placed(block, source.places_of(block))
        text = block.text.text
        found: list[tuple[int, Finding]] = []
        for start, end in Paragraph(text, 0).sentences():
            place = placed.places[start]
            paragraph = source.paragraphs[place.paragraph] if place is not None else None
            cited = block.cited or (paragraph is not None and paragraph.cited)
            heading = block.heading or (paragraph is not None and paragraph.heading)
            for finding in rules(text[start:end], cited=cited, heading=heading):
                found.append((start + finding.offset, finding))
        for hidden in hidden_characters(block.raw):
            offset = bisect.bisect_left(block.text.origins, hidden.offset)
            found.append((offset, Finding(HIDDEN, 0, hidden.message, "error")))
        if found:
            yield placed, found
