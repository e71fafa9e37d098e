"""Find the manuscript line a piece of converted HTML came from.

Python-Markdown keeps no source positions, so a finding about the HTML (a removed ``<script>``,
an image outside the folder) is traced back by searching the Markdown text for what the author
typed. Code is blanked out first: a ``<script>`` shown in a code block is text, not markup, and
must not attract the message meant for a real one.

This is also the one place that says where a manuscript's code is (fenced blocks, code spans):
the reader, the citations and the lint all ask here, so they never disagree about what is code.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_RAW_HTML_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*\{=html5?\}[ \t]*$", re.IGNORECASE)


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
        # Needles past their last match: every later search gives the same answer, and searching
        # again for each of a thousand findings was the square of the text's length.
        self._settled: dict[str, tuple[int | None, int | None]] = {}
        self._newlines: list[int] | None = None

    def line(self, needle: str, *, pattern: bool = False) -> int | None:
        return self.position(needle, pattern=pattern)[0]

    def position(self, needle: str, *, pattern: bool = False) -> tuple[int | None, int | None]:
        """The line and the column (from 1) of the next match, as ``line`` walks them."""
        if needle in self._settled:
            return self._settled[needle]
        regex = re.compile(needle if pattern else re.escape(needle), re.IGNORECASE)
        start = self._next.get(needle, 0)
        found = regex.search(self._searchable, start)
        if found is None:  # no match after the last: the first one stands for the rest
            first = regex.search(self._searchable) if start else None
            self._settled[needle] = self._place(first.start()) if first else (None, None)
            return self._settled[needle]
        self._next[needle] = found.end()
        return self._place(found.start())

    def _place(self, offset: int) -> tuple[int, int]:
        """The file line and column (from 1) of an offset in the text."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._searchable)]
        before = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[before - 1] + 1 if before else 0
        return self.first_line + before, offset - line_start + 1

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
    """Fenced code and code spans blanked out; line breaks kept so lines still count.

    A raw HTML block (```` ```{=html} ````) is HTML, not code: findings about it need its lines.
    """
    lines = text.split("\n")
    code = in_fenced_code(lines)
    fence: str | None = None  # the opening fence of the raw HTML block we are in
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None  # its closing fence stays blank
            else:
                code[index] = False  # the raw HTML between the fences
        elif (
            opened
            and code[index]
            and _RAW_HTML_FENCE.match(line)
            and (index == 0 or not code[index - 1] or _FENCE.match(lines[index - 1]))
        ):
            fence = opened.group(1)
    lines = ["" if blank else line for line, blank in zip(lines, code, strict=True)]
    joined = "\n".join(lines)
    return blank_code_spans(joined)


def blank_code_spans(text: str) -> str:
    """Code spans blanked out, line breaks kept."""
    return blank_spans(text, code_spans(text))


def code_spans(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each code span: a run of backticks up to the next run of the same length
    (CommonMark's rule) in the same paragraph. A backtick after a backslash opens nothing (a
    longer run after one starts a character later); runs inside ``skip`` (sorted ranges, such
    as fenced blocks) are not counted.

    Found in one pass over the runs, so that a line of a thousand unmatched backticks costs as
    much as it is long (a pattern with a lazy ``.+?`` scans to the end from every run).
    """
    runs: list[tuple[int, int]] = []
    for match in _BACKTICKS.finditer(text):
        start, end = match.span()
        if skip and inside(skip, start):
            continue
        if start > 0 and text[start - 1] == "\\":
            if end - start == 1:
                continue  # an escaped backtick opens nothing
            start += 1
        runs.append((start, end))
    # A code span never runs past a blank line (it ends the paragraph): an unpaired backtick
    # must not blank the paragraphs after it, which would hide their lines from every message.
    breaks = [m.start() for m in _BLANK_LINE.finditer(text)]
    paragraph = [bisect.bisect_right(breaks, start) for start, _ in runs]
    following: list[int | None] = [None] * len(runs)
    last_of_length: dict[tuple[int, int], int] = {}
    for index in range(len(runs) - 1, -1, -1):
        key = (paragraph[index], runs[index][1] - runs[index][0])
        following[index] = last_of_length.get(key)
        last_of_length[key] = index
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span's characters but line breaks made spaces."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def inside(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls in one of ``spans`` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, (offset, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]
