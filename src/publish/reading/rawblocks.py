"""Pandoc's raw attribute: ```` ```{=html} ```` blocks and `` `…`{=html} `` spans.

Raw HTML becomes raw HTML to Python-Markdown, so it passes the sanitiser like any other; raw
content for another format (``latex``, ``tex``, ``docx``, …) has no place in these editions and
is left out, with a warning naming its line. The fences become empty lines, so the text keeps its
line count for the extensions after this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_OPENING = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*\{=([A-Za-z0-9_-]+)\}[ \t]*$")
_INLINE = re.compile(r"(?<!`)(`+)(?!`)([^`\n]+?)(?<!`)\1(?!`)\{=([A-Za-z0-9_-]+)\}")
HTML_FORMATS = frozenset({"html", "html5", "html4"})

Warn = Callable[[int, int | None, str], None]
# Lines where an inline raw span was taken out: columns found later on them are off.
Shifted = set[int]


def take_raw_blocks(lines: list[str], first_line: int, warn: Warn, shifted: Shifted) -> list[str]:
    if not any("{=" in line for line in lines):
        return lines  # no raw attribute anywhere: most books
    result: list[str] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None:
            line = _inline(lines[index], first_line + index, warn)
            if line != lines[index]:
                shifted.add(first_line + index)
            result.append(line)
            index += 1
            continue
        fence, fmt = opening.group(2), opening.group(3).lower()
        closing = index + 1
        while closing < len(lines) and not _closes(lines[closing], fence):
            closing += 1
        body = lines[index + 1 : closing]
        fences = [""] if closing < len(lines) else []  # the closing fence, when there is one
        if fmt in HTML_FORMATS:
            result += ["", *body, *fences]
        else:
            warn(
                first_line + index,
                None,
                f"raw {fmt} block left out: these editions show only raw HTML",
            )
            result += ["", *[""] * len(body), *fences]
        index = closing + 1
    return result


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}


def _inline(line: str, file_line: int, warn: Warn) -> str:
    if "{=" not in line:
        return line

    def replace(match: re.Match[str]) -> str:
        fmt = match.group(3).lower()
        if fmt in HTML_FORMATS:
            return match.group(2)
        warn(
            file_line,
            match.start() + 1,
            f"raw {fmt} `{match.group(2)}` left out: these editions show only raw HTML",
        )
        return ""

    return _INLINE.sub(replace, line)
