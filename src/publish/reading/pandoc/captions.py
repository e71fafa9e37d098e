"""Table captions as pandoc writes them, ``Table: …`` or ``: …`` just before or after a table,
and pipe tables' column widths: pandoc gives them only when a line of the table is longer than
72 columns, in proportion to the dashes of the rule under the header."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import Treeprocessor

from publish.reading.pandoc.tables import LINE_WIDTH, add_widths

_CAPTION = re.compile(r"(?:[Tt]able)?:[ \t]+(?P<text>\S.*)", re.DOTALL)
_PENDING = "__pandoc_caption"


class CaptionProcessor(BlockProcessor):
    """A caption paragraph after a table goes into it; ``Table: …`` before a table is marked
    and moved into the table that follows (``_CaptionsBefore``), or left as the paragraph it
    was when no table follows."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_CAPTION.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        match = _CAPTION.match(blocks[0])
        assert match is not None
        sibling = self.lastChild(parent)
        text = " ".join(match.group("text").split())
        if sibling is not None and sibling.tag == "table" and sibling.find("caption") is None:
            caption = etree.Element("caption")
            caption.text = text
            sibling.insert(0, caption)
            del blocks[0]
            return True
        if not blocks[0].lower().startswith("table:"):
            return False  # ": …" with no table before it: a definition, or a paragraph
        paragraph = etree.SubElement(parent, "p", {_PENDING: text})
        paragraph.text = " ".join(blocks.pop(0).split())
        return True


class _CaptionsBefore(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for index, child in enumerate(children):
                text = child.attrib.pop(_PENDING, None)
                if text is None:
                    continue
                following = children[index + 1] if index + 1 < len(children) else None
                if (
                    following is not None
                    and following.tag == "table"
                    and following.find("caption") is None
                ):
                    caption = etree.Element("caption")
                    caption.text = text
                    following.insert(0, caption)
                    parent.remove(child)


class WidePipeTableProcessor(TableProcessor):
    """Python-Markdown's pipe tables, with pandoc's widths when the table is wider than the
    line (pandoc's rule: otherwise the columns take the width their content needs)."""

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        lines = blocks[0].split("\n")
        wide = any(len(line) > LINE_WIDTH for line in lines)
        rule = lines[1] if len(lines) > 1 else ""
        super().run(parent, blocks)
        table = self.lastChild(parent)
        if not wide or table is None or table.tag != "table":
            return
        parts = [part.strip() for part in rule.strip().strip("|").split("|")]
        lengths = [len(part) for part in parts]
        if sum(lengths):
            add_widths(table, [length / sum(lengths) for length in lengths])


def register(md: markdown.Markdown) -> None:
    # Before the definition lists (25) read ": caption" as a definition, and paragraphs.
    md.parser.blockprocessors.register(CaptionProcessor(md.parser), "pandoc_caption", 74)
    config = md.parser.blockprocessors["table"].config  # type: ignore[attr-defined]
    md.parser.blockprocessors.register(WidePipeTableProcessor(md.parser, config), "table", 75)
    # Before the inline patterns (20), which then read the caption as the text they read.
    md.treeprocessors.register(_CaptionsBefore(md), "pandoc_captions_before", 20.5)
