"""The Markdown plumbing: the processors that carry a citation through Python-Markdown, from a
token in the lines to a placeholder element and, in reading order, to its rendered cluster."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import Protocol

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from publish.reading.citations.syntax import Occurrence

# Private-use noncharacters: never meaningful in a manuscript, never used by Python-Markdown.
_TOKEN = re.compile("\ufdd0([0-9]+)\ufdd1")


def token(index: int) -> str:
    """What stands in the lines for the occurrence at ``index`` until the tree is built."""
    return f"\ufdd0{index}\ufdd1"


class CitationState(Protocol):
    """What the processors need of the manuscript's citations (``numbering.Citations``)."""

    occurrences: list[Occurrence]

    def tokenize(self, lines: list[str]) -> list[str]: ...

    def render_placeholder(self, element: ET.Element) -> None: ...


class _TokenPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, citations: CitationState) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, lines: list[str]) -> list[str]:
        return self.citations.tokenize(lines)


class _TokenPattern(InlineProcessor):
    def __init__(self, md: Markdown) -> None:
        super().__init__(_TOKEN.pattern, md)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        placeholder = ET.Element("cite-placeholder")
        placeholder.set("data-citation", m.group(1))
        return placeholder, m.start(0), m.end(0)


class _NumberingTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, citations: CitationState) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, root: ET.Element) -> None:
        for placeholder in [e for e in root.iter("cite-placeholder")]:
            self.citations.render_placeholder(placeholder)


class _RestorePostprocessor(Postprocessor):
    """Tokens that reached no inline pattern were in code: give back what the author wrote."""

    def __init__(self, md: Markdown, citations: CitationState) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, text: str) -> str:
        occurrences = self.citations.occurrences
        return _TOKEN.sub(lambda m: html.escape(occurrences[int(m.group(1))].source), text)


class CitationExtension(Extension):
    def __init__(self, citations: CitationState) -> None:
        super().__init__()
        self.citations = citations

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before fenced code (25) changes the line count.
        md.preprocessors.register(_TokenPreprocessor(md, self.citations), "citations", 28)
        # After code spans (190): a token is never inside one, but be safe.
        md.inlinePatterns.register(_TokenPattern(md), "citations", 185)
        # After inline patterns (20) have made every placeholder.
        md.treeprocessors.register(_NumberingTreeprocessor(md, self.citations), "citations", 19)
        md.postprocessors.register(_RestorePostprocessor(md, self.citations), "citations", 5)
