"""Find the formulas in a Markdown text, by pandoc's ``tex_math_dollars`` rules, in linear time.

- ``$…$`` is inline math when the opening ``$`` has a non-space right after it, the closing one a
  non-space right before it and no digit right after it (so ``$20 and $30`` stays prices);
- ``$$…$$`` is display math, and may be followed by ``{#eq:label}`` (pandoc-crossref);
- ``\\(…\\)`` and ``\\[…\\]`` (pandoc's ``tex_math_single_backslash``) are inline and display math;
- ``\\$`` is a dollar sign, never a delimiter; nothing in code counts; no formula holds a blank
  line (a formula never runs across paragraphs).

Every candidate closing delimiter is found by a look-up in lists made in one pass, never by
searching ahead from each opening one, so a text full of unmatched ``$`` stays linear.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from publish.reading.scan import CodeRanges

_DELIMITER = re.compile(r"\\[$()\[\]]|\$\$|\$")
_LABEL = re.compile(r"[ \t]*\{#(eq:[A-Za-z0-9_:.-]+)\}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Found:
    """One formula: where it is in the text (delimiters and label included), its TeX."""

    start: int
    end: int
    tex: str
    display: bool
    label: str | None = None
    tex_start: int = 0  # where the TeX itself starts, for the column of a parse error


@dataclass(frozen=True)
class Escape:
    """A ``\\$``: a dollar sign the author wants printed."""

    start: int
    end: int


def find_math(text: str, code: CodeRanges) -> list[Found | Escape]:
    tokens = [
        (m.start(), m.group()) for m in _DELIMITER.finditer(text) if not code.contains(m.start())
    ]
    blanks = [m.start() for m in _BLANK_LINE.finditer(text)]
    by_kind: dict[str, list[int]] = {}
    for index, (_, token) in enumerate(tokens):
        by_kind.setdefault(token, []).append(index)
    closers = [i for i in by_kind.get("$", []) if _closes_inline(text, tokens[i][0])]

    found: list[Found | Escape] = []
    index = 0
    while index < len(tokens):
        start, token = tokens[index]
        closing: int | None = None
        if token == "\\$":
            found.append(Escape(start, start + 2))
        elif token == "$$":
            closing = _next(by_kind.get("$$", []), index)
        elif token == "\\(":
            closing = _next(by_kind.get("\\)", []), index)
        elif token == "\\[":
            closing = _next(by_kind.get("\\]", []), index)
        elif token == "$" and _opens_inline(text, start):
            closing = _next(closers, index)
        if closing is not None:
            formula = _formula(text, tokens, index, closing, blanks, code)
            if formula is not None:
                found.append(formula)
                index = closing + 1
                continue
        index += 1
    return found


def _formula(
    text: str,
    tokens: list[tuple[int, str]],
    index: int,
    closing: int,
    blanks: list[int],
    code: CodeRanges,
) -> Found | None:
    start, token = tokens[index]
    close_start, close_token = tokens[closing]
    inner_start = start + len(token)
    if close_start <= inner_start and token == "$":
        return None
    # No blank line and no code inside a formula.
    blank = bisect.bisect_left(blanks, start)
    if blank < len(blanks) and blanks[blank] < close_start:
        return None
    if code.next_start(start) < close_start:
        return None
    tex = text[inner_start:close_start]
    if not tex.strip():
        return None
    end = close_start + len(close_token)
    display = token in ("$$", "\\[")
    label = None
    if display:
        labelled = _LABEL.match(text, end)
        if labelled:
            label, end = labelled.group(1), labelled.end()
    leading = len(tex) - len(tex.lstrip())
    return Found(start, end, tex.strip(), display, label, inner_start + leading)


def _next(indexes: list[int], after: int) -> int | None:
    position = bisect.bisect_right(indexes, after)
    return indexes[position] if position < len(indexes) else None


def _opens_inline(text: str, offset: int) -> bool:
    following = text[offset + 1 : offset + 2]
    return bool(following) and not following.isspace()


def _closes_inline(text: str, offset: int) -> bool:
    before = text[offset - 1 : offset] if offset else ""
    after = text[offset + 1 : offset + 2]
    return bool(before) and not before.isspace() and not after.isdigit()
