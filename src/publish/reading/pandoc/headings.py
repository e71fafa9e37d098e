"""ATX headings and block quotes as pandoc reads them.

The hashes are followed by a space or end the line: Python-Markdown also takes ``#word`` for a
heading, so pandoc's generic list marker ``#.`` became a heading "." (and ``#hashtag`` at a
line's start a heading). pymdown-extensions' saneheaders requires the space but makes a lone
``#`` a paragraph, where pandoc (and CommonMark) read an empty heading.

Pandoc's ``blank_before_header`` and ``blank_before_blockquote`` (both on by default): a line
that starts with ``#`` or ``>`` right under a line of a paragraph continues that paragraph, so
``text\\n# not a heading`` is one paragraph. Python-Markdown cut the paragraph there. A heading
or a quotation still follows a heading line, a quotation line, or a block Python-Markdown has
put away (fenced code, raw HTML) without a blank line between.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.util import STX

from publish.reading.pandoc.blockquotes import SeparateQuotes

_HASHES = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")
_QUOTE = re.compile(r"[ ]{0,3}>")


def _may_start_block(block: str, start: int, *, after_quote: bool = False) -> bool:
    """Whether a heading or quotation found at ``start`` (the offset of its line, or of the
    newline before it) may begin there: at the block's start, or under a line that is no
    paragraph's (a quotation's line too, for a quotation: a heading there is the quotation's
    lazy text, as in pandoc)."""
    if start <= 0:
        return True
    line_start = start + 1 if block[start] == "\n" else start
    before = block[: line_start - 1]
    previous = before[before.rfind("\n") + 1 :]
    return (
        not previous.strip()
        or bool(_HASHES.match(previous))
        or (after_quote and bool(_QUOTE.match(previous)))
        or previous.lstrip().startswith(STX)
    )


class PandocHashHeader(HashHeaderProcessor):
    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\])*?)#*(?:\n|$)")

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._search(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        match = self._search(blocks[0])
        if match is None:
            return False
        # HashHeaderProcessor.run searches with self.RE: let it find the same heading.
        block = blocks[0]
        blocks[0] = block[match.start() :]
        if match.start():
            self.parser.parseBlocks(parent, [block[: match.start()]])
        return super().run(parent, blocks)

    def _search(self, block: str) -> re.Match[str] | None:
        for match in self.RE.finditer(block):
            if _may_start_block(block, match.start()):
                return match
        return None


class PandocBlockQuote(SeparateQuotes):
    """``blockquotes``' quotes (a blank line ends one), under pandoc's blank_before_blockquote."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return super().test(parent, block) and any(
            _may_start_block(block, m.start(), after_quote=True) for m in self.RE.finditer(block)
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks[0]
        starts = (m for m in self.RE.finditer(block))
        match = next(m for m in starts if _may_start_block(block, m.start(), after_quote=True))
        if match.start():
            # The lines before the quotation first, as BlockQuoteProcessor reads them.
            blocks[0] = block[match.start() :].lstrip("\n")
            self.parser.parseBlocks(parent, [block[: match.start()]])
        super().run(parent, blocks)


def register(md: markdown.Markdown) -> None:
    md.parser.blockprocessors.register(PandocHashHeader(md.parser), "hashheader", 70)


def register_quotes(md: markdown.Markdown) -> None:
    """After ``blockquotes``: this quote processor takes the place of its own."""
    md.parser.blockprocessors.register(PandocBlockQuote(md.parser), "quote", 20)
