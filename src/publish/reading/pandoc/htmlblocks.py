"""Pandoc's ``markdown_in_html_blocks``: Markdown inside a raw HTML block is read as Markdown.

```` <div class="box">\\n**bold**\\n</div> ````: pandoc reads the ``**bold**``; Python-Markdown,
even with md_in_html, only when the tag says ``markdown="1"``. Here every block-level tag at a
line's start that says nothing holds Markdown, as pandoc reads it: blocks in ``div``,
``section``, ``aside``, ``details``, ``blockquote``, ``figure``, …, inline text in ``p``,
``summary``, ``figcaption``, the headings, … (md_in_html's own split between the two). Never in
``pre``, ``script``, ``style``, ``textarea`` (pandoc's verbatim tags) nor in a table's or a list's
structure, where text between the rows or items would become stray paragraphs, nor in what the
sanitiser removes (``iframe``, ``object``, ``form``, …: left as they were, the sanitiser's to
report); ``markdown="0"`` keeps a block raw.

A tag that is never closed stays raw: Python-Markdown then runs it to the end of the text, and
the guard reports it as the error it is (``safety.untrusted``), instead of a div that silently
holds the rest of the book.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import markdown
from markdown.extensions.md_in_html import HtmlBlockPreprocessor, HTMLExtractorExtra

from publish.safety.sanitise import ALLOWED_TAGS

# A table's and a list's structure: their Markdown is read in the cells and items pandoc reads,
# but left raw here (see the module's docstring).
_STRUCTURE = frozenset(
    {"table", "thead", "tbody", "tfoot", "tr", "colgroup", "col", "ul", "ol", "dl", "menu"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")

State = Literal["block", "span", "off", None]


class _PandocExtractor(HTMLExtractorExtra):
    """md_in_html's parser, with ``markdown="1"`` the default of a closed block-level tag."""

    mdstate: list[State]  # md_in_html's: the states of the open elements, set in reset()

    def __init__(self, md: markdown.Markdown, *args: Any, **kwargs: Any) -> None:
        super().__init__(md, *args, **kwargs)
        self._closed: set[int] | None = None

    def get_state(self, tag: str, attrs: Mapping[str, str]) -> State:
        if (
            "markdown" not in attrs
            and tag not in self.raw_tags
            and tag not in _STRUCTURE
            and tag in ALLOWED_TAGS  # what the sanitiser removes is left as it always was
            and (not self.mdstate or self.mdstate[-1] == "block")
            and self._is_closed()
        ):
            attrs = {**attrs, "markdown": "1"}
        state: State = super().get_state(tag, attrs)
        return state

    def _is_closed(self) -> bool:
        if self._closed is None:
            self._closed = _closed_starts(self.rawdata)
        return self.line_offset + self.offset in self._closed


def _closed_starts(text: str) -> set[int]:
    """Where each start tag that has its end tag later in ``text`` begins."""
    open_at: dict[str, list[int]] = {}
    closed: set[int] = set()
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if match.group(1):
            starts = open_at.get(name)
            if starts:
                closed.add(starts.pop())
        elif not match.group(0).endswith("/>"):
            open_at.setdefault(name, []).append(match.start())
    return closed


class PandocHtmlBlocks(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if "<" not in source:
            return lines
        parser = _PandocExtractor(self.md)
        parser.feed(source)
        parser.close()
        return "".join(parser.cleandoc).split("\n")


def register(md: markdown.Markdown) -> None:
    # md_in_html's preprocessor (not Python-Markdown's own) is the one this one replaces.
    if "html_block" in md.preprocessors and isinstance(
        md.preprocessors["html_block"], HtmlBlockPreprocessor
    ):
        md.preprocessors.register(PandocHtmlBlocks(md), "html_block", 20)
