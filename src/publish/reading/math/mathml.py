"""TeX to MathML with latex2mathml, after checks that latex2mathml does not make itself.

latex2mathml accepts what TeX refuses: an unclosed brace is closed silently and an unknown command
becomes an identifier printed as ``\\foo``. A reader would see broken math, so both are errors
here, with the column in the TeX where they are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

_ENVIRONMENT = re.compile(r"\\(begin|end)\{([A-Za-z*]+)\}")


@dataclass(frozen=True)
class TexError(Exception):
    """What is wrong, and its 0-based offset in the TeX."""

    message: str
    offset: int


def to_mathml(tex: str, *, display: bool) -> etree._Element:
    """The ``<math>`` element of ``tex``; raises ``TexError`` for TeX that would print wrong."""
    _check_braces(tex)
    _check_environments(tex)
    element = _converted(tex, display)
    unknown = next(
        (
            text
            for node in element.iter()
            for text in [node.text or ""]
            if text.startswith("\\") and len(text) > 1 and text[1:].isalpha()
        ),
        None,
    )
    if unknown is not None:
        raise TexError(f"'{unknown}' is not a math command publish knows", tex.find(unknown))
    math = etree.fromstring(etree.tostring(element))  # a copy callers may change
    math.set("alttext", tex)
    return math


@functools.lru_cache(maxsize=4096)
def _converted(tex: str, display: bool) -> etree._Element:
    from latex2mathml.converter import convert  # imported on first use: a book without math

    try:
        markup = convert(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many kinds; each means it cannot read it
        raise TexError(f"the formula cannot be read ({exc.__class__.__name__}: {exc})", 0) from None
    return etree.fromstring(markup)


def _check_braces(tex: str) -> None:
    opened: list[int] = []
    escaped = False
    for offset, char in enumerate(tex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            opened.append(offset)
        elif char == "}":
            if not opened:
                raise TexError("'}' closes no '{'", offset)
            opened.pop()
    if opened:
        raise TexError("'{' is never closed", opened[-1])


def _check_environments(tex: str) -> None:
    opened: list[tuple[str, int]] = []
    for match in _ENVIRONMENT.finditer(tex):
        kind, name = match.groups()
        if kind == "begin":
            opened.append((name, match.start()))
        elif not opened or opened[-1][0] != name:
            raise TexError(f"\\end{{{name}}} without \\begin{{{name}}}", match.start())
        else:
            opened.pop()
    if opened:
        name, offset = opened[-1]
        raise TexError(f"\\begin{{{name}}} is never ended", offset)
    left = [m.start() for m in re.finditer(r"\\left(?![A-Za-z])", tex)]
    right = [m.start() for m in re.finditer(r"\\right(?![A-Za-z])", tex)]
    if len(left) != len(right):
        where = left[-1] if len(left) > len(right) else right[-1]
        raise TexError("\\left and \\right must come in pairs", where)
