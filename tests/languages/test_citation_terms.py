"""An in-text citation (``@key``) names its authors with the CSL locale's "and" and "et al."."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import DiagnosticCollector
from publish.reading.citations.formatting import author_label
from publish.reading.manuscript import read_manuscript
from support.manuscripts import manuscript

TWO = {"id": "k", "author": [{"family": "Ortega"}, {"family": "Brandt"}]}
THREE = {"id": "k", "author": [{"family": "Ortega"}, {"family": "Brandt"}, {"family": "Rossi"}]}


@pytest.mark.parametrize(
    ("locale", "two", "three"),
    [
        ("en-US", "Ortega and Brandt", "Ortega et al."),
        ("es-ES", "Ortega y Brandt", "Ortega et\u00a0al."),
        ("de-DE", "Ortega und Brandt", "Ortega u.\u00a0a."),
        ("fr-FR", "Ortega et Brandt", "Ortega et al."),
        ("ru-RU", "Ortega и Brandt", "Ortega и др."),
    ],
)
def test_author_labels_follow_the_csl_locale(locale: str, two: str, three: str) -> None:
    assert (author_label(TWO, locale), author_label(THREE, locale)) == (two, three)


REFERENCES = """references:
- id: dos
  type: article-journal
  author: [{family: Ortega, given: Lucía}, {family: Brandt, given: Jonas}]
  title: Uno
  issued: {date-parts: [[2024]]}
- id: tres
  type: article-journal
  author: [{family: Ortega, given: Lucía}, {family: Brandt, given: Jonas}, {family: Rossi}]
  title: Dos
  issued: {date-parts: [[2023]]}
"""


@pytest.mark.parametrize(
    ("lang", "two", "three"),
    [
        ("es-ES", "Ortega y Brandt", "Ortega et\u00a0al."),
        ("de-DE", "Ortega und Brandt", "u.\u00a0a."),
    ],
)
def test_a_book_writes_in_text_authors_in_its_language(
    tmp_path: Path, lang: str, two: str, three: str
) -> None:
    (tmp_path / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    front = (
        f"---\ntitle: T\ndate: 2026-11-01\nlang: {lang}\nbibliography: references.yaml\n"
        "disclaimer: D. 112.\nsummary: S.\n---\n"
    )
    path = manuscript(tmp_path, "\n# A\n\n@dos lo dicen, y @tres también.\n", front=front)
    html = read_manuscript(path, DiagnosticCollector()).sections[0].html
    assert two in html and three in html
    assert " and " not in html and "et al." not in html.replace("et\u00a0al.", "")
