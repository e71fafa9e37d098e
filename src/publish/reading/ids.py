"""Ids stay unique once the sections are joined into one document and set beside our own pages.

The PDF is one HTML document: the title page, disclaimer, summary and contents carry ids of their
own, each section is wrapped in ``section-<its heading's id>``, and the EPUB navigation finds a
link's document by its id. A heading named "Summary" must therefore not get the id ``summary``.
Ids Python-Markdown generates are moved aside (``summary_1``); ids the author wrote are the
author's to change, and the reader reports them with their line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import markdown
from lxml import etree
from markdown.treeprocessors import Treeprocessor

from publish.errors import DiagnosticCollector
from publish.locate import SourceLocator
from publish.parts import (
    CONTENTS,
    DISCLAIMER,
    RESERVED_IDS,
    RESERVED_PATTERN,
    SUMMARY,
    section_id,
)
from publish.reading.identifiers import PandocIdentifiers, unique_identifier

# The book's own ids that every edition has, which the author's links may name.
LINKABLE_BOOK_IDS = frozenset({DISCLAIMER, SUMMARY, CONTENTS})


def linkable_book_ids(with_contents: bool) -> frozenset[str]:
    """The parts the book makes that the author may link to: the contents only when printed."""
    return LINKABLE_BOOK_IDS if with_contents else LINKABLE_BOOK_IDS - {CONTENTS}


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def owner_of_reserved(ident: str, section_anchors: dict[str, str]) -> str | None:
    """Which part of the book already uses ``ident``, in words; ``None`` when it is free."""
    if RESERVED_PATTERN.fullmatch(ident):
        return "the book's page numbering"
    if ident in RESERVED_IDS:
        part = ident.removesuffix("-heading").replace("-", " ")
        return f"the book's {part}"
    for anchor, title in section_anchors.items():
        if ident == section_id(anchor):
            return f"the section '{title}'"
    return None


@dataclass
class SettledIds:
    """What the author's ids became: renamed ones by what was written, and ambiguous ones.

    A fragment the author wrote (``#bar``) follows ``renamed`` to the id now in the book; one
    that names an id written more than once is ``ambiguous``: the reader cannot tell which.
    """

    renamed: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, int] = field(default_factory=dict)
    owned: frozenset[str] = frozenset()

    def target(self, written: str) -> str:
        return self.renamed.get(written, written)


def settle_ids(
    parts: Iterable[tuple[etree._Element, SourceLocator]],
    section_titles: dict[str, str],
    path: Path,
    report: DiagnosticCollector,
    book_owned: dict[str, str] | None = None,
    book_elements: frozenset[etree._Element] = frozenset(),
) -> SettledIds:
    """Make every id in the author's text one a reader and an EPUB accept, once in the book.

    ``parts`` are the converted texts in reading order (disclaimer, summary, body, notes) with
    the locator of each; ``section_titles`` maps each section's anchor to its title;
    ``book_owned`` maps ids the book made inside the author's text (a footnote's ``fn-1``, its
    call's ``fnref-1``) to what made them: those elements (``book_elements``) keep their ids,
    and an author's id equal to one is an error, as is one taken by the book's own parts. An
    id that is not an XML name (an invisible U+200B, a colon) is changed to one, with a
    warning unless only its colons became hyphens (pandoc-crossref's ``fig:x``). An id
    written twice keeps the first element; each later one is renamed ``-1``, ``-2``, with a
    warning.
    """
    owned = book_owned or {}
    settled = SettledIds(owned=frozenset(owned))
    used: set[str] = set(owned)
    seen: dict[str, int] = {}
    written_at: list[tuple[etree._Element, str, SourceLocator]] = []
    for root, locator in parts:
        for element in root.iter():
            ident = element.get("id")
            if ident is None or not isinstance(element.tag, str):
                continue
            if element in book_elements:
                continue
            written_at.append((element, ident, locator))
    # The ids as readers will see them, first occurrence first; duplicates renamed after.
    for element, written, locator in written_at:
        ident = xml_name(written)
        if ident != written:
            if written.replace(":", "-") != ident:
                report.warning(
                    path,
                    _line(locator, written),
                    f"the id {shown(written)} holds characters an id cannot have "
                    f"({_bad_characters(written)}): it is now '{ident}'",
                )
            settled.renamed.setdefault(written, ident)
        owner = owned.get(ident) or owner_of_reserved(ident, section_titles)
        if owner:
            report.error(
                path,
                _line(locator, written),
                f"the id '{ident}' is already used by {owner}: choose another id",
            )
            continue
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:
            fresh = unique_identifier(ident, used)
            element.set("id", fresh)
            used.add(fresh)
            settled.ambiguous[written] = seen[ident]
            if ident != written:
                settled.ambiguous[ident] = seen[ident]
            report.warning(
                path,
                _line(locator, written, seen[ident], element),
                f"the id '{ident}' is used more than once; ids must be unique in the whole "
                f"book: this one is renamed '{fresh}' (rename it yourself to link to it)",
            )
        else:
            element.set("id", ident)
            used.add(ident)
    return settled


def _line(
    locator: SourceLocator,
    ident: str,
    occurrence: int = 1,
    element: etree._Element | None = None,
) -> int | None:
    """The line where ``ident`` is written as an id for the ``occurrence``-th time, or where
    the heading ``element`` that was given it is.

    An id with a character written as an entity (``&#x202e;``) is found by what precedes it.
    """
    bad = next((i for i, c in enumerate(ident) if not _NAME_CHAR.fullmatch(c)), len(ident))
    end = r"(?![\w-])" if bad == len(ident) else ""
    written = rf"(?:#|\bid\s*=\s*[\"']?){re.escape(ident[:bad])}{end}"
    found = locator.nth_line_of_pattern(written, occurrence)
    if found is None and element is not None and element.tag in _HEADINGS:
        title = " ".join("".join(str(t) for t in element.itertext()).split())
        found = locator.first_line_of_pattern(rf"^ {{0,3}}#+[ \t]+{re.escape(title)}")
    return found if found is not None else locator.first_line_of_pattern(written)


def shown(text: str) -> str:
    """``text`` quoted, with invisible and control characters written as escapes."""
    visible = "".join(
        c if c.isprintable() and not unicodedata.category(c).startswith("C") else f"\\u{ord(c):04x}"
        for c in text
    )
    return f"'{visible}'"


def _bad_characters(written: str) -> str:
    bad = [c for c in dict.fromkeys(written) if not _NAME_CHAR.fullmatch(c) or c == ":"]
    return ", ".join(f"U+{ord(c):04X}" for c in bad[:4])


def xml_name(ident: str) -> str:
    """``ident`` made an XML name without colons (an NCName), as EPUB's ids must be.

    Characters that cannot be in a name are dropped, colons become hyphens, and what cannot
    start a name is dropped from its start; nothing left gives ``id``.
    """
    if _NCNAME.fullmatch(ident):
        return ident
    kept = "".join("-" if c == ":" else c for c in ident if c == ":" or _NAME_CHAR.fullmatch(c))
    start = 0
    while start < len(kept) and not _NAME_START.fullmatch(kept[start]):
        start += 1
    return kept[start:] or "id"


# XML 1.0 (fifth edition) NameStartChar and NameChar, without the colon.
_START_RANGES = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_START = re.compile(f"[{_START_RANGES}]")
_NAME_CHAR = re.compile(f"[{_START_RANGES}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]")
_NCNAME = re.compile(f"[{_START_RANGES}][{_START_RANGES}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")


class BookIds(markdown.Extension):
    """Heading ids as pandoc makes them, kept clear of the ids the book itself uses."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        generated: set[ElementTree.Element] = set()
        # attr_list (8) has set the ids the author wrote; toc (5) leaves the ones given here.
        md.treeprocessors.register(PandocIdentifiers(md, generated), "publish_ids_pandoc", 6)
        md.treeprocessors.register(_MoveGeneratedAside(md, generated), "publish_ids_aside", 4.5)


class _MoveGeneratedAside(Treeprocessor):
    def __init__(self, md: markdown.Markdown, generated: set[ElementTree.Element]) -> None:
        super().__init__(md)
        self.generated = generated

    def run(self, root: ElementTree.Element) -> None:
        generated = [el for el in root.iter() if el in self.generated and "id" in el.attrib]
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        # Renaming a level-1 heading renames its section's wrapper, so repeat until settled;
        # each round only lengthens ids, and there are no more rounds than headings.
        for _ in range(len(generated) + 1):
            taken = RESERVED_IDS | {
                section_id(el.attrib["id"]) for el in root if el.tag == "h1" and "id" in el.attrib
            }
            clashing = [
                el
                for el in generated
                if el.attrib["id"] in taken or RESERVED_PATTERN.fullmatch(el.attrib["id"])
            ]
            if not clashing:
                return
            for heading in clashing:
                fresh = unique_identifier(heading.attrib["id"], used | taken)
                heading.attrib["id"] = fresh
                used.add(fresh)
