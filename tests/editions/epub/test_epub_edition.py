"""The EPUB read back with zipfile and lxml, and checked by EPUBCheck."""

from __future__ import annotations

import yaml

from support import NS, Built, Epub
from support.headings import Outline, expected_outline, markdown_text, normalise, source_outline


def _front(built: Built) -> dict:
    text = built.manuscript.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def test_package_metadata_equals_the_manuscript(edition: Built) -> None:
    front = _front(edition)
    book = Epub(edition.epub)
    assert book.meta("title")[0] == front["title"]
    authors = front["author"] if isinstance(front["author"], list) else [front["author"]]
    assert book.meta("creator") == authors
    assert book.meta("language") == [front["lang"]]
    assert book.meta("date") == [str(front["date"])]
    assert book.meta("identifier")[0].startswith("urn:uuid:")
    assert normalise(book.meta("description")[0]) == markdown_text(front["summary"])
    assert book.meta("subject") == front["keywords"]
    if "publisher" in front:
        assert book.meta("publisher") == [front["publisher"]]
    if "rights" in front:
        assert book.meta("rights") == [front["rights"]]
    assert book.property("dcterms:modified") == [f"{front['date']}T00:00:00Z"]


def _nav_outline(ol) -> Outline:
    result: Outline = []
    for li in ol.findall("xhtml:li", NS):
        label = li.find("xhtml:a", NS)
        children = li.find("xhtml:ol", NS)
        title = normalise("".join(label.itertext()))
        result.append((title, _nav_outline(children) if children is not None else []))
    return result


def test_nav_mirrors_the_sections(edition: Built) -> None:
    book = Epub(edition.epub)
    nav = book.document(book.nav_href())
    toc = nav.find(".//xhtml:nav[@epub:type='toc']/xhtml:ol", NS)
    assert _nav_outline(toc) == expected_outline(edition.manuscript)


def test_ncx_mirrors_the_sections(edition: Built) -> None:
    book = Epub(edition.epub)
    ncx_item = book.manifest()[book.opf.find("opf:spine", NS).get("toc")]
    ncx = book.document(ncx_item.get("href"))

    def outline(parent) -> Outline:
        return [
            (normalise(point.findtext("ncx:navLabel/ncx:text", namespaces=NS)), outline(point))
            for point in parent.findall("ncx:navPoint", NS)
        ]

    assert outline(ncx.find("ncx:navMap", NS)) == expected_outline(edition.manuscript)


def test_landmarks_name_toc_body_and_front_matter(minimal: Built) -> None:
    book = Epub(minimal.epub)
    nav = book.document(book.nav_href())
    links = nav.findall(".//xhtml:nav[@epub:type='landmarks']//xhtml:a", NS)
    types = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in links}
    assert {"toc", "bodymatter", "frontmatter"} <= set(types)
    first = book.document(types["bodymatter"])
    heading = first.find(".//xhtml:h1", NS)
    assert normalise("".join(heading.itertext())) == source_outline(minimal.manuscript)[0][0]


def test_spine_order_is_title_disclaimer_summary_contents_sections(edition: Built) -> None:
    book = Epub(edition.epub)
    spine = book.spine_hrefs()
    texts = [normalise(" ".join(book.document(href).itertext())) for href in spine]

    def first(needle: str) -> int:
        return next(i for i, t in enumerate(texts) if needle in t)

    title = _front(edition)["title"]
    sections = [title for title, _ in source_outline(edition.manuscript)]
    order = [
        first(normalise(title)),
        first("Medical Disclaimer"),
        first("Summary"),
        spine.index(book.nav_href()),
    ]
    order += [next(i for i in range(order[-1] + 1, len(texts)) if s in texts[i]) for s in sections]
    assert order == sorted(order)
    assert "988" in texts[order[1]]


def test_links_between_sections_point_into_the_right_document(minimal: Built) -> None:
    book = Epub(minimal.epub)
    for href in book.spine_hrefs():
        for link in book.document(href).iter(f"{{{NS['xhtml']}}}a"):
            target = link.get("href", "")
            if "#" in target and not target.startswith(("http", "#")):
                file_name, fragment = target.split("#", 1)
                assert book.document(file_name).xpath(f"//*[@id='{fragment}']"), target


def test_reproducible(minimal: Built, tmp_path) -> None:
    from publish.build import build

    again = build(minimal.manuscript, tmp_path, ["epub"])[0].path
    assert again.read_bytes() == minimal.epub.read_bytes()
