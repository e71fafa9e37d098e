"""Which characters the bundled fonts cannot set, so a machine font never enters the PDF unseen.

When no bundled font has a character, Pango quietly takes one from whatever fonts the building
machine has (DejaVu, Noto…): the PDF then depends on that machine and mixes designs. The PDF
writer asks here, after drawing, whether that happened, and names the characters to the editor.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2")


def font_files(styles_dir: Path) -> tuple[Path, ...]:
    folder = styles_dir / "fonts"
    if not folder.is_dir():
        return ()
    return tuple(sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES))


@cache
def _family_and_cmap(path: Path) -> tuple[str, frozenset[int]]:
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; read only when needed

    font = TTFont(path, lazy=True)
    return font["name"].getBestFamilyName() or "", frozenset(font.getBestCmap() or ())


def bundled_families(styles_dir: Path) -> frozenset[str]:
    return frozenset(_family_and_cmap(path)[0] for path in font_files(styles_dir))


def uncovered(text: str, styles_dir: Path) -> list[str]:
    """Characters of ``text`` that no bundled font has, in order of first use."""
    covered: set[int] = set()
    for path in font_files(styles_dir):
        covered |= _family_and_cmap(path)[1]
    # Each distinct character once, in order of first use: a book has some hundred of them
    # among hundreds of thousands of characters, and dict.fromkeys goes through those in C.
    return [c for c in dict.fromkeys(text) if ord(c) not in covered and not _invisible(c)]


def describe(chars: Iterable[str]) -> str:
    """``'漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22)``, comma separated."""
    return ", ".join(
        f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')})" for c in chars
    )


def _invisible(char: str) -> bool:
    # Spaces, line ends and format characters (soft hyphen, joiners) need no glyph of their own.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")
