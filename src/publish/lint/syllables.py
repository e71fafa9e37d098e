"""Syllables per word, for the readability formulas, in the manuscript's language.

Pyphen's hyphenation dictionaries are not syllable counters: they place only the breaks a
typesetter may use, and never within two letters of a word's ends by default, so "agua",
"una" and "ayuda" come out as one syllable in Spanish and "medicine", "area" and "about" as
one in English (textstat counts them so for every language but English, where it needs NLTK's
cmudict, fetched from the network at run time). So each language here counts the vowel nuclei
of the written word by its own spelling rules, and takes Pyphen's count (margins of one
letter) when that finds more breaks:

- Spanish spelling says where syllables are: two strong vowels (a, e, o) are two syllables,
  a weak one (i, u, ü) beside another vowel makes a diphthong unless it is accented (país,
  oír); "y" is a vowel only before no vowel (hoy, muy); the "u" of que, qui, gue, gui is
  silent.
- German: runs of vowels are one syllable when they are a diphthong or a long vowel (ei, ai,
  au, eu, äu, ie, aa, ee, oo) and one per vowel otherwise (Depression: De-pres-si-on).
- English: vowel groups, less a silent final "e" and the "-ed" of most past tenses, plus the
  pairs that are mostly two syllables (ia, io, ua, uo, iu, eo: "idea", "opioid", "actual").
- Another language: its vowel groups, or Pyphen's breaks when it has a dictionary.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyphen

# A word: letters and digits, with inner apostrophes, hyphens and decimal marks ("7-OH",
# "don't", "2.5"); "_" is no letter.
_WORD = re.compile(r"[^\W_](?:[\w'\u2019.,\-\u2010\u2011]*[^\W_])?")
_DIGITS = re.compile(r"[\d.,]+")

_ES_VOWELS = "aeiouáéíóúü"
_ES_STRONG = set("aeoáéíóú")  # an accented i or u is a vowel of its own, as a, e, o are
_DE_VOWELS = "aeiouäöüy"
_DE_ONE_NUCLEUS = re.compile(r"äu|eu|ei|ey|ai|ay|au|ie|aa|ee|oo")
_EN_VOWELS = re.compile(r"[aeiouy]+")
_EN_TWO = re.compile(r"[aeiou]?(?:ia|io|ua|uo|iu|eo|ii|ie(?=t)|ea(?=s?$))")
# Pairs read as one: -tion, -cial, -gious (but -ciate is two), -eous, people, qu-.
_EN_NOT_TWO = re.compile(r"[ctsxg]i(?:o|a(?!t)|ou)|eou|eop|qu(?=[aeiou])")
_EN_SILENT_E = re.compile(r"(?<=[aeiouy][^aeiouy])e(?=(?:ful|ly|ment|less|ness)$)")
_OTHER_VOWELS = re.compile(r"[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ]+")


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters (with inner apostrophes and hyphens) or numbers."""
    return _WORD.findall(text)


def count(word: str, language: str) -> int:
    """The syllables of ``word`` in ``language`` (``en``, ``es``, ``de`` or another): at least 1."""
    return _count(word.lower(), language)


@functools.lru_cache(maxsize=65536)
def _count(word: str, language: str) -> int:
    if _DIGITS.fullmatch(word):
        return 1  # a number is read as one word; its spoken length is not the author's choice
    parts = [part for part in re.split(r"[-\u2010\u2011]", word) if part]
    if len(parts) > 1:
        return sum(_count(part, language) for part in parts)
    counter = _COUNTERS.get(language, _other)
    by_rule = counter(word)
    return max(by_rule, _pyphen_count(word, language), 1)


def _spanish(word: str) -> int:
    word = re.sub(r"(?<=[qg])u(?=[eéií])", "", word)
    word = re.sub(r"y(?![aeiouáéíóú])", "i", word)
    nuclei = 0
    previous = ""
    for letter in word:
        if letter not in _ES_VOWELS:
            previous = ""
            continue
        if not previous or (previous in _ES_STRONG and letter in _ES_STRONG):
            nuclei += 1  # the first vowel of a run, or a hiatus of two strong vowels
        previous = letter
    return nuclei


def _german(word: str) -> int:
    nuclei = 0
    for run in re.findall(f"[{_DE_VOWELS}]+", word):
        joined = _DE_ONE_NUCLEUS.sub("_", run)
        nuclei += len(joined)
    # "-ien" after a consonant is two syllables (Studien, Familien), "ie" elsewhere one.
    nuclei += len(re.findall(rf"[^{_DE_VOWELS}]ien(?:s|\b|$)", word))
    return nuclei


def _english(word: str) -> int:
    word = word.replace("\u2019", "'").split("'")[0] or word
    if len(word) <= 3:
        return 1
    stem = word
    if re.search(r"[^aeiouy]ed$", stem) and not re.search(r"[td]ed$", stem):
        stem = stem[:-2]  # "used", "reported": the -ed of "used" is silent, of "reported" not
    elif re.search(r"[^aeiouyl]e$", stem) or re.search(r"[aeiouy][^aeiouy]e$", stem):
        stem = stem[:-1]  # a silent final e: "make", "time"; but "little" keeps its "le"
    elif re.search(r"[^aeiouy]es$", stem) and not re.search(r"(?:[sxz]|[cs]h|[cg])es$", stem):
        stem = stem[:-2]
    stem = _EN_SILENT_E.sub("", stem)  # "useful", "lately", "treatment"
    nuclei = len(_EN_VOWELS.findall(stem))
    masked = _EN_NOT_TWO.sub("_", stem)
    nuclei += len(_EN_TWO.findall(masked))
    return nuclei


def _other(word: str) -> int:
    return len(_OTHER_VOWELS.findall(word))


_COUNTERS = {"es": _spanish, "de": _german, "en": _english}


@functools.cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    import pyphen  # only when a word is counted: the command line starts without it

    found = pyphen.language_fallback(language)
    return pyphen.Pyphen(lang=found) if found else None


def _pyphen_count(word: str, language: str) -> int:
    if language == "es":
        return 0  # Spanish spelling is exact: the dictionary's breaks only add hiatus errors
    hyphenator = _hyphenator(language)
    return len(hyphenator.positions(word)) + 1 if hyphenator is not None else 0
