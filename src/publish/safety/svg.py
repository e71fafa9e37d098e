"""Is an SVG document safe to draw? Self-contained, scriptless, and bounded once expanded.

An SVG is small on disk and may be huge to draw: ``<use>`` copies what it points at, and a
chain of groups of ten uses, eight deep, is a hundred million shapes in 1.6 KB, which WeasyPrint
and CairoSVG would both try to draw. Every element is counted as drawn, each use as the size of
its target, and a drawing over ``MAX_DRAWN_ELEMENTS`` is refused, as is a use that leads back to
itself. Styles are read with tinycss2, which decodes CSS escapes as a renderer does, so that
``u\\72l(…)`` is seen as the ``url(…)`` it is.
"""

from __future__ import annotations

import tinycss2
from lxml import etree

# Far more than any figure or chart needs (a detailed map is some tens of thousands).
MAX_DRAWN_ELEMENTS = 200_000
_SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}


def parse_svg(data: bytes) -> etree._ElementTree:
    """The document, parsed with entities, DTDs and the network off; raises XMLSyntaxError."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)  # type: ignore[arg-type]
    return etree.fromstring(data, parser).getroottree()


def drawn_svg_problem(svg: str) -> str | None:
    """``svg_problem`` of an SVG document given as text (the cover, drawn by CairoSVG)."""
    try:
        tree = parse_svg(svg.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        return f"is not well-formed SVG ({exc.msg})"
    return svg_problem(tree)


def svg_problem(tree: etree._ElementTree) -> str | None:
    """Why ``tree`` may not be drawn, or ``None``; the reason completes "is an SVG image ..."."""
    if tree.docinfo.internalDTD is not None:
        return "is an SVG image with an internal DOCTYPE (entity declarations are refused)"
    root = tree.getroot()
    if root.tag != _SVG_ROOT:
        return f"is XML but not an SVG image (its root element is <{etree.QName(root).localname}>)"
    for sibling in root.itersiblings(preceding=True):
        if isinstance(sibling, etree._ProcessingInstruction):
            return "is an SVG image with a processing instruction (such as xml-stylesheet)"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "handler"):
            return f"is an SVG image containing <{name}>: images may not hold scripts or HTML"
        for raw_name, raw_value in element.attrib.items():
            local, value = etree.QName(str(raw_name)).localname, str(raw_value)
            if local.lower().startswith("on"):
                return f"is an SVG image with the event handler '{local}': images run no scripts"
            if local == "href" and not value.strip().startswith("#"):
                return f"is an SVG image that refers to '{value}': an image must be self-contained"
            if "(" in value and refers_outside(value, declarations=True):
                return "is an SVG image whose styles refer to another file"
        if name == "style" and refers_outside(element.text or "", declarations=False):
            return "is an SVG image whose styles refer to another file"
    return _drawn_size_problem(root)


def refers_outside(css: str, *, declarations: bool) -> bool:
    """``url(…)`` to anything but a fragment of the same image, or any ``@import``, in a style
    sheet or (``declarations``) a style attribute or presentation attribute."""
    nodes = (
        tinycss2.parse_component_value_list(css)
        if declarations
        else tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    )
    pending = list(nodes)
    while pending:
        node = pending.pop()
        kind = getattr(node, "type", "")
        if kind == "at-rule" and node.lower_at_keyword == "import":
            return True
        if kind == "url" and not node.value.strip().startswith("#"):
            return True
        if kind == "function" and node.lower_name in ("url", "src"):
            strings = [a for a in node.arguments if getattr(a, "type", "") == "string"]
            if not strings or not strings[0].value.strip().startswith("#"):
                return True
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                pending.extend(children)
    return False


def _target(element: etree._Element, ids: dict[str, etree._Element]) -> etree._Element | None:
    href = element.get("href") or element.get(_XLINK_HREF) or ""
    href = href.strip()
    return ids.get(href[1:]) if href.startswith("#") else None


def _drawn_size_problem(root: etree._Element) -> str | None:
    """Counts elements as drawn, each ``<use>`` as its target's size, without drawing."""
    ids = {str(e.get("id")): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    sizes: dict[etree._Element, int] = {}
    visiting: set[etree._Element] = set()
    limit = MAX_DRAWN_ELEMENTS + 1

    def size(element: etree._Element) -> int | None:
        """Saturates at ``limit``; ``None`` when a use leads back to itself."""
        known = sizes.get(element)
        if known is not None:
            return known
        if element in visiting:
            return None
        visiting.add(element)
        total = 1
        parts = [c for c in element if isinstance(c.tag, str)]
        if etree.QName(element).localname == "use":
            target = _target(element, ids)
            if target is not None:
                parts.append(target)
        for part in parts:
            counted = size(part)
            if counted is None:
                return None
            total = min(limit, total + counted)
        visiting.discard(element)
        sizes[element] = total
        return total

    try:
        drawn = size(root)
    except RecursionError:
        return "is an SVG image whose <use> elements chain too deep to draw: simplify it"
    if drawn is None:
        return "is an SVG image whose <use> elements refer back to themselves"
    if drawn > MAX_DRAWN_ELEMENTS:
        return (
            f"is an SVG image that draws more than {MAX_DRAWN_ELEMENTS:,} shapes once its <use> "
            "copies are expanded: simplify it"
        )
    return None
