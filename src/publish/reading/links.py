"""Every link in the book checked once, on the finished trees, before any edition is written.

A link is kept only where every edition can follow it: to an id in the book (``#section``), or
to an address a reader's device opens (``https:``, ``mailto:``, ``tel:``, ``sms:``). The rest
would break an edition: a fragment no element has makes an invalid EPUB; a relative link to a
file that is not part of the book (``notes.md``, ``../README.md``, ``/health-care/``) becomes
an EPUB error and, in the PDF, a ``file:`` address of the building machine (WeasyPrint resolves
it against the manuscript's folder); ``//host/share`` becomes ``file://host/share``, which some
viewers open over SMB. So:

- a fragment that names no id is an error, and so is one naming an id written more than once;
- a link to a file outside the book, or a malformed address (spaces, a bare ``www.``, an
  unbalanced bracket, a ``tel:`` that is no number), is a warning naming the line, and its text
  stays in every edition without the link.

A link to the manuscript itself (``book.md#methods``) is a link within the book.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from publish.errors import DiagnosticCollector
from publish.locate import SourceLocator
from publish.parts import CONTENTS
from publish.reading.ids import SettledIds
from publish.safety.addresses import address_problem, phone_number, short

FOLLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
_SUGGESTIONS = 20  # close-match hints for the first broken fragments only: each costs a scan


@dataclass(frozen=True)
class Part:
    """A converted text, where its lines are in the file, and what it may link to by name."""

    root: etree._Element
    locator: SourceLocator


def check_links(
    parts: Iterable[Part],
    targets: set[str],
    settled: SettledIds,
    path: Path,
    report: DiagnosticCollector,
) -> None:
    """Check and settle every ``<a href>`` in ``parts``; ``targets`` are the ids links may name.

    Fragments that name a renamed id (see ``ids.settle_ids``) follow it; links that cannot be
    kept lose their ``href`` and become their text.
    """
    own_file = path.name
    hints = [0]
    repeated: dict[str, tuple[int | None, int]] = {}
    told: set[tuple[int | None, str]] = set()
    for part in parts:
        for link in list(part.root.iter("a")):
            href = link.get("href")
            if href is None:
                if not link.attrib:  # its address was malformed, and the sanitiser said so
                    _unwrap(link)
                continue
            problem = _settle(link, href.strip(), targets, settled, own_file)
            if problem is None:
                continue
            level, message = problem
            line = _line_of(part.locator, href)
            if level == "error":
                hint = ""
                if unquote(href.lstrip("#")) == CONTENTS and CONTENTS not in targets:
                    hint = "; the front matter's 'toc: false' leaves the contents out"
                elif hints[0] < _SUGGESTIONS and message.endswith("no element has"):
                    hints[0] += 1
                    close = difflib.get_close_matches(unquote(href.lstrip("#")), targets, n=1)
                    hint = f"; did you mean '#{close[0]}'?" if close else ""
                if (line, message) not in told:  # one link written once, used again
                    told.add((line, message))
                    report.error(path, line, message + hint, rule="link")
            else:
                # One warning per address, at its first line: a document linking to "/url"
                # forty times is told once.
                first_line, count = repeated.get(message, (line, 0))
                repeated[message] = (first_line, count + 1)
                _unwrap(link)
    for message, (line, count) in repeated.items():
        others = "1 more link" if count == 2 else f"{count - 1} more links"
        more = f" (and {others} to it)" if count > 1 else ""
        report.warning(
            path, line, f"{message}: its text is kept without the link{more}", rule="link"
        )


def _settle(
    link: etree._Element, href: str, targets: set[str], settled: SettledIds, own_file: str
) -> tuple[str, str] | None:
    """``None`` when the link is kept (its ``href`` settled), else (level, what is wrong)."""
    if href.startswith("#"):
        return _fragment(link, href[1:], targets, settled)
    shown = short(href)
    if not href:
        return "warning", "a link without an address"
    problem = address_problem(href)
    if problem is not None:
        return "warning", problem
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "mailto"):
        return None
    if scheme in ("tel", "sms"):
        query = f"?{parts.query}" if parts.query else ""
        link.set("href", f"{scheme}:{phone_number(href)}{query}")
        return None
    if scheme:
        return "warning", f"'{shown}' is an address readers cannot follow from a book"
    if parts.netloc:
        return (
            "warning",
            f"'{shown}' is a protocol-relative address, which a PDF would open as a file on "
            f"the network: write it as https:{href}",
        )
    if href.lower().startswith("www."):
        return "warning", f"'{shown}' looks like a web address: write it as https://{href}"
    relative = unquote(parts.path)
    if relative in (own_file, f"./{own_file}"):
        if not parts.fragment:
            link.set("href", "#")
            return "warning", f"'{shown}' links the manuscript to itself"
        return _fragment(link, parts.fragment, targets, settled)
    return (
        "warning",
        f"'{shown}' links to a file that is not part of the book (each edition is a single "
        "file or package): link to a web address, or to a section with #its-id",
    )


def _fragment(
    link: etree._Element, fragment: str, targets: set[str], settled: SettledIds
) -> tuple[str, str] | None:
    written = unquote(fragment)
    if not written:
        return "warning", "the link '#' names no place in the book"
    if written in settled.ambiguous:
        return (
            "error",
            f"the link '#{short(written)}' is ambiguous: {settled.ambiguous[written]} elements "
            f"have the id '{written}'; give each its own id",
        )
    target = settled.target(written)
    if target not in targets:
        return "error", f"the link '#{short(written)}' points at an id no element has"
    link.set("href", f"#{target}")
    return None


def _unwrap(link: etree._Element) -> None:
    """Replace the link by its content, so the reader keeps its text."""
    if isinstance(link, lxml.html.HtmlElement):
        link.drop_tag()
    else:  # an XML element: a span says the same without the link
        link.tag = "span"
        if "href" in link.attrib:
            del link.attrib["href"]


def _line_of(locator: SourceLocator, href: str) -> int | None:
    """The line of the link: inline, in angle brackets, a reference definition, raw HTML."""
    for needle in (
        f"]({href})",
        f"]({href}",
        f"](<{href}>",
        f"]: {href}",
        f"<{href}>",
        f'="{href}"',
        href,
    ):
        line = locator.line(needle)
        if line is not None:
            return line
    return None
