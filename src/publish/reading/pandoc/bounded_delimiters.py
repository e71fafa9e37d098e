"""Superscript, subscript and strikeout (``^x^``, ``~x~``, ``~~x~~``) paired in linear time.

pymdown-extensions pairs these delimiters by walking, from each opening one, character by
character towards a closing one. An opening delimiter that never closes (a line of ``'~](``
and spaces, which the no-space rule of subscripts never lets pair) walked to the end of the
paragraph, and the next one again: time the square of the line. The walk here is the same,
jumping from one delimiter to the next, and it looks at no more than 64 delimiters after the
one it starts from: no ordinary ``~~strikeout~~`` holds more, and beyond them the opening
delimiter is text, as an unclosed one always was.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from pymdownx.delimiterprocessor import DelimiterProcessor

MAX_DELIMITERS_AHEAD = 64


class BoundedDelimiterProcessor(DelimiterProcessor):  # type: ignore[misc]  # untyped library
    _budget = MAX_DELIMITERS_AHEAD
    _tokens = ""
    _any_token = re.compile("(?!)")

    def _handle_match(
        self, m: re.Match[str], data: str, remainder: tuple[str, str] | None
    ) -> tuple[etree.Element | None, int | None, int | None]:
        self._budget = MAX_DELIMITERS_AHEAD
        handled: tuple[etree.Element | None, int | None, int | None]
        handled = super()._handle_match(m, data, remainder)
        return handled

    def search(self, data: str, start: int) -> re.Match[str] | None:
        # pymdown-extensions' own search, from one delimiter character to the next.
        tokens = "".join(self.delimiters)
        if self._tokens != tokens:
            self._tokens, self._any_token = tokens, re.compile(f"[{re.escape(tokens)}]")
        for found in self._any_token.finditer(data, start):
            if self._budget <= 0:
                return None
            self._budget -= 1
            i = found.start()
            self.positions.append(i)
            delimiter = self.delimiters[data[i]]
            m: re.Match[str] | None = delimiter.boundary.match(data, i)
            if m is not None:
                if not delimiter.stack and (m.lastgroup or "")[:1] == "e":
                    continue
                return m
        return None


class BoundedDelimiters(markdown.Extension):
    """Load after ``caret`` and ``tilde``, which share the ``delimiter`` processor."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if "delimiter" in md.inlinePatterns:
            processor = md.inlinePatterns["delimiter"]
            if type(processor) is DelimiterProcessor:
                # The instance caret and tilde registered their delimiters with, and keep.
                processor.__class__ = BoundedDelimiterProcessor
