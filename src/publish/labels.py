"""The words the book prints around the author's text (headings of its own parts, navigation).

A spine module: the reader names the reference list with them and every edition prints them, so
they belong to neither side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    """Words the book prints around the author's text."""

    disclaimer: str = "Medical Disclaimer"
    summary: str = "Summary"
    contents: str = "Contents"
    landmarks: str = "Guide"
    title_page: str = "Title Page"
    cover: str = "Cover"
    page_list: str = "Pages"
    reviewed: str = "Last reviewed"
    references: str = "References"
    start: str = "Start of content"
    skip: str = "Skip to the text"
    downloads: str = "Download"
    read_online: str = "Read online"
    pages: str = "pages"
    # Numbered figures, tables and sections (reading/crossref.py): "Figure 1", "Figure 1, p. 4".
    figure: str = "Figure"
    table: str = "Table"
    section: str = "Section"
    page_abbreviation: str = "p."


LABELS = Labels()
