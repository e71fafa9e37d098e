"""Footnotes: taken out of Python-Markdown's single list at the end of the text, numbered in
reading order, and kept with the section that first calls them; then shaped for each edition.

Python-Markdown's footnotes extension writes every note into one ``<div class="footnote">`` after
the last block, numbered in the order the notes are *defined*. Left there, the notes of every
section would land in the last one, and the numbers would jump about in the text. The reader
(``take_notes`` and ``number_calls``) turns them into ``Footnote`` records held by the section
that first calls each note, numbered in the order readers meet the calls. Each writer then
places them: the EPUB in ``aside`` elements at the end of the content document, marked so that
reading systems show them as pop-ups (``epub_section``); the PDF at the call itself, floated to
the foot of the page by ``float: footnote`` (``print_section``); the HTML edition after the
section (``section_with_notes``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from publish.errors import DiagnosticCollector
from publish.labels import LABELS, Labels
from publish.model import Book, Footnote, Section
from publish.xhtml import EPUB_NS, fragment_markup, parse_fragment

# Block elements that may appear in a note; in the PDF the note sits inside a paragraph, where
# only phrasing content is allowed, so each becomes a span displayed as a block.
_BLOCKS = (
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "table", "thead",
    "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "hr", "h1", "h2", "h3", "h4",
    "h5", "h6",
)  # fmt: skip


@dataclass(frozen=True)
class _Defined:
    anchor: str
    content: tuple[etree._Element, ...]


def take_notes(root: etree._Element) -> dict[str, _Defined]:
    """Remove Python-Markdown's note list from ``root``; return each note's content by its id."""
    notes: dict[str, _Defined] = {}
    for container in list(root.iterfind("div[@class='footnote']")):
        for item in container.iterfind("ol/li"):
            for backlink in list(item.iterfind(".//a[@class='footnote-backref']")):
                _drop(backlink)
            blocks = [copy.deepcopy(child) for child in item]
            if blocks:
                # The no-break space Python-Markdown puts before its (now removed) back links.
                last = blocks[-1]
                if last.text and not len(last):
                    last.text = last.text.rstrip("\xa0 ")
                elif len(last):
                    last[-1].tail = (last[-1].tail or "").rstrip("\xa0 ") or None
            notes[str(item.get("id"))] = _Defined(str(item.get("id")), tuple(blocks))
        _drop(container)
    return notes


def book_ids(
    root: etree._Element, notes: dict[str, _Defined]
) -> tuple[dict[str, str], frozenset[etree._Element]]:
    """The ids the notes give themselves and their calls (``fn-1``, ``fnref-1``), each with
    what owns it in words, and the call elements that carry them in ``root``."""
    owned = {anchor: f"the footnote [^{_label(anchor)}]" for anchor in notes}
    calls: set[etree._Element] = set()
    for link in root.iter("a"):
        if "footnote-ref" not in (link.get("class") or "").split():
            continue
        call = link.getparent()
        target = (link.get("href") or "").removeprefix("#")
        if call is not None and call.get("id") and target in notes:
            owned[str(call.get("id"))] = f"a call of the footnote [^{_label(target)}]"
            calls.add(call)
    return owned, frozenset(calls)


def _label(anchor: str) -> str:
    return anchor.split("-", 1)[-1]


def number_calls(
    sections: list[tuple[etree._Element, ...]],
    notes: dict[str, _Defined],
    path: Path,
    report: DiagnosticCollector,
    body: str,
    first_line: int,
) -> list[tuple[Footnote, ...]]:
    """Number the calls in reading order and give each section the notes it calls first.

    ``sections`` are each section's blocks, heading first; their call markers are renumbered in
    place. A note nobody calls is reported and left out: a reader could never reach it.
    """
    numbers: dict[str, int] = {}
    calls: dict[str, list[str]] = {}
    firsts: list[list[str]] = []
    for blocks in sections:
        first_here: list[str] = []
        for block in blocks:
            for link in block.iter("a"):
                if "footnote-ref" not in (link.get("class") or "").split():
                    continue
                target = (link.get("href") or "").removeprefix("#")
                if target not in notes:
                    continue
                if target not in numbers:
                    numbers[target] = len(numbers) + 1
                    first_here.append(target)
                link.text = str(numbers[target])
                call = link.getparent()
                if call is not None and call.get("id"):
                    calls.setdefault(target, []).append(str(call.get("id")))
        firsts.append(first_here)
    for anchor in notes:
        if anchor not in numbers:
            label = anchor.split("-", 1)[-1]
            report.warning(
                path,
                _line_of(body, f"[^{label}]:", first_line),
                f"the footnote [^{label}] is never called, so it is left out: call it in the "
                f"text with [^{label}] or delete it",
            )
    return [
        tuple(
            Footnote(
                anchor=anchor,
                number=numbers[anchor],
                html="".join(_xhtml(block) for block in notes[anchor].content),
                calls=tuple(calls.get(anchor, ())),
            )
            for anchor in first_here
        )
        for first_here in firsts
    ]


def _line_of(body: str, needle: str, first_line: int) -> int | None:
    index = body.find(needle)
    return None if index < 0 else first_line + body.count("\n", 0, index)


# --- EPUB -----------------------------------------------------------------------------------


def epub_section(section: Section, labels: Labels = LABELS) -> str:
    """The section's XHTML with note references marked and its notes in ``aside`` elements.

    ``epub:type`` noteref / footnote is what reading systems (Apple Books, Kobo, Thorium) read
    to open a note as a pop-up; the DPUB-ARIA roles say the same to assistive technology.
    """
    root = parse_fragment(section.html)
    for link in root.iter("a"):
        if "footnote-ref" in (link.get("class") or "").split():
            link.set(f"{{{EPUB_NS}}}type", "noteref")
            link.set("role", "doc-noteref")
    body = fragment_markup(root)
    return body + "".join(_aside(note, labels, epub=True) for note in section.notes)


def _aside(note: Footnote, labels: Labels, *, epub: bool) -> str:
    """A note opening with its number, which leads back to the (first) place that calls it."""
    content = parse_fragment(note.html)
    number = etree.Element("a")
    number.text = f"{note.number}."
    if note.calls:
        number.attrib.update(
            {
                "class": "footnote-backref",
                "role": "doc-backlink",
                "href": f"#{note.calls[0]}",
                "title": labels.back_to_note.format(number=note.number),
            }
        )
    else:
        number.tag = "span"
    first = content[0] if len(content) else None
    if first is not None and first.tag == "p" and not (content.text or "").strip():
        number.tail = " " + (first.text or "")
        first.text = None
        first.insert(0, number)
    else:
        paragraph = etree.Element("p")
        paragraph.append(number)
        content.insert(0, paragraph)
    if len(note.calls) > 1:
        more = etree.SubElement(content, "p", {"class": "footnote-more-calls"})
        for index, call in enumerate(note.calls[1:], start=2):
            link = etree.SubElement(
                more,
                "a",
                {
                    "class": "footnote-backref",
                    "role": "doc-backlink",
                    "href": f"#{call}",
                    "title": labels.back_to_call_of_note.format(call=index, number=note.number),
                },
            )
            link.text = labels.back_to_call.format(call=index)
            link.tail = " "
    epub_type = ' epub:type="footnote"' if epub else ""
    return (
        f'<aside class="footnote" id="{note.anchor}"{epub_type} role="doc-footnote">'
        f"{fragment_markup(content)}</aside>"
    )


# --- HTML edition ---------------------------------------------------------------------------


def section_with_notes(section: Section, labels: Labels = LABELS) -> str:
    """The section's HTML followed by its notes, for a page read on screen."""
    return section.html + "".join(_aside(note, labels, epub=False) for note in section.notes)


