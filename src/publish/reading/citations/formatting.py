"""citeproc formatting: the CSL style's citation layout (how a cluster is wrapped and joined),
each number with its locator, each entry of the list, and the collapsing of number runs."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from publish.errors import DiagnosticCollector
from publish.reading.bibliography import Bibliography
from publish.reading.citations.csl_locale import DEFAULT as DEFAULT_LOCALE
from publish.reading.citations.csl_locale import term
from publish.reading.citations.syntax import Cite
from publish.reading.csl_style import CslStyle, default_style
from publish.reading.limits import parse_fragment

CSL_NS = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class ClusterStyle:
    """How the style's ``<citation>`` wraps and joins the numbers of one citation."""

    superscript: bool
    prefix: str
    suffix: str
    delimiter: str
    collapse: bool
    sort: bool
    numeric: bool = True  # sources numbered; else author-date or note: the list is sorted


@cache
def cluster_style(xml: bytes) -> ClusterStyle:
    # The bytes of a tree csl_style parsed safely (or of a shipped style): no entities left.
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    citation = root.find(f"{CSL_NS}citation")
    layout = citation.find(f"{CSL_NS}layout") if citation is not None else None
    if citation is None or layout is None:
        return ClusterStyle(False, "[", "]", ",", False, False)
    keys = citation.findall(f"{CSL_NS}sort/{CSL_NS}key")
    category = root.find(f"{CSL_NS}info/{CSL_NS}category[@citation-format]")
    return ClusterStyle(
        numeric=category is None or category.get("citation-format") == "numeric",
        superscript=layout.get("vertical-align") == "sup",
        prefix=layout.get("prefix", ""),
        suffix=layout.get("suffix", ""),
        delimiter=layout.get("delimiter", ", "),
        collapse=citation.get("collapse") == "citation-number",
        sort=bool(keys) and keys[0].get("variable") == "citation-number",
    )


# Each entry as formatted, per style and entry data: a preview rebuilds the book on every save,
# and formatting the list was half of reading the article though an edit seldom changes a source.
# An entry that cannot be formatted is not kept, so its error is reported on every build.
_FORMATTED: dict[tuple[str, str, str], str] = {}
_FORMATTED_KEPT = 2000


class Formatter:
    """citeproc-py with the book's CSL style over its bibliography: sources are numbered in the
    order they are registered, so the first citation of a source registers it."""

    def __init__(
        self,
        bibliography: Bibliography | None,
        report: DiagnosticCollector,
        style: CslStyle | None = None,
        locale: str = DEFAULT_LOCALE,
    ) -> None:
        self.bibliography = bibliography
        self.locale = locale
        self.report = report
        self.style = style or default_style()
        self.style_key = hashlib.sha256(self.style.xml).hexdigest()
        self.cluster = cluster_style(self.style.xml)
        self._processor: Any = None  # citeproc's bibliography, built on first use

    def register(self, key: str) -> None:
        from citeproc import Citation, CitationItem

        self._citeproc().register(Citation([CitationItem(key)]))

    def cite_text(self, cite: Cite, number: int) -> str:
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
            return str(number)
        text = str(parse_fragment(rendered).text_content())
        style = self.cluster
        if style.prefix and text.startswith(style.prefix):
            text = text[len(style.prefix) :]
        if style.suffix and text.endswith(style.suffix):
            text = text[: -len(style.suffix)]
        return text.strip()

    def entry_text(self, key: str) -> str:
        """One entry of the list as citeproc formats it, alone, so that a malformed entry is
        named rather than breaking the whole list. (The list numbers its items itself.)"""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        memo_key = (
            f"{self.style_key} {self.locale}",
            key,
            json.dumps(self.entry(key), sort_keys=True),
        )
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

    def list_order(self, keys: list[str]) -> list[str]:
        """The cited keys in the order the style lists them: by number for a numeric style,
        by the style's own sort (author, year, ...) for the others."""
        if self.cluster.numeric:
            return keys
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        processor = self._citeproc()
        ordered = CitationStylesBibliography(processor.style, processor.source, formatter.html)
        for key in keys:
            ordered.register(Citation([CitationItem(key)]))
        try:
            ordered.sort()
            found = [str(item.key) for item in ordered.items]
        except Exception:  # citeproc-py's errors have no common base class: keep citation order
            return keys
        by_folded = {key.casefold(): key for key in keys}
        result = [by_folded[k.casefold()] for k in found if k.casefold() in by_folded]
        return result if sorted(result) == sorted(keys) else keys

    def entry(self, key: str) -> dict[str, Any]:
        assert self.bibliography is not None
        return self.bibliography.entries[key].data

    def _unformattable(self, key: str, exc: Exception) -> None:
        assert self.bibliography is not None
        self.report.error(
            self.bibliography.path,
            self.bibliography.entries[key].line,
            f"the reference '{key}' cannot be formatted in the {self.style.name} style "
            f"({type(exc).__name__}: {exc}): check its CSL fields",
        )

    def _citeproc(self) -> Any:
        if self._processor is None:
            from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
            from citeproc.source.json import CiteProcJSON

            assert self.bibliography is not None
            source = CiteProcJSON([e.data for e in self.bibliography.entries.values()])
            style = CitationStylesStyle(
                io.BytesIO(self.style.xml), locale=self.locale, validate=False
            )
            self._processor = CitationStylesBibliography(style, source, formatter.html)
        return self._processor


def collapse(cites: list[tuple[int, Cite]]) -> list[list[tuple[int, Cite]]]:
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


def author_label(data: dict[str, Any], locale: str = DEFAULT_LOCALE) -> str:
    """'Smith', 'Smith and Jones' or 'Smith et al.' for an in-text citation, in the words of the
    CSL ``locale`` ('Smith y Jones', 'Smith u. a.')."""
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
        return f"{labels[0]} {term(locale, 'and', 'and')} {labels[1]}"
    return f"{labels[0]} {term(locale, 'et-al', 'et al.')}"


def _plain(markup_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup_text))
