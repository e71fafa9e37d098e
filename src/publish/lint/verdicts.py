"""What the lint found in one source paragraph, sentence by sentence, across both its passes.

The source pass and the rendered pass judge the same sentences; a sentence is reported once for
a rule, and an author's marker allows a rule in its sentence whichever pass meets it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from publish.lint.prose import Paragraph


@dataclass(frozen=True)
class Finding:
    rule: str
    offset: int
    message: str
    level: str


@dataclass
class Verdicts:
    paragraph: Paragraph
    sentences: list[tuple[int, int]]
    allowed: dict[int, set[str]] = field(default_factory=dict)
    used: set[tuple[int, str]] = field(default_factory=set)
    flagged: set[tuple[int, str, int]] = field(default_factory=set)

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence that holds ``offset`` (the first one, before any)."""
        # Sentences are in order: a bisection, so that a paragraph of many sentences and markers
        # costs n log n, not n squared.
        starts = [start for start, _ in self.sentences]
        return max(bisect.bisect_right(starts, offset) - 1, 0)
