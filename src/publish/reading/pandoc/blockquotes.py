"""Block quotes as pandoc reads them: a blank line ends one.

Python-Markdown adds a quote that follows a quote after a blank line to the first one, so two
quotations (or two GitHub alerts) became one. Pandoc and CommonMark start a new quote; a quote
that goes on after a blank line marks the line with ``>``, which keeps the block whole.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockQuoteProcessor


class SeparateQuotes(BlockQuoteProcessor):
    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.RE.search(block)
        if match:
            self.parser.parseBlocks(parent, [block[: match.start()]])
            block = "\n".join(self.clean(line) for line in block[match.start() :].split("\n"))
        quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


def register(md: markdown.Markdown) -> None:
    md.parser.blockprocessors.register(SeparateQuotes(md.parser), "quote", 20)
