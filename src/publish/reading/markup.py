"""Markdown to an HTML tree, and that tree cut into sections at each level-1 heading.

Python-Markdown does the conversion; lxml holds the result so the HTML can be reshaped as a tree
(figures, sections, table of contents) and serialised as well-formed XHTML, which both the PDF's
single document and the EPUB's content documents accept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import lxml.html
import markdown
from lxml import etree
from markdown.extensions import Extension

from publish.model import TocEntry
from publish.reading import limits, pandoc
from publish.reading.budgets import Budgets
from publish.reading.crossref import CrossReferences
from publish.reading.figures import ImplicitFigures
from publish.reading.ids import BookIds
from publish.reading.link_targets import LinearLinks
from publish.reading.unclosed_tags import EscapeUnclosedTags
from publish.safety.sanitise import TextNotTags

# Serialising lives in publish.xhtml; named here too for code that reaches it through markup.
from publish.xhtml import serialize_children as serialize_children
from publish.xhtml import to_xhtml as to_xhtml

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

_BODY_EXTENSIONS: list[str] = [
    "abbr",
    "admonition",  # MkDocs' "!!! note": made callouts by reading/pandoc/alerts
    "attr_list",
    "def_list",
    "fenced_code",
    "footnotes",
    "md_in_html",
    "tables",
    "sane_lists",
    "smarty",
    "toc",
]
_EXTENSION_CONFIG: dict[str, dict[str, object]] = {
    # A hyphen, not the default colon: ids and fragments stay plain names every reader accepts.
    "footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to the text of note %d"},
    "toc": {"permalink": False, "toc_depth": "1-6"},
}


def new_converter(
    *,
    with_heading_ids: bool = True,
    extra: Sequence[Extension] = (),
    quotes: tuple[str, str] = ("\u201c", "\u201d"),
) -> markdown.Markdown:
    """One configured converter, reused across calls with ``reset()`` (it is costly to build).

    ``quotes`` are what straight double quotes become: the language's („ “ in German)."""
    names = [e for e in _BODY_EXTENSIONS if with_heading_ids or e != "toc"]
    config = {k: v for k, v in _EXTENSION_CONFIG.items() if k in names}
    config["smarty"] = {"substitutions": smart_quotes(*quotes)}
    ids = [BookIds()] if with_heading_ids else []
    extensions: list[str | Extension] = [
        *names,
        *pandoc.extensions(),
        LinearLinks(),  # after bracketed spans: it bounds their scan too
        TextNotTags(),
        EscapeUnclosedTags(),
        *ids,
        ImplicitFigures(),
        CrossReferences(),
        *extra,
        Budgets(),  # last: it checks and replaces what 'abbr' and 'toc' registered
    ]
    return markdown.Markdown(extensions=extensions, extension_configs=config, output_format="html")


def smart_quotes(opening: str, closing: str) -> dict[str, str]:
    """smarty's substitutions for double quotes (it stores them as markup: escape them)."""
    return {
        "left-double-quote": escape(opening).replace("\u00a0", "&#160;"),
        "right-double-quote": escape(closing).replace("\u00a0", "&#160;"),
    }


def markdown_to_tree(
    converter: markdown.Markdown,
    text: str,
    clean: Callable[[str], str] | None = None,
    parsed: Callable[[str, lxml.html.HtmlElement], None] | None = None,
) -> lxml.html.HtmlElement:
    """Convert, ``clean`` the HTML (untrusted: see ``untrusted``), parse into a ``<div>``.

    ``parsed`` is shown the HTML and the tree made of it, to check that nothing was lost.
    """
    converter.reset()
    html = converter.convert(text)
    if clean is not None:
        html = clean(html)
    root = limits.parse_fragment(html)
    if parsed is not None:
        parsed(html, root)
    pandoc.finish_tree(root)
    # Readers never see comments, and one holding "--" is not well-formed XML (Kindle rejects it).
    for comment in list(root.iter(etree.Comment)):
        comment.drop_tree()
    return root


def make_figures(root: lxml.html.HtmlElement) -> None:
    """An image alone in its paragraph is a figure; its Markdown title becomes the caption."""
    for paragraph in list(root.iter("p")):
        children = list(paragraph)
        if len(children) != 1 or children[0].tag != "img":
            continue
        image = children[0]
        if (paragraph.text or "").strip() or (image.tail or "").strip():
            continue
        figure = lxml.html.Element("figure")
        figure.tail = paragraph.tail
        if image.get("id") is not None:  # {#fig:label} names the figure
            figure.set("id", image.attrib.pop("id"))
        caption_text = image.attrib.pop("title", "").strip()
        image.tail = None
        figure.append(image)
        if caption_text:
            caption = etree.SubElement(figure, "figcaption")
            caption.text = caption_text
        paragraph.getparent().replace(paragraph, figure)


def plain_text(element: etree._Element) -> str:
    """Text as a reader sees it: whitespace folded, footnote markers left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "sup" and "footnote-ref" in (node.get("class") or ""):
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


@dataclass(frozen=True)
class RawSection:
    """A level-1 heading with the blocks that follow it, before it becomes a model ``Section``."""

    heading: etree._Element
    blocks: tuple[etree._Element, ...]


def split_sections(root: etree._Element) -> tuple[list[etree._Element], list[RawSection]]:
    """Cut the blocks at each ``h1``. Returns what precedes the first ``h1``, then the sections."""
    preamble: list[etree._Element] = []
    sections: list[tuple[etree._Element, list[etree._Element]]] = []
    for child in root:
        if child.tag == "h1":
            sections.append((child, []))
        elif sections:
            sections[-1][1].append(child)
        else:
            preamble.append(child)
    return preamble, [RawSection(h, tuple(blocks)) for h, blocks in sections]


def toc_of(section: RawSection) -> TocEntry:
    """Nest the section's headings by level, as readers' navigation shows them."""
    top = _Node(section.heading)
    stack = [top]
    # Only headings at block level: a heading quoted inside a block quote is not a subsection.
    for block in section.blocks:
        if block.tag not in HEADING_TAGS[1:]:
            continue
        node = _Node(block)
        while len(stack) > 1 and stack[-1].level >= node.level:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return top.freeze()


class _Node:
    def __init__(self, heading: etree._Element) -> None:
        self.level = int(str(heading.tag)[1])
        self.title = plain_text(heading)
        self.anchor = heading.get("id") or ""
        self.children: list[_Node] = []

    def freeze(self) -> TocEntry:
        return TocEntry(
            self.title, self.anchor, self.level, tuple(c.freeze() for c in self.children)
        )
