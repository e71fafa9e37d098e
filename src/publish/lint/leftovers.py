"""The safety net: Markdown or TeX syntax that reached the reader as text.

After the manuscript is read into a Book, the text of every part (outside code, math and
attributes) is searched for syntax that should have been rendered: fences, attribute braces,
table rules, math delimiters, TeX commands, leftover emphasis markers, citations, and the like.
Each finding is a warning with the manuscript line of what the author typed ("printed as text:
`:::`; is this a fenced div?"), so no gap in the syntax publish reads is ever silent.

Every pattern is a plain or bounded one (no nested or unbounded repetition that could backtrack),
and the ``$…$`` check walks the dollar signs once, so the check is linear in the book's length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publish.errors import Diagnostic, DiagnosticCollector, PublishError
from publish.locate import SourceLocator
from publish.model import Book
from publish.reading.frontmatter import split_front_matter

RULE = "leftover-syntax"
# Where text is code, a formula or not shown: syntax there is the author's example.
_SKIPPED = frozenset({"pre", "code", "kbd", "samp", "var", "math", "script", "style", "svg"})
_BLOCKS = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figcaption",
        "blockquote",
        "div",
        "aside",
        "caption",
    ]
)


@dataclass(frozen=True)
class Leftover:
    pattern: re.Pattern[str]
    question: str
    at_line_start: bool = False


LEFTOVERS = (
    Leftover(re.compile(r":{3,}"), "is this a fenced div (::: on its own line, then :::)?"),
    Leftover(
        re.compile(r"\{[#.][A-Za-z][\w:.-]{0,80}|\{=[A-Za-z]{1,20}\}|\{[A-Za-z][\w-]{0,40}="),
        "are these attributes ({#id .class key=value}) on something that takes none?",
    ),
    Leftover(re.compile(r"\+[-=]{3,}\+|\+:?[-=]{3,}:?\+"), "is this a grid table's rule?"),
    Leftover(re.compile(r"\|[ :]?-{3,}[ :]?\|"), "is this a pipe table's rule?"),
    Leftover(re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]"), "is this a formula's delimiter?"),
    Leftover(re.compile(r"\\[A-Za-z]{1,40}"), "is this a TeX command publish does not know?"),
    Leftover(re.compile(r"\*\*|__"), "is this strong emphasis that was never closed?"),
    Leftover(
        re.compile(r"#{1,6}[ \t]"),
        "is this a heading? Put a blank line before it to make it one (as pandoc, publish "
        "reads a '#' line right under a paragraph as that paragraph's text)",
        at_line_start=True,
    ),
    Leftover(
        re.compile(r">[ \t]"),
        "is this a quotation? Put a blank line before it to make it one (as pandoc, publish "
        "reads a '>' line right under a paragraph as that paragraph's text)",
        at_line_start=True,
    ),
    Leftover(re.compile(r"\[-?@"), "is this a citation that was not read?"),
    Leftover(re.compile(r"\[\^[^\]\s]{1,40}\]"), "is this a footnote call without its note?"),
    Leftover(re.compile(r"\^[^\s^]{1,60}\^"), "is this a superscript (^2^)?"),
    Leftover(re.compile(r"~~[^\s~][^~\n]{0,80}(?:~~)?"), "is this a strikeout (~~text~~)?"),
    Leftover(re.compile(r"(?<!~)~[^\s~]{1,60}~(?!~)"), "is this a subscript (~2~)?"),
    Leftover(re.compile(r"\]\{"), "is this a bracketed span with attributes ([text]{.class})?"),
    Leftover(re.compile(r"\(@[\w-]{0,40}\)"), "is this an example list's label ((@))?"),
    Leftover(
        re.compile(r"\|[ \t]"),
        "is this a line block (| at the start of each line)?",
        at_line_start=True,
    ),
    # What site generators and note apps add to Markdown: publish runs no templates.
    Leftover(
        re.compile(r"\{\{[<%]?"),
        "is this a site generator's template or shortcode ({{ … }})? publish runs no "
        "templates: write the text it stands for",
    ),
    Leftover(
        re.compile(r"(?<!\{)\{%-?[ \t]"),
        "is this a Liquid or Jinja tag ({% … %})? publish runs no templates: write the text it "
        "stands for",
    ),
    Leftover(
        re.compile(r"\{:[ \t]{0,3}[.#A-Za-z]"),
        "is this a kramdown attribute list ({: .class})? pandoc writes {.class} after a "
        "heading, a span or a fenced block",
    ),
    Leftover(
        re.compile(r"\([\w.-]{1,80}\)=(?=\s|$)"),
        "is this a MyST label ((name)=)? write {#name} after the heading",
        at_line_start=True,
    ),
    Leftover(
        re.compile(r"!?\[\[[^\[\]\n]{1,200}\]\]"),
        "is this a wiki link ([[Page]])? write [text](#id) to a section, or a web address",
    ),
    Leftover(
        re.compile(r"@ref\([\w:.-]{1,80}\)"),
        "is this a bookdown cross-reference (\\@ref(label))? write @fig:label, @tbl:label or "
        "@sec:label, or [text](#id)",
    ),
    Leftover(
        re.compile(r"\[![A-Za-z]{1,20}\]"),
        "is this an alert (> [!NOTE])? publish reads NOTE, TIP, IMPORTANT, WARNING and CAUTION",
        at_line_start=True,
    ),
)
_MATH_QUESTION = "is this a formula ($x$) that was not read?"


@dataclass(frozen=True)
class Finding:
    part: str  # "front" for the disclaimer and summary, "body" for the sections
    snippet: str
    question: str
    context: str  # the words that follow it, to find the right one of several in the source


def check(path: Path, book: Book) -> list[Diagnostic]:
    """The leftovers in ``book``, read from the manuscript at ``path``, with their lines there."""
    from publish.reading.manuscript import decode

    try:
        text = decode(path)
        front = split_front_matter(text, path)
    except PublishError:
        return []
    front_text = "\n".join(text.split("\n")[: front.body_first_line - 1])
    locators = {
        "front": SourceLocator(front_text, 1),
        "body": SourceLocator(front.body, front.body_first_line),
    }
    report = DiagnosticCollector()
    for finding in findings(book):
        locator = locators[finding.part]
        line = locator.line(_tolerant(finding.context), pattern=True) if finding.context else None
        if line is None:
            line = locator.line(finding.snippet)
        report.warning(
            path,
            line,
            f"printed as text: `{finding.snippet}`; {finding.question}",
            rule=RULE,
        )
    return report.items


def findings(book: Book) -> Iterator[Finding]:
    parts = [("front", book.disclaimer_html), ("front", book.summary_html)]
    parts += [("body", s.html) for s in book.sections if s.semantics != "bibliography"]
    for part, html in parts:
        root = etree.fromstring(f'<div xmlns:epub="http://www.idpf.org/2007/ops">{html}</div>')
        for text, starts_block in _texts(root):
            seen: set[tuple[str, str]] = set()  # a table's rules: one finding, not one a column
            for start, snippet, question in scan(text, starts_block):
                if (snippet, question) not in seen:
                    seen.add((snippet, question))
                    yield Finding(part, snippet, question, _context(text, start))


def scan(text: str, starts_block: bool = False) -> Iterator[tuple[int, str, str]]:
    """What in ``text`` looks like unrendered syntax: each snippet and the question to ask."""
    newlines: list[int] | None = None
    for leftover in LEFTOVERS:
        for match in leftover.pattern.finditer(text):
            if leftover.at_line_start:
                if newlines is None:
                    newlines = [m.start() for m in re.finditer("\n", text)]
                if not _at_line_start(text, match.start(), starts_block, newlines):
                    continue
            yield match.start(), match.group(), leftover.question
    yield from _dollar_math(text)


def _at_line_start(text: str, offset: int, starts_block: bool, newlines: list[int]) -> bool:
    index = bisect.bisect_left(newlines, offset)
    line_start = newlines[index - 1] + 1 if index else 0
    return not text[line_start:offset].strip() and (index > 0 or starts_block)


def _dollar_math(text: str) -> Iterator[tuple[int, str, str]]:
    """``$…$`` that pandoc would read as math: each pair of dollars looked at once."""
    dollars = [m.start() for m in re.finditer(r"\$", text)]
    index = 0
    while index + 1 < len(dollars):
        start, end = dollars[index], dollars[index + 1]
        inner = text[start + 1 : end]
        after = text[end + 1 : end + 2]
        if inner and not inner[0].isspace() and not inner[-1].isspace() and not after.isdigit():
            yield start, text[start : end + 1][:60], _MATH_QUESTION
            index += 2
        else:
            index += 1


def _context(text: str, start: int) -> str:
    """The finding and the words after it on its line, as a reader sees them."""
    line_end = text.find("\n", start, start + 60)
    return text[start : line_end if line_end >= 0 else start + 40].strip()


def _tolerant(context: str) -> str:
    """A pattern for ``context`` as typed: any run of spaces may be any whitespace."""
    return r"\s+".join(re.escape(word) for word in context.split())


def _texts(root: etree._Element) -> Iterator[tuple[str, bool]]:
    """Each run of text a reader sees, and whether it starts a block (a paragraph, an item)."""

    def walk(element: etree._Element) -> Iterator[tuple[str, bool]]:
        name = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if name in _SKIPPED:
            return
        if element.text:
            yield element.text, name in _BLOCKS
        for child in element:
            yield from walk(child)
            if child.tail:
                yield child.tail, False

    yield from walk(root)
