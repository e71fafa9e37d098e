"""The Jinja environment shared by the writers, and the dates and navigation they print (the
words are in ``publish.labels``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import jinja2

from publish.labels import LABELS
from publish.model import Book, TocEntry
from publish.parts import CONTENTS, DISCLAIMER, SUMMARY

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
        TocEntry(LABELS.disclaimer, DISCLAIMER, 1),
        TocEntry(LABELS.summary, SUMMARY, 1),
        TocEntry(LABELS.contents, CONTENTS, 1),
    )
    return front + tuple(section.toc for section in book.sections if section.listed)
