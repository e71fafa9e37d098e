"""Pandoc's implicit header references: ``[Heading]``, ``[Heading][]`` and ``[text][Heading]``
link to the heading of that text when no reference of that name is defined. They run after the
ids are set (toc, then the book's own ids), so the links use the ids the headings carry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_REFERENCE = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?(?![(:])")
_SKIP = frozenset({"code", "pre", "a", "script", "style"})


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class HeaderReferences(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        targets: dict[str, str] = {}
        for heading in root.iter():
            if heading.tag in _HEADINGS and heading.get("id"):
                targets.setdefault(_key("".join(heading.itertext())), heading.attrib["id"])
        if targets:
            self._link(root, targets)

    def _link(self, element: etree.Element, targets: dict[str, str]) -> None:
        if element.tag in _SKIP:
            return
        children = list(element)
        if element.text and "[" in element.text:
            element.text = _replace(element.text, targets, element, 0)
        inserted = len(element) - len(children)  # links put before the first child
        for position, child in enumerate(children):
            self._link(child, targets)
            if child.tail and "[" in child.tail:
                before = len(element)
                child.tail = _replace(child.tail, targets, element, position + inserted + 1)
                inserted += len(element) - before


def _replace(text: str, targets: dict[str, str], parent: etree.Element, index: int) -> str:
    """Link each reference in ``text``; the links go into ``parent`` at ``index``; returns the
    text before the first link."""
    pieces: list[tuple[str, str, str]] = []  # (text before, link text, target)
    position = 0
    for match in _REFERENCE.finditer(text):
        label = match.group(2) or match.group(1)
        target = targets.get(_key(label))
        if target is None:
            continue
        pieces.append((text[position : match.start()], match.group(1), target))
        position = match.end()
    if not pieces:
        return text
    rest = text[position:]
    head = pieces[0][0]
    links = []
    for number, (_, link_text, target) in enumerate(pieces):
        link = etree.Element("a", {"href": f"#{target}"})
        link.text = link_text
        following = pieces[number + 1][0] if number + 1 < len(pieces) else rest
        link.tail = following
        links.append(link)
    for offset, link in enumerate(links):
        parent.insert(index + offset, link)
    return head


def register(md: markdown.Markdown) -> None:
    # After the book's ids settle (4.5).
    md.treeprocessors.register(HeaderReferences(md), "pandoc_header_references", 4)
