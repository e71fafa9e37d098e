"""Task lists, ``- [ ] to do`` and ``- [x] done``: a checkbox that says its state, labelled by
the item's text, as pandoc writes them (``<label><input type="checkbox" checked="">``).

A form control is not something the sanitiser lets an author write, so the Markdown step marks
the item with a ``<span class="task-box">`` (which passes it) and ``finish_task_lists``, run on
the sanitised tree, puts the disabled checkbox in its place.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import lxml.html
import markdown
from lxml import etree as lxml_etree
from markdown.treeprocessors import Treeprocessor

_TASK = re.compile(r"\[([ xX])\][ \t]+")
MARK_CLASS = "task-box"


class TaskItems(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            holder = item
            if not (item.text or "").strip() and len(item) and item[0].tag == "p":
                holder = item[0]
            match = _TASK.match(holder.text or "")
            if match is None:
                continue
            mark = etree.Element(
                "span",
                {"class": MARK_CLASS, "data-checked": "true" if match.group(1) != " " else "false"},
            )
            mark.tail = (holder.text or "")[match.end() :]
            holder.text = None
            holder.insert(0, mark)
            item.set("class", " ".join(filter(None, [item.get("class"), "task-list-item"])))


def finish_task_lists(root: lxml.html.HtmlElement) -> None:
    """Each marked item: a disabled checkbox inside a ``label`` holding the item's text."""
    for mark in list(root.iterfind(f".//span[@class='{MARK_CLASS}']")):
        holder = mark.getparent()
        if holder is None:
            continue
        box = lxml_etree.Element("input", {"type": "checkbox", "disabled": "disabled"})
        if mark.get("data-checked") == "true":
            box.set("checked", "checked")
        label = lxml_etree.Element("label")
        label.text = None
        box.tail = mark.tail
        label.append(box)
        index = holder.index(mark)
        # The label holds the inline content up to the first nested block (a sub-list).
        following = list(holder)[index + 1 :]
        holder.remove(mark)
        for child in following:
            if child.tag in {"ul", "ol", "p", "div", "dl", "blockquote", "pre", "table"}:
                break
            label.append(child)
        holder.insert(index, label)
        item = holder if holder.tag == "li" else holder.getparent()
        listing = item.getparent() if item is not None else None
        if listing is not None and "task-list" not in (listing.get("class") or "").split():
            listing.set("class", " ".join(filter(None, [listing.get("class"), "task-list"])))


def register(md: markdown.Markdown) -> None:
    # After the inline patterns (20): the item's text is plain text by then.
    md.treeprocessors.register(TaskItems(md), "pandoc_task_items", 18)


def number_from_start(root: lxml.html.HtmlElement) -> None:
    """``<ol start="4">`` also says so in CSS: WeasyPrint reads ``start`` only as one of the
    presentational hints our PDF build leaves off, so lists numbered from 4 (``iv)``, example
    lists) would print from 1. Browsers and reading systems count the same from either."""
    for listing in root.iter("ol"):
        start = listing.get("start")
        if start and start.lstrip("-").isdigit():
            listing.set("style", f"counter-reset: list-item {int(start) - 1}")


def finish_tree(root: lxml.html.HtmlElement) -> None:
    """What the sanitised tree still needs: checkboxes, list numbers the PDF can read."""
    finish_task_lists(root)
    number_from_start(root)
