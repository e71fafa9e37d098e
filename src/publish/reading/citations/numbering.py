"""The citations of one manuscript: where each was written, the number each source gets at its
first citation, and each cluster rendered as the style prints it, every number a link."""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown.extensions import Extension

from publish.errors import DiagnosticCollector
from publish.locate import code_spans, in_fenced_code
from publish.model import Section
from publish.reading.bibliography import Bibliography
from publish.reading.citations.csl_locale import csl_locale
from publish.reading.citations.formatting import Formatter, author_label, collapse
from publish.reading.citations.options import ALL, CitationOptions
from publish.reading.citations.plumbing import CitationExtension, token
from publish.reading.citations.references import (
    MAX_LISTED,
    Placement,
    entry_ids,
    references_section,
)
from publish.reading.citations.syntax import (
    IN_TEXT,
    Cite,
    Occurrence,
    find_citations,
    in_code,
)
from publish.reading.crossref import is_crossref_key

_DATE_IN_CITATION = re.compile(r"\b(?:\d{4}[a-z]?\b|n\.d\.)")


class Citations:
    """Citation state for one manuscript: occurrences, numbers, and the formatted list."""

    def __init__(
        self,
        manuscript: Path,
        bibliography: Bibliography | None,
        report: DiagnosticCollector,
        options: CitationOptions | None = None,
    ) -> None:
        self.manuscript = manuscript
        self.bibliography = bibliography
        self.report = report
        self.options = options or CitationOptions()
        self.occurrences: list[Occurrence] = []
        self.numbers: dict[str, int] = {}
        self.first_line = 1
        self.indent: int | None = 0
        self.formatter = Formatter(
            bibliography, report, self.options.style, csl_locale(self.options.lang)
        )
        self.style = self.formatter.cluster
        self.entry_ids = entry_ids(bibliography)
        # Unknown keys beyond the first MAX_LISTED: (count, first line) for one summary line.
        self.unlisted_unknown = [0, 0]
        self.unlisted_not_keys = [0, 0]

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
        indent = len(line) - len(line.lstrip())
        for start, end, cites in find_citations(line):
            text = line[start:end]
            space = len(text) - len(text.lstrip(" \t"))
            keep_space = not self.style.superscript or start + space <= indent
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
            if in_code(protected, match.start()):
                return match.group()
            if is_crossref_key(key):
                return match.group()
            assert self.bibliography is not None
            if key not in self.bibliography.entries:
                if self._unlisted(self.unlisted_not_keys, file_line):
                    return match.group()
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
            entry = self.formatter.entry(occurrence.cites[0].key)
            element.text = author_label(entry, self.formatter.locale) + (
                "" if self.style.superscript else " "
            )
        self._fill_cluster(cluster, cites, names_given=occurrence.in_text)

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
                ok = False
                if self._unlisted(self.unlisted_unknown, occurrence.line):
                    continue
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

    def _unlisted(self, tally: list[int], line: int) -> bool:
        """Count a finding; true when MAX_LISTED of its kind were already reported on their own.
        Each hint compares the key with every entry: thousands of them would take minutes."""
        tally[0] += 1
        if tally[0] <= MAX_LISTED:
            return False
        if tally[0] == MAX_LISTED + 1:
            tally[1] = line
        return True

    def _summarise_unlisted(self) -> None:
        name = self.bibliography.name if self.bibliography is not None else ""
        unknown, unknown_line = self.unlisted_unknown
        if unknown > MAX_LISTED:
            self.report.error(
                self.manuscript,
                unknown_line,
                f"and {unknown - MAX_LISTED:,} more citations of keys {name} has no entry for, "
                "from this line on",
            )
        not_keys, not_keys_line = self.unlisted_not_keys
        if not_keys > MAX_LISTED:
            self.report.warning(
                self.manuscript,
                not_keys_line,
                f"and {not_keys - MAX_LISTED:,} more '@words' that are not keys in {name}, from "
                "this line on; left as text",
            )

    def _column(self, occurrence: Occurrence, offset: int) -> int | None:
        return None if self.indent is None else occurrence.column + offset

    def _number(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            # citeproc numbers sources in the order they are registered: first citation first.
            self.formatter.register(key)
        return self.numbers[key]

    def _fill_cluster(
        self, cluster: ET.Element, cites: list[tuple[int, Cite]], *, names_given: bool = False
    ) -> None:
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
            last = self._link(cluster, first.key, self._cite_text(first, names_given))
            if len(group) > 1:
                add_text("\u2013")
                last = self._link(cluster, group[-1][1].key, str(group[-1][0]))
            if first.suffix:
                add_text(" " + first.suffix)
        add_text(style.suffix)

    def _link(self, parent: ET.Element, key: str, text: str) -> ET.Element:
        if not self.options.link:  # link-citations: false
            plain = ET.SubElement(parent, "span")
            plain.text = text
            return plain
        link = ET.SubElement(parent, "a")
        link.set("href", f"#{self.entry_ids[key]}")
        link.set("role", "doc-biblioref")
        link.text = text
        return link

    def _cite_text(self, cite: Cite, names_given: bool = False) -> str:
        text = self.formatter.cite_text(cite, self.numbers[cite.key])
        if names_given and not self.style.numeric:
            # "@crone2016 found": the names are in the text already, so an author-date style
            # prints "Crone and Williams (2016)", not the names twice. citeproc-py cannot
            # suppress the author, so the citation is cut where its date begins.
            date = _DATE_IN_CITATION.search(text)
            if date:
                text = text[date.start() :]
        return text

    # After every text is converted.

    def add_nocite(self) -> None:
        """pandoc's ``nocite``: list these sources too, after the cited ones (``@*``: all)."""
        wanted = self.options.nocite
        if not wanted:
            return
        if self.bibliography is None:
            self.report.error(
                self.manuscript,
                self.options.nocite_line,
                "'nocite' but the front matter names no bibliography",
            )
            return
        entries = self.bibliography.entries
        for key in entries if ALL in wanted else wanted:
            if key in entries:
                self._number(key)
            else:
                self.report.error(
                    self.manuscript,
                    self.options.nocite_line,
                    f"'nocite' names '{key}': {self.bibliography.name} has no entry with that id",
                )

    def references_section(
        self, taken_ids: set[str], placement: Placement | None = None
    ) -> Section | None:
        """The list of cited sources, as back matter; warn about sources never cited."""
        self._summarise_unlisted()
        self.add_nocite()
        return references_section(
            self.manuscript,
            self.bibliography,
            self.numbers,
            self.entry_ids,
            self.formatter,
            self.report,
            taken_ids,
            title=self.options.section_title or self.options.default_title,
            placement=placement,
        )
