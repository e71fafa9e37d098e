"""The reference list: each cited source as citeproc formats it, reduced to inline XHTML with its
addresses and DOIs as links, under ``ref-<key>`` ids, as one back-matter section."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from publish.errors import DiagnosticCollector
from publish.labels import LABELS
from publish.model import Section, TocEntry
from publish.parts import REFERENCES
from publish.reading.bibliography import Bibliography
from publish.reading.citations.formatting import Formatter
from publish.reading.limits import parse_fragment
from publish.xhtml import serialize_children

REFERENCES_ID = REFERENCES
ENTRY_ID_PREFIX = "ref-"
_ALLOWED_IN_ENTRY = {"i", "b", "sup", "sub", "span", "a"}
_URL = re.compile(
    r"(?P<url>https?://[^\s<>\"]*[^\s<>\".,;:)\]])|doi:\s?(?P<doi>10\.[0-9]{4,9}/[^\s<>\"]*[^\s<>\".,;:)\]])"
)


def entry_ids(bibliography: Bibliography | None) -> dict[str, str]:
    """``ref-<key>``, with characters a URL fragment cannot carry replaced, and kept unique."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for key in bibliography.entries if bibliography else ():
        base = ENTRY_ID_PREFIX + re.sub(r"[^\w.-]", "-", key)
        ident, suffix = base, 1
        while ident in used:
            suffix += 1
            ident = f"{base}-{suffix}"
        used.add(ident)
        ids[key] = ident
    return ids


# Beyond this many, findings of one kind are summed up in one line.
MAX_LISTED = 10


@dataclass(frozen=True)
class Placement:
    """Where the author put the list, as pandoc lets them: under their own ``# References``
    heading at the end, or in a ``::: {#refs}`` div. Their heading's title, and the XHTML of
    their own blocks before and after the place of the list."""

    title: str
    before: str = ""
    after: str = ""


def references_section(
    manuscript: Path,
    bibliography: Bibliography | None,
    numbers: dict[str, int],
    ids: dict[str, str],
    formatter: Formatter,
    report: DiagnosticCollector,
    taken_ids: set[str],
    *,
    title: str | None = None,
    placement: Placement | None = None,
) -> Section | None:
    """The list of cited sources, as back matter; warn about sources never cited."""
    if bibliography is None:
        return None
    _warn_uncited(bibliography, numbers, report)
    if not numbers:
        return None
    for ident in [REFERENCES_ID, *(ids[k] for k in numbers)]:
        if ident in taken_ids:
            report.error(
                manuscript,
                None,
                f"the id '{ident}' is taken by the reference list: choose another id or heading",
            )
    keys = formatter.list_order(sorted(numbers, key=numbers.__getitem__))
    items = "".join(
        f'<li id="{ids[key]}">{_entry_xhtml(formatter.entry_text(key))}</li>' for key in keys
    )
    title = placement.title if placement else title or LABELS.references
    heading = f'<h1 id="{REFERENCES_ID}">{html.escape(title)}</h1>'
    kind = "references" if formatter.cluster.numeric else "references unnumbered"
    before, after = (placement.before, placement.after) if placement else ("", "")
    return Section(
        anchor=REFERENCES_ID,
        title=title,
        html=f'{heading}{before}<ol class="{kind}">{items}</ol>{after}',
        toc=TocEntry(title, REFERENCES_ID, 1),
        role="backmatter",
        semantics="bibliography",
    )


def _warn_uncited(
    bibliography: Bibliography, numbers: dict[str, int], report: DiagnosticCollector
) -> None:
    uncited = [entry for key, entry in bibliography.entries.items() if key not in numbers]
    if len(uncited) <= MAX_LISTED:
        for entry in uncited:
            report.warning(
                bibliography.path, entry.line, f"the reference '{entry.key}' is cited nowhere"
            )
        return
    first = ", ".join(f"'{e.key}' (line {e.line})" for e in uncited[:3])
    report.warning(
        bibliography.path,
        uncited[0].line,
        f"{len(uncited)} of its {len(bibliography.entries)} references are cited nowhere and "
        f"left out of the list, {first} the first; to list them all, add nocite: '@*'",
    )


def _entry_xhtml(formatted: str) -> str:
    """citeproc's HTML for one entry, without its leading number (the list numbers it), made
    well-formed, reduced to inline markup, with addresses and DOIs as links."""
    root = parse_fragment(formatted)
    root.text = re.sub(r"^\s*[0-9]+\.?\s*", "", root.text or "")
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        if element.tag not in _ALLOWED_IN_ENTRY:
            element.drop_tag()
            continue
        keep = {"class"} if element.tag == "span" else set()
        for name in list(element.attrib):
            if name not in keep:
                del element.attrib[name]
    _linkify(root)
    return serialize_children(root)


def _linkify(root: lxml.html.HtmlElement) -> None:
    def split(text: str) -> tuple[str, list[lxml.html.HtmlElement]]:
        head, position = "", 0
        links: list[lxml.html.HtmlElement] = []
        for match in _URL.finditer(text):
            before = text[position : match.start()]
            if links:
                links[-1].tail = before
            else:
                head = before
            link = lxml.html.Element("a")
            link.set("href", match.group("url") or f"https://doi.org/{match.group('doi')}")
            link.text = match.group()
            links.append(link)
            position = match.end()
        if links:
            links[-1].tail = text[position:]
        else:
            head = text
        return head, links

    for element in list(root.iter()):
        if element.tag == "a" or not isinstance(element.tag, str):
            continue
        head, links = split(element.text or "")
        element.text = head
        for index, link in enumerate(links):
            element.insert(index, link)
        if element is not root and element.tail:
            tail_head, tail_links = split(element.tail)
            element.tail = tail_head
            parent = element.getparent()
            at = parent.index(element) + 1
            for offset, link in enumerate(tail_links):
                parent.insert(at + offset, link)
