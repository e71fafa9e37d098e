"""A Spanish and a German book, built into every edition and read back: the book's own words,
its dates and its citations are in the manuscript's language, and every edition says which."""

from __future__ import annotations

import re
import zipfile
from html import escape as html_escape
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html

from publish.labels import KEYS, LABELS, labels_for
from support import FIXTURES, Built, Epub, build_fixture, pdftotext_pages

LANGUAGES = FIXTURES / "languages"
BOOKS = {"es-ES": LANGUAGES / "libro.md", "de-DE": LANGUAGES / "buch.md"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module", params=sorted(BOOKS))
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    lang: str = request.param
    return build_fixture(BOOKS[lang], tmp_path_factory.mktemp(lang))


def _lang(built: Built) -> str:
    return next(k for k, v in BOOKS.items() if v == built.manuscript)


def english_left(text: str, lang: str) -> list[str]:
    """Every English label (and citation term) still in ``text``, as whole words."""
    own = labels_for(lang).labels
    words = {
        getattr(LABELS, key).split("{")[0].strip()
        for key in KEYS
        if getattr(LABELS, key) != getattr(own, key)
    } | {"Accessed", "Retrieved", "Available from"}
    words = {w for w in words if len(w) > 3}  # "p.", "by", "and" are ordinary words elsewhere
    return sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))


def _epub_texts(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xhtml", ".opf", ".ncx"))
        }


def test_no_english_label_in_the_pdf(book: Built) -> None:
    text = "\n".join(pdftotext_pages(book.pdf))
    assert english_left(text, _lang(book)) == []
    assert labels_for(_lang(book)).labels.contents in text


def test_no_english_label_in_any_epub_file(book: Built) -> None:
    texts = _epub_texts(book.epub)
    assert any(name.endswith("nav.xhtml") for name in texts)
    for name, text in texts.items():
        if name.endswith(".opf"):
            # The accessibility summary is in the book's language too, so not marked English.
            labels = labels_for(_lang(book)).labels
            summary = re.search(r'<meta property="schema:accessibilitySummary">([^<]*)<', text)
            assert summary is not None and 'xml:lang="en"' not in text
            assert summary.group(1).startswith(html_escape(labels.a11y_conforms))
            assert html_escape(labels.a11y_no_hazards) in summary.group(1)
        assert english_left(text, _lang(book)) == [], name


def test_no_english_label_in_the_html_edition_or_the_download_page(book: Built) -> None:
    for page in (book.html, book.index):
        assert english_left(page.read_text(encoding="utf-8"), _lang(book)) == [], page.name


def test_every_edition_declares_the_language(book: Built) -> None:
    lang = _lang(book)
    with pikepdf.open(book.pdf) as pdf:
        assert str(pdf.Root.Lang) == lang
    epub = Epub(book.epub)
    assert epub.meta("language") == [lang]
    for href in epub.spine_hrefs():
        root = epub.document(href)
        assert root.get(XML_LANG) == lang and root.get("lang") == lang, href
    for page in (book.html, book.index):
        assert html.parse(str(page)).getroot().get("lang") == lang


DATES = {"es-ES": "25 de noviembre de 2026", "de-DE": "25. November 2026"}
REVIEWED = {"es-ES": "Última revisión:", "de-DE": "Zuletzt geprüft am"}


def test_dates_are_written_as_the_language_writes_them(book: Built) -> None:
    lang = _lang(book)
    pdf_text = " ".join(" ".join(pdftotext_pages(book.pdf)).split())
    assert f"{REVIEWED[lang]} {DATES[lang]}" in pdf_text
    for page in (book.html, book.index):
        text = " ".join(html.parse(str(page)).getroot().text_content().split())
        assert DATES[lang] in text and "2026-11-25" not in text
    title = etree.fromstring(zipfile.ZipFile(book.epub).read("EPUB/title.xhtml"))
    assert DATES[lang] in "".join(title.itertext())


# The CSL locale's term for "accessed" and its date, as the Vancouver style prints them.
ACCESSED = {"es-ES": "Accedido 20 de noviembre de 2026", "de-DE": "Zugegriffen"}


def test_citations_use_the_languages_csl_locale(book: Built) -> None:
    text = " ".join(html.parse(str(book.html)).getroot().text_content().split())
    assert ACCESSED[_lang(book)] in text


FIGURE = {"es-ES": "Figura 1", "de-DE": "Abbildung 1"}


def test_cross_references_and_captions_use_the_languages_words(book: Built) -> None:
    root = html.parse(str(book.html)).getroot()
    captions = [" ".join(c.text_content().split()) for c in root.iter("figcaption")]
    assert captions and captions[0].startswith(FIGURE[_lang(book)] + ":")
    links = [a.text_content() for a in root.iter("a") if a.get("href") == "#fig-barras"]
    assert links == [FIGURE[_lang(book)].replace(" ", "\u00a0")]


QUOTED = {"es-ES": "«jet lag social»", "de-DE": "„sozialen Jetlag“"}


def test_quotes_are_the_languages_in_every_edition(book: Built) -> None:
    quoted = QUOTED[_lang(book)]
    assert quoted in " ".join(" ".join(pdftotext_pages(book.pdf)).split())
    assert quoted in html.parse(str(book.html)).getroot().text_content()
    section = etree.fromstring(zipfile.ZipFile(book.epub).read("EPUB/section-01.xhtml"))
    assert quoted in "".join(section.itertext())


def test_file_sizes_use_the_languages_decimal_separator(book: Built) -> None:
    sizes = [
        " ".join(span.text_content().split())
        for span in html.parse(str(book.index)).getroot().iter("span")
        if span.get("class") == "details"
    ]
    assert sizes and all(not re.search(r"\d\.\d", s) for s in sizes)
    assert any(re.search(r"\d,\d MB|\d+ KB", s) for s in sizes)


def test_a_passage_in_another_language_keeps_its_lang(book: Built) -> None:
    def french(root: etree._Element) -> list[str]:
        return [
            "".join(el.itertext())
            for el in root.iter()
            if isinstance(el.tag, str) and el.get("lang") == "fr"
        ]

    assert french(html.parse(str(book.html)).getroot()) == ["la lumière du matin"]
    section = etree.fromstring(zipfile.ZipFile(book.epub).read("EPUB/section-02.xhtml"))
    assert french(section) == ["la lumière du matin"]
    assert "la lumière du matin" in " ".join(" ".join(pdftotext_pages(book.pdf)).split())
