"""Break opportunities in runs of text too long for any line.

A line breaker that meets a "word" longer than the line tries each place it could cut it, and
WeasyPrint measures the rest of the word again at each: a 30,000-letter word took 25 s to lay
out, and 2,500 citations written side by side (``[@a][@b]…``, superscripts with no space
between) were one such word. Past ``LONG_RUN`` characters without a space, a ``<wbr>`` is put
every ``CHUNK`` characters: it shows nothing and adds no character to the text a reader copies,
but lets every edition break the run where it must. Ordinary words, addresses and numbers are
far shorter and are left alone; preformatted code is never wrapped.
"""

from __future__ import annotations

import itertools
import re

from lxml import etree

from publish.reading.characters import NOT_TEXT

LONG_RUN = 64
CHUNK = 32
# Elements inside which text continues the run around them (the rest begin a new one).
_INLINE = frozenset(
    (
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
        "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
        "var",
    )
)  # fmt: skip
_UNTOUCHED = frozenset(("pre", "script", "style", "svg", "math"))
_SPACE = re.compile(r"\s")


def break_long_runs(root: etree._Element) -> None:
    """Put ``<wbr>`` elements into every run of text longer than ``LONG_RUN`` under ``root``."""
    _Breaker().element(root)


class _Breaker:
    def __init__(self) -> None:
        self.run = 0  # characters since the last space, across inline elements

    def split(self, text: str) -> list[str]:
        """``text`` cut where a break opportunity goes (one piece when none does)."""
        cuts: list[int] = []
        position = 0
        stretches = [*_SPACE.finditer(text), None]
        for space in stretches:
            stretch_end = space.start() if space is not None else len(text)
            while True:
                if self.run < LONG_RUN:
                    next_cut = LONG_RUN
                else:
                    next_cut = LONG_RUN + ((self.run - LONG_RUN) // CHUNK + 1) * CHUNK
                needed = next_cut - self.run
                remaining = stretch_end - position
                # At a space the line can break anyway; at the end of this text the run goes on.
                if needed > remaining or (needed == remaining and space is not None):
                    break
                position += needed
                self.run = next_cut
                cuts.append(position)
            self.run += stretch_end - position
            if space is not None:
                self.run = 0
                position = space.end()
        if cuts and NOT_TEXT.search(text):
            # Text XHTML cannot carry is reported with its line after the sections are made
            # (reading/limits); lxml would refuse the pieces before that.
            return [text]
        bounds = [0, *cuts, len(text)]
        return [text[a:b] for a, b in itertools.pairwise(bounds)]

    def element(self, element: etree._Element) -> None:
        name = element.tag if isinstance(element.tag, str) else ""
        if name in _UNTOUCHED:
            self.run = 0
            return
        if name not in _INLINE:
            self.run = 0
        children: list[etree._Element] = []
        changed = False
        if element.text:
            pieces = self.split(element.text)
            if len(pieces) > 1:
                element.text = pieces[0]
                children.extend(_breaks(pieces[1:]))
                changed = True
        for child in list(element):
            self.element(child)
            children.append(child)
            if child.tail:
                pieces = self.split(child.tail)
                if len(pieces) > 1:
                    child.tail = pieces[0]
                    children.extend(_breaks(pieces[1:]))
                    changed = True
        if name not in _INLINE:
            self.run = 0
        if changed:
            element[:] = children


def _breaks(tails: list[str]) -> list[etree._Element]:
    made = []
    for tail in tails:
        wbr = etree.Element("wbr")
        wbr.tail = tail
        made.append(wbr)
    return made
