"""Pandoc's fenced divs, ``::: {.class #id key=value}`` … ``:::``, nested as deep as the text
nests them, and the callout boxes made of them.

A div whose classes name a callout (``note``, ``warning``, ``tip``, ``important``, ``caution``,
or Quarto's ``callout-note`` …) becomes ``<aside class="callout callout-KIND" role="note">``: an
aside is what it is (a remark beside the text), and ``role="note"`` tells assistive technology
so, in every edition. Its title, from ``title="…"`` or a heading that opens the div (Quarto's
two ways), becomes the box's first line, ``<p class="callout-title">``; it is not a subsection,
so it leaves the table of contents and the PDF outline alone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor

from publish.reading.pandoc.attributes import html_name, parse_attributes

CALLOUT_KINDS = ("note", "warning", "tip", "important", "caution")
_OPEN = re.compile(
    r" {0,3}(?P<colons>:{3,})[ \t]*(?:\{(?P<attrs>[^}]*)\}|(?P<word>[^\s:{}]+))[ \t]*:*[ \t]*$"
)
_CLOSE = re.compile(r" {0,3}:{3,}[ \t]*$")
# Docusaurus's admonitions, ":::tip Title" or ":::tip[Title]": pandoc reads them as text, a
# reader of the site saw a titled box. Its five kinds, as the callouts they are.
_DOCUSAURUS = {"note": "note", "tip": "tip", "info": "note", "warning": "warning",
               "caution": "caution", "danger": "caution"}  # fmt: skip
_TITLED = re.compile(
    r" {0,3}(?P<colons>:{3,})[ \t]*(?P<kind>note|tip|info|warning|caution|danger)"
    r"(?:\[(?P<bracketed>[^\]\n]{1,200})\]|[ \t]+(?P<title>[^:\s][^\n]{0,199}?))[ \t]*$",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def callout_kind(classes: list[str]) -> str | None:
    for name in classes:
        kind = name.removeprefix("callout-")
        if kind in CALLOUT_KINDS:
            return kind
    return None


class FencedDivProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        if not block.lstrip(" ").startswith(":::"):
            return False
        first = block.split("\n", 1)[0]
        return _OPEN.match(first) is not None or _TITLED.match(first) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        first, _, rest = blocks[0].partition("\n")
        opening = _OPEN.match(first)
        titled = _TITLED.match(first) if opening is None else None
        attributes: list[tuple[str, str]] | None
        if titled is not None:
            name = titled.group("kind").lower()
            kind_class = " ".join(dict.fromkeys([_DOCUSAURUS[name], name]))
            heading = titled.group("bracketed") or titled.group("title") or ""
            attributes = [("class", kind_class), ("title", heading.strip())]
        elif opening is None:
            return False
        elif opening.group("attrs") is not None:
            attributes = parse_attributes(opening.group("attrs"))
            if attributes is None:
                return False
        else:
            attributes = [("class", opening.group("word"))]
        found = _inner_text(rest, blocks[1:])
        if found is None:
            return False  # never closed: pandoc reads the fence as text, and so do we
        inner, after, used = found
        del blocks[: used + 1]
        if after.strip():
            blocks.insert(0, after)
        classes = dict(attributes).get("class", "").split()
        kind = callout_kind(classes)
        div = etree.SubElement(parent, "aside" if kind else "div")
        title: str | None = None
        for key, value in attributes:
            if kind and key == "title":
                title = value
                continue
            div.set(html_name("div", key), value)
        if kind:
            div.set(
                "class",
                " ".join(
                    [
                        "callout",
                        f"callout-{kind}",
                        *(c for c in classes if c not in {kind, f"callout-{kind}", "callout"}),
                    ]
                ),
            )
            div.set("role", "note")
        self.parser.parseChunk(div, inner)
        if kind:
            _make_title(div, title)
        return True


def _inner_text(rest: str, following: list[str]) -> tuple[str, str, int] | None:
    """The div's content up to its closing fence, what follows the fence in the same block,
    and how many further blocks the div took; ``None`` when the fence is never closed."""
    depth = 1
    inner: list[str] = []
    chunks = [rest, *following]
    for used, chunk in enumerate(chunks):
        lines = chunk.split("\n") if chunk else []
        for index, line in enumerate(lines):
            if _CLOSE.match(line):
                depth -= 1
                if depth == 0:
                    inner.append("\n".join(lines[:index]))
                    return "\n\n".join(inner), "\n".join(lines[index + 1 :]), used
            elif _OPEN.match(line) or _TITLED.match(line):
                depth += 1
        inner.append(chunk)
    return None


def _make_title(box: etree.Element, title: str | None) -> None:
    if title is None and len(box) and box[0].tag in _HEADINGS:
        heading = box[0]
        heading.tag = "p"
        heading.attrib.pop("id", None)
        heading.set("class", "callout-title")
        return
    if title:
        paragraph = etree.Element("p", {"class": "callout-title"})
        paragraph.text = title
        box.insert(0, paragraph)


def register(md: markdown.Markdown) -> None:
    # Before every other block processor that could read a fence line as a paragraph.
    md.parser.blockprocessors.register(FencedDivProcessor(md.parser), "pandoc_fenced_div", 105)
