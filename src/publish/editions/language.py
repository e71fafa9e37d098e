"""Dates, numbers and quotation marks as the book's language writes them, from CLDR data
(through Babel): '25 de noviembre de 2026', '1,4 MB', „so“ in German, « ainsi » in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal


@cache
def locale_for(lang: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag (``es-CL``), else of its language (``es``), else none."""
    language = lang.partition("-")[0]
    for tag in dict.fromkeys((lang, language)):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return None


def date_formatter(lang: str) -> Callable[[dt.date], str]:
    """The language's long date ('November 25, 2026' in en-US, '25. November 2026' in German);
    ISO 8601 for a language CLDR does not know."""
    locale = locale_for(lang)
    if locale is None:
        return dt.date.isoformat

    def formatted(date: dt.date) -> str:
        return str(format_date(date, format="long", locale=locale))

    return formatted


def size_formatter(lang: str) -> Callable[[int], str]:
    """File sizes with the language's decimal separator: '1.4 MB' in English, '1,4 MB' in
    Spanish; the units are the SI symbols every language uses."""
    locale = locale_for(lang) or Locale("en")

    def formatted(size: int) -> str:
        if size < 1024:
            return f"{format_decimal(size, locale=locale)} B"
        if size < 1024 * 1024:
            return f"{format_decimal(round(size / 1024), locale=locale)} KB"
        return f"{format_decimal(size / 1024 / 1024, format='0.0', locale=locale)} MB"

    return formatted
