"""Fenced code inside a list item or a block quote, as pandoc and CommonMark read it.

Python-Markdown finds fenced code in one pass over the whole text, before any block is parsed,
and only where a fence starts its line: a fence indented under a list item (installation steps,
say) or written after ``> `` came out as a paragraph holding inline code, its language name
first. Here a block processor sees each block once its container has taken off its indentation
or its ``>``, and hands a fenced code block in it to the same fenced-code step the top level
uses, so both read fences, languages and attributes alike. As in pandoc, the fence may follow a
paragraph line directly, and may be indented up to three spaces, which its lines lose too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor

# A backtick fence's info string holds no backtick: "```code``` and more" is inline code.
_OPENING = re.compile(r"^( {0,3})(`{3,}(?=[^`\n]*$)|~{3,})", re.MULTILINE)


class NestedFences(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return ("``" in block or "~~" in block) and _OPENING.search(_own(parent, block)) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        block = _own(parent, blocks[0])
        opening = _OPENING.search(block)
        if opening is None:
            return False
        indent, fence = len(opening.group(1)), opening.group(2)
        before, first = block[: opening.start()], block[opening.start() :]
        # A blank line inside the code splits it into blocks: take them up to the closing fence.
        taken = [first, *blocks[1:]]
        for count in range(1, len(taken) + 1):
            lines = taken[count - 1].split("\n")
            if any(_closes(line, fence) for line in (lines[1:] if count == 1 else lines)):
                break
        else:
            return False  # never closed: the text is what it looks like
        code_lines = "\n\n".join(taken[:count]).split("\n")
        closing = next(i for i, ln in enumerate(code_lines) if i and _closes(ln, fence))
        unindented = [_dedent(line, indent) for line in code_lines[: closing + 1]]
        unindented[-1] = fence  # Python-Markdown closes only on the opening fence, as typed
        rest = "\n".join(code_lines[closing + 1 :])
        fenced = self.parser.md.preprocessors["fenced_code_block"]
        stashed = "\n".join(fenced.run(unindented)).strip("\n")
        if stashed == "\n".join(unindented):
            return False  # not a block the fenced-code step reads (an unbalanced brace)
        del blocks[:count]
        if rest.strip():
            blocks.insert(0, rest)
        if before.strip():
            self.parser.parseBlocks(parent, [before.rstrip("\n")])
        self.parser.parseChunk(parent, stashed)
        return None


def _own(parent: etree.Element, block: str) -> str:
    """The block as its container holds it: an item's own block keeps the item's indentation
    (four spaces, as the list preprocessor wrote it) on the lines after its first."""
    if parent.tag != "li" or "\n" not in block:
        return block
    head, *tail = block.split("\n")
    return "\n".join([head, *(_dedent(line, 4) for line in tail)])


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(line) - len(line.lstrip(" ")) < 4 and (
        stripped.startswith(fence) and not stripped.strip(fence[0])
    )


def _dedent(line: str, width: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width) :]


def register(md: markdown.Markdown) -> None:
    # Below 'indent' (90), which hands a list item's indented blocks to their item first, and
    # above indented code (80) and paragraphs.
    md.parser.blockprocessors.register(NestedFences(md.parser), "pandoc_nested_fences", 85)
