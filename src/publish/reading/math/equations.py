"""Display equations numbered in reading order and referred to as pandoc-crossref does.

``$$ … $$ {#eq:label}`` numbers an equation; ``@eq:label`` and ``[@eq:label]`` print
"eq. 1", ``@Eq:label`` "Eq. 1", and the TeX ``\\ref{eq:label}`` "1", ``\\eqref`` "(1)",
``\\autoref`` "Equation 1". The prefix ``eq:`` keeps these apart from citation keys.
"""

from __future__ import annotations

PREFIXES = {"eq": "eq.\u00a0", "Eq": "Eq.\u00a0", "autoref": "Equation\u00a0", "cref": "eq.\u00a0",
            "Cref": "Eq.\u00a0"}  # fmt: skip


class EquationNumbers:
    """Labels to numbers, in the order the equations are read."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, label: str) -> int | None:
        """A new label's number; ``None`` for a label already taken."""
        if label in self.numbers:
            return None
        self.numbers[label] = len(self.numbers) + 1
        return self.numbers[label]


def reference_text(label: str, style: str, numbers: EquationNumbers) -> str | None:
    """What a reference to ``label`` prints, or ``None`` when no equation has that label."""
    number = numbers.numbers.get(label)
    if number is None:
        return None
    if style == "eqref":
        return f"({number})"
    return f"{PREFIXES.get(style, '')}{number}"
