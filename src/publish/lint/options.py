"""The command line's readability thresholds, shared by ``lint``, ``build --lint`` and ``check``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from publish.lint.readability import Settings


def readability_options(parser: argparse.ArgumentParser) -> None:
    """The readability rule's thresholds; each overrides the front matter's ``readability``."""
    parser.add_argument(
        "--max-grade",
        type=_positive(float),
        metavar="GRADE",
        help="readability: the highest school grade a section may read at, for the formulas "
        "that give one (English Flesch-Kincaid, German Wiener Sachtextformel; default: 8)",
    )
    parser.add_argument(
        "--min-ease",
        type=_positive(float),
        metavar="SCORE",
        help="readability: the lowest reading-ease score a section may have, for the formulas "
        "that give one (Spanish Szigriszt-Pazos on the INFLESZ scale; default: 55)",
    )
    parser.add_argument(
        "--max-sentence-words",
        type=_positive(int),
        metavar="WORDS",
        help="readability: warn on sentences longer than this (default: 25)",
    )


def _positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    def read(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be a positive number, not '{value}'")
        return number

    return read


def readability_settings(args: argparse.Namespace) -> Settings:
    words = args.max_sentence_words
    return Settings(args.max_grade, args.min_ease, int(words) if words is not None else None)
