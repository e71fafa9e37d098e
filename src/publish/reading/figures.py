"""Figures as pandoc makes them, and image sizes every edition understands.

Pandoc's ``implicit_figures``: an image alone in its paragraph is a figure whose caption is the
bracket text, ``![The caption](chart.png)``; ``{alt="…"}`` gives it separate alt text (pandoc 3).
The caption is Markdown like any other text, so emphasis, citations and footnotes in it work.
Without separate alt text the image's alt repeats the caption and the visible caption is hidden
from screen readers (``aria-hidden``, as pandoc 3 writes it), so the figure is announced once;
a caption holding a link (a citation, a note) stays readable, since a hidden link could still
take the focus.

This publication's own form, ``![alt](chart.png "Caption")``, keeps its meaning: the bracket is
the alt text, the quoted title the caption (``make_figures`` in ``markup``).

Image attributes (``{width=50%}``, ``{height=4cm}``, ``{.class}``, ``{#fig:label}``) come from
``attr_list``; a size with a unit becomes CSS, as pandoc writes it, since HTML's ``width``
attribute takes only a number of pixels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

import markdown
from lxml import etree
from markdown.treeprocessors import Treeprocessor

from publish.reading.brackets import closing_bracket

_IMPLICIT = "data-implicit-figure"
# Marks an image whose alt text repeats its caption (removed by crossref.number).
ALT_FROM_CAPTION = "data-alt-from-caption"
# An inline image: ![bracket](destination "optional title"){optional attributes}.
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}")
_PIXELS = re.compile(r"[0-9]+(?:px)?")
_LENGTH = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:%|cm|mm|in|pt|pc|em|rem|ex|ch|vw|vh)")


class ImplicitFigures(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before inline patterns (20), while the paragraph is still the text the author typed;
        # then after attr_list (8) has set the image's attributes.
        md.treeprocessors.register(_MarkFigures(md), "publish_figures_mark", 25)
        md.treeprocessors.register(_FinishFigures(md), "publish_figures_finish", 7.5)


def split_image(text: str) -> tuple[str, str, str] | None:
    """(bracket text, destination with its title, attributes) of a paragraph that is one
    image and nothing else, or ``None``."""
    text = text.strip()
    if not text.startswith("!["):
        return None
    close = closing_bracket(text, 1)
    if close is None or close + 1 >= len(text) or text[close + 1] != "(":
        return None
    end = closing_bracket(text, close + 1, "(", ")")
    if end is None:
        return None
    rest = text[end + 1 :].strip()
    if rest and not _ATTRIBUTES.fullmatch(rest):
        return None
    return text[2:close], text[close + 2 : end], rest


def has_title(destination: str) -> bool:
    """Whether ``(src "title")`` gives a title: this publication's own caption form."""
    destination = destination.strip()
    if destination.startswith("<"):
        closing = destination.find(">")
        return closing >= 0 and bool(destination[closing + 1 :].strip())
    return len(destination.split(None, 1)) > 1


class _MarkFigures(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for paragraph in list(_paragraphs(root)):
            if len(paragraph) or paragraph.text is None:
                continue
            parts = split_image(paragraph.text)
            if parts is None or has_title(parts[1]) or not parts[0].strip():
                continue  # an empty bracket has no caption; a title is our own form
            bracket, destination, attributes = parts
            original = paragraph.text
            paragraph.tag = "figure"
            paragraph.text = None
            paragraph.set(_IMPLICIT, original)
            image = ElementTree.SubElement(paragraph, "p")
            image.text = f"![]({destination}){attributes}"
            caption = ElementTree.SubElement(paragraph, "figcaption")
            caption.text = bracket


def _paragraphs(root: ElementTree.Element) -> Iterator[ElementTree.Element]:
    return (el for el in root.iter("p"))


class _FinishFigures(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for figure in [el for el in root.iter("figure") if _IMPLICIT in el.attrib]:
            original = figure.attrib.pop(_IMPLICIT)
            holder = figure.find("p")
            caption = figure.find("figcaption")
            image = holder.find("img") if holder is not None else None
            if holder is None or caption is None or image is None or (holder.text or "").strip():
                # Not an image after all (a destination Markdown refused): the text as typed.
                figure.tag, figure.text = "p", original
                for child in list(figure):
                    figure.remove(child)
                continue
            image.tail = None
            figure.remove(holder)
            figure.insert(0, image)
            ident = image.attrib.pop("id", None)
            if ident is not None:
                figure.set("id", ident)
            if not image.get("alt"):
                image.set("alt", _caption_text(caption))
                image.set(ALT_FROM_CAPTION, "")  # numbering adds "Figure 1: " to both
                if caption.find(".//a") is None:
                    caption.set("aria-hidden", "true")


def _caption_text(caption: ElementTree.Element) -> str:
    """The caption as read aloud: without note calls and citation numbers."""
    parts: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        skip = node.tag == "sup" or "citation" in (node.get("class") or "").split()
        if not skip:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not caption:
            parts.append(node.tail or "")

    walk(caption)
    text = "".join(parts)
    # Raw HTML and escapes are still placeholders here: the stash gives their text back.
    text = re.sub("\x02wzxhzdk:([0-9]+)\x03", "", text)
    return " ".join(text.split())


def image_sizes(root: etree._Element) -> list[str]:
    """Make each image's ``width``/``height`` valid HTML and seen by every edition: pixels stay
    attributes and are CSS too, other units are CSS only. Returns the values that are neither,
    which are removed."""
    refused: list[str] = []
    for image in root.iter("img"):
        styles: list[str] = []
        for name in ("width", "height"):
            value = (image.get(name) or "").strip()
            if not value:
                continue
            if _PIXELS.fullmatch(value):
                # The attribute for readers of the HTML; CSS for WeasyPrint, which reads no
                # presentational attributes.
                image.set(name, value.removesuffix("px"))
                styles.append(f"{name}: {value.removesuffix('px')}px")
                continue
            del image.attrib[name]
            if _LENGTH.fullmatch(value):
                styles.append(f"{name}: {value}")
            else:
                refused.append(value)
        if styles:
            image.set("style", "; ".join(styles))
    return refused
