"""Read the links of each edition back as readers' tools do, and list those that lead nowhere."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

OPF_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}
XHTML = "{http://www.w3.org/1999/xhtml}"


def epub_unresolved(epub: Path) -> list[str]:
    """Every ``href`` in the EPUB's content and navigation documents that names no file of the
    package, or no id in that file; returned as ``document: href``."""
    with zipfile.ZipFile(epub) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", OPF_NS)
        assert rootfile is not None
        opf_path = PurePosixPath(rootfile.get("full-path", ""))
        opf = etree.fromstring(archive.read(str(opf_path)))
        base = opf_path.parent
        files = {
            posixpath.normpath(str(base / str(item.get("href")))): str(item.get("media-type"))
            for item in opf.iterfind("opf:manifest/opf:item", OPF_NS)
        }
        ids: dict[str, set[str]] = {}
        trees: dict[str, etree._Element] = {}
        for name, media_type in files.items():
            if media_type == "application/xhtml+xml":
                trees[name] = etree.fromstring(archive.read(name))
                ids[name] = {str(e.get("id")) for e in trees[name].iter() if e.get("id")}
    broken: list[str] = []
    for name, tree in trees.items():
        for link in tree.iter(f"{XHTML}a"):
            href = link.get("href")
            if href is None or urlsplit(href).scheme:
                continue
            parts = urlsplit(href)
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
                if parts.path
                else name
            )
            if target not in files or (
                parts.fragment and unquote(parts.fragment) not in ids.get(target, set())
            ):
                broken.append(f"{name}: {href}")
    return broken


def epub_hrefs(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as archive:
        return [
            str(link.get("href"))
            for name in archive.namelist()
            if name.endswith(".xhtml")
            for link in etree.fromstring(archive.read(name)).iter(f"{XHTML}a")
            if link.get("href") is not None
        ]


def html_unresolved(page: Path) -> list[str]:
    """Every ``href`` of an HTML page with a fragment that names no id of the page it leads to
    (this page, or another page in its folder), and every relative link to a missing file."""
    document = lxml.html.parse(str(page)).getroot()
    broken: list[str] = []
    for link in document.iter("a"):
        href = link.get("href")
        if href is None or urlsplit(href).scheme:
            continue
        parts = urlsplit(href)
        target = page.parent / unquote(parts.path) if parts.path else page
        if not target.is_file():
            broken.append(href)
            continue
        if parts.fragment:
            other = document if target == page else lxml.html.parse(str(target)).getroot()
            if not other.xpath("//*[@id=$i]", i=unquote(parts.fragment)):
                broken.append(href)
    return broken


def pdf_links(pdf: Path) -> tuple[list[str], list[str], list[str]]:
    """The PDF's link annotations: the URIs, the named destinations they go to, and those
    of the named destinations that the document does not define."""
    import pikepdf

    uris: list[str] = []
    named: list[str] = []
    with pikepdf.open(pdf) as document:
        defined: set[str] = set()
        if "/Names" in document.Root and "/Dests" in document.Root.Names:
            tree = pikepdf.NameTree(document.Root.Names.Dests)
            defined = {str(k) for k in tree}
        if "/Dests" in document.Root:
            defined |= {str(k)[1:] for k in document.Root.Dests}
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                action = annotation.get("/A")
                if action is not None and action.get("/S") == "/URI":
                    uris.append(str(action.URI))
                elif action is not None and action.get("/S") == "/GoTo":
                    named.append(str(action.D))
                elif "/Dest" in annotation:
                    dest = annotation.Dest
                    named.append(
                        str(dest)
                        if isinstance(dest, (pikepdf.String, pikepdf.Name))
                        else "<explicit>"
                    )
    missing = [n for n in named if n != "<explicit>" and n.lstrip("/") not in defined]
    return uris, named, missing
