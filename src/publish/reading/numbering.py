"""Numbered headings (pandoc's ``numbersections``): 1, 1.1, 1.1.1, … in reading order.

As pandoc writes them, the number is a ``span.header-section-number`` before the heading's text,
so the contents and the PDF bookmarks show it too; a heading with the class ``unnumbered``
keeps no number and does not advance the count.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from publish.reading.markup import HEADING_TAGS, RawSection

NUMBER_CLASS = "header-section-number"


def number_headings(sections: Sequence[RawSection]) -> None:
    counters = [0] * 6
    for section in sections:
        for heading in (section.heading, *section.blocks):
            if heading.tag not in HEADING_TAGS:
                continue
            if "unnumbered" in (heading.get("class") or "").split():
                continue
            level = int(str(heading.tag)[1])
            counters[level - 1] += 1
            counters[level:] = [0] * (6 - level)
            number = ".".join(str(n) for n in counters[:level])
            _prefix(heading, number)


def _prefix(heading: etree._Element, number: str) -> None:
    span = etree.Element("span")
    span.set("class", NUMBER_CLASS)
    span.text = number
    span.tail = " " + (heading.text or "")
    heading.text = None
    heading.insert(0, span)
