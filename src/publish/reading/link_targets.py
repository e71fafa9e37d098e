"""Link and image targets read in time linear in the text, whatever the text.

Python-Markdown reads the ``(destination "title")`` after a link's text by walking the text from
the ``(`` until the parentheses balance. Where they never do, each ``](`` walked to the end of
the paragraph: a line of 3,000 ``a-]([@`` took seconds, four times as many sixteen times as
long. The walk here is Python-Markdown's own, step for step, so every link it closes reads as
before; it only stops where no ordinary link goes: parentheses nested more than 32 deep (as
CommonMark bounds them), more than 64 parentheses and quotes, or more than 8,192 characters.
Such a target is text, as an unclosed one always was. It jumps from one parenthesis or quote
to the next, rather than looking at every character in Python.

One case of the walk lost text and is text now: a title whose quote never closes, where the
walk's fallback end was never found (``[a](b "c (d``), which swallowed the rest of the
paragraph.

pymdown-extensions' bracketed spans (``[text]{.class}``) looked for the last ``}`` on the line
with a pattern that ran to the line's end from every ``]{``; the same match is found here
between the ``{`` and that ``}``, found once for the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

import markdown
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
    dequote,
)

MAX_PAREN_DEPTH = 32
MAX_TARGET_EVENTS = 64  # parentheses and quotes in one destination and title
MAX_TARGET_LENGTH = 8_192
_EVENT = re.compile(r"""[()'"]""")


class _BoundedTarget(LinkInlineProcessor):
    """``getLink`` as Python-Markdown's, within the bounds above."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = self.RE_LINK.match(data, pos=index)
        if m is None or m.group(1):
            return super().getLink(data, index)  # no '(' at all, or '<destination>': no walk
        href, title, index, handled = self._walk(data, m.end())
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(title.strip())))
        return self.unescape(href).strip(), title, index, handled

    def _walk(self, data: str, start_index: int) -> tuple[str, str | None, int, bool]:
        # The names and every step are Python-Markdown's (LinkInlineProcessor.getLink), so
        # that the two can be read side by side; `index` is the position after `c`.
        bracket_count = backtrack_count = 1
        last_bracket = -1
        quote: str | None = None
        start_quote = exit_quote = -1
        ignore_matches = False
        alt_quote: str | None = None
        start_alt_quote = exit_alt_quote = -1
        last = ""
        limit = min(len(data), start_index + MAX_TARGET_LENGTH)
        previous = start_index
        for events, event in enumerate(_EVENT.finditer(data, start_index, limit), start=1):
            position = event.start()
            # What lies between two events changes only `last`: its last character not a space.
            between = data[previous:position].rstrip(" ")
            if between:
                last = between[-1]
            if events > MAX_TARGET_EVENTS:
                return _fallback(data, start_index, last_bracket, backtrack_count)
            c = data[position]
            index = position
            if c == "(":
                if not ignore_matches:
                    bracket_count += 1
                elif backtrack_count > 0:
                    backtrack_count -= 1
            elif c == ")":
                if (exit_quote != -1 and quote == last) or (
                    exit_alt_quote != -1 and alt_quote == last
                ):
                    bracket_count = 0
                elif not ignore_matches:
                    bracket_count -= 1
                elif backtrack_count > 0:
                    backtrack_count -= 1
                    if backtrack_count == 0:
                        last_bracket = index + 1
            elif not quote:
                ignore_matches = True
                backtrack_count = bracket_count
                bracket_count = 1
                start_quote = index + 1
                quote = c
            elif c != quote and not alt_quote:
                start_alt_quote = index + 1
                alt_quote = c
            elif c == quote:
                exit_quote = index + 1
            elif alt_quote and c == alt_quote:
                exit_alt_quote = index + 1
            index += 1
            if bracket_count == 0:
                if exit_quote >= 0 and quote == last:
                    return (
                        data[start_index : start_quote - 1],
                        data[start_quote : exit_quote - 1],
                        index,
                        True,
                    )
                if exit_alt_quote >= 0 and alt_quote == last:
                    href = data[start_index : start_alt_quote - 1]
                    return href, data[start_alt_quote : exit_alt_quote - 1], index, True
                return data[start_index : index - 1], None, index, True
            if bracket_count > MAX_PAREN_DEPTH:
                return "", None, index, False
            last = c
            previous = position + 1
        return _fallback(data, start_index, last_bracket, backtrack_count)


def _fallback(
    data: str, start_index: int, last_bracket: int, backtrack_count: int
) -> tuple[str, str | None, int, bool]:
    """Where a quote never closed: the destination ends at the ``)`` that balanced the ones
    before the quote (``[test](link"notitle)``), if there was one; else it is no link."""
    if backtrack_count == 0 and last_bracket != -1:
        return data[start_index : last_bracket - 1], None, last_bracket, True
    return "", None, start_index, False


class BoundedLink(_BoundedTarget):
    pass


class BoundedImage(_BoundedTarget, ImageInlineProcessor):
    pass


class _LastBraceOfLine:
    """``pattern.match(data, pos)`` with the same answer, in time linear in ``data`` overall:
    for a pattern whose first alternative runs from ``{`` to the last ``}`` on the line (its
    ``[^\\n]*`` is greedy), the match is sought only up to that ``}``."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._data: str | None = None
        self._line_ends: list[int] = []
        self._braces: list[int] = []

    def match(self, data: str, pos: int = 0) -> re.Match[str] | None:
        if not data.startswith("{", pos):
            return None
        if data is not self._data:
            self._data = data
            self._line_ends = [m.start() for m in re.finditer("\n", data)]
            self._braces = [m.start() for m in re.finditer("}", data)]
        at = bisect_left(self._line_ends, pos)
        line_end = self._line_ends[at] if at < len(self._line_ends) else len(data)
        before = bisect_left(self._braces, line_end) - 1
        if before >= 0 and self._braces[before] > pos:
            found = self.pattern.match(data, pos, self._braces[before] + 1)
            if found is not None:
                return found
        # The other alternative, '{' and '}' with only white space between, may span lines.
        return self.pattern.match(data, pos, pos + 1 + _spaces(data, pos + 1) + 1)


_SPACE_RUN = re.compile(r"\s*")


def _spaces(data: str, pos: int) -> int:
    found = _SPACE_RUN.match(data, pos)
    return len(found.group()) if found else 0


class LinearLinks(markdown.Extension):
    """Load after the extensions that register ``link``, ``image_link`` and ``bracket_span``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(BoundedLink(LINK_RE, md), "link", 160)
        md.inlinePatterns.register(BoundedImage(IMAGE_LINK_RE, md), "image_link", 150)
        if "bracket_span" in md.inlinePatterns:
            spans: Any = md.inlinePatterns["bracket_span"]
            spans.ATTR_RE = _LastBraceOfLine(spans.ATTR_RE)
