"""The Jinja environment shared by the writers, and the words and dates they print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from publish.model import Book, TocEntry


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
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["labels"] = LABELS
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def date_formatter(lang: str) -> Callable[[dt.date], str]:
    """US English writes 'November 1, 2026', other English '1 November 2026'; others ISO 8601."""

    def us(date: dt.date) -> str:
        return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"

    def british(date: dt.date) -> str:
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"

    language, _, region = lang.partition("-")
    if language.lower() != "en":
        return dt.date.isoformat
    return us if region.upper() in ("", "US") else british


def navigation(book: Book) -> tuple[TocEntry, ...]:
    """What both editions list for navigation, in reading order: front matter, then sections,
    body and back matter alike (the reference list is the last section when there is one)."""
    front = (
        TocEntry(LABELS.disclaimer, "disclaimer", 1),
        TocEntry(LABELS.summary, "summary", 1),
        TocEntry(LABELS.contents, "contents", 1),
    )
    return front + tuple(section.toc for section in book.sections)
