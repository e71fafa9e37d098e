"""What the lint found in one source paragraph, sentence by sentence, across both its passes.

The source pass and the rendered pass judge the same sentences; a sentence is reported once for
a rule, and an author's marker allows a rule in its sentence whichever pass meets it.
"""

from __future__ import annotations

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
        return max((i for i, (s, _) in enumerate(self.sentences) if s <= offset), default=0)
