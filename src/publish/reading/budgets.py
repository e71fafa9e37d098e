"""Budgets for the Markdown constructs whose output can outgrow their source.

A construct that copies text (an abbreviation's title onto every use of the word, the table
of contents onto every ``[TOC]`` marker) lets a page of Markdown become megabytes of HTML and
minutes of layout. Each has a budget here, checked before the copies are made, and an error
beyond it naming the line that asks for them. Python-Markdown's own abbreviation step is also
replaced by one that is linear in the text: it looked up each element's place among its
siblings, and cut the text before each use off a copy of the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from publish.reading.inline_linear import LinearInlineProcessor

# What the titles of abbreviations may add to the text, beyond the size of the text itself: a
# glossary of a hundred terms used a hundred times each fits many times over.
ABBREVIATION_ALLOWANCE = 200_000
# The book has its own contents; a marker or two more is a layout choice, hundreds a copy bomb.
MAX_TOC_MARKERS = 3


class OverBudget(Exception):
    """A construct would make more than its budget. ``pattern`` finds the source line that asks
    for it (its ``occurrence``-th match, counted from 0)."""

    def __init__(self, message: str, pattern: str, occurrence: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pattern = pattern
        self.occurrence = occurrence

    def line_in(self, text: str, first_line: int) -> int | None:
        for index, found in enumerate(re.finditer(self.pattern, text, re.MULTILINE)):
            if index == self.occurrence:
                return first_line + text.count("\n", 0, found.start())
        return None


class Budgets(markdown.Extension):
    """Load after ``abbr`` and ``toc``: checks their budgets, replaces the abbreviation step."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Every inline step ('inline', and smarty's own), with the patterns it was given.
        for item in list(getattr(md.treeprocessors, "_priority", [])):
            processor = md.treeprocessors[item.name]
            if type(processor) is InlineProcessor:
                linear = LinearInlineProcessor(md)
                linear.inlinePatterns = processor.inlinePatterns
                md.treeprocessors.register(linear, item.name, item.priority)
        if "abbr" in md.treeprocessors:
            abbreviations = md.treeprocessors["abbr"]
            assert isinstance(abbreviations, AbbrTreeprocessor)
            md.treeprocessors.register(_Abbreviations(md, abbreviations.abbrs), "abbr", 7)
        if "toc" in md.treeprocessors:
            marker = str(getattr(md.treeprocessors["toc"], "marker", "[TOC]"))
            # Before 'toc' (5), which copies the contents onto each marker.
            md.treeprocessors.register(_TocMarkers(md, marker), "toc-markers", 6)


def _texts(root: ET.Element) -> list[str]:
    found: list[str] = []
    for element in root.iter():
        for text in (element.text, element.tail):
            if text and not isinstance(text, AtomicString):
                found.append(text)
    return found


class _Abbreviations(AbbrTreeprocessor):
    def run(self, root: ET.Element) -> ET.Element | None:
        if not self.abbrs:
            return None
        words = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile(rf"\b(?:{'|'.join(re.escape(word) for word in words)})\b")
        self._check_budget(root)
        self._wrap_children(root)
        return None

    def _check_budget(self, root: ET.Element) -> None:
        assert self.md is not None and self.RE is not None
        lines: list[str] = getattr(self.md, "lines", [])  # the text being converted
        allowance = ABBREVIATION_ALLOWANCE + sum(len(line) + 1 for line in lines)
        added = 0
        uses: dict[str, int] = {}
        for text in _texts(root):
            for found in self.RE.finditer(text):
                word = found.group()
                added += len(self.abbrs[word])
                uses[word] = uses.get(word, 0) + 1
                if added > allowance:
                    costly = max(uses, key=lambda w: uses[w] * len(self.abbrs[w]))
                    raise OverBudget(
                        f"the abbreviation '{costly}' would repeat its "
                        f"{len(self.abbrs[costly]):,}-character title on each of its uses, "
                        f"adding more than {allowance:,} characters to the book: shorten "
                        "the title (readers see it on every use)",
                        rf"^ {{0,3}}\*\[{re.escape(costly)}\]",
                    )

    def _split(self, text: str) -> tuple[str, list[ET.Element]]:
        """``text`` up to the first use of an abbreviation, then an ``abbr`` for each use
        (each with the text up to the next one as its tail)."""
        assert self.RE is not None
        uses = [m for m in self.RE.finditer(text) if self.abbrs[m.group()]]
        if not uses:
            return text, []
        made = []
        for index, use in enumerate(uses):
            end = uses[index + 1].start() if index + 1 < len(uses) else len(text)
            word = use.group()
            made.append(self.create_element(self.abbrs[word], word, text[use.end() : end]))
        return text[: uses[0].start()], made

    def _wrap_children(self, element: ET.Element) -> None:
        children: list[ET.Element] = []
        changed = False
        if element.text and not isinstance(element.text, AtomicString):
            element.text, made = self._split(element.text)
            children.extend(made)
            changed = bool(made)
        for child in list(element):
            self._wrap_children(child)
            children.append(child)
            if child.tail and not isinstance(child.tail, AtomicString):
                child.tail, made = self._split(child.tail)
                children.extend(made)
                changed = changed or bool(made)
        if changed:
            element[:] = children


class _TocMarkers(Treeprocessor):
    def __init__(self, md: markdown.Markdown, marker: str) -> None:
        super().__init__(md)
        self.marker = marker

    def run(self, root: ET.Element) -> ET.Element | None:
        if not self.marker:
            return None
        count = sum(
            1
            for element in root.iter("p")
            if len(element) == 0 and (element.text or "").strip() == self.marker
        )
        if count > MAX_TOC_MARKERS:
            raise OverBudget(
                f"{count} '{self.marker}' markers each copy the table of contents; a book "
                f"needs at most {MAX_TOC_MARKERS} (its contents are made for it): remove them",
                rf"^[ \t>*+-]*{re.escape(self.marker)}[ \t]*$",
                MAX_TOC_MARKERS,
            )
        return None
