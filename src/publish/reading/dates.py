"""Dates as people write them in front matter, and the exact day the metadata needs.

Pandoc prints ``date`` as written; EPUB's ``dc:date`` and the PDF's creation date need an ISO
8601 day. So the text is kept for printing when the author wrote something other than one
exact day, and the day is derived: a month alone stands for its first day, a year for 1 January.

Words that name no fixed day (``today``, ``now``, ``last-modified``, which Quarto accepts) are
refused: the same manuscript would print another date on each build, and a health text must
say when it was written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from publish.reading.local_dates import LocalDateError, local_day

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO_DAY = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"
    r"(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
)
_NUMERIC_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)")
_YEAR_ONLY = re.compile(_YEAR)
_EUROPEAN = re.compile(r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})")
_WRITTEN = (
    re.compile(rf"{_DAY}\.?\s+{_MONTH},?\s+{_YEAR}"),  # 2 December 2022
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # December 2, 2022
    re.compile(rf"{_MONTH},?\s+{_YEAR}"),  # December 2024
)
_MOVING = ("today", "now", "last-modified")

ACCEPTED = (
    "2024-12-02, 2024-12-02T10:00:00Z, 2024-12, 2024, 2 December 2024, December 2, 2024, "
    "Dec 2, 2024, December 2024, 02.12.2024, or the language's own forms such as 02/12/2024 "
    "(day and month in the order of the manuscript's lang) and 2 de diciembre de 2024"
)


class DateError(ValueError):
    """The text is no date this reader accepts; the message says what to write instead."""


@dataclass(frozen=True)
class WrittenDate:
    """The exact day for metadata, and the text to print when it is not that day in house style."""

    day: dt.date
    text: str | None  # None: print ``day`` in the house style of the language


def parse_date(value: str, lang: str | None = None) -> WrittenDate:
    """``value`` read as a date; forms of the manuscript's ``lang`` too (``local_dates``;
    ``None`` when the manuscript names no language)."""
    text = value.strip()
    # TeX's \today, often written raw ("`\today`{=tex}") in documents made for LaTeX.
    if text.lower() in _MOVING or "\\today" in text:
        raise DateError(
            f"'{text}' names a different day on every build; write the day the text was "
            "written (for example 2024-12-02)"
        )
    if match := _ISO_DAY.fullmatch(text):
        return WrittenDate(_day(match["year"], match["month"], match["day"], text), None)
    if match := _NUMERIC_MONTH.fullmatch(text):
        return WrittenDate(_day(match["year"], match["month"], "1", text), text)
    if _YEAR_ONLY.fullmatch(text):
        return WrittenDate(_day(text, "1", "1", text), text)
    if match := _EUROPEAN.fullmatch(text):
        return WrittenDate(_day(match["year"], match["month"], match["day"], text), text)
    for pattern in _WRITTEN:
        if match := pattern.fullmatch(text):
            month = _MONTHS.get(match["month"].lower())
            if month is None:
                break
            day = match.groupdict().get("day") or "1"
            return WrittenDate(_day(match["year"], str(month), day, text), text)
    try:
        local = local_day(text, lang)
    except LocalDateError as exc:
        raise DateError(f"'{text}': {exc}") from None
    if local is not None:
        year, month, day = local
        return WrittenDate(_day(str(year), str(month), str(day), text), text)
    raise DateError(
        f"'{text}' is not a date this reader understands; write it as one of {ACCEPTED}"
    )


def _day(year: str, month: str, day: str, text: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None