# --- PDF ------------------------------------------------------------------------------------


def print_book(book: Book) -> Book:
    """The book with each note moved to its first call, where ``float: footnote`` takes it."""
    return replace(book, sections=tuple(replace(s, html=print_section(s)) for s in book.sections))


def print_section(section: Section) -> str:
    if not section.notes:
        return section.html
    notes = {note.anchor: note for note in section.notes}
    root = parse_fragment(section.html)
    placed: set[str] = set()
    for link in list(root.iter("a")):
        if "footnote-ref" not in (link.get("class") or "").split():
            continue
        target = (link.get("href") or "").removeprefix("#")
        call = link.getparent()
        if target not in notes or call is None or call.tag != "sup":
            continue
        if target in placed:
            # A later call stays a number linking to the note, set like the first call's mark.
            call.set("class", "footnote-call-again")
            continue
        placed.add(target)
        note = _print_note(notes[target])
        note.tail = call.tail
        parent = call.getparent()
        assert parent is not None
        parent.replace(call, note)
    return fragment_markup(root)


def _print_note(note: Footnote) -> etree._Element:
    span = etree.Element("span")
    span.set("class", "footnote")
    span.set("id", note.anchor)
    span.set("data-number", str(note.number))
    content = parse_fragment(note.html)
    span.text = content.text
    for child in content:
        span.append(child)
    for element in span.iter():
        if element is not span and element.tag in _BLOCKS:
            element.set("class", f"footnote-{element.tag} {element.get('class') or ''}".strip())
            element.tag = "span"
    return span


# --- shared ---------------------------------------------------------------------------------


def _xhtml(element: etree._Element) -> str:
    return etree.tostring(element, method="xml", encoding="unicode", with_tail=False)


def _drop(element: etree._Element) -> None:
    """Remove ``element`` and keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
