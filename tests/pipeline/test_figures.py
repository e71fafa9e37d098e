"""Figures, captions, image sizes and cross-references, read back from every edition."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from publish.errors import DiagnosticCollector
from publish.reading.manuscript import read_manuscript
from support import FIXTURES, Built, require_tool
from support import build_fixture as _build
from support.linkcheck import epub_unresolved, html_unresolved, pdf_links
from support.manuscripts import body_html, errors, manuscript, warnings

FIGURES = FIXTURES / "figures" / "figures.md"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(FIGURES, tmp_path_factory.mktemp("figures"))


def _html_figures(page: Path) -> list[lxml.html.HtmlElement]:
    return list(lxml.html.parse(str(page)).getroot().iter("figure"))


def test_the_bracket_text_is_the_caption_and_the_alt_text(figures: Built) -> None:
    first = _html_figures(figures.html)[0]
    image, caption = first.find("img"), first.find("figcaption")
    assert caption is not None and image is not None
    assert " ".join(caption.text_content().split()) == (
        "Figure 1: Counts as bars, drawn after an earlier chart1"
    )
    assert caption.find(".//em").text == "bars"
    # The citation in the caption is kept, as a link to its entry.
    assert [a.get("href") for a in caption.iter("a")] == ["#ref-chart2024"]
    assert image.get("alt") == "Figure 1: Counts as bars, drawn after an earlier chart"
    # A caption holding a link stays readable; one without is announced once, through the alt.
    assert caption.get("aria-hidden") is None


def test_alt_attribute_gives_separate_alt_text_and_classes_stay(figures: Built) -> None:
    wide = _html_figures(figures.html)[1]
    image, caption = wide.find("img"), wide.find("figcaption")
    assert wide.get("id") == "fig-wide"
    assert image.get("alt") == "A red strip, three times wider than tall"
    assert image.get("class") == "banner"
    assert " ".join(caption.text_content().split()) == "Figure 2: A wide strip"
    assert caption.get("aria-hidden") is None


def test_a_caption_without_links_is_hidden_from_screen_readers_once_in_the_alt(
    figures: Built,
) -> None:
    band = _html_figures(figures.html)[4]
    assert band.find("figcaption").get("aria-hidden") == "true"
    assert band.find("img").get("alt") == "Figure 4: A green band drawn without a size"


def test_our_own_title_form_still_maps_alt_and_caption(figures: Built) -> None:
    own = _html_figures(figures.html)[2]
    assert own.find("img").get("alt") == "Bars rising to the right"
    assert own.find("figcaption").text_content() == "Our own form: the title is the caption"


def test_a_footnote_in_a_caption_is_kept(figures: Built) -> None:
    tall = _html_figures(figures.html)[3]
    assert tall.find("figcaption").xpath(".//a[contains(@class, 'footnote-ref')]")
    page = lxml.html.parse(str(figures.html)).getroot()
    assert "The note of a caption." in page.text_content()


def test_image_sizes_are_css_in_every_edition(figures: Built) -> None:
    html = _html_figures(figures.html)[0].find("img")
    assert html.get("style") == "width: 50%" and html.get("width") is None
    with zipfile.ZipFile(figures.epub) as archive:
        body = etree.fromstring(archive.read("EPUB/section-01.xhtml"))
    epub_images = list(body.iter(f"{XHTML}img"))
    assert epub_images[0].get("style") == "width: 50%"
    small = next(i for i in epub_images if i.get("alt") == "a small inline bar chart")
    assert (small.get("height"), small.get("style")) == ("12", "height: 12px")


def test_references_read_figure_and_table_with_their_numbers(figures: Built) -> None:
    page = lxml.html.parse(str(figures.html)).getroot()
    refs = [
        (a.text_content(), a.get("href"))
        for a in page.iter("a")
        if "crossref" in (a.get("class") or "")
    ]
    assert refs == [
        ("Figure\u00a01", "#fig-bars"),
        ("Figure\u00a02", "#fig-wide"),
        ("3", "#fig-tall"),
        ("Table\u00a01", "#tbl-counts"),
        ("Section\u00a01.1", "#sec-inline"),
        ("Figure\u00a04", "#fig-band"),
    ]
    caption = page.xpath("//table[@id='tbl-counts']/caption")[0]
    assert " ".join(caption.text_content().split()) == "Table 1: Counts by group"


def test_every_link_resolves_in_every_edition(figures: Built) -> None:
    assert epub_unresolved(figures.epub) == []
    assert html_unresolved(figures.html) == []
    _, named, missing = pdf_links(figures.pdf)
    assert missing == [] and {"fig-bars", "tbl-counts", "sec-inline"} <= set(named)


def _pdf_pages(pdf: Path) -> list[str]:
    require_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def test_the_pdf_names_the_page_of_each_figure(figures: Built) -> None:
    import pikepdf

    pages = _pdf_pages(figures.pdf)
    with pikepdf.open(figures.pdf) as pdf:
        labels = [str(pikepdf.Page(p).label) for p in pdf.pages]
    found = re.search(r"Figure\s+4, p\.\s+(\d+)", " ".join(pages))
    assert found is not None
    band_page = next(i for i, text in enumerate(pages) if "Figure 4: A green band" in text)
    assert labels[band_page] == found.group(1)


def test_every_image_fits_the_text_block_of_its_page(figures: Built) -> None:
    from support.pdfimages import drawn_images, text_block

    placed = drawn_images(figures.pdf)
    assert len(placed) == 8  # every raster image of the fixture, the inline ones too
    for page, box in placed:
        left, bottom, right, top = text_block(figures.pdf, page)
        x0, y0, x1, y1 = box
        assert left - 1 <= x0 and x1 <= right + 1 and bottom - 1 <= y0 and y1 <= top + 1, (
            page,
            box,
        )


def test_an_svg_without_a_size_is_as_wide_as_the_text(figures: Built, tmp_path: Path) -> None:
    from support.pdfimages import painted_box, text_block

    require_tool("pdftoppm")
    page = next(i for i, t in enumerate(_pdf_pages(figures.pdf)) if "Figure 4: A green" in t)
    left, _, right, _ = text_block(figures.pdf, page)
    band = painted_box(figures.pdf, page, (0x22, 0xAA, 0x66), tmp_path)
    assert band is not None
    assert abs((band[2] - band[0]) - (right - left)) < 3, (band, left, right)


def test_a_reference_to_a_missing_label_is_an_error_at_its_line(tmp_path: Path) -> None:
    assert errors(manuscript(tmp_path, "# One\n\nSee @fig:nothing.\n")) == [
        "book.md:9: error: '@fig:nothing' refers to no figure: label one with {#fig:nothing} "
        "[crossref]"
    ]


def test_crossref_labels_are_never_citations(tmp_path: Path) -> None:
    """Without a bibliography a bracketed [@fig:x] would be 'a citation but no bibliography'."""
    (tmp_path / "bars.png").write_bytes((FIXTURES / "figures" / "bars.png").read_bytes())
    body = "# One\n\n![Bars](bars.png){#fig:x}\n\nSee [@fig:x] and @fig:x.\n"
    book, found = warnings(manuscript(tmp_path, body))
    assert found == []
    assert body_html(book).count('class="crossref" href="#fig-x"') == 2


def test_a_size_that_is_no_length_is_left_out_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "bars.png").write_bytes((FIXTURES / "figures" / "bars.png").read_bytes())
    book, found = warnings(manuscript(tmp_path, "# One\n\n![Bars](bars.png){width=wide}\n"))
    assert found == [
        "book.md:9: warning: the image size 'wide' is neither pixels (300) nor a CSS length "
        "(50%, 8cm): it is left out"
    ]
    assert "wide" not in body_html(book)


def test_the_figure_caption_is_read_once_by_the_reader_module() -> None:
    report = DiagnosticCollector()
    book = read_manuscript(FIGURES, report)
    assert report.items == []
    assert body_html(book).count("Counts as <em>bars</em>") == 1
