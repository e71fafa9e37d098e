"""Where a bracket that the text opens is closed: the one walk for ``![alt](…)`` figures and
``^[inline notes]``."""

from __future__ import annotations


def closing_bracket(text: str, start: int, opening: str = "[", closing: str = "]") -> int | None:
    """Index of the bracket that closes the one at ``start``, minding backslash escapes and
    nesting; ``None`` when the text, or its paragraph (a blank line ends it), never closes it."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
        elif char == "\n" and text.startswith("\n", index + 1):
            return None
        index += 1
    return None
