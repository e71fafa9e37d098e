"""Numbered figures, tables and sections, and references to them, as pandoc-crossref writes them.

A figure labelled ``{#fig:label}``, a table whose ``Table:`` caption ends with ``{#tbl:label}``
and a heading with ``{#sec:label}`` are numbered in reading order; ``@fig:label`` (or
``[@fig:label]``) becomes a link reading "Figure 1", and ``[-@fig:label]`` just "1". The PDF
adds the page (", p. 4") from its layout, with CSS's ``target-counter``. Captions begin
"Figure 1: ", "Table 2: ".

Each kind of target is one ``Kind`` in ``KINDS``: what its label starts with, which elements
carry it, the word it is called by and whether its caption is numbered. Equations (``eq:``)
are one more kind. The words come from the book's labels, so they can be translated.

Citations never take ``@fig:…``: ``is_crossref_key`` tells the citation reader which keys are
ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import markdown
from lxml import etree
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from publish.errors import DiagnosticCollector
from publish.labels import LABELS, Labels
from publish.locate import SourceLocator
from publish.reading.figures import ALT_FROM_CAPTION

# Pandoc's citation key characters, as the citation reader reads them.
_LABEL = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
REFERENCE_CLASS = "crossref"


@dataclass(frozen=True)
class Kind:
    """One kind of numbered target."""

    prefix: str  # the label's prefix, before the colon: fig, tbl, sec
    tags: tuple[str, ...]  # the elements that carry such a label
    word: str  # the label naming it in a reference: "figure" (its words are the book's)
    caption: Callable[[etree._Element], etree._Element | None] | None = None


def _figure_caption(figure: etree._Element) -> etree._Element | None:
    caption = figure.find("figcaption")
    if caption is None:
        caption = etree.SubElement(figure, "figcaption")
    return caption


def _table_caption(table: etree._Element) -> etree._Element | None:
    return table.find("caption")


KINDS: dict[str, Kind] = {
    "fig": Kind("fig", ("figure",), "figure", _figure_caption),
    "tbl": Kind("tbl", ("table",), "table", _table_caption),
    "sec": Kind("sec", _HEADINGS, "section"),
}
_REFERENCE = re.compile(
    r"(?P<open>\[)?(?P<bare>-)?@(?P<label>(?P<kind>[a-z]+):" + _LABEL + r")(?(open)\])"
)


def is_crossref_key(key: str) -> bool:
    """Whether a citation key is a cross-reference label (``fig:chart``), not a source."""
    kind, colon, rest = key.partition(":")
    return bool(colon and rest) and kind in KINDS


class CrossReferences(markdown.Extension):
    """``@fig:label`` and ``{#tbl:label}`` in the Markdown; numbering happens on the tree."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After escapes (180) and code spans (190), before footnotes (175) and links (160).
        md.inlinePatterns.register(_ReferencePattern(md), "publish_crossref", 178)
        # After the pandoc reader moves "Table:" captions into tables (20.5), before the
        # inline patterns (20) read the caption.
        md.treeprocessors.register(_TableLabels(md), "publish_table_labels", 20.2)


class _ReferencePattern(InlineProcessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(_REFERENCE.pattern, md)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[ElementTree.Element | None, int | None, int | None]:
        if m.group("kind") not in KINDS or (m.start() > 0 and data[m.start() - 1].isalnum()):
            return None, None, None  # an e-mail address, or a key of another kind
        link = ElementTree.Element("a")
        link.set("class", REFERENCE_CLASS)
        link.set("href", f"#{m.group('label')}")
        link.set("data-crossref", m.group("label"))
        if m.group("bare"):
            link.set("data-crossref-bare", "")
        link.text = m.group(0)
        return link, m.start(0), m.end(0)


# No leading '\s*': searched for, it would be tried from every space of a run, each time to
# the run's end. The spaces before the label are cut with it all the same.
_CAPTION_LABEL = re.compile(r"\{#(?P<id>[^\s{}]+)\}\s*$")


class _TableLabels(Treeprocessor):
    """pandoc-crossref's ``Table: the caption {#tbl:label}``: the label at the caption's end
    (the pandoc reader has made the ``<caption>``) names the table."""

    def run(self, root: ElementTree.Element) -> None:
        for table in root.iter("table"):
            caption = table.find("caption")
            if caption is None or len(caption) or not caption.text:
                continue
            found = _CAPTION_LABEL.search(caption.text)
            if found is not None and "id" not in table.attrib:
                table.set("id", found.group("id"))
                caption.text = caption.text[: found.start()].rstrip()


@dataclass
class Numbering:
    """What each label names, and its number; filled by ``number``, used by ``resolve``."""

    targets: dict[str, tuple[Kind, str, etree._Element]] = field(default_factory=dict)


def number(roots: Iterable[etree._Element], labels: Labels = LABELS) -> Numbering:
    """Number labelled figures, tables and sections in reading order; caption them.

    Runs before ids are settled (a label's colon becomes a hyphen then), so each target is
    kept by its element, whose final id ``resolve`` reads.
    """
    numbering = Numbering()
    counts: dict[str, int] = {}
    for root in roots:
        sections = _SectionNumbers()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "img" and ALT_FROM_CAPTION in element.attrib:
                del element.attrib[ALT_FROM_CAPTION]
            if element.tag in _HEADINGS:
                sections.step(int(element.tag[1]))
            ident = element.get("id") or ""
            prefix = ident.partition(":")[0]
            kind = KINDS.get(prefix)
            if kind is None or ":" not in ident or element.tag not in kind.tags:
                continue
            if ident in numbering.targets:
                continue  # a duplicate: the id reader reports it
            if kind.caption is None:
                shown = sections.current()
            else:
                counts[prefix] = counts.get(prefix, 0) + 1
                shown = str(counts[prefix])
                caption = kind.caption(element)
                word = str(getattr(labels, kind.word))
                if caption is not None:
                    _prefix_caption(caption, f"{word} {shown}")
                for image in element.iter("img"):
                    # The caption is hidden from screen readers: the alt text says the number.
                    if ALT_FROM_CAPTION in image.attrib:
                        image.set("alt", f"{word} {shown}: {image.get('alt')}")
            numbering.targets[ident] = (kind, shown, element)
    return numbering


class _SectionNumbers:
    """1, 1.1, 1.2, 2 … as headings nest."""

    def __init__(self) -> None:
        self.counters: list[int] = []

    def step(self, level: int) -> None:
        del self.counters[level:]
        while len(self.counters) < level:
            self.counters.append(0)
        self.counters[level - 1] += 1

    def current(self) -> str:
        return ".".join(str(n) for n in self.counters) or "0"


def _prefix_caption(caption: etree._Element, label: str) -> None:
    mark = etree.Element("span")
    mark.set("class", "crossref-label")
    mark.text = f"{label}:" if (caption.text or len(caption)) else label
    mark.tail = " " + (caption.text or "") if (caption.text or len(caption)) else None
    caption.text = None
    caption.insert(0, mark)


def resolve(
    numbering: Numbering,
    roots: Iterable[tuple[etree._Element, SourceLocator]],
    path: Path,
    report: DiagnosticCollector,
    labels: Labels = LABELS,
) -> None:
    """Give every ``@fig:label`` its words and the final id of what it names; a label nothing
    has is an error at its line."""
    for root, locator in roots:
        for link in list(root.iter("a")):
            label = link.get("data-crossref")
            if label is None:
                continue
            del link.attrib["data-crossref"]
            bare = "data-crossref-bare" in link.attrib
            if bare:
                del link.attrib["data-crossref-bare"]
            target = numbering.targets.get(label)
            if target is None:
                kind = KINDS[label.partition(":")[0]]
                report.error(
                    path,
                    locator.line(f"@{label}"),
                    f"'@{label}' refers to no {kind.word}: label one with {{#{label}}}",
                    rule="crossref",
                )
                link.tag = "span"
                del link.attrib["href"]
                continue
            kind, shown, element = target
            link.text = shown if bare else f"{getattr(labels, kind.word)}\u00a0{shown}"
            link.set("href", f"#{element.get('id')}")
            if not bare:  # the PDF adds ", p. 4" after the reference, from its layout
                link.set("data-page-label", labels.page_abbreviation)
