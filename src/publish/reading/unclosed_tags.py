"""A ``<`` that starts no tag is text, said before Python's HTML parser can be asked about it.

Python-Markdown finds raw HTML with the standard library's ``HTMLParser``, which, for each ``<``
followed by a letter, scans ahead for the end of the tag; a ``<x`` that never closes is retried
from the next character. A line of many unclosed ``<a`` (``a <b and c`` a thousand times) so
costs the square of its length. A tag cannot hold another tag's ``<`` outside its quoted values,
so every ``<`` followed by a letter that meets a second one before any ``>`` is no tag: it is
written as ``&lt;`` (which every edition prints as ``<``) in one pass over the text.
Code is left alone: fenced blocks are stashed before this runs, and code spans are skipped.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from publish.locate import code_spans, inside

# A tag's opening, a quote that starts an attribute value, and a tag's end.
_SIGNIFICANT = re.compile(r"<[A-Za-z/!?]|[\"'>]")


def unclosed_openings(text: str) -> list[int]:
    """Offsets of each ``<`` that starts a tag which meets another ``<`` before its ``>``."""
    spans = code_spans(text)
    refused: list[int] = []
    open_at: int | None = None
    position = 0
    while (found := _SIGNIFICANT.search(text, position)) is not None:
        mark = found.start()
        position = found.end()
        if inside(spans, mark):
            continue
        char = text[mark]
        if text.startswith("<!--", mark):
            # A comment (a lint marker among them) may hold anything up to its end.
            end = text.find("-->", mark + 4)
            if end < 0:
                break
            open_at = None
            position = end + 3
        elif char == "<":
            if open_at is not None:
                refused.append(open_at)
            open_at = mark
        elif char == ">":
            open_at = None
        elif open_at is not None and text[max(open_at, mark - 8) : mark].rstrip().endswith("="):
            # A quoted attribute value: its own '<' and '>' are not the tag's.
            closing = text.find(char, mark + 1)
            if closing < 0:
                refused.append(open_at)
                open_at = None
                continue
            position = closing + 1
    return refused


class _EscapeUnclosed(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if text.count("<") < 2:
            return lines
        refused = unclosed_openings(text)
        if not refused:
            return lines
        pieces: list[str] = []
        last = 0
        for offset in refused:
            pieces.append(text[last:offset])
            pieces.append("&lt;")
            last = offset + 1
        pieces.append(text[last:])
        return "".join(pieces).split("\n")


class EscapeUnclosedTags(Extension):
    """Registers the pass after fenced code is stashed and before raw HTML is looked for."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.register(_EscapeUnclosed(md), "escape-unclosed-tags", 22)
