"""Fences other tools give a meaning pandoc's Markdown does not: Quarto's and R Markdown's code
cells (```` ```{python} ````, ```` ```{r setup, echo=FALSE} ````) and MyST's directives
(```` ```{note} ````, ```` ```{code-cell} python ````, ``:::{warning}``).

Pandoc prints such a fence as inline code, its braces and all. Here they become what a reader
of the other tool's output sees, as near as a book that runs nothing can come:

- a code cell is the code, highlighted in its language, without Quarto's ``#|`` option lines;
  one warning says that cells are shown and not run (their output is not in the book);
- an admonition (``note``, ``warning``, ``tip``, ``important``, ``caution``, and MyST's
  ``attention``, ``danger``, ``error``, ``hint``, ``seealso``, ``admonition Title``) is the same
  callout box a fenced div ``::: note`` makes;
- ``code-block``, ``code-cell``, ``code`` and ``sourcecode`` are code in the language named;
- any other directive is shown as code, with a warning naming it and its line.

The text keeps its line count, so later messages still name the right lines: option lines
taken out are put back as blank lines after the block.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pygments.lexers
import pygments.util

Warn = Callable[[int, int | None, str], None]

_OPENING = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*\{(?P<name>[A-Za-z][\w+.-]*)"
    r"(?P<rest>[ \t,][^}\n]*)?\}[ \t]*(?P<argument>[^\n{}]*?)[ \t]*$"
)
_OPTION = re.compile(r"^[ \t]*:[\w-]+:")  # MyST's ":class: warning" at a directive's top
_CELL_OPTION = re.compile(r"^[ \t]*#\|")  # Quarto's "#| echo: false"
# MyST's admonitions, and the callout each becomes (the five kinds the stylesheets draw).
ADMONITIONS = {
    "note": "note",
    "tip": "tip",
    "hint": "tip",
    "important": "important",
    "seealso": "note",
    "warning": "warning",
    "attention": "warning",
    "caution": "caution",
    "danger": "caution",
    "error": "caution",
}
_CODE_DIRECTIVES = frozenset({"code-block", "code-cell", "code", "sourcecode"})


def rewrite(lines: list[str], first_line: int, warn: Warn) -> list[str]:
    """``lines`` with each cell and directive fence rewritten; the same number of lines."""
    if not any("{" in line for line in lines):
        return lines
    out: list[str] = []
    cells: list[int] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        closing = _closing(lines, index, opening.group("fence")) if opening else None
        if opening is None or closing is None:
            out.append(lines[index])
            index += 1
            continue
        body = lines[index + 1 : closing]
        line = first_line + index
        made = _rewritten(opening, body, line, cells, warn)
        if made is None:
            out.extend(lines[index : closing + 1])
        else:
            out.extend(made)
            out.extend([""] * (closing + 1 - index - len(made)))
        index = closing + 1
    if cells:
        more = f", and {len(cells) - 1} more" if len(cells) > 1 else ""
        warn(
            cells[0],
            None,
            f"code cells are shown as code (line {cells[0]}{more}): publish runs no code, so "
            "their output is not in the book",
        )
    return out


def _rewritten(
    opening: re.Match[str], body: list[str], line: int, cells: list[int], warn: Warn
) -> list[str] | None:
    indent, fence, name = opening["indent"], opening["fence"], opening["name"]
    argument = opening["argument"].strip()
    lowered = name.lower()
    colons = fence.startswith(":")
    if lowered in ADMONITIONS or lowered == "admonition":
        options, content = _options(body)
        kind = ADMONITIONS.get(lowered, "note")
        for option in options:
            key, _, value = option.strip().partition(" ")
            if key == ":class:" and value.strip().lower() in ADMONITIONS:
                kind = ADMONITIONS[value.strip().lower()]
        title = argument if lowered == "admonition" else ""
        if lowered == "admonition" and not title:
            title = ""
        attributes = f".{kind}" + (f' title="{title.replace(chr(34), chr(39))}"' if title else "")
        div = ":" * max(3, len(fence) if colons else 3)
        return [f"{indent}{div} {{{attributes}}}", *[""] * len(options), *content, f"{indent}{div}"]
    if colons:
        return None  # a div with attributes pandoc's way ({.note}) is the divs' own
    if lowered in _CODE_DIRECTIVES:
        options, content = _options(body)
        language = argument.split()[0] if argument else ""
        return [f"{indent}{fence}{language}", *content, f"{indent}{fence}", *[""] * len(options)]
    if _is_language(lowered):
        cells.append(line)
        kept = [b for b in body if not _CELL_OPTION.match(b)]
        gone = len(body) - len(kept)
        return [f"{indent}{fence}{lowered}", *kept, f"{indent}{fence}", *[""] * gone]
    warn(
        line,
        None,
        f"the directive {{{name}}} is shown as code: publish reads MyST's admonitions and code "
        "directives, and code cells",
    )
    return [f"{indent}{fence}", *body, f"{indent}{fence}"]


def _closing(lines: list[str], index: int, fence: str) -> int | None:
    """The line that closes the fence opened at ``index``: the same character, as long."""
    for at in range(index + 1, len(lines)):
        stripped = lines[at].strip()
        if stripped.startswith(fence) and not stripped.strip(fence[0]):
            return at
    return None


def _options(body: list[str]) -> tuple[list[str], list[str]]:
    """MyST's ``:key: value`` lines at the top of a directive, and the content after them."""
    count = 0
    while count < len(body) and _OPTION.match(body[count]):
        count += 1
    content = body[count:]
    if content and not content[0].strip():
        return body[: count + 1], content[1:]
    return body[:count], content


def _is_language(name: str) -> bool:
    try:
        pygments.lexers.get_lexer_by_name(name)
    except pygments.util.ClassNotFound:
        return False
    return True
