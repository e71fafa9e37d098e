"""The EPUB's accessibility summary is written in the book's language, from its labels file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publish.build import build
from publish.editions.epub.accessibility import describe
from publish.errors import DiagnosticCollector
from publish.labels import LABELS, labels_for, shipped_languages
from support.manuscripts import manuscript

PAGE = (
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>T</h1>'
    b'<img src="a.png" alt="A chart"/><img src="b.png"/></body></html>'
)


@pytest.mark.parametrize("language", shipped_languages())
def test_the_summary_is_in_the_language_of_the_labels(language: str) -> None:
    labels = labels_for(language).labels
    summary = describe(
        [etree.fromstring(PAGE)], has_toc=True, has_page_list=True, labels=labels
    ).summary
    assert "{" not in summary and "}" not in summary
    offers = labels.a11y_offers.format(
        aids=f"{labels.a11y_toc}, {labels.a11y_headings} {labels.and_} {labels.a11y_page_list}"
    )
    missing = labels.a11y_images_missing.format(missing=1, images=2)
    # One image lacks a text alternative: no claim of conformance, and the count is said.
    assert summary == f"{offers} {missing} {labels.a11y_adaptable} {labels.a11y_no_hazards}"
    if language != "en":
        assert labels.a11y_adaptable != LABELS.a11y_adaptable, language


def test_the_english_summary_by_default() -> None:
    page = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>T</h1></body></html>'
    summary = describe([etree.fromstring(page)], has_toc=True, has_page_list=False).summary
    assert summary == (
        "This publication is made to meet EPUB Accessibility 1.1 and WCAG 2.2 Level AA. It "
        "offers a table of contents and headings in a logical order. Readers can change fonts, "
        "sizes and colours; the text follows the author's reading order. It contains no "
        "flashing, motion or sound."
    )


def test_a_language_without_labels_has_an_english_summary_marked_english(
    tmp_path: Path,
) -> None:
    front = (
        "---\ntitle: T\ndate: 2026-11-01\nlang: zu-ZA\ndisclaimer: Not advice. Call 112.\n"
        "summary: S.\n---\n"
    )
    path = manuscript(tmp_path / "book", "\n# A\n\nText.\n", front=front)
    build(path, tmp_path / "dist", ["epub"], report=DiagnosticCollector())
    with zipfile.ZipFile(tmp_path / "dist" / "book.epub") as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    assert '<meta property="schema:accessibilitySummary" xml:lang="en">This publication' in opf
