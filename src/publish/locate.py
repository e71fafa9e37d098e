"""Find the manuscript line a piece of converted HTML came from.

Python-Markdown keeps no source positions, so a finding about the HTML (a removed ``<script>``,
an image outside the folder) is traced back by searching the Markdown text for what the author
typed. Code is blanked out first: a ``<script>`` shown in a code block is text, not markup, and
must not attract the message meant for a real one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A code span never runs past a blank line (it ends the paragraph): an unpaired backtick must
# not blank the paragraphs after it, which would hide their lines from every message.
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)


class SourceLocator:
    """Maps what the author typed to file lines; repeated searches walk through repeated matches.

    The n-th finding about ``<script>`` is given the line of the n-th ``<script`` in the text,
    so two scripts get two lines; when the text holds fewer matches than findings, the last
    match is reused rather than no line at all.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self.first_line = first_line
        self._searchable = blank_code(text)
        self._next: dict[str, int] = {}

    def line(self, needle: str, *, pattern: bool = False) -> int | None:
        regex = re.compile(needle if pattern else re.escape(needle), re.IGNORECASE)
        start = self._next.get(needle, 0)
        found = regex.search(self._searchable, start) or regex.search(self._searchable)
        if found is None:
            return None
        if found.start() >= start:
            self._next[needle] = found.end()
        return self.first_line + self._searchable.count("\n", 0, found.start())

    def first_line_of_pattern(self, pattern: str) -> int | None:
        """The line of the first match of the regular expression, without moving on."""
        found = re.compile(pattern, re.IGNORECASE | re.MULTILINE).search(self._searchable)
        return (
            None
            if found is None
            else self.first_line + self._searchable.count("\n", 0, found.start())
        )

    def nth_line_of_pattern(self, pattern: str, n: int) -> int | None:
        """The line of the ``n``-th match (from 1) of the regular expression; ``None`` when the
        text holds fewer."""
        for count, found in enumerate(
            re.finditer(pattern, self._searchable, re.IGNORECASE | re.MULTILINE), 1
        ):
            if count >= n:
                return self.first_line + self._searchable.count("\n", 0, found.start())
        return None

    def first_line_of(self, needle: str) -> int | None:
        """The line of the first match, without moving on (for a message about one place)."""
        index = self._searchable.find(needle)
        return None if index < 0 else self.first_line + self._searchable.count("\n", 0, index)


def in_fenced_code(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to fenced code, its opening and closing fences included.

    A fence closes only with the same character, at least as long (CommonMark's rule), so a
    citation, heading or tag shown as code is never taken for the real thing.
    """
    flags: list[bool] = []
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        if fence is not None:
            flags.append(True)
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            flags.append(True)
            fence = opened.group(1)
        else:
            flags.append(False)
    return flags


def blank_code(text: str) -> str:
    """Fenced code and code spans blanked out; line breaks kept so lines still count."""
    lines = text.split("\n")
    lines = ["" if code else line for line, code in zip(lines, in_fenced_code(lines), strict=True)]
    joined = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), joined)
