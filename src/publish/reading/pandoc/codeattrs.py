"""Fenced code's attributes as pandoc writes them, and pandoc's numbered lines.

```` ```{.python #id key=value startFrom=5 .numberLines} ````: pandoc's HTML writer keeps an
attribute HTML knows as written (``title``, ``lang``) and any other as ``data-key``; Python-
Markdown's fenced_code put them on ``<code>`` as written, where the sanitiser removed them with a
warning. Here they are renamed as pandoc renames them and moved to the ``<pre>``, the block
(pandoc's ``<div class="sourceCode">``). Those a book may not carry (``style``, ``onclick``) keep
their names, so the sanitiser still removes them with its warning.

``.numberLines`` (or ``.number-lines``) numbers the lines, from ``startFrom`` when given. Each line
becomes ``<span class="line" data-line="5">`` (``id="<id>-5"`` when the block has an id, as
pandoc's), and the stylesheets draw the number from ``data-line`` in a ``::before``: generated
content, which browsers and reading systems do not copy with the code. Pandoc takes the first
class that is not ``numberLines`` as the language; fenced_code took the first class, so a
``language-numberLines`` is put right here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import markdown
from lxml import etree
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from publish.reading.pandoc.attributes import html_name

NUMBER_LINES = ("numberLines", "number-lines")
_LANGUAGE_PREFIX = "language-"
# What an attribute name may be in XHTML; anything else is left out (never reaches the sanitiser).
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]*$")
_START = re.compile(r"^-?[0-9]{1,9}$")


class PandocFencedBlocks(FencedBlockPreprocessor):
    """fenced_code, with ``key=value`` renamed as pandoc's HTML writer renames it."""

    def handle_attrs(
        self, attrs: Iterable[tuple[str, str | None]]
    ) -> tuple[str, list[str], dict[str, Any]]:
        id_, classes, config = "", [], {}
        for key, value in attrs:
            if key == "id":
                id_ = value or ""
            elif key == ".":
                classes.append(value or "")
            elif _NAME.match(key):
                # pandoc's {.numberLines .python}: the language is the first other class.
                config[html_name("code", key)] = key if value is None else value
        numbering = [c for c in classes if c in NUMBER_LINES]
        return id_, [*(c for c in classes if c not in NUMBER_LINES), *numbering], config


def register(md: markdown.Markdown) -> None:
    if "fenced_code_block" not in md.preprocessors:
        return
    config = getattr(md.preprocessors["fenced_code_block"], "config", {})
    # The same name and priority as fenced_code's own: this one takes its place.
    md.preprocessors.register(PandocFencedBlocks(md, config), "fenced_code_block", 25)


def finish(pre: etree._Element, block: etree._Element) -> None:
    """After highlighting: attributes on the block, ``numberLines`` as numbered lines."""
    classes = (block.get("class") or "").split()
    numbered = [c for c in classes if c[len(_LANGUAGE_PREFIX) :] in NUMBER_LINES]
    pre_classes = (pre.get("class") or "").split()
    if numbered:  # ```{.numberLines}: no language at all
        block.set("class", " ".join(c for c in classes if c not in numbered))
        if not block.get("class"):
            del block.attrib["class"]
        pre_classes.append("numberLines")
    for key in list(block.attrib):
        if key != "class":
            pre.set(key, block.attrib.pop(key))
    if "number-lines" in pre_classes:
        pre_classes = ["numberLines" if c == "number-lines" else c for c in pre_classes]
    if pre_classes:
        pre.set("class", " ".join(dict.fromkeys(pre_classes)))
    if "numberLines" in pre_classes:
        start = pre.get("data-startfrom", "1").strip()
        number_lines(block, int(start) if _START.match(start) else 1, pre.get("id"))


def number_lines(block: etree._Element, start: int, block_id: str | None) -> None:
    """Each line of ``block`` (text and Pygments' spans) in a ``<span class="line">``."""
    pieces: list[tuple[str | None, str]] = [(None, block.text or "")]
    for child in block:
        pieces += [(child.get("class"), "".join(str(t) for t in child.itertext()))]
        pieces.append((None, child.tail or ""))
    for child in list(block):
        block.remove(child)
    block.text = None
    lines: list[list[tuple[str | None, str]]] = [[]]
    for css, text in pieces:
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((css, part))
    if not lines[-1]:
        lines.pop()  # the newline that ends the last line
    previous: etree._Element | None = None
    for number, parts in enumerate(lines, start):
        line = etree.SubElement(block, "span")
        line.set("class", "line")
        line.set("data-line", str(number))
        if block_id:
            line.set("id", f"{block_id}-{number}")
        last: etree._Element | None = None
        for css, text in parts:
            last = append_run(line, last, css, text)
        if previous is not None:
            previous.tail = "\n"
        previous = line
    if previous is not None:
        previous.tail = "\n"


def append_run(
    parent: etree._Element, last: etree._Element | None, css: str | None, text: str
) -> etree._Element | None:
    """``text`` added at the end of ``parent``: plain (``css`` None) after ``last``, the span
    added before it, or in a span of its own with class ``css``. Returns the last span."""
    if css is None:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text
        return last
    span = etree.SubElement(parent, "span")
    span.set("class", css)
    span.text = text
    return span
