"""What a stylesheet from a styles folder points at, read as a browser's CSS parser reads it.

A styles folder comes with the manuscript and is as untrusted. A regular expression over CSS
misses what the CSS syntax allows (``u\\72l(…)`` is ``url(…)``, ``image-set("…")`` takes a bare
string), so the references are found with tinycss2, the parser WeasyPrint itself uses. The PDF
is guarded by WeasyPrint's URL fetcher (``fetch.safe_fetcher``); the EPUB and the HTML edition
copy stylesheets as they are, so a reference that reaches outside the folder would make readers'
devices fetch it: the copies are checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tinycss2

from publish.errors import PublishError

# CSS functions whose string arguments are addresses.
_ADDRESS_FUNCTIONS = frozenset(("url", "src", "image", "image-set", "-webkit-image-set"))


@dataclass(frozen=True)
class Reference:
    """An address written in a stylesheet, and the stylesheet's line it is on."""

    address: str
    line: int


def references(css: str) -> list[Reference]:
    """Every address ``css`` names: ``url()``, ``@import``, ``image-set()`` strings."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return list(_walk(rules, in_address=False))


def _walk(nodes: Iterable[Any], *, in_address: bool) -> Iterator[Reference]:
    for node in nodes:
        kind = getattr(node, "type", "")
        if kind == "url" or (kind == "string" and in_address):
            yield Reference(str(node.value), int(node.source_line))
        elif kind == "function":
            yield from _walk(node.arguments, in_address=node.lower_name in _ADDRESS_FUNCTIONS)
        elif kind == "at-rule":
            yield from _walk(node.prelude, in_address=node.lower_at_keyword == "import")
            yield from _walk(node.content or (), in_address=False)
        elif kind in ("qualified-rule", "() block", "[] block", "{} block"):
            for part in ("prelude", "content"):
                yield from _walk(getattr(node, part, None) or (), in_address=False)


def is_inert(address: str) -> bool:
    """A fragment or inline data loads nothing from anywhere."""
    return address.strip().startswith(("#", "data:")) or not address.strip()


def self_contained(path: Path) -> bytes:
    """The bytes of a stylesheet that is copied alone (the EPUB's): it may name no other file."""
    data = path.read_bytes()
    try:
        css = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PublishError.at(path, None, "the stylesheet is not UTF-8 text") from None
    for reference in references(css):
        if not is_inert(reference.address):
            raise PublishError.at(
                path,
                reference.line,
                f"the stylesheet names '{reference.address}': this stylesheet goes into the "
                "book alone, so it may name no other file or address",
            )
    return data
