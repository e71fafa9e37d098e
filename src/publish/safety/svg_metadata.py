"""An SVG image without what is never drawn and may say too much: comments, ``<metadata>``
(RDF with authors, licences, the file's history) and the private elements and attributes drawing
programs leave (Inkscape's ``sodipodi:docname`` and ``inkscape:export-filename`` name files and
folders of the author's machine; Illustrator's private data holds the whole editable drawing).
``<title>`` and ``<desc>`` are the image's text alternative and stay."""

from __future__ import annotations

from lxml import etree

from publish.safety.svg import parse_svg

_SVG = "http://www.w3.org/2000/svg"
_EDITORS = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://ns.adobe.com/AdobeIllustrator/10.0/",
        "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
        "http://ns.adobe.com/Extensibility/1.0/",
        "http://ns.adobe.com/Graphs/1.0/",
        "http://ns.adobe.com/Variables/1.0/",
        "http://ns.adobe.com/SaveForWeb/1.0/",
        "http://www.bohemiancoding.com/sketch/ns",
    }
)


def looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and b"<svg" in data[:65536]


def without_metadata(data: bytes) -> bytes:
    """The SVG written back without comments, metadata and editors' private data; ``data`` as
    it is when it holds none. Raises ``lxml.etree.XMLSyntaxError`` when it is not XML."""
    tree = parse_svg(data)
    root = tree.getroot()
    # Comments beside the root are left out by writing the root alone (the only other nodes
    # there, a DOCTYPE or processing instructions, are refused by svg.svg_problem).
    removed = any(True for _ in root.itersiblings(preceding=True)) or any(
        True for _ in root.itersiblings()
    )
    for element in list(root.iter()):
        if isinstance(element, etree._Comment | etree._ProcessingInstruction) or _unwanted(element):
            _remove(element)
            removed = True
            continue
        if not isinstance(element.tag, str):
            continue
        for name in [n for n in element.attrib if _namespace(str(n)) in _EDITORS]:
            del element.attrib[name]
            removed = True
    if not removed:
        return data
    etree.cleanup_namespaces(root)
    declared = data.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<?xml")
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n' if declared else b""
    return declaration + bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=False))


def _unwanted(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    return element.tag == f"{{{_SVG}}}metadata" or _namespace(element.tag) in _EDITORS


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _remove(node: etree._Element) -> None:
    """Take ``node`` out of its parent, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)
