"""The citations of one manuscript: where each was written, the number each source gets at its
first citation, and each cluster rendered as the style prints it, every number a link."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown.extensions import Extension

from publish.errors import DiagnosticCollector
from publish.locate import in_fenced_code
from publish.model import Section
from publish.reading.bibliography import Bibliography
from publish.reading.citations.formatting import Formatter, author_label, collapse
from publish.reading.citations.plumbing import CitationExtension, token
from publish.reading.citations.references import entry_ids, references_section
from publish.reading.citations.syntax import (
    IN_TEXT,
    Cite,
    Occurrence,
    code_spans,
    find_citations,
)
from publish.reading.crossref import is_crossref_key


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
        self.formatter = Formatter(bibliography, report)
        self.style = self.formatter.cluster
        self.entry_ids = entry_ids(bibliography)

    def extension(self) -> Extension:
        return CitationExtension(self)

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
        protected = code_spans(line)

        def replace(match: re.Match[str]) -> str:
            key = match.group("key")
            if any(start <= match.start() < end for start, end in protected):
                return match.group()
            if is_crossref_key(key):
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

        return IN_TEXT.sub(replace, line)

    def _token(self, occurrence: Occurrence) -> str:
        self.occurrences.append(occurrence)
        return token(len(self.occurrences) - 1)

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
            element.text = author_label(self.formatter.entry(occurrence.cites[0].key)) + (
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
            self.formatter.register(key)
        return self.numbers[key]

    def _fill_cluster(self, cluster: ET.Element, cites: list[tuple[int, Cite]]) -> None:
        style = self.style
        if style.sort:
            cites = sorted(cites, key=lambda pair: pair[0])
        groups = collapse(cites) if style.collapse else [[pair] for pair in cites]
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
        return self.formatter.cite_text(cite, self.numbers[cite.key])

    # After every text is converted.

    def references_section(self, taken_ids: set[str]) -> Section | None:
        """The numbered list of cited sources, as back matter; warn about sources never cited."""
        return references_section(
            self.manuscript,
            self.bibliography,
            self.numbers,
            self.entry_ids,
            self.formatter,
            self.report,
            taken_ids,
        )
