"""Every language the labels cover: the PDF hyphenates its long words where Pyphen has a
dictionary (the build warns where it has none), and the PDF's /Lang, the EPUB's dc:language and
xml:lang and the HTML edition's lang say the same. One small build of all three per language."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pyphen
import pytest
from lxml import html

from publish.build import build
from publish.errors import DiagnosticCollector
from support import Epub, pdftotext_pages, require_tool
from support.manuscripts import manuscript

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# A long word of each language, and the tag a book in it would carry.
WORDS = {
    "en-GB": "characteristically",
    "es-ES": "características",
    "fr-FR": "caractéristiques",
    "de-DE": "Gesundheitsberichterstattung",
    "it-IT": "caratteristiche",
    "pt-BR": "características",
    "nl-NL": "gezondheidszorgverzekering",
    "pl-PL": "charakterystyczne",
    "sv-SE": "hälsoundersökningarna",
    "da-DK": "sundhedsundersøgelserne",
    "nb-NO": "helseundersøkelsene",
    "fi-FI": "terveydenhuoltojärjestelmä",
    "cs-CZ": "charakteristický",
    "ro-RO": "caracteristicile",
    "hu-HU": "egészségbiztosítási",
    "tr-TR": "özelliklerinden",
    "el-GR": "χαρακτηριστικά",
    "ru-RU": "характеристики",
    "uk-UA": "характеристики",
}


def test_every_labelled_language_has_a_word() -> None:
    from publish.labels import shipped_languages

    assert {tag.partition("-")[0] for tag in WORDS} == {
        name for name in shipped_languages() if "-" not in name
    }


@pytest.fixture(scope="module", params=sorted(WORDS))
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, DiagnosticCollector]:
    lang: str = request.param
    folder = tmp_path_factory.mktemp(lang)
    front = (
        f"---\ntitle: T\ndate: 2026-11-01\nlang: {lang}\ndisclaimer: D. 112.\nsummary: S.\n---\n"
    )
    # Numbers of varied length between the words, so that line ends fall in every part of one.
    words = " ".join(f"{'9' * (i * i % 11 + 1)} {WORDS[lang]}" for i in range(60))
    body = f"\n# A\n\n{words}\n"
    path = manuscript(folder / "book", body, front=front)
    report = DiagnosticCollector()
    build(path, folder / "dist", ["pdf", "epub", "html"], report=report)
    return lang, folder / "dist", report


def test_the_pdf_hyphenates_where_pyphen_has_a_dictionary(
    built: tuple[str, Path, DiagnosticCollector],
) -> None:
    require_tool("pdftotext")
    lang, dist, report = built
    word = WORDS[lang]
    dictionary = pyphen.language_fallback(lang)
    lines = [
        line.strip() for page in pdftotext_pages(dist / "book.pdf") for line in page.split("\n")
    ]
    broken = [line for line in lines if line.endswith(("-", "\u2010")) and word not in line[-1:]]
    warnings = [w.message for w in report.warnings if "hyphenation dictionary" in w.message]
    if dictionary is None:
        assert broken == [] and warnings == [
            f"there is no hyphenation dictionary for '{lang}': the PDF is justified without "
            "hyphens, so some lines may have wide gaps"
        ]
        assert report.warnings[0].line == 4  # the front matter's lang
        return
    assert warnings == []
    assert broken, f"no word of {lang} was hyphenated"
    allowed = {word[:at].lower() for at in pyphen.Pyphen(lang=dictionary).positions(word)}
    for line in broken:
        piece = line.rstrip("-\u2010").split()[-1].lower()
        assert piece in allowed, (lang, piece, sorted(allowed))


def test_the_editions_agree_on_the_language(built: tuple[str, Path, DiagnosticCollector]) -> None:
    lang, dist, _ = built
    with pikepdf.open(dist / "book.pdf") as pdf:
        assert str(pdf.Root.Lang) == lang
    epub = Epub(dist / "book.epub")
    assert epub.meta("language") == [lang]
    for href in epub.spine_hrefs():
        root = epub.document(href)
        assert root.get(XML_LANG) == lang and root.get("lang") == lang, href
    assert html.parse(str(dist / "book.html")).getroot().get("lang") == lang
