"""The Jinja environment shared by the writers, and the dates and navigation they print (the
words are the book's ``metadata.labels``; dates and numbers follow its language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import jinja2

from publish.editions import language
from publish.model import Book, TocEntry
from publish.parts import CONTENTS, DISCLAIMER, SUMMARY


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def date_formatter(lang: str) -> Callable[[dt.date], str]:
    """Dates as the language writes them, from CLDR: 'November 25, 2026' in en-US,
    '25 de noviembre de 2026' in Spanish, '25. November 2026' in German."""
    return language.date_formatter(lang)


def navigation(book: Book) -> tuple[TocEntry, ...]:
    """What both editions list for navigation, in reading order: front matter, then sections,
    body and back matter alike (the reference list is the last section when there is one)."""
    labels = book.metadata.labels
    front = (
        TocEntry(labels.disclaimer, DISCLAIMER, 1),
        TocEntry(labels.summary, SUMMARY, 1),
        *([TocEntry(labels.contents, CONTENTS, 1)] if book.metadata.toc else []),
    )
    return front + tuple(section.toc for section in book.sections if section.listed)
