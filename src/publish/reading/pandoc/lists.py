"""Lists as pandoc reads them, rewritten into the shape Python-Markdown parses.

Pandoc (like CommonMark) nests a list under an item when it is indented to the item's text,
two or three spaces for ``-`` and ``1.``; Python-Markdown wants four, so such lists came out
flat. Rather than replace Python-Markdown's list parser, a preprocessor re-indents every list
line to four spaces per level, keeping what lies beyond the item's text column (so an indented
code block in an item stays code). Lines keep their numbers: diagnostics still name them.

The same pass rewrites the markers Python-Markdown and pymdownx's fancy lists do not know:
``(A)`` (both parentheses) becomes ``A)``, which renders the same (``type="A"``), and pandoc's
example lists ``(@)`` and ``(@label)`` are numbered continuously through the text, with each
``(@label)`` elsewhere replaced by its number, as pandoc does; a definition marked with pandoc's
``~`` gets Python-Markdown's ``:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from markdown.preprocessors import Preprocessor

from publish.locate import code_spans
from publish.reading import deferred

_MARKER = re.compile(
    r"(?P<indent> *)"
    r"(?P<marker>[-+*]|(?P<open>\()?(?P<value>\d{1,9}|#|[A-Za-z]|[ivxlcdmIVXLCDM]+|@[\w-]*)"
    r"(?P<close>[.)]))"
    r"(?P<gap> +|$)(?P<rest>.*)"
)
_RULE = re.compile(r" {0,3}([-*_])(?: *\1){2,} *$")
_FENCE = re.compile(r" *(`{3,}|~{3,})")
_EXAMPLE_REFERENCE = re.compile(r"\(@([\w-]+)\)")
_TILDE_DEFINITION = re.compile(r"( {0,3})~[ \t]")


@dataclass
class _Item:
    content_column: int


def _marker(line: str) -> re.Match[str] | None:
    match = _MARKER.match(line)
    if match is None or _RULE.match(line):
        return None
    if match.group("open") and match.group("close") != ")":
        return None  # "(a." is prose, not a marker
    value = match.group("value") or ""
    # Pandoc: a capital letter with a period needs two spaces, so "B. Russell" stays prose.
    capital_with_period = len(value) == 1 and value.isupper() and match.group("close") == "."
    if capital_with_period and match.group("rest") and len(match.group("gap")) < 2:
        return None
    if value.startswith("@") and not match.group("open") and match.group("close") != ".":
        return None
    return match


class PandocLists(Preprocessor):
    """Re-indent nested lists, rewrite ``(A)`` markers and number example lists."""

    def run(self, lines: list[str]) -> list[str]:
        # Examples are numbered as their items are found, so a marker in an indented code
        # block (never an item) takes no number, as in pandoc.
        self._labels: dict[str, int] = {}
        examples = 0
        out: list[str] = []
        stack: list[_Item] = []
        previous_blank = True
        fence: str | None = None
        in_pre = False
        verbatim: set[int] = set()
        for line in lines:
            if fence is not None or in_pre:
                verbatim.add(len(out))
            if fence is not None:
                out.append(self._shift(line, stack) if stack else line)
                if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                    fence = None
                continue
            if in_pre:
                out.append(line)
                in_pre = "</pre>" not in line
                continue
            if not line.strip():
                out.append(line)
                previous_blank = True
                continue
            indent = len(line) - len(line.lstrip(" "))
            match = _marker(line)
            starts = match is not None and (stack or (previous_blank and indent <= 3))
            if match is not None and starts:
                while stack and indent < stack[-1].content_column:
                    stack.pop()
                marker = match.group("marker")
                value = match.group("value") or ""
                if value.startswith("@"):
                    examples += 1
                    if value[1:]:
                        self._labels.setdefault(value[1:], examples)
                    marker = f"{examples})"
                elif match.group("open"):
                    marker = marker[1:]
                gap = match.group("gap")
                width = len(match.group("marker")) + (len(gap) if 0 < len(gap) <= 4 else 1)
                rest = match.group("rest")
                out.append(" " * (4 * len(stack)) + marker + " " + rest)
                stack.append(_Item(indent + width))
            elif stack:
                if previous_blank:
                    while stack and indent < stack[-1].content_column:
                        stack.pop()
                out.append(self._shift(line, stack) if stack else line)
                if _FENCE.match(line):
                    fence = _FENCE.match(line).group(1)  # type: ignore[union-attr]
            else:
                tilde = _TILDE_DEFINITION.match(line)
                # Pandoc's other definition marker, "~", is Python-Markdown's ":".
                out.append(
                    line if tilde is None else f"{tilde.group(1)}:{line[tilde.end(1) + 1 :]}"
                )
                fenced = _FENCE.match(line)
                if fenced and indent <= 3:
                    fence = fenced.group(1)
                elif line.lstrip().startswith("<pre"):
                    in_pre = "</pre>" not in line
            previous_blank = False
        if not self._labels:
            return out
        return _refer_to_examples(out, self._labels, verbatim, deferred.on(self.md))

    def _shift(self, line: str, stack: list[_Item]) -> str:
        indent = len(line) - len(line.lstrip(" "))
        beyond = max(0, indent - stack[-1].content_column)
        return " " * (4 * len(stack) + beyond) + line.lstrip(" ")


def _refer_to_examples(
    lines: list[str], labels: dict[str, int], code: set[int], later: deferred.Deferred
) -> list[str]:
    """``(@label)`` in the text becomes ``(n)``; code is left as written (an indented block,
    which only the block parser knows, through ``deferred``)."""

    def number(match: re.Match[str]) -> str:
        found = labels.get(match.group(1))
        return match.group(0) if found is None else later.defer(match.group(0), f"({found})")

    def outside_code(text: str) -> str:
        pieces: list[str] = []
        position = 0
        for start, end in code_spans(text):
            pieces.append(_EXAMPLE_REFERENCE.sub(number, text[position:start]))
            pieces.append(text[start:end])
            position = end
        pieces.append(_EXAMPLE_REFERENCE.sub(number, text[position:]))
        return "".join(pieces)

    return [
        outside_code(line) if "(@" in line and index not in code else line
        for index, line in enumerate(lines)
    ]


def register(md: markdown.Markdown) -> None:
    # After whitespace is normalised (30: tabs expanded), before fenced code (25) and raw HTML
    # (20) are stashed, so the list lines are still in the text.
    md.preprocessors.register(PandocLists(md), "pandoc_lists", 27)
