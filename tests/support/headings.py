"""The manuscript's own heading outline, read from the Markdown source without our code.

Tests compare what readers' tools find in the PDF and EPUB against this, so that a bug in our
reader cannot hide a bug in our writers."""

from __future__ import annotations

import re
from pathlib import Path

Outline = list[tuple[str, "Outline"]]

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def normalise(text: str) -> str:
    """Fold what typography changes: curly quotes, dashes, spaces, emphasis marks."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2026", "...").replace("\u00a0", " ")
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def source_outline(manuscript: Path) -> Outline:
    lines = manuscript.read_text(encoding="utf-8").split("\n")
    closing = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    root: Outline = []
    stack: list[tuple[int, Outline]] = [(0, root)]
    fence = None
    for line in lines[closing + 1 :]:
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0]:
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _ATX.match(line)
        if not match:
            continue
        level = len(match.group(1))
        children: Outline = []
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append((normalise(match.group(2)), children))
        stack.append((level, children))
    return root


FRONT_MATTER: Outline = [("Medical Disclaimer", []), ("Summary", []), ("Contents", [])]


def back_matter(manuscript: Path) -> Outline:
    """The reference list closes a manuscript that names a bibliography (and cites from it)."""
    text = manuscript.read_text(encoding="utf-8")
    front = text.split("\n---", 1)[0]
    has_bibliography = re.search(r"^bibliography:", front, re.M) is not None
    return [("References", [])] if has_bibliography else []


def expected_outline(manuscript: Path) -> Outline:
    """Every entry the editions' navigation lists, in order: front, body, back matter."""
    return FRONT_MATTER + source_outline(manuscript) + back_matter(manuscript)


def flatten(outline: Outline, depth: int = 1) -> list[tuple[int, str]]:
    result: list[tuple[int, str]] = []
    for title, children in outline:
        result.append((depth, title))
        result.extend(flatten(children, depth + 1))
    return result


def markdown_text(source: str) -> str:
    """Plain text of a Markdown snippet, rendered by Python-Markdown alone (not by our reader)."""
    import lxml.html
    import markdown

    html = markdown.markdown(source, extensions=["extra"])
    return normalise(lxml.html.fragment_fromstring(html, create_parent="div").text_content())
