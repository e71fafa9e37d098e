"""Heading identifiers as pandoc makes them, so that links written for pandoc resolve here.

Pandoc's ``auto_identifiers`` (its manual, "Extension: auto_identifiers"): the heading's text
without formatting and footnotes; every character removed except letters, digits, ``_``, ``-``
and ``.``; white space runs turned into one hyphen; lower case; everything before the first
letter removed; ``section`` when nothing is left. A second heading with the same identifier gets
``-1``, a third ``-2``, and so on (pandoc's manual itself links ``#reader-options-1``).

Python-Markdown's ``toc`` extension would number duplicates ``_1`` and keeps punctuation pandoc
drops, so this tree processor gives every heading without an id its pandoc identifier first;
``toc`` then leaves ids it finds alone.
"""

from __future__ import annotations

import html
from xml.etree import ElementTree

import markdown
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
EMPTY_IDENTIFIER = "section"


def pandoc_identifier(text: str) -> str:
    """The identifier pandoc derives from a heading's plain ``text`` (before de-duplication)."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c.isspace() or c in "_-.")
    joined = "-".join(kept.split())
    start = next((i for i, c in enumerate(joined) if c.isalpha()), len(joined))
    return joined[start:] or EMPTY_IDENTIFIER


def unique_identifier(base: str, used: set[str] | frozenset[str]) -> str:
    """``base``, or ``base-1``, ``base-2``, … : the first that is not ``used`` (pandoc's rule)."""
    if base not in used:
        return base
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


class PandocIdentifiers(Treeprocessor):
    """Gives each heading that has no id its pandoc identifier; remembers which it gave.

    Runs after ``attr_list`` has set the ids the author wrote (``# Title {#id}``).
    """

    def __init__(self, md: markdown.Markdown, generated: set[ElementTree.Element]) -> None:
        super().__init__(md)
        self.generated = generated

    def run(self, root: ElementTree.Element) -> None:
        self.generated.clear()
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        for element in root.iter():
            if element.tag not in HEADINGS or "id" in element.attrib:
                continue
            text = html.unescape(strip_tags(render_inner_html(remove_fnrefs(element), self.md)))
            ident = unique_identifier(pandoc_identifier(text), used)
            element.attrib["id"] = ident
            used.add(ident)
            self.generated.add(element)
