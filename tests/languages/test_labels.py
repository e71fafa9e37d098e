"""The book's own words come from one file per language; every file has every word."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from publish.errors import DiagnosticCollector
from publish.labels import KEYS, LABELS, labels_for, language_words, shipped_languages
from publish.reading.manuscript import read_manuscript

# The languages the bundled fonts set.
REQUIRED = ["en", "es", "fr", "de", "it", "pt", "nl", "pl", "sv", "da", "nb", "fi", "cs", "ro"]
REQUIRED += ["hu", "tr", "el", "ru", "uk"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_required_language_ships() -> None:
    assert set(REQUIRED) <= set(shipped_languages())


@pytest.mark.parametrize("language", [n for n in shipped_languages() if "-" not in n])
def test_a_language_file_has_every_label_with_the_same_blanks(language: str) -> None:
    words = language_words(language)
    assert words is not None
    missing = [key for key in KEYS if not words.get(key, "").strip()]
    assert not missing, f"{language}.yaml lacks {missing}"
    for key in KEYS:
        assert _fields(words[key]) == _fields(getattr(LABELS, key)), (language, key)


@pytest.mark.parametrize("region", [n for n in shipped_languages() if "-" in n])
def test_a_region_file_only_refines_known_labels(region: str) -> None:
    words = language_words(region)
    assert words
    assert set(words) <= set(KEYS)
    assert language_words(region.partition("-")[0]) is not None


def test_a_region_refines_its_language() -> None:
    assert labels_for("pt-BR").labels.downloads == "Baixar"
    assert labels_for("pt-PT").labels.downloads == "Transferir"
    assert labels_for("pt").labels.references == labels_for("pt-BR").labels.references
    assert labels_for("es-CL").labels.contents == "Índice"
    assert labels_for("de-Latn-AT").labels.summary == "Zusammenfassung"
    assert labels_for("no").labels == labels_for("nb-NO").labels  # Norwegian, as Bokmål


def test_a_language_without_a_file_falls_back_to_english() -> None:
    chosen = labels_for("zu-ZA")
    assert not chosen.found and chosen.labels == LABELS
    assert labels_for("en-GB").found


def _manuscript(tmp_path: Path, front: str) -> Path:
    path = tmp_path / "book.md"
    path.write_text(
        f"---\ntitle: T\ndate: 2026-11-25\ndisclaimer: D.\nsummary: S.\n{front}---\n\n"
        "# A\n\nText.\n",
        encoding="utf-8",
    )
    return path


def test_an_unknown_language_warns_once_naming_the_lang_line(tmp_path: Path) -> None:
    report = DiagnosticCollector()
    book = read_manuscript(_manuscript(tmp_path, "lang: zu-ZA\n"), report)
    warnings = [w for w in report.warnings if "no labels" in w.message]
    assert len(warnings) == 1 and warnings[0].line == 6
    assert book.metadata.labels == LABELS


def test_front_matter_renames_labels(tmp_path: Path) -> None:
    front = (
        "lang: es\ntoc-title: Tabla de materias\nabstract-title: En breve\n"
        "labels:\n  figure: Fig.\n  disclaimer: Advertencia\n"
    )
    report = DiagnosticCollector()
    labels = read_manuscript(_manuscript(tmp_path, front), report).metadata.labels
    assert (labels.contents, labels.summary, labels.figure, labels.disclaimer) == (
        "Tabla de materias",
        "En breve",
        "Fig.",
        "Advertencia",
    )
    assert labels.references == "Referencias"  # the rest stays the language's
    assert not report.warnings


def test_an_unknown_label_is_a_warning_listing_the_labels(tmp_path: Path) -> None:
    report = DiagnosticCollector()
    read_manuscript(_manuscript(tmp_path, "labels:\n  figur: Fig.\n"), report)
    assert any("no label 'figur'" in w.message and "figure" in w.message for w in report.warnings)


def test_french_quotes_keep_their_no_break_spaces(tmp_path: Path) -> None:
    path = tmp_path / "livre.md"
    path.write_text(
        "---\ntitle: T\ndate: 2026-11-25\nlang: fr\ndisclaimer: D.\nsummary: S.\n---\n\n"
        '# A\n\nIl dit "bonjour" et l\'autre "au revoir".\n',
        encoding="utf-8",
    )
    html = read_manuscript(path).sections[0].html
    assert "«\u00a0bonjour\u00a0»" in html and "l\u2019autre" in html
