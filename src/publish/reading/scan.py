"""Where the code is in a Markdown text, as character ranges, found in one pass.

Math, raw TeX and raw attributes are looked for outside code only: a ``$`` or ``\\emph`` shown in
a code span or a fenced block is an example, not markup. The ranges keep the text's offsets (the
text is not blanked), so whatever is found outside them is replaced in place.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict

from publish.locate import in_fenced_code

_BACKTICKS = re.compile(r"`+")


class CodeRanges:
    """Sorted, non-overlapping ``[start, end)`` ranges of fenced blocks and code spans."""

    def __init__(self, text: str) -> None:
        ranges = _fenced_ranges(text)
        ranges += _span_ranges(text, ranges)
        ranges.sort()
        self.starts = [start for start, _ in ranges]
        self.ends = [end for _, end in ranges]

    def contains(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.ends[index]

    def next_start(self, offset: int) -> int:
        """Where the first range at or after ``offset`` starts (the text's length when none)."""
        index = bisect.bisect_left(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else 1 << 62


def _fenced_ranges(text: str) -> list[tuple[int, int]]:
    lines = text.split("\n")
    ranges: list[tuple[int, int]] = []
    offset = 0
    for line, code in zip(lines, in_fenced_code(lines), strict=True):
        end = offset + len(line) + 1
        if code:
            if ranges and ranges[-1][1] == offset:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((offset, end))
        offset = end
    return ranges


def _span_ranges(text: str, fenced: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans as CommonMark finds them: a run of n backticks up to the next run of exactly n.

    Runs are grouped by length first, so each run is looked at once whatever the text holds
    (a regular expression that searched ahead from every unmatched run would be quadratic).
    """
    fenced_starts = [start for start, _ in fenced]
    fenced_ends = [end for _, end in fenced]

    def in_fence(offset: int) -> bool:
        index = bisect.bisect_right(fenced_starts, offset) - 1
        return index >= 0 and offset < fenced_ends[index]

    runs: list[tuple[int, int]] = []
    for match in _BACKTICKS.finditer(text):
        if in_fence(match.start()):
            continue
        if match.start() > 0 and text[match.start() - 1] == "\\":
            if match.end() - match.start() == 1:
                continue  # an escaped backtick opens nothing
            runs.append((match.start() + 1, match.end()))
        else:
            runs.append(match.span())
    by_length: dict[int, list[int]] = defaultdict(list)
    for index, (start, end) in enumerate(runs):
        by_length[end - start].append(index)
    following: dict[int, int] = {}
    for indexes in by_length.values():
        for here, there in itertools.pairwise(indexes):
            following[here] = there
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        closing = following.get(index)
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans
