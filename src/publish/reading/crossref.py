"""Numbered figures, tables and sections, and references to them, as pandoc-crossref writes them.

A figure labelled ``{#fig:label}``, a table whose ``Table:`` caption ends with ``{#tbl:label}``
and a heading with ``{#sec:label}`` are numbered in reading order; ``@fig:label`` (or
``[@fig:label]``) becomes a link reading "Figure 1", and ``[-@fig:label]`` just "1". The PDF
adds the page (", p. 4") from its layout, with CSS's ``target-counter``. Captions begin
"Figure 1: ", "Table 2: ".

Each kind of target is one ``Kind`` in ``KINDS``: what its label starts with, which elements
carry it, the word it is called by and whether its caption is numbered. Equations (``eq:``)
are one more kind: ``$$ … $$ {#eq:label}`` is numbered where it is read (``reading.math``, so
that ``\ref{eq:label}`` prints the same number) and ``@eq:label``, ``[@eq:label]``,
``[-@eq:label]`` and ``@Eq:label`` ("Eq. 1") resolve here, as the other kinds do. The words
come from the book's labels (``equation``: "eq."), so they can be translated. A capital first
letter (``@Fig:label``) capitalises the word, as pandoc-crossref does.

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
    # The number the element already carries (an equation's), instead of one counted here.
    carried: Callable[[etree._Element], str | None] | None = None
    # A reference to a label nothing has: an error, or a warning (the reference kept as typed).
    missing_is_error: bool = True


def _figure_caption(figure: etree._Element) -> etree._Element | None:
    caption = figure.find("figcaption")
    if caption is None:
        caption = etree.SubElement(figure, "figcaption")
    return caption


def _table_caption(table: etree._Element) -> etree._Element | None:
    return table.find("caption")


def _equation_number(equation: etree._Element) -> str | None:
    if "equation" not in (equation.get("class") or "").split():
        return None
    number = next((e for e in equation if e.get("class") == "equation-number"), None)
    return None if number is None else (number.text or "").strip("()") or None


KINDS: dict[str, Kind] = {
    "fig": Kind("fig", ("figure",), "figure", _figure_caption),
    "tbl": Kind("tbl", ("table",), "table", _table_caption),
    "sec": Kind("sec", _HEADINGS, "section"),
    "eq": Kind("eq", ("span",), "equation", carried=_equation_number, missing_is_error=False),
}
_REFERENCE = re.compile(
    r"(?P<open>\[)?(?P<bare>-)?@(?P<label>(?P<kind>[A-Za-z][a-z]*):" + _LABEL + r")(?(open)\])"
)


def is_crossref_key(key: str) -> bool:
    """Whether a citation key is a cross-reference label (``fig:chart``), not a source."""
    kind, colon, rest = key.partition(":")
    return bool(colon and rest) and kind.lower() in KINDS


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
        kind = m.group("kind")
        if kind.lower() not in KINDS or (m.start() > 0 and data[m.start() - 1].isalnum()):
            return None, None, None  # an e-mail address, or a key of another kind
        label = kind.lower() + m.group("label")[len(kind) :]
        link = ElementTree.Element("a")
        link.set("class", REFERENCE_CLASS)
        link.set("href", f"#{label}")
        link.set("data-crossref", label)
        if kind != kind.lower():  # @Eq:label: "Eq. 1"
            link.set("data-crossref-capital", "")
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
            if kind.carried is not None:
                carried = kind.carried(element)
                if carried is None:
                    continue
                shown = carried
            elif kind.caption is None:
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
            capital = "data-crossref-capital" in link.attrib
            for flag in ("data-crossref-bare", "data-crossref-capital"):
                if flag in link.attrib:
                    del link.attrib[flag]
            target = numbering.targets.get(label)
            if target is None:
                kind = KINDS[label.partition(":")[0]]
                typed = f"@{label[:1].upper()}{label[1:]}" if capital else f"@{label}"
                message = f"'{typed}' refers to no {kind.word}: label one with {{#{label}}}"
                if kind.missing_is_error:
                    report.error(path, locator.line(typed), message, rule="crossref")
                else:
                    line, column = locator.position(typed)
                    report.warning(path, line, message, column=column, rule="cross-reference")
                link.tag = "span"
                del link.attrib["href"]
                del link.attrib["class"]
                continue
            kind, shown, element = target
            word = str(getattr(labels, kind.word))
            if capital:
                word = word[:1].upper() + word[1:]
            link.text = shown if bare else f"{word}\u00a0{shown}"
            link.set("href", f"#{element.get('id')}")
            if not bare:  # the PDF adds ", p. 4" after the reference, from its layout
                link.set("data-page-label", labels.page_abbreviation)
