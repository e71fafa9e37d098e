"""The prose of a manuscript as editors read it: paragraphs and sentences, with their file lines.

The editorial lint reads the Markdown source, not the converted HTML, because its findings must
name the manuscript's own lines, and Python-Markdown keeps no positions. Markup is *masked*, not
removed: every character of syntax (emphasis marks, link addresses, code, HTML tags and comments,
footnote labels, citations) becomes a space, so an offset in the masked text is an offset in the
source and its line is found by counting line breaks. Code blocks, code spans and formulas are
not prose.

What the lint needs beside the words is kept: whether a paragraph cites a source, and where the
author's lint markers (``<!-- lint: allow RULE -->``) are.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from publish.locate import blank_code_spans, in_fenced_code
from publish.reading.citations import find_citations
from publish.reading.math.delimiters import Found, find_math
from publish.reading.scan import CodeRanges

# What an inline HTML tag is masked with: not a space, so the text around it stays one word.
GLUE = "\u2060"
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]^]+\]:\s*\S+.*$")
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
_MARKER = re.compile(r"\s*lint:\s*allow\s+(\S.*)$", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+[^\s<>().,;:!?'\"]")
# No pattern here may start with an unbounded run or nest one in another: each is tried at every
# position of a line that may be 80 KB long. Hence ']' ends a link target and '{' an attribute list.
_LINK_TARGET = re.compile(r"\]\(\s*<?[^\s)>\]]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_LINK_TITLE = re.compile(r"(?<!\s)\s+([\"'])(.*)\1\s*\)$", re.DOTALL)
_REFERENCE_LINK = re.compile(r"\]\[[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_IN_TEXT_CITATION = re.compile(r"(?<![^\s(\[;])-?@\w(?:[\w:.#$%&+?<>~/-]*\w)?")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_EMPHASIS = re.compile(r"\*+|~~|(?<!\w)_+|_+(?!\w)|\\(?=[^\w\s])")
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+[\"'\u201d\u2019)\]]*(?=\s|$)")
# No abbreviation is longer; looking further back would scan the paragraph at every full stop.
_LONGEST_ABBREVIATION = 16
# Abbreviations after which a full stop ends no sentence.
_ABBREVIATIONS = frozenset(
    (
        "e.g", "i.e", "al", "etc", "vs", "cf", "dr", "mr", "mrs", "ms", "prof", "st", "no",
        "fig", "figs", "vol", "p", "pp", "approx", "u.s", "u.k", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    )
)  # fmt: skip


@dataclass(frozen=True)
class Marker:
    """``<!-- lint: allow RULE, RULE: reason -->``: where it is, which rules it names."""

    offset: int
    line: int
    rules: tuple[str, ...]


@dataclass
class Paragraph:
    """A block of prose: masked text the length of its source, and the line it starts on."""

    text: str
    first_line: int
    heading: bool = False
    cited: bool = False
    markers: list[Marker] = field(default_factory=list)
    _breaks: list[int] | None = field(default=None, repr=False, compare=False)

    def line_at(self, offset: int) -> int:
        # Masking keeps every line break where it was, so the breaks are found once.
        if self._breaks is None:
            self._breaks = [m.start() for m in re.finditer("\n", self.text)]
        return self.first_line + bisect.bisect_left(self._breaks, offset)

    def sentences(self) -> Iterator[tuple[int, int]]:
        """(start, end) offsets of each sentence."""
        start = _skip_space(self.text, 0)
        for end_match in _SENTENCE_END.finditer(self.text):
            end = end_match.end()
            if end <= start or _is_abbreviation(self.text, end_match.start()):
                continue
            if self.text[start:end].strip():
                yield start, end
            start = _skip_space(self.text, end)
        if self.text[start:].strip():
            yield start, len(self.text.rstrip())


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


# A German date's day is an ordinal with a full stop ("am 25. November"), which ends no sentence.
_ORDINAL_DAY = re.compile(r"(?<![\d.])\d{1,2}$")
_MONTH_AFTER_ORDINAL = re.compile(
    r"\s+(?:Jan(?:uar)?|Jänner|Feb(?:ruar)?|März|Apr(?:il)?|Mai|Juni?|Juli?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Okt(?:ober)?|Nov(?:ember)?|Dez(?:ember)?)\b"
)


def _is_abbreviation(text: str, dot: int) -> bool:
    if _ORDINAL_DAY.search(text, max(0, dot - 3), dot) and _MONTH_AFTER_ORDINAL.match(
        text, dot + 1
    ):
        return True
    word = re.search(
        r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)$", text[max(0, dot - _LONGEST_ABBREVIATION - 1) : dot]
    )
    if word is None:
        return False
    token = word.group(1).lower()
    # A single capital ("J. Smith") is an initial; a lone lower-case letter is not a sentence.
    return token in _ABBREVIATIONS or (len(token) == 1 and text[dot - 1].isupper())


def paragraphs(lines: list[str], first_line: int) -> list[Paragraph]:
    """Cut Markdown ``lines`` (the first on file line ``first_line``) into masked paragraphs."""
    blocks: list[tuple[list[tuple[int, str]], bool]] = []  # (numbered lines, is a heading)
    current: list[tuple[int, str]] = []
    previous_blank = True
    in_list = False

    def close(heading: bool = False) -> None:
        nonlocal current
        if current:
            blocks.append((current, heading))
        current = []

    code = in_fenced_code(lines)
    for index, line in enumerate(lines):
        number = first_line + index
        if code[index]:
            if index == 0 or not code[index - 1]:
                close()  # a code block ends the paragraph before it
            continue
        if not line.strip():
            close()
            previous_blank = True
            continue
        indented_code = (
            previous_blank and not in_list and re.match(r"^(?: {4}|\t)", line) is not None
        )
        previous_blank = False
        if indented_code:
            close()
            continue
        if _SETEXT.match(line) and current:
            close(heading=True)
            continue
        if _RULE.match(line):
            close()
            continue
        if _ATX.match(line):
            close()
            blocks.append(([(number, line)], True))
            in_list = False
            continue
        item = _LIST_ITEM.match(_QUOTE.sub("", line))
        if item or _FOOTNOTE_DEFINITION.match(line):
            close()
            in_list = True
        elif not line.startswith((" ", "\t")) and not current:
            in_list = False
        if _REFERENCE_DEFINITION.match(line) and not _FOOTNOTE_DEFINITION.match(line):
            continue
        current.append((number, line))
    close()
    return [p for p in (_paragraph(*block) for block in blocks) if p.text.strip()]


def _paragraph(block: list[tuple[int, str]], heading: bool) -> Paragraph:
    first = block[0][0]
    masked_lines = []
    for _, line in block:
        line = _QUOTE.sub(lambda m: " " * len(m.group()), line)
        line = _LIST_ITEM.sub(lambda m: " " * len(m.group()), line)
        line = re.sub(r"^ {0,3}#{1,6}(?=[ \t]|$)", lambda m: " " * len(m.group()), line)
        line = re.sub(r"[ \t]#+[ \t]*$", lambda m: " " * len(m.group()), line)
        line = _FOOTNOTE_DEFINITION.sub(lambda m: " " * len(m.group()), line)
        masked_lines.append(line)
    text = "\n".join(masked_lines)
    paragraph = Paragraph(text, first, heading)
    text = _mask_code(text)
    text = _take_comments(text, paragraph)
    text = _take_citations(text, paragraph)
    for pattern in (_AUTOLINK, _URL, _FOOTNOTE_REF, _REFERENCE_LINK, _ATTRIBUTE_LIST):
        text = pattern.sub(_blank, text)
    text = _TAG.sub(_glue, text)
    text = _LINK_TARGET.sub(_keep_title, text)
    text = _ENTITY.sub(_blank, text)
    text = re.sub(r"!?\[", " ", text).replace("]", " ")
    text = _EMPHASIS.sub(_blank, text)
    paragraph.text = text
    return paragraph


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


def _glue(match: re.Match[str]) -> str:
    """An inline tag joins what it separates: the 2 of H<sub>2</sub>O is no number of its own."""
    return re.sub(r"[^\n]", GLUE, match.group())


def _mask_code(text: str) -> str:
    """Code spans and formulas: a number in ``$x^2$`` is no statistic, ``\\frac`` no word."""
    text = blank_code_spans(text)
    if "$" not in text and "\\" not in text:
        return text
    for found in find_math(text, CodeRanges(text)):
        if isinstance(found, Found):
            text = (
                text[: found.start] + _blank_text(text[found.start : found.end]) + text[found.end :]
            )
    return text


def _blank_text(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _take_comments(text: str, paragraph: Paragraph) -> str:
    def take(text: str, start: int, end: int) -> str:
        marker = _MARKER.match(text, start + 4, end - 3)
        if marker:
            # The rules, then a reason after a colon: "allow readability: the terms are the topic".
            named = marker.group(1).partition(":")[0].strip()
            rules = tuple(r.strip().lower() for r in re.split(r"[,\s]+", named) if r)
            paragraph.markers.append(Marker(start, paragraph.line_at(start), rules))
        return re.sub(r"[^\n]", " ", text[start:end])

    pieces: list[str] = []
    position = 0
    # str.find, not a lazy pattern: an unclosed '<!--' repeated would be scanned to the end
    # from each of its copies.
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        pieces.append(text[position:start])
        pieces.append(take(text, start, end + 3))
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


def _take_citations(text: str, paragraph: Paragraph) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = find_citations(line)
        for start, end, _ in reversed(found):
            line = line[:start] + " " * (end - start) + line[end:]
        masked = _IN_TEXT_CITATION.sub(_blank, line)
        if found or masked != line:
            paragraph.cited = True
        lines[index] = masked
    return "\n".join(lines)


def _keep_title(match: re.Match[str]) -> str:
    """A link's address is masked; an image's title is its visible caption, so it stays."""
    whole = match.group()
    title = _LINK_TITLE.search(whole)
    masked = _blank(match)
    if title is None:
        return masked
    start = title.start(2)
    return masked[:start] + title.group(2) + masked[start + len(title.group(2)) :]
