"""The lint's word and phrase lists, per language: English in ``publish/data/*.yaml``, another
language in ``publish/data/lint/<language>/*.yaml`` (the same four files, the same keys).

A language without lists has only the rules that read no words (hidden characters, leftovers,
review date, the disclaimer's presence and crisis lines by region).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

FILES = ("claims.yaml", "dosing.yaml", "statistics.yaml", "disclaimer.yaml")


@dataclass(frozen=True)
class WordLists:
    claims: re.Pattern[str]
    negations: re.Pattern[str]
    not_negations: re.Pattern[str]
    clause_breaks: re.Pattern[str]
    amounts: re.Pattern[str]
    household: re.Pattern[str]
    taking: re.Pattern[str]
    labels: re.Pattern[str]
    contact: re.Pattern[str]
    months: re.Pattern[str]
    idioms: re.Pattern[str]
    proportions: re.Pattern[str]
    crisis_lines: re.Pattern[str]


def _words(items: Iterable[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


def _bounded(items: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'\u2019])(?:{_words(items)})(?![\w])", re.IGNORECASE)


@cache
def word_lists(language: str = "en") -> WordLists | None:
    """The lists of ``language`` (``es``), or ``None`` when it has none."""
    folder = resources.files("publish") / "data"
    if language != "en":
        folder = folder / "lint" / language
        if not all((folder / name).is_file() for name in FILES):
            return None

    def load(name: str) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        return loaded

    claims, dosing = load("claims.yaml"), load("dosing.yaml")
    statistics, disclaimer = load("statistics.yaml"), load("disclaimer.yaml")
    units = _words([*dosing["mass_units"], *dosing["volume_units"]])
    numeral = (
        r"(?:\d+(?:[.,]\d+)?|[½¼¾⅓⅔])(?:\s*(?:-|\u2013|"
        + _words(dosing.get("range_words", ["to"]))
        + r")\s*\d+(?:[.,]\d+)?)?"
    )
    number_words = _words(dosing["number_words"])
    return WordLists(
        claims=_bounded(claims["claims"]),
        negations=_bounded(claims["negations"]),
        not_negations=_bounded(claims["not_negations"]),
        clause_breaks=re.compile(_words(claims["clause_breaks"]), re.IGNORECASE),
        amounts=re.compile(
            rf"(?<![\w.])(?:{numeral}|(?:{number_words}))\s*(?:{units})(?![\w])", re.IGNORECASE
        ),
        household=re.compile(
            rf"(?<![\w.])(?:an?|{number_words})\s+(?:{_words(dosing['household_units'])})(?![\w])",
            re.IGNORECASE,
        ),
        taking=_bounded(dosing["taking_words"]),
        labels=re.compile(_words(statistics["labels"]), re.IGNORECASE),
        contact=re.compile(_words(statistics["contact_words"]), re.IGNORECASE),
        months=re.compile(_words(statistics["months"]), re.IGNORECASE),
        idioms=_bounded(statistics["idioms"]),
        proportions=_bounded(statistics["proportions"]),
        crisis_lines=re.compile(_words(disclaimer["crisis_lines"]), re.IGNORECASE),
    )
