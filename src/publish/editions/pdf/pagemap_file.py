"""The page map kept beside the PDF, for an EPUB built later on its own, and read back strictly.

The file lies in the output folder, where anyone who can write there may replace it, and its
fingerprint can be computed by anyone who has the manuscript. So it is read as untrusted input:
its size is capped before it is read, its nesting is counted before it is parsed, numbers are
whole and short (``NaN``, ``1e999``, 5,000 digits are refused), and its content must be what
the PDF build writes: one entry per page, labelled exactly as the PDF numbers its pages (i, ii,
…, then 1, 2, …, so no label repeats or holds anything but those letters and digits), each
naming a place that exists in this book. Such a map can only place page-break markers, at
blocks of the book; anything else is refused with a warning naming the file, and the EPUB lays
the PDF out itself, as it does when there is no map.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

from publish.atomic import replacing
from publish.editions.pdf.pagemap import PageMap, PageStart, page_labels, places
from publish.errors import DiagnosticCollector
from publish.model import Book

# Some 50 bytes a page: room for 40,000 pages, far beyond what is ever laid out (WeasyPrint
# lays out some tens of pages a second).
MAX_BYTES = 2 * 1024 * 1024
MAX_PAGES = 40_000
# {"fingerprint": …, "pages": [[label, part, block], …]}: three levels.
MAX_DEPTH = 3
MAX_DIGITS = 9
_KEYS = ("fingerprint", "pages")
# A string, to its end when it is never closed, so that no match fails and is tried again.
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)
_ALL_BUT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class Refused(Exception):
    """Why a saved page map is not used; completes "the page map ... is not used: ..."."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def sidecar(pdf: Path) -> Path:
    """Where the PDF's page map is kept: beside it, hidden (it is no edition)."""
    return pdf.with_name(f".{pdf.stem}.pagemap.json")


def save(page_map: PageMap, path: Path, stamp: str) -> None:
    pages = [[page.label, page.part, page.block] for page in page_map.pages]
    with replacing(path) as temporary:
        temporary.write_text(json.dumps({"fingerprint": stamp, "pages": pages}), "utf-8")


def load(path: Path, stamp: str, book: Book, report: DiagnosticCollector) -> PageMap | None:
    """The saved page map, or ``None`` when there is none, it is another layout's (another
    text or design: silently), or it is refused (with a warning naming ``path``)."""
    try:
        saved = _parsed(path)
        if saved is None:
            return None
        fingerprint, pages = _shape(saved)
        if fingerprint != stamp:
            return None
        return _checked(pages, book)
    except Refused as refused:
        report.warning(
            path,
            refused.line,
            f"the page map beside the PDF is not used: {refused}; the EPUB lays the PDF out "
            "again for its page list",
        )
        return None


def _parsed(path: Path) -> object | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a loop of symbolic links, a name too long
        raise Refused(f"it cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(found.st_mode):
        raise Refused("it is not a regular file")
    if found.st_size > MAX_BYTES:
        raise Refused(f"it is {found.st_size:,} bytes, more than {MAX_BYTES // 1024 // 1024} MB")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # it may have grown since
    except OSError as exc:
        raise Refused(f"it cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise Refused(f"it is more than {MAX_BYTES // 1024 // 1024} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("it is not UTF-8 text") from None
    _check_depth(data)
    try:
        parsed: object = json.loads(
            text,
            parse_float=_no_fraction,
            parse_int=_short_whole_number,
            parse_constant=_no_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise Refused(f"it is not well-formed JSON ({exc.msg})", exc.lineno) from None
    return parsed


def _check_depth(data: bytes) -> None:
    """Refuse nesting deeper than the map has before the parser (which recurses) sees it.

    With the strings taken out and only the brackets left, each pass removes the innermost
    pairs: what is nested at most ``MAX_DEPTH`` deep is gone after that many passes. Every
    step runs in C (the regular expression engine, ``bytes.translate``, ``bytes.replace``),
    linear in the file.
    """
    brackets = _STRING.sub(b"", data).translate(None, _ALL_BUT_BRACKETS)
    opened = brackets.count(b"[") + brackets.count(b"{")
    if opened * 2 != len(brackets):
        raise Refused("it is not well-formed JSON (a list or an object is not closed)")
    for _ in range(MAX_DEPTH):
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    if brackets:
        raise Refused(f"it nests lists or objects more than {MAX_DEPTH} deep")


def _no_fraction(text: str) -> float:
    raise Refused(f"it holds the number {_short(text)}, where only whole page blocks belong")


def _no_constant(text: str) -> float:
    raise Refused(f"it holds {text}, which is no number a page map has")


def _short_whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Refused(f"it holds a number of {len(text)} digits")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) or set(keys) != set(_KEYS):
        raise Refused(f"its keys are {_short(', '.join(keys))}, not {' and '.join(_KEYS)}")
    return dict(pairs)


def _shape(saved: object) -> tuple[str, list[tuple[str, str, int | None]]]:
    """The fingerprint and the entries, refused unless each has the types the build writes."""
    if not isinstance(saved, dict):
        raise Refused("it is not a JSON object")
    fingerprint, pages = saved["fingerprint"], saved["pages"]
    if not isinstance(fingerprint, str) or not isinstance(pages, list):
        raise Refused("its fingerprint is not text or its pages are not a list")
    if len(pages) > MAX_PAGES:
        raise Refused(f"it lists {len(pages):,} pages, more than {MAX_PAGES:,}")
    entries: list[tuple[str, str, int | None]] = []
    for number, entry in enumerate(pages, start=1):
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], str)
            and (entry[2] is None or (type(entry[2]) is int and entry[2] >= 0))
        ):
            raise Refused(f"its entry {number} is not [label, part, block]")
        entries.append((entry[0], entry[1], entry[2]))
    return fingerprint, entries


def _checked(pages: list[tuple[str, str, int | None]], book: Book) -> PageMap:
    """The map, once every label is the PDF's and every place is one of ``book``'s."""
    labels = [label for label, _, _ in pages]
    body_start = labels.index("1") if "1" in labels else len(labels)
    expected = page_labels(body_start, len(labels))
    for number, (label, wanted) in enumerate(zip(labels, expected, strict=True), start=1):
        if label != wanted:
            raise Refused(
                f"page {number} is labelled '{_short(label)}', where the PDF's numbering "
                f"has '{wanted}'"
            )
    known = places(book)
    for number, (_, part, block) in enumerate(pages, start=1):
        if (part, block) not in known:
            where = f"block {block} of '{_short(part)}'" if block is not None else f"'{part}'"
            raise Refused(f"page {number} begins at {_short(where)}, which this book does not have")
    return PageMap(tuple(PageStart(label, part, block) for label, part, block in pages))


def _short(text: str) -> str:
    """A value for a message (which shows control characters as escapes), cut to a line."""
    return text if len(text) <= 60 else text[:57] + "..."
