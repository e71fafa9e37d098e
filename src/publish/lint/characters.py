"""Characters that make the text read differently to people and to the lint.

A soft hyphen or a zero-width space inside "cures" prints nothing, and a Cyrillic es looks
like a Latin "c", yet either hides the word from a rule that looks for it. So the lint judges text
*normalised* as a reader perceives it (invisible characters gone, look-alike letters read as the
letters they look like), and reports the characters themselves (``hidden-character``).

Unicode's data decides: the general category ``Cf`` (format characters: soft hyphen, zero-width
space and joiners, bidirectional controls, word joiner, byte-order mark, tags) and a few other
characters that draw nothing (fillers, variation selectors); Unicode's confusables table, through
``confusable_homoglyphs``, for letters of another script that look like Latin ones. A letter of
another script is reported only inside a word that mixes it with Latin letters, or in a word made
entirely of such look-alikes ("safe" typed with Cyrillic dze, a and ie): a Greek or Russian word
quoted in the text is fine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from confusable_homoglyphs import categories, confusables  # type: ignore[import-untyped]

# Drawn as nothing, though not of category Cf: the combining grapheme joiner, Hangul fillers,
# variation selectors, the Braille blank, the Mongolian vowel separator.
_BLANK_MARKS = frozenset(
    "\u034f\u115f\u1160\u3164\uffa0\u2800\u180e" + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
# Joiners that belong to emoji sequences (a health worker is woman + ZWJ + medical symbol).
_EMOJI_JOINERS = frozenset("\u200d\ufe0f")
# Compatibility forms that stand for plain letters and digits (full-width, mathematical).
_LOOK_ALIKE_FORMS = ("<wide>", "<font>", "<narrow>")
_FOLDED_FORMS = (*_LOOK_ALIKE_FORMS, "<compat>")
_WORD = re.compile(r"\w+")
_SCRIPTS_OF_NO_WORD = frozenset(("COMMON", "INHERITED", "LATIN"))


@dataclass(frozen=True)
class Hidden:
    """A character readers do not see as it is, where it is in the text, and why."""

    offset: int
    message: str


@dataclass(frozen=True)
class Normalised:
    """Text as readers perceive it, and for each of its characters the offset it came from."""

    text: str
    origins: tuple[int, ...]


def is_invisible(text: str, index: int) -> bool:
    character = text[index]
    if character in _EMOJI_JOINERS and _beside_symbol(text, index):
        return False
    return unicodedata.category(character) == "Cf" or character in _BLANK_MARKS


def _beside_symbol(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return any(c and unicodedata.category(c) == "So" for c in (before, after))


@cache
def latin_look_alike(character: str) -> str | None:
    """The ASCII letter or digit ``character`` stands for, when it is another script's
    look-alike of one or a compatibility form (full-width, mathematical) of one."""
    decomposition = unicodedata.decomposition(character)
    if decomposition.startswith(_FOLDED_FORMS):
        folded = unicodedata.normalize("NFKC", character)
        if folded.isascii() and folded.isalnum():
            return folded
    if categories.alias(character) in _SCRIPTS_OF_NO_WORD:
        return None
    found = confusables.is_confusable(character, preferred_aliases=["latin"], greedy=True)
    for entry in found or ():
        for homoglyph in entry["homoglyphs"]:
            letter = str(homoglyph["c"])
            if letter.isascii() and letter.isalnum():
                return letter
    return None


def _passes_for_latin(character: str) -> bool:
    """Another script's look-alike, or a full-width or mathematical form (not a ligature)."""
    if latin_look_alike(character) is None:
        return False
    if unicodedata.decomposition(character).startswith(_LOOK_ALIKE_FORMS):
        return True
    return categories.alias(character) not in _SCRIPTS_OF_NO_WORD


def _deceptive_letters(word: str) -> list[int]:
    """Offsets in ``word`` of the letters that pass for Latin ones."""
    alike = [i for i, c in enumerate(word) if _passes_for_latin(c)]
    if not alike:
        return []
    latin = any(categories.alias(c) == "LATIN" for c in word)
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    forms = any(unicodedata.decomposition(word[i]).startswith(_LOOK_ALIKE_FORMS) for i in alike)
    return alike if latin or forms or len(alike) == len(letters) else []


def hidden_characters(text: str) -> list[Hidden]:
    """The invisible and look-alike characters of ``text``."""
    if text.isascii():
        return []
    found = [Hidden(i, _invisible_message(text, i)) for i in _invisible_offsets(text)]
    words: dict[tuple[int, str], list[int]] = {}  # one finding a word, naming its letters
    for index, (start, word) in _deceptive_offsets(text).items():
        words.setdefault((start, word), []).append(index)
    for (_, word), letters in words.items():
        found.append(Hidden(letters[0], _look_alike_message(word, [text[i] for i in letters])))
    return sorted(found, key=lambda h: h.offset)


def _invisible_offsets(text: str) -> list[int]:
    return [i for i in range(len(text)) if not text[i].isascii() and is_invisible(text, i)]


def _deceptive_offsets(text: str) -> dict[int, tuple[int, str]]:
    """Offsets of look-alike letters, each with its word and where that starts; words are read
    with the invisible characters taken out, as readers see them."""
    invisible = set(_invisible_offsets(text))
    origins = [i for i in range(len(text)) if i not in invisible]
    visible = "".join(text[i] for i in origins)
    found: dict[int, tuple[int, str]] = {}
    for word in _WORD.finditer(visible):
        letters = word.group()  # once: each call copies the word, and a word can be long
        for index in _deceptive_letters(letters):
            found[origins[word.start() + index]] = (word.start(), letters)
    return found


def normalise(text: str) -> Normalised:
    """Invisible characters removed, look-alikes read as the letters they look like, every kind
    of space a space: what a reader takes the text to say."""
    if text.isascii():
        return Normalised(text, tuple(range(len(text))))
    deceptive = _deceptive_offsets(text)
    invisible = set(_invisible_offsets(text))
    kept: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        if index in invisible:
            continue
        if index in deceptive:
            character = latin_look_alike(character) or character
        elif unicodedata.category(character) == "Zs":
            character = " "
        elif unicodedata.decomposition(character).startswith("<compat>"):
            character = latin_look_alike(character) or character
        kept.append(character)
        origins.append(index)
    return Normalised("".join(kept), tuple(origins))


def _invisible_message(text: str, index: int) -> str:
    character = text[index]
    name = unicodedata.name(character, "an unnamed format character")
    word = _word_around(text, index)
    where = f" in '{word}'" if word else ""
    return (
        f"invisible character U+{ord(character):04X} {name}{where}: readers, searches and "
        "screen readers do not see the text the source holds; delete it"
    )


def _look_alike_message(word: str, letters: list[str]) -> str:
    first = letters[0]
    name = unicodedata.name(first, "a letter")
    more = f" and {len(letters) - 1} more such letter(s)" if len(letters) > 1 else ""
    reads = "".join(latin_look_alike(c) or c if c in letters else c for c in word)
    return (
        f"'{word}' has U+{ord(first):04X} {name}{more}, which readers take for Latin "
        f"('{reads}') and searches and screen readers do not: type the Latin letters"
    )


def _word_around(text: str, index: int) -> str:
    start, end = index, index + 1
    while start > 0 and (text[start - 1].isalnum() or is_invisible(text, start - 1)):
        start -= 1
    while end < len(text) and (text[end].isalnum() or is_invisible(text, end)):
        end += 1
    return "".join(c for i, c in enumerate(text[start:end], start) if not is_invisible(text, i))
