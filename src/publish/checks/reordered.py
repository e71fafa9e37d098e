"""What the PDF may print in another order: tables, footnotes and code blocks, whose words the
parity check lets move within their part.

pdftotext reads a page line by line, so a table whose cells run over several lines comes out
with the cells' lines interleaved (the first line of each cell in a row, then the second), and a
table that goes on to another page prints its header row again there. A footnote is printed at
the foot of the page that calls it, with its number, not at the end of its section; a long line
of code wraps, and its pieces are read where they sit. None of this changes what the reader can
read. So these words may move among themselves, header words and note numbers may appear more
often; a word missing from them, or one none of them holds, is still a difference.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

_NOTE_NUMBER = re.compile(r"^\d{1,4}\.?$")


@dataclass
class MovableWords:
    """One part's words that may move (tables, notes, code) and those a page may repeat."""

    cells: Counter[str] = field(default_factory=Counter)
    headers: Counter[str] = field(default_factory=Counter)

    def covers(self, missing: Sequence[str], extra: Sequence[str]) -> bool:
        """Whether a difference moves only words that may move."""
        return bool(missing or extra) and all(w in self.cells for w in (*missing, *extra))

    def settles(
        self,
        moved: Sequence[tuple[Sequence[str], Sequence[str]]],
        everywhere: Sequence[tuple[Sequence[str], Sequence[str]]],
    ) -> bool:
        """Whether the ``moved`` differences lose no word the part does not print elsewhere,
        and add only words it lacks elsewhere, headers and note numbers. ``everywhere`` is every
        difference in the part: a word may move out of a table and land in the text beside it."""
        lost: Counter[str] = Counter()
        added: Counter[str] = Counter()
        for missing, extra in everywhere:
            lost.update(missing)
            added.update(extra)
        for missing, extra in moved:
            if any(added[w] < lost[w] for w in missing):
                return False
            if any(
                lost[w] < added[w] and w not in self.headers and not _NOTE_NUMBER.match(w)
                for w in extra
            ):
                return False
        return True


# How far apart (in words of the expected text) a phrase may be read and still count as read in
# another order: about two lines of text.
NEARBY = 40


def local_moves(changes: Sequence[tuple[int, Sequence[str], Sequence[str]]]) -> set[int]:
    """The changes (by index) that take a phrase out at one place and put the same phrase back
    within ``NEARBY`` words: pdftotext reading a line out of order (a tall inline image lifts
    part of a line), not a word lost. Each change is (position, missing words, added words)."""
    paired: set[int] = set()
    for index, (position, missing, extra) in enumerate(changes):
        if index in paired or not missing or extra:
            continue
        for other, (where, lost, added) in enumerate(changes):
            if (
                other not in paired
                and other != index
                and added
                and not lost
                and abs(where - position) <= NEARBY
                and "".join(added) == "".join(missing)
            ):
                paired |= {index, other}
                break
    return paired


def movable_words(
    html: Path,
    keys: set[str],
    text_of: Callable[[etree._Element], str],
    normalise: Callable[[str], str],
) -> dict[str, MovableWords]:
    """The movable words of each part of the HTML edition named in ``keys``."""
    page = lxml.html.document_fromstring(html.read_bytes())
    found: dict[str, MovableWords] = {}
    for element in page.iter():
        key = element.get("id") or ""
        if key not in keys:
            continue
        words = MovableWords()
        for block in element.iter("table", "pre", "aside"):
            if block.tag == "aside" and block.get("role") != "doc-footnote":
                continue
            words.cells.update(normalise(text_of(block)).split())
            for head in block.iter("thead"):
                words.headers.update(normalise(text_of(head)).split())
        if words.cells:
            found[key] = words
    return found
