"""Rebuilding in one process (as a preview does) keeps parsed references and the drawn cover
between builds: an edit to either must still show in the next build, and nothing one build does
with its entries may reach the next."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.editions.cover import generate_cover
from publish.reading.bibliography import load_bibliography
from publish.reading.manuscript import read_manuscript
from support import FIXTURES, ROOT

REFERENCES = """references:
- id: first
  type: book
  title: "The First Title"
  issued:
    date-parts: [[2020]]
"""


def test_an_edited_references_file_is_read_again(tmp_path: Path) -> None:
    manuscript = tmp_path / "book.md"
    references = tmp_path / "references.yaml"
    references.write_text(REFERENCES, encoding="utf-8")
    first = load_bibliography(manuscript, "references.yaml", 1)
    first.entries["first"].data["title"] = "Changed by one build"

    again = load_bibliography(manuscript, "references.yaml", 1)
    assert again.entries["first"].data["title"] == "The First Title"

    references.write_text(REFERENCES.replace("The First Title", "A New Title"), encoding="utf-8")
    edited = load_bibliography(manuscript, "references.yaml", 1)
    assert edited.entries["first"].data["title"] == "A New Title"


def test_a_new_title_draws_a_new_cover(tmp_path: Path) -> None:
    styles = ROOT / "styles"
    minimal = FIXTURES / "minimal.md"
    metadata = read_manuscript(minimal).metadata
    before = generate_cover(metadata, styles)
    assert generate_cover(metadata, styles).jpeg == before.jpeg
    renamed = dataclasses.replace(metadata, title="Another Title Entirely")
    assert generate_cover(renamed, styles).jpeg != before.jpeg
