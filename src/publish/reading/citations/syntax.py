"""Pandoc's citation syntax: keys, bracketed clusters with prefixes, locators and suffixes, and
in-text ``@key``. Pure functions of the text; nothing here knows about Markdown or citeproc."""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish import locate
from publish.reading.crossref import is_crossref_key

# Pandoc's citation key: starts with a letter, digit or _, may hold internal punctuation.
KEY = r"\w(?:[\w:.#$%&+?<>~/-]*\w)?"
_KEY_AT = re.compile(r"(?P<minus>-)?@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>" + KEY + r"))")
IN_TEXT = re.compile(r"(?<![^\s(])@(?P<key>" + KEY + r")")
# A bracket holding at least one @, not a link (``[text](url)``, ``[text][ref]``, ``[x]: url``).
# No leading run of blanks and no '@' between two open runs: either made a line of tabs, or a
# '[' before ten thousand '@', cost the square of its length.
_BRACKET = re.compile(r"(?<!\\)\[(?P<body>[^\[\]\n]*)\](?![(\[:])")
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
        if is_crossref_key(key):
            return None  # [@fig:chart] is a cross-reference (crossref), not a citation
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


def code_spans(line: str) -> list[tuple[int, int]]:
    """Where the line's code spans are: no citation is read inside one."""
    return locate.code_spans(line)


def in_code(protected: list[tuple[int, int]], offset: int) -> bool:
    return locate.inside(protected, offset)


def find_citations(line: str) -> list[tuple[int, int, tuple[Cite, ...]]]:
    """Bracketed citations on one line, outside code spans: (start, end, sources)."""
    protected = code_spans(line)
    found: list[tuple[int, int, tuple[Cite, ...]]] = []
    for match in _BRACKET.finditer(line):
        if "@" not in match.group("body") or in_code(protected, match.start()):
            continue
        cites = parse_cluster(match.group("body"))
        if cites is not None:
            # The blanks before the bracket belong to it (a superscript takes them away).
            start = match.start()
            while start > 0 and line[start - 1] in " \t":
                start -= 1
            found.append((start, match.end(), cites))
    return found
