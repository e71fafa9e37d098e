"""TeX commands written in Markdown, as pandoc's ``raw_tex`` lets authors write them.

Pandoc passes them to LaTeX and drops them elsewhere; a book made here has no LaTeX edition, so
the common ones get their meaning in every edition and any other one is printed as typed with a
warning naming its line, never dropped unseen:

- ``\\newpage``, ``\\clearpage``, ``\\pagebreak``: a page break in the PDF, nothing elsewhere;
- ``\\emph{…}``, ``\\textit{…}``, ``\\textbf{…}``: emphasis and strong emphasis;
- ``\\url{…}``: a link;
- ``\\cite{a,b}``, ``\\citep``, ``\\parencite``: ``[@a; @b]``; ``\\citet``, ``\\textcite``: ``@a``;
- ``\\ref{…}``, ``\\autoref{…}``, ``\\eqref{…}``: a link to the equation or heading, resolved
  once the book is read.

(``--`` and ``---`` are dashes already: the ``smarty`` extension makes them.)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from publish.reading.scan import CodeRanges

_COMMAND = re.compile(r"\\([A-Za-z]+)\*?")
PAGE_BREAKS = frozenset({"newpage", "clearpage", "pagebreak", "cleardoublepage"})
EMPHASIS = {"emph": "em", "textit": "em", "textbf": "strong"}
CITE_PARENTHETICAL = frozenset({"cite", "citep", "parencite", "autocite"})
CITE_IN_TEXT = frozenset({"citet", "textcite"})
REFERENCES = frozenset({"ref", "autoref", "eqref", "cref", "Cref"})
# Commands that only make sense inside math: outside it they mean the author forgot the '$'.
_WITH_ARGUMENT = set(EMPHASIS) | {"url"} | CITE_PARENTHETICAL | CITE_IN_TEXT | REFERENCES


@dataclass(frozen=True)
class Command:
    """A TeX command found outside code and math: where, its name, its braced argument."""

    start: int
    end: int
    name: str
    argument: str | None
    closing: int | None = None  # where the argument's closing brace is (emphasis keeps content)


def find_commands(text: str, code: CodeRanges, skip: list[tuple[int, int]]) -> list[Command]:
    """Commands outside code and the ``skip`` ranges (the formulas), in text order."""
    found: list[Command] = []
    skip_index = 0
    for match in _COMMAND.finditer(text):
        start = match.start()
        while skip_index < len(skip) and skip[skip_index][1] <= start:
            skip_index += 1
        if skip_index < len(skip) and skip[skip_index][0] <= start:
            continue
        if code.contains(start) or (start > 0 and text[start - 1] == "\\"):
            continue
        name = match.group(1)
        argument, closing = None, None
        if name in _WITH_ARGUMENT and text.startswith("{", match.end()):
            closing = _matching_brace(text, match.end())
            if closing is not None:
                argument = text[match.end() + 1 : closing]
        end = closing + 1 if closing is not None and name not in EMPHASIS else match.end()
        if name in EMPHASIS and closing is not None:
            end = match.end() + 1  # the command and its '{'; the content stays Markdown
        found.append(Command(start, end, name, argument, closing))
    return found


def _matching_brace(text: str, opening: int) -> int | None:
    """The brace closing the one at ``opening``, within the paragraph; bounded, so linear."""
    depth = 0
    limit = min(len(text), opening + 2000)
    for offset in range(opening, limit):
        char = text[offset]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return offset
        elif char == "\n" and text.startswith("\n", offset + 1):
            return None
    return None


def citation_markdown(command: Command) -> str | None:
    """``\\cite{a,b}`` as pandoc's citation syntax, which the citations extension reads."""
    keys = [k.strip() for k in (command.argument or "").split(",") if k.strip()]
    if not keys:
        return None
    if command.name in CITE_IN_TEXT:
        return "; ".join(f"@{k}" for k in keys)
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def url_html(address: str) -> str:
    shown = html.escape(address)
    return f'<a href="{html.escape(address, quote=True)}">{shown}</a>'
