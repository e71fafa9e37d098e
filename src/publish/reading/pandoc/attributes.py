"""Pandoc's attribute syntax, ``{#id .class key=value key2="two words"}``, and the attributes
HTML does not know, which pandoc's HTML writer keeps as ``data-`` attributes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

from publish.safety.sanitise import ATTRIBUTE_PREFIXES, GLOBAL_ATTRIBUTES, TAG_ATTRIBUTES

_ITEM = re.compile(
    r"""\s*(?:\#(?P<id>[^\s}#.]+)|\.(?P<class>[^\s}#.]+)"""
    r"""|(?P<key>[A-Za-z_][\w.:-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))"""
)


def parse_attributes(text: str) -> list[tuple[str, str]] | None:
    """``#id .a .b k=v`` as ``[("id", …), ("class", "a b"), ("k", "v")]``; ``None`` when the
    text is not an attribute list (pandoc then reads the braces as text)."""
    found: list[tuple[str, str]] = []
    classes: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _ITEM.match(text, position)
        if match is None or match.end() == position:
            return None
        if match.group("id"):
            found.append(("id", match.group("id")))
        elif match.group("class"):
            classes.append(match.group("class"))
        else:
            value = next(v for v in match.group("dq", "sq", "bare") if v is not None)
            found.append((match.group("key"), value))
        position = match.end()
    if classes:
        found.insert(0, ("class", " ".join(classes)))
    return found


# HTML's own attribute names (HTML 5.2's index, event handlers aside): pandoc's HTML writer
# keeps these as written and turns any other into ``data-``. Kept as written, the ones a book
# may not carry (``target``, ``style``, ``onclick``) are then removed by the sanitiser, with
# its warning naming the line, as if the author had written them in raw HTML.
HTML_ATTRIBUTES = frozenset(
    [
        "abbr",
        "accept",
        "accept-charset",
        "accesskey",
        "action",
        "allow",
        "allowfullscreen",
        "alt",
        "as",
        "async",
        "autocapitalize",
        "autocomplete",
        "autofocus",
        "autoplay",
        "charset",
        "checked",
        "cite",
        "class",
        "color",
        "cols",
        "colspan",
        "content",
        "contenteditable",
        "controls",
        "coords",
        "crossorigin",
        "data",
        "datetime",
        "decoding",
        "default",
        "defer",
        "dir",
        "dirname",
        "disabled",
        "download",
        "draggable",
        "enctype",
        "enterkeyhint",
        "for",
        "form",
        "formaction",
        "formenctype",
        "formmethod",
        "formnovalidate",
        "formtarget",
        "headers",
        "height",
        "hidden",
        "high",
        "href",
        "hreflang",
        "http-equiv",
        "id",
        "inert",
        "inputmode",
        "integrity",
        "is",
        "ismap",
        "itemid",
        "itemprop",
        "itemref",
        "itemscope",
        "itemtype",
        "kind",
        "label",
        "lang",
        "list",
        "loading",
        "loop",
        "low",
        "max",
        "maxlength",
        "media",
        "method",
        "min",
        "minlength",
        "multiple",
        "muted",
        "name",
        "nomodule",
        "nonce",
        "novalidate",
        "open",
        "optimum",
        "pattern",
        "ping",
        "placeholder",
        "playsinline",
        "poster",
        "preload",
        "readonly",
        "referrerpolicy",
        "rel",
        "required",
        "reversed",
        "role",
        "rows",
        "rowspan",
        "sandbox",
        "scope",
        "selected",
        "shape",
        "size",
        "sizes",
        "slot",
        "span",
        "spellcheck",
        "src",
        "srcdoc",
        "srclang",
        "srcset",
        "start",
        "step",
        "style",
        "summary",
        "tabindex",
        "target",
        "title",
        "translate",
        "type",
        "usemap",
        "value",
        "width",
        "wrap",
    ]
)


def html_name(tag: str, key: str) -> str:
    """The attribute name pandoc's HTML writer uses: the same when HTML knows it, else
    ``data-key`` (lower case, as XHTML's ``data-`` attributes must be)."""
    if (
        key in GLOBAL_ATTRIBUTES
        or key in TAG_ATTRIBUTES.get(tag, frozenset())
        or key.lower() in HTML_ATTRIBUTES
        or key.lower().startswith("on")
        or any(key.startswith(prefix) for prefix in ATTRIBUTE_PREFIXES)
    ):
        return key
    return f"data-{key.lower()}"


class DataAttributes(Treeprocessor):
    """After attr_list: ``{key=value}`` on a heading, link or code becomes ``data-key``, as
    pandoc writes it, instead of an attribute the sanitiser removes with a warning."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if "-" in element.attrib:  # pandoc's {-}, short for {.unnumbered}
                del element.attrib["-"]
                classes = element.get("class", "").split()
                element.set("class", " ".join([*classes, "unnumbered"]))
            for key in list(element.attrib):
                if key.startswith("__") or key in {"href", "src", "alt", "title", "width"}:
                    continue
                renamed = html_name(element.tag, key)
                if renamed != key:
                    element.attrib[renamed] = element.attrib.pop(key)


def register(md: markdown.Markdown) -> None:
    # attr_list runs at 8; the ids and tables' own attributes are set by then.
    md.treeprocessors.register(DataAttributes(md), "pandoc_data_attributes", 7.5)
