"""XHTML as the book's parts carry it: the namespaces, text escaping, and parsing and serialising
a fragment (a section, a note, a front-matter part) the same way on the reading and writing side.

The parts are XHTML already (``to_xhtml``), so an XML parse of a fragment is exact; the wrapper
declares the ``epub:`` prefix the parts use, and serialising takes that declaration out again.
"""

from __future__ import annotations

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_EPUB_DECLARATION = f' xmlns:epub="{EPUB_NS}"'


def escape_text(text: str) -> str:
    """Text as element content: ``&``, ``<`` and ``>`` escaped (quotes need no escape there)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_xhtml(element: etree._Element) -> str:
    """One element as XHTML, with the text that follows it."""
    return etree.tostring(element, method="xml", encoding="unicode", with_tail=True)


def serialize_children(root: etree._Element) -> str:
    """The XHTML of what ``root`` holds, without ``root`` itself."""
    return escape_text(root.text or "") + "".join(to_xhtml(child) for child in root)


def parse_fragment(markup: str) -> etree._Element:
    """A fragment of XHTML parsed inside a wrapper ``div`` that declares the ``epub:`` prefix."""
    return etree.fromstring(f'<div xmlns:epub="{EPUB_NS}">{markup}</div>')


def fragment_markup(wrapper: etree._Element) -> str:
    """What ``parse_fragment`` parsed, serialised again without the wrapper's declaration."""
    return serialize_children(wrapper).replace(_EPUB_DECLARATION, "")
