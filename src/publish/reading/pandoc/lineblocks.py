"""Pandoc's line blocks: lines that begin with ``| `` keep their breaks and their leading
spaces (verse, addresses); a line that begins with a space continues the one before it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor

_LINE = re.compile(r"\|(?: (?P<text>.*)|$)")
# A pipe table's rule under its header: the block is a table, not verse. Possessive: two runs
# of spaces side by side (no '|' between) were otherwise split every way on a line of spaces.
_TABLE_RULE = re.compile(r" *+\|? *+:?-++:? *+(?:\| *+:?-++:? *+)*+\|? *+$")


class LineBlockProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        if not block.startswith("|"):
            return False
        lines = block.split("\n")
        return all(_LINE.match(line) or line.startswith(" ") for line in lines) and not any(
            _TABLE_RULE.match(line) for line in lines
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        verses: list[str] = []
        for line in blocks.pop(0).split("\n"):
            match = _LINE.match(line)
            if match is None:
                verses[-1] += " " + line.strip()
                continue
            text = match.group("text") or ""
            stripped = text.lstrip(" ")
            # Leading spaces are kept, as pandoc keeps them, as no-break spaces.
            verses.append("\u00a0" * (len(text) - len(stripped)) + stripped)
        block = etree.SubElement(parent, "div", {"class": "line-block"})
        # One text run with line breaks: the inline patterns see each verse's markup, and a
        # placeholder for each break keeps them apart.
        block.text = "\n".join(verses)
        block.set("__line_block", "1")


class _LineBreaks(markdown.treeprocessors.Treeprocessor):
    """After the inline patterns: each line end of a line block becomes a ``<br>``."""

    def run(self, root: etree.Element) -> None:
        for block in root.iter("div"):
            if block.attrib.pop("__line_block", None) is None:
                continue
            _break_lines(block)


def _break_lines(element: etree.Element) -> None:
    def split(text: str | None) -> tuple[str | None, list[str]]:
        if not text or "\n" not in text:
            return text, []
        first, *more = text.split("\n")
        return first, more

    head, more = split(element.text)
    element.text = head
    position = 0
    for line in more:
        br = etree.Element("br")
        br.tail = line
        element.insert(position, br)
        position += 1
    for child in list(element)[position:]:
        tail, more = split(child.tail)
        child.tail = tail
        index = list(element).index(child) + 1
        for line in more:
            br = etree.Element("br")
            br.tail = line
            element.insert(index, br)
            index += 1


def register(md: markdown.Markdown) -> None:
    # Before tables (75) and paragraphs.
    md.parser.blockprocessors.register(LineBlockProcessor(md.parser), "pandoc_line_block", 76)
    # After the inline patterns (20).
    md.treeprocessors.register(_LineBreaks(md), "pandoc_line_breaks", 19)
