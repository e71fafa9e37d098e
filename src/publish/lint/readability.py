"""Readability formulas, one per language, and the thresholds the ``readability`` rule uses.

Health-literacy guidance asks that patient materials read at about a US 8th-grade level or
below. Each language has the formula made for it, over the counts of ``syllables``:

- English: the Flesch-Kincaid grade (Kincaid et al. 1975), a US school grade:
  ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``. At most 8.
- Spanish: Szigriszt-Pazos' perspicuity (1993), read on the INFLESZ scale (Barrio-Cantalejo
  et al. 2008, made for and validated on patient information in Spanish):
  ``206.835 - 62.3 * syllables/words - words/sentences``. An index where higher is easier: at
  least 55, where INFLESZ's "normal" band begins (55-65, texts for readers of compulsory
  secondary school, about US grades 7 to 10; "algo difícil", 40-55, is the band below).
- German: the first Wiener Sachtextformel (Bamberger and Vanecek 1984), made for German
  non-fiction, an Austrian school grade (Schulstufe, counted from the first year of school as
  US grades are): ``0.1935 * MS + 0.1672 * SL + 0.1297 * IW - 0.0327 * ES - 0.875`` with MS the
  percentage of words of three or more syllables, SL the words per sentence, IW the
  percentage of words of more than six letters, ES the percentage of one-syllable words. At
  most 8.

textstat has these formulas, but it counts syllables with Pyphen's hyphenation breaks (see
``syllables``) and, in English, with NLTK's cmudict downloaded at run time; it also drops
sentences of one or two words from its count. The formulas are therefore computed here, from
the book's own sentences and words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from publish.lint import syllables

GRADE = "grade"  # a school grade: higher is harder, the threshold is a maximum
EASE = "ease"  # a reading-ease index: higher is easier, the threshold is a minimum
DEFAULT_MAX_SENTENCE_WORDS = 25
# Below this many words a formula's score says little (Flesch's method takes 100-word samples):
# such a section is scored in the report but not judged. Its long sentences still are.
MIN_WORDS = 100


@dataclass(frozen=True)
class Counts:
    """What the formulas read of a text."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0  # words of three or more syllables
    monosyllables: int = 0
    long_words: int = 0  # words of more than six letters

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.sentences + other.sentences,
            self.words + other.words,
            self.syllables + other.syllables,
            self.polysyllables + other.polysyllables,
            self.monosyllables + other.monosyllables,
            self.long_words + other.long_words,
        )


@dataclass(frozen=True)
class Formula:
    name: str
    kind: str  # GRADE or EASE
    default: float
    score: Callable[[Counts], float]

    def passes(self, score: float, threshold: float) -> bool:
        return score <= threshold if self.kind == GRADE else score >= threshold


def count(sentence_words: list[str], language: str) -> Counts:
    """The counts of one sentence, given its words."""
    per_word = [syllables.count(word, language) for word in sentence_words]
    return Counts(
        sentences=1 if sentence_words else 0,
        words=len(sentence_words),
        syllables=sum(per_word),
        polysyllables=sum(1 for n in per_word if n >= 3),
        monosyllables=sum(1 for n in per_word if n == 1),
        long_words=sum(1 for word in sentence_words if len(word) > 6),
    )


def flesch_kincaid_grade(c: Counts) -> float:
    return 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59


def szigriszt_pazos(c: Counts) -> float:
    return 206.835 - 62.3 * c.syllables / c.words - c.words / c.sentences


def wiener_sachtextformel(c: Counts) -> float:
    ms = 100 * c.polysyllables / c.words
    sl = c.words / c.sentences
    iw = 100 * c.long_words / c.words
    es = 100 * c.monosyllables / c.words
    return 0.1935 * ms + 0.1672 * sl + 0.1297 * iw - 0.0327 * es - 0.875


FORMULAS = {
    "en": Formula("Flesch-Kincaid grade", GRADE, 8, flesch_kincaid_grade),
    "es": Formula("Szigriszt-Pazos (INFLESZ)", EASE, 55, szigriszt_pazos),
    "de": Formula("Wiener Sachtextformel", GRADE, 8, wiener_sachtextformel),
}


def formula_for(language: str) -> Formula | None:
    """The formula of ``language`` (``en``, ``es``, ``de``), or ``None`` when it has none."""
    return FORMULAS.get(language)


@dataclass(frozen=True)
class Settings:
    """Thresholds given on the command line; ``None`` leaves the front matter's or the
    default."""

    max_grade: float | None = None
    min_ease: float | None = None
    max_sentence_words: int | None = None

    def over(self, other: Settings) -> Settings:
        """These settings, each missing one taken from ``other``."""
        return Settings(
            self.max_grade if self.max_grade is not None else other.max_grade,
            self.min_ease if self.min_ease is not None else other.min_ease,
            self.max_sentence_words
            if self.max_sentence_words is not None
            else other.max_sentence_words,
        )

    def threshold(self, formula: Formula) -> float:
        given = self.max_grade if formula.kind == GRADE else self.min_ease
        return given if given is not None else formula.default

    @property
    def sentence_words(self) -> int:
        given = self.max_sentence_words
        return given if given is not None else DEFAULT_MAX_SENTENCE_WORDS
