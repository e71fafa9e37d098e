"""Where the code is in a Markdown text, as character ranges, found in one pass.

Math, raw TeX and raw attributes are looked for outside code only: a ``$`` or ``\\emph`` shown in
a code span or a fenced block is an example, not markup. Fences and spans are ``locate``'s, the
one place that says where code is. The ranges keep the text's offsets (the
text is not blanked), so whatever is found outside them is replaced in place.
"""

from __future__ import annotations

import bisect

from publish.locate import code_spans, in_fenced_code


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
    """Code spans outside the fenced blocks, as the rest of publish finds them."""
    return code_spans(text, fenced)
