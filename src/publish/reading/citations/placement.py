"""Where the reference list goes, as pandoc places it: into a ``::: {#refs}`` div, or under an
author's own ``# References`` (``# Bibliography``, …) heading that ends the body, instead of
in a second "References" section after it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from publish.reading import markup
from publish.reading.citations.references import Placement

REFS_ID = "refs"
# Headings that announce the list, in the languages of the manuscripts this reads.
LIST_TITLES = frozenset(
    {
        "references", "reference list", "bibliography", "works cited", "literature",
        "sources", "literatur", "literaturverzeichnis", "referencias", "bibliografía",
        "références", "bibliographie", "riferimenti bibliografici", "bibliografia",
        "referências", "literatuur",
    }
)  # fmt: skip
# ``::: {#refs}`` then ``:::``: the empty div pandoc documents for placing the list.
_REFS_OPEN = re.compile(r"^ {0,3}:{3,}\s*\{\s*#refs(?:\s[^}]*)?\}\s*:*\s*$")
_FENCE_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")


def mark_refs_div(body: str) -> str:
    """The empty ``{#refs}`` div as an HTML ``div`` Markdown keeps (same number of lines), for
    a converter without fenced divs; a converter with them makes the same element."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not _REFS_OPEN.match(line):
            continue
        close = next((j for j in range(index + 1, len(lines)) if lines[j].strip()), None)
        if close is not None and _FENCE_CLOSE.match(lines[close]):
            lines[index] = f'<div id="{REFS_ID}"></div>'
            lines[close] = ""
    return "\n".join(lines)


def find_placement(
    sections: Sequence[markup.RawSection], section_title: str | None
) -> tuple[int, Placement] | None:
    """Which section receives the list, and how: the one holding the ``refs`` div, else the
    last one when its heading names a reference list."""
    for index, section in enumerate(sections):
        for position, block in enumerate(section.blocks):
            if block.get("id") == REFS_ID:
                return index, _around(section, position)
    if not sections:
        return None
    last = sections[-1]
    title = markup.plain_text(last.heading)
    wanted = LIST_TITLES | ({section_title.casefold()} if section_title else set())
    if title.casefold() in wanted:
        return len(sections) - 1, _around(last, len(last.blocks))
    return None


def _around(section: markup.RawSection, position: int) -> Placement:
    def xhtml(blocks: Sequence[etree._Element]) -> str:
        return "".join(markup.to_xhtml(block) for block in blocks)

    return Placement(
        markup.plain_text(section.heading),
        xhtml(section.blocks[:position]),
        xhtml(section.blocks[position + 1 :]),
    )
