"""Refuse text nested so deep that reading it would crash, hang or silently lose words.

Python-Markdown parses nested lists and block quotes recursively (a thousand levels raise
RecursionError after a minute of work), matches square brackets in time that grows with the
square of their depth, and lxml's HTML parser drops, without a word, everything nested more than
255 elements deep. No real book nests anywhere near these limits, so the text is measured before
it is converted and refused, naming the line, when it goes beyond them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish.locate import blank_code

MAX_QUOTE_DEPTH = 32
MAX_LIST_DEPTH = 32
MAX_BRACKET_DEPTH = 32
MAX_HTML_DEPTH = 64
# After conversion, all causes together: lists in quotes in raw HTML elements.
MAX_TREE_DEPTH = 128

TAB_LENGTH = 4  # Python-Markdown's indentation unit for nested lists
_QUOTES = re.compile(r"^(?: {0,3}>)+")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_PUNCTUATION_RUN = re.compile(r"([^\w\s])\1*")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
# Void elements never close; elements whose end tag HTML lets authors leave out (p, li, td...)
# would otherwise count as ever deeper nesting.
_NOT_NESTING = (
    _VOID
    | {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot"}
    | {"colgroup", "caption", "option", "optgroup", "rb", "rt", "rtc", "rp"}
)


@dataclass(frozen=True)
class TooDeep:
    line: int
    message: str


def too_deep(body: str, first_line: int) -> TooDeep | None:
    """The first place ``body`` nests beyond the limits, as a file line and a message."""
    bracket_depth = 0
    html_depth = 0
    for offset, line in enumerate(blank_code(body).split("\n")):
        where = first_line + offset
        quotes = _QUOTES.match(line)
        depth = quotes.group().count(">") if quotes else 0
        if depth > MAX_QUOTE_DEPTH:
            return TooDeep(where, _message("block quotes", MAX_QUOTE_DEPTH))
        item = _LIST_ITEM.match(line[quotes.end() :] if quotes else line)
        if item:
            level = len(item.group(1).expandtabs(TAB_LENGTH)) // TAB_LENGTH + 1
            if level > MAX_LIST_DEPTH:
                return TooDeep(where, _message("lists", MAX_LIST_DEPTH))
        if not line.strip():
            bracket_depth = 0  # a blank line ends the paragraph, and with it any open link
        bracket_depth = _deepest_bracket(line, bracket_depth)
        if bracket_depth > MAX_BRACKET_DEPTH:
            return TooDeep(where, _message("square brackets", MAX_BRACKET_DEPTH))
        html_depth = _deepest_html(line, html_depth)
        if html_depth > MAX_HTML_DEPTH:
            return TooDeep(where, _message("HTML elements", MAX_HTML_DEPTH))
    return None


def tree_too_deep(html: str) -> bool:
    """True when converted ``html`` (balanced, every end tag written) nests too deep."""
    depth = _deepest_html(html, 0, stop_at=MAX_TREE_DEPTH, skip=_VOID)
    return depth > MAX_TREE_DEPTH


def likely_culprit(body: str, first_line: int) -> int:
    """The line with the longest run of one punctuation mark, when Markdown itself gave up."""
    best, best_line = 0, first_line
    for offset, line in enumerate(body.split("\n")):
        for run in _PUNCTUATION_RUN.finditer(line):
            if len(run.group()) > best:
                best, best_line = len(run.group()), first_line + offset
    return best_line


def _message(what: str, limit: int) -> str:
    return (
        f"{what} are nested more than {limit} levels deep here; "
        "no book needs that many: flatten the structure"
    )


def _deepest_bracket(line: str, depth: int) -> int:
    """The depth of unclosed ``[`` after ``line``, or the maximum reached if over the limit."""
    escaped = False
    for character in line:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return depth
        elif character == "]" and depth:
            depth -= 1
    return depth


def _deepest_html(
    text: str, depth: int, stop_at: int = MAX_HTML_DEPTH, skip: frozenset[str] | None = None
) -> int:
    """Open-element depth after ``text``, counting start and end tags."""
    skipped = _NOT_NESTING if skip is None else skip
    for tag in _TAG.finditer(text):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in skipped or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > stop_at:
                return depth
    return depth
