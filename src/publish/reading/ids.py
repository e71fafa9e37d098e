"""Ids stay unique once the sections are joined into one document and set beside our own pages.

The PDF is one HTML document: the title page, disclaimer, summary and contents carry ids of their
own, each section is wrapped in ``section-<its heading's id>``, and the EPUB navigation finds a
link's document by its id. A heading named "Summary" must therefore not get the id ``summary``.
Ids Python-Markdown generates are moved aside (``summary_1``); ids the author wrote are the
author's to change, and the reader reports them with their line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import markdown
from lxml import etree
from markdown.extensions.toc import unique
from markdown.treeprocessors import Treeprocessor

from publish.errors import DiagnosticCollector
from publish.locate import SourceLocator

# The ids our templates give the book's own parts (templates/*.j2, epub.py); the tests check
# this list against the ids the editions actually contain.
RESERVED_IDS = frozenset(
    {
        "title-page",
        "book-title",
        "disclaimer",
        "disclaimer-heading",
        "summary",
        "summary-heading",
        "contents",
        "contents-heading",
        "toc-heading",
        "landmarks",
        "landmarks-heading",
        "main",
        "body-matter",
        "downloads-heading",
        "references",  # the reference list (reading/citations), a back-matter section
        "section-references",
        "section-opening",  # the untitled text before the first heading (manuscript.py)
        "page-list",  # the EPUB's page list (nav.xhtml.j2)
        "page-list-heading",
    }
)
# Ids the book numbers itself (pagemap.py): the EPUB's page-break markers, page-<label>.
RESERVED_PATTERN = re.compile(r"page-(?:\d+|[ivxlcdm]+)")
SECTION_PREFIX = "section-"
OPENING_ANCHOR = "opening"  # the untitled opening section's part name; its wrapper's id below
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def section_wrapper_id(anchor: str) -> str:
    return f"{SECTION_PREFIX}{anchor}"


def owner_of_reserved(ident: str, section_anchors: dict[str, str]) -> str | None:
    """Which part of the book already uses ``ident``, in words; ``None`` when it is free."""
    if RESERVED_PATTERN.fullmatch(ident):
        return "the book's page numbering"
    if ident in RESERVED_IDS:
        part = ident.removesuffix("-heading").replace("-", " ")
        return f"the book's {part}"
    for anchor, title in section_anchors.items():
        if ident == section_wrapper_id(anchor):
            return f"the section '{title}'"
    return None


def check_ids(
    parts: Iterable[tuple[etree._Element, SourceLocator]],
    section_titles: dict[str, str],
    path: Path,
    report: DiagnosticCollector,
) -> None:
    """Report ids used twice, or taken by the book's own parts, across all the author's text.

    ``parts`` are the converted texts (body, disclaimer, summary) with the locator of each;
    ``section_titles`` maps each section's anchor to its title.
    """
    counts: Counter[str] = Counter()
    locators: dict[str, list[SourceLocator]] = {}
    for root, locator in parts:
        for element in root.iter():
            ident = element.get("id")
            if ident:
                counts[ident] += 1
                locators.setdefault(ident, []).append(locator)
    for ident, count in counts.items():
        owner = owner_of_reserved(ident, section_titles)
        if not owner and count == 1:
            continue  # searching the source for the line is costly: only for a message
        written = rf"(?:#|\bid\s*=\s*[\"']?){re.escape(ident)}(?![\w-])"
        found = (locator.line(written, pattern=True) for locator in locators[ident])
        line = next((line for line in found if line is not None), None)
        if owner:
            report.error(
                path, line, f"the id '{ident}' is already used by {owner}: choose another id"
            )
        elif count > 1:
            report.error(
                path,
                line,
                f"the id '{ident}' is used {count} times; ids must be unique in the whole book: "
                "rename all but one",
            )


class BookIds(markdown.Extension):
    """Keeps generated heading ids clear of the ids the book itself uses."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        explicit: set[ElementTree.Element] = set()
        # attr_list (8) has set the ids the author wrote; toc (5) then generates the others.
        md.treeprocessors.register(_RememberExplicit(md, explicit), "publish_ids_explicit", 5.5)
        md.treeprocessors.register(_MoveGeneratedAside(md, explicit), "publish_ids_aside", 4.5)


class _RememberExplicit(Treeprocessor):
    def __init__(self, md: markdown.Markdown, explicit: set[ElementTree.Element]) -> None:
        super().__init__(md)
        self.explicit = explicit

    def run(self, root: ElementTree.Element) -> None:
        self.explicit.clear()
        self.explicit.update(el for el in root.iter() if "id" in el.attrib)


class _MoveGeneratedAside(Treeprocessor):
    def __init__(self, md: markdown.Markdown, explicit: set[ElementTree.Element]) -> None:
        super().__init__(md)
        self.explicit = explicit

    def run(self, root: ElementTree.Element) -> None:
        generated = [
            el
            for el in root.iter()
            if el.tag in _HEADINGS and "id" in el.attrib and el not in self.explicit
        ]
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        # Renaming a level-1 heading renames its section's wrapper, so repeat until settled;
        # each round only lengthens ids, and there are no more rounds than headings.
        for _ in range(len(generated) + 1):
            taken = RESERVED_IDS | {
                section_wrapper_id(el.attrib["id"])
                for el in root
                if el.tag == "h1" and "id" in el.attrib  # a heading with no text has none
            }
            clashing = [
                el
                for el in generated
                if el.attrib["id"] in taken or RESERVED_PATTERN.fullmatch(el.attrib["id"])
            ]
            if not clashing:
                return
            for heading in clashing:
                fresh = unique(heading.attrib["id"], used | taken)
                heading.attrib["id"] = fresh
                used.add(fresh)
