"""The sizes past which a library of the stack would lose text without a word, made ours.

What the stack does beyond its own limits, and so what is refused here first:

- libxml2 (lxml): a text node or attribute value over 10,000,000 bytes ends the parse. lxml's
  HTML parser recovers by dropping it *and everything after it*, so a long paragraph vanished
  from every edition with the rest of the book; its XML parser (the EPUB's) raises instead. It
  also drops what is nested deeper than 255 elements (``nesting`` refuses that, naming the line).
  Every parse of the book's HTML here uses ``parse_fragment``, with libxml2's larger limits
  (``huge_tree``), so that nothing is cut below ours.
- Python-Markdown has no size limit, but recurses: ``nesting`` bounds what it nests.
- WeasyPrint parses HTML with a parser that has no size limit and lays out whatever it is
  given; the cost of a very long paragraph is the only bound, and ours comes well before it.

Ours: one block of text (a paragraph, a code block, a front-matter value, an attribute such as
an image's caption) holds at most ``MAX_TEXT_CHARS`` characters, far more than any book's
longest paragraph and under libxml2's limit however many bytes each character takes. And after
each parse the text the tree holds is compared with the text of the HTML it was parsed from
(``check_text_kept``): whatever a parser drops is an error, never a silent cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from lxml import etree

from publish.errors import PublishError
from publish.xhtml import parse_fragment as parse_xhtml_fragment

MAX_TEXT_CHARS = 1_000_000
# libxml2's own limit, without huge_tree (XML_MAX_TEXT_LENGTH), for the messages.
LIBXML2_TEXT_BYTES = 10_000_000
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HUGE_HTML = lxml.html.HTMLParser(huge_tree=True)
# What XML 1.0 cannot hold at all, even as a character reference.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_fragment(html: str) -> lxml.html.HtmlElement:
    """``html`` inside a ``<div>``, with nothing cut at libxml2's default limits."""
    return lxml.html.fragment_fromstring(html, create_parent="div", parser=_HUGE_HTML)


def check_source_blocks(text: str, first_line: int, path: Path) -> None:
    """Refuse a block of Markdown (lines between blank lines) longer than ours, naming its line."""
    start = 0
    for gap in (*_BLANK_LINE.finditer(text), None):
        end = len(text) if gap is None else gap.start()
        if end - start > MAX_TEXT_CHARS:
            block = text[start:end]
            first = start + len(block) - len(block.lstrip())
            line = first_line + text.count("\n", 0, first)
            raise PublishError.at(path, line, _too_long("this paragraph", end - start))
        if gap is not None:
            start = gap.end()


def check_values(
    values: dict[str, object], key_lines: dict[str, int], path: Path, markdown: Iterable[str]
) -> None:
    """Refuse a front-matter value (or an item of a list value) longer than ours. Values in
    ``markdown`` are measured paragraph by paragraph, as the body is."""
    for key, value in values.items():
        if key in markdown:
            continue
        items: Iterable[object] = value if isinstance(value, list) else (value,)
        for item in items:
            if isinstance(item, str) and len(item) > MAX_TEXT_CHARS:
                raise PublishError.at(path, key_lines.get(key), _too_long(f"'{key}'", len(item)))


def longest_field(data: object) -> tuple[str, int] | None:
    """The name and length of the first string in ``data`` (CSL fields) longer than ours."""
    pending: list[tuple[str, object]] = [("", data)]
    while pending:  # a loop, not recursion: the data's depth is the file's to choose
        name, value = pending.pop()
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            return name, len(value)
        if isinstance(value, dict):
            pending.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((name, v) for v in value)
    return None


def too_long_message(what: str, size: int) -> str:
    return _too_long(what, size)


def check_tree(root: etree._Element, path: Path, source: str, first_line: int) -> None:
    """Refuse any text node or attribute value of the converted tree longer than ours.

    The source check sees paragraphs; this one also sees a code block with blank lines in it,
    a raw HTML block, an image's caption. Its line is where the text's first words are typed.
    """
    for node in root.iter():
        pieces = [node.text, node.tail] if isinstance(node.tag, str) else [node.tail]
        if isinstance(node.tag, str):
            pieces.extend(str(v) for v in node.attrib.values())
        for piece in pieces:
            if piece is not None and len(piece) > MAX_TEXT_CHARS:
                words = piece.strip()[:40]
                found = source.find(words) if words else -1
                line = first_line + (source.count("\n", 0, found) if found >= 0 else 0)
                raise PublishError.at(path, line, _too_long("this text", len(piece)))


def check_text_kept(html: str, root: etree._Element, path: Path, line: int) -> None:
    """Fail when the tree parsed from ``html`` holds less text than ``html`` does.

    The count is made by Python's own HTML parser, which has no size or depth limit, and
    compares the characters that are not white space, in text and in attribute values.
    """
    expected = _Counter.count(html)
    found = _tree_count(root)
    if found != expected:
        raise PublishError.at(
            path,
            line,
            f"the HTML reader kept {found:,} of this text's {expected:,} characters: part of "
            "it would be missing from the editions; simplify or split it",
        )


def check_serialised(
    elements: Iterable[etree._Element], xhtml: str, path: Path, line: int | None
) -> None:
    """Fail when ``xhtml``, read back as the editions read it, holds other text than the tree
    ``elements`` it was written from: the last check that what reached the editions is what
    the reader parsed."""
    expected = sum(_tree_count(element, with_tail=True) for element in elements)
    try:
        found = _tree_count(parse_xhtml_fragment(xhtml))
    except etree.XMLSyntaxError as exc:
        raise PublishError.at(path, line, f"this part cannot be written as XHTML: {exc}") from None
    if found == expected:
        return
    control = next((c for e in elements for c in _texts(e) if _XML_FORBIDDEN.search(c)), None)
    if control is not None:
        code = ord(_XML_FORBIDDEN.findall(control)[0])
        raise PublishError.at(
            path,
            line,
            f"the text holds U+{code:04X}, a control character XHTML cannot carry (perhaps "
            f"written as the entity &#{code};): delete it",
        )
    raise PublishError.at(
        path,
        line,
        f"{found:,} characters of this part's text reached the editions where the reader "
        f"parsed {expected:,}: simplify it",
    )


def _texts(root: etree._Element) -> Iterator[str]:
    for node in root.iter():
        if isinstance(node.tag, str):
            yield node.text or ""
            yield from (str(v) for v in node.attrib.values())
        yield node.tail or ""


def _tree_count(root: etree._Element, *, with_tail: bool = False) -> int:
    count = 0
    for node in root.iter():
        if isinstance(node.tag, str):
            count += _letters(node.text) + sum(_letters(str(v)) for v in node.attrib.values())
        if node is not root or with_tail:
            count += _letters(node.tail)
    return count


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.total = 0

    @classmethod
    def count(cls, html: str) -> int:
        counter = cls()
        counter.feed(html)
        counter.close()
        return counter.total

    def handle_data(self, data: str) -> None:
        self.total += _letters(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.total += sum(_letters(value) for _, value in attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _letters(text: str | None) -> int:
    """Characters that are not white space: parsers may fold or drop white space, not words."""
    return len("".join(text.split())) if text else 0


def _too_long(what: str, size: int) -> str:
    return (
        f"{what} is {size:,} characters long; a block of text over {MAX_TEXT_CHARS:,} "
        "characters is refused (the HTML readers behind the editions would cut it short): "
        "shorten it or split it in parts"
    )
