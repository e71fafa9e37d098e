"""Dates and numbers as each language writes them (CLDR through Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from publish.editions.language import date_formatter, size_formatter

DAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("en-US", "November 25, 2026"),
        ("en-GB", "25 November 2026"),
        ("es-CL", "25 de noviembre de 2026"),
        ("de-DE", "25. November 2026"),
        ("fr", "25 novembre 2026"),
        ("pt-BR", "25 de novembro de 2026"),
        ("pl", "25 listopada 2026"),
        ("ru", "25 ноября 2026\u202f\u0433."),  # CLDR keeps the year and its mark together
    ],
)
def test_long_dates(lang: str, written: str) -> None:
    assert date_formatter(lang)(DAY) == written


def test_a_language_cldr_lacks_gets_iso_dates() -> None:
    assert date_formatter("qqq")(DAY) == "2026-11-25"


def test_sizes_use_the_decimal_separator() -> None:
    assert size_formatter("en-US")(1_500_000) == "1.4 MB"
    assert size_formatter("es-ES")(1_500_000) == "1,4 MB"
    assert size_formatter("de")(2048) == "2 KB"
