"""GitHub's alerts, ``> [!NOTE]`` then the text, and MkDocs' admonitions, ``!!! note "Title"``
then indented text, as the callout boxes fenced divs make.

Documents written for GitHub (READMEs, wikis, documentation sites that copy its syntax) mark a
note or a warning this way; pandoc reads it with its ``alerts`` extension. Left alone it is a
quotation starting with "[!NOTE]". Here a block quote whose first line is exactly one of the
five markers becomes ``<aside class="callout callout-KIND" role="note">``, the same box a
``::: note`` div gives, in every edition. MkDocs' admonitions (Python-Markdown's ``admonition``
extension) keep their title; their many kinds become the five callouts (``danger`` a caution,
``info`` a note, and so on).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

from publish.reading.cells import ADMONITIONS
from publish.reading.pandoc.divs import CALLOUT_KINDS

_MARKER = re.compile(r"[ \t]*\[!(?P<kind>[A-Za-z]+)\][ \t]*(?:\n|$)")


# MkDocs Material's kinds beyond MyST's, as callouts.
_MKDOCS = {"info": "note", "abstract": "note", "summary": "note", "tldr": "note",
           "todo": "note", "example": "note", "quote": "note", "question": "note",
           "help": "note", "faq": "note", "success": "tip", "check": "tip", "done": "tip",
           "failure": "caution", "fail": "caution", "missing": "caution",
           "bug": "caution"}  # fmt: skip


class Alerts(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self._admonitions(root)
        for quote in list(root.iter("blockquote")):
            first = quote[0] if len(quote) else None
            if first is None or first.tag != "p" or not first.text:
                continue
            marker = _MARKER.match(first.text)
            if marker is None or marker["kind"].lower() not in CALLOUT_KINDS:
                continue
            kind = marker["kind"].lower()
            first.text = first.text[marker.end() :]
            if not first.text.strip() and not len(first):
                quote.remove(first)
            quote.tag = "aside"
            quote.set("class", f"callout callout-{kind}")
            quote.set("role", "note")

    def _admonitions(self, root: etree.Element) -> None:
        for box in list(root.iter("div")):
            classes = (box.get("class") or "").split()
            if "admonition" not in classes:
                continue
            named = [c for c in classes if c != "admonition"]
            kind = next(
                (
                    (ADMONITIONS.get(c) or _MKDOCS.get(c))
                    for c in named
                    if c in ADMONITIONS or c in _MKDOCS
                ),
                "note",
            )
            box.tag = "aside"
            box.set("class", " ".join(dict.fromkeys(["callout", f"callout-{kind}", *named])))
            box.set("role", "note")
            for title in box.iter("p"):
                if "admonition-title" in (title.get("class") or "").split():
                    title.set("class", "callout-title")
                break


def register(md: markdown.Markdown) -> None:
    # After the blocks are parsed, before inline syntax (20) reads "[!NOTE]" as a link's text.
    md.treeprocessors.register(Alerts(md), "github_alerts", 25)
