"""Rewrites that only prose may see: the text a preprocessor changes, given back as typed
wherever it lands in code.

Preprocessors see the manuscript before blocks are parsed, so they cannot tell an indented code
block from a paragraph (in a list, four spaces more than the item's text; at the top level, four
spaces after a blank line): only the block parser knows. A rewrite made there is written as a
token; inline processing, which never runs in code, turns the token into the new text, and what
is left afterwards (in code, in an attribute) turns back into what the author typed.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor

_TOKEN = re.compile("\ufdd6([0-9]+)\ufdd7")


class Deferred:
    """One Markdown converter's rewrites: (as typed, as prose shows it), by token number."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def defer(self, typed: str, shown: str) -> str:
        """The token to write in place of ``typed``; prose will show ``shown`` instead."""
        self.items.append((typed, shown))
        return f"\ufdd6{len(self.items) - 1}\ufdd7"


def on(md: markdown.Markdown) -> Deferred:
    """The converter's rewrites, installing the two steps that resolve them on first use."""
    found = getattr(md, "_publish_deferred", None)
    if isinstance(found, Deferred):
        return found
    deferred = Deferred()
    md._publish_deferred = deferred  # type: ignore[attr-defined]
    # Before backslash escapes (180) and everything that reads prose.
    md.inlinePatterns.register(_Shown(md, deferred), "deferred_text", 187)
    md.postprocessors.register(_Typed(md, deferred), "deferred_text", 4)
    return deferred


class _Shown(InlineProcessor):
    def __init__(self, md: markdown.Markdown, deferred: Deferred) -> None:
        super().__init__(_TOKEN.pattern, md)
        self.deferred = deferred

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str, int, int]:
        return self.deferred.items[int(m.group(1))][1], m.start(0), m.end(0)


class _Typed(Postprocessor):
    """Tokens no inline step reached are in code or an attribute: the text as typed."""

    def __init__(self, md: markdown.Markdown, deferred: Deferred) -> None:
        super().__init__(md)
        self.deferred = deferred

    def run(self, text: str) -> str:
        if "\ufdd6" not in text:
            return text
        items = self.deferred.items
        return _TOKEN.sub(lambda m: html.escape(items[int(m.group(1))][0], quote=False), text)
