"""Dates written in the manuscript's language: ``22/06/2026``, ``22 de junio de 2026``,
``22. Juni 2026``, ``2026. június 22.``.

The order of a numeric day and month is the language's own (CLDR's short date pattern through
Babel: day first in ``es``, ``fr`` or ``en-GB``, month first in ``en-US``); a first number over
12 can only be a day. Month names are CLDR's for the language, in full and abbreviated, in the
forms used inside a date and alone (Polish ``czerwca`` and ``czerwiec``), with English's always
understood too. Two-digit years are refused: which century is a guess. So is ``1/2/2026`` in a
manuscript that names no ``lang``: 1 February or January 2 depends on where it was written.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.dates import get_date_format, get_month_names

_NUMERIC = re.compile(r"(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})\.?")
_TOKEN = re.compile(r"\d+|[^\W\d_]+\.?", re.UNICODE)
_ORDINAL = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|e|º|ª|\.)?", re.IGNORECASE)
# Words a written date holds besides its parts ("de", "of", Russian "g." for "of the year"):
# short, and few.
_MAX_FILLER = 4


class LocalDateError(ValueError):
    pass


def local_day(text: str, lang: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) read from ``text`` by ``lang``'s rules (day 1 when only a month is
    named; ``lang`` None when the manuscript names none); ``None`` when it is not a date of
    that form. Raises when the form is one but the reading is a guess."""
    locale = _locale(lang) if lang else None
    if match := _NUMERIC.fullmatch(text):
        return _numeric(match, locale)
    return _written(text, locale)


def _numeric(match: re.Match[str], locale: Locale | None) -> tuple[int, int, int]:
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4:
        return int(a), int(b), int(c)  # 2026/06/22: year, month, day everywhere
    if len(c) != 4:
        raise LocalDateError("the year must have four digits: which century is meant is a guess")
    first, second = int(a), int(b)
    if first > 12 >= second:
        day_first = True
    elif second > 12 >= first:
        day_first = False
    elif locale is None:
        raise LocalDateError(
            f"is it day {first} of month {second}, or month {first}, day {second}? Write it as "
            f"{c}-MM-DD, or give the manuscript's 'lang' (en-US reads the month first, en-GB "
            "and most others the day)"
        )
    else:
        day_first = _day_first(locale)
    day, month = (first, second) if day_first else (second, first)
    return int(c), month, day


def _day_first(locale: Locale) -> bool:
    pattern = get_date_format("short", locale=locale).pattern
    return pattern.find("d") < pattern.find("M")


def _written(text: str, locale: Locale | None) -> tuple[int, int, int] | None:
    months = _month_names(str(locale) if locale else "en")
    year = month = day = None
    fillers = 0
    for token in _TOKEN.findall(text):
        folded = _fold(token)
        if folded in months and month is None:
            month = months[folded]
        elif token.rstrip(".").isdigit() and len(token.rstrip(".")) == 4 and year is None:
            year = int(token.rstrip("."))
        elif (ordinal := _ORDINAL.fullmatch(token)) and day is None:
            day = int(ordinal["day"])
        elif token.isdigit():
            return None
        else:
            fillers += 1
            if fillers > 2 or len(token.rstrip(".")) > _MAX_FILLER:
                return None
    if year is None or month is None:
        return None
    return year, month, day or 1


@functools.cache
def _month_names(locale_name: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for name in dict.fromkeys(["en", locale_name]):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, month in get_month_names(width, context, locale=name).items():
                    names.setdefault(_fold(month), number)
    names.pop("", None)
    return names


def _fold(word: str) -> str:
    """Case, accents and a final dot ignored: 'Juni', 'juni', 'jún.' and 'jun' compare alike."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().rstrip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
