"""Scripts the bundled fonts cannot set, named by Unicode's script property, with their line.

The bundled fonts (Source Serif 4, Source Sans 3, Source Code Pro) set Latin, Greek and Cyrillic.
A book written in another script (Chinese, Japanese, Arabic, Hebrew, Devanagari, Thai, …) would
come out of WeasyPrint as a PDF of empty boxes, or of whatever font the building machine has,
so before the PDF is laid out:

- when letters the fonts cannot set are a fifth or more of the book's letters, the text itself
  is in that script: an **error**, which names the script, its first line and what to do, and
  leaves the output folder as it was. No reader could read the PDF; the EPUB and the HTML
  edition, whose reading systems and browsers bring their own fonts, can still be built alone;
- fewer (a name, a quotation, a symbol) leave the book readable: a **warning** once the PDF is
  laid out (``writer.report_missing_glyphs``), naming each script and its first line.

The script of a character is Unicode's (``fontTools.unicodedata.script``, from Scripts.txt);
characters common to all scripts (emoji, symbols) are named as "symbols".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from publish.editions.pdf import glyphs
from publish.errors import PublishError
from publish.model import Book
from publish.reading.limits import parse_fragment

# A fifth of the letters: far more than names or quotations in another script, far less than a
# text in that script (which mixes in Latin names, numbers and the book's English labels).
BOOK_SCRIPT_SHARE = 0.2


def script_of(char: str) -> str:
    """Unicode's script of ``char`` by its English name ("Han", "Arabic"), or "symbols"."""
    from fontTools import unicodedata as ucd  # a WeasyPrint dependency; read only when needed

    code = ucd.script(char)
    if code in ("Zyyy", "Zinh", "Zzzz"):
        return "symbols"
    return str(ucd.script_name(code, default=code))


def by_script(chars: Iterable[str]) -> dict[str, list[str]]:
    """``chars`` grouped by script, each group in the order given."""
    groups: dict[str, list[str]] = {}
    for char in chars:
        groups.setdefault(script_of(char), []).append(char)
    return groups


def first_line(source: Path, chars: Iterable[str]) -> int | None:
    """The first line of the manuscript holding one of ``chars`` (None when it has none: a
    label the book writes, say)."""
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    wanted = set(chars)
    at = next((index for index, char in enumerate(text) if char in wanted), None)
    return None if at is None else text.count("\n", 0, at) + 1


def printed_text(book: Book) -> str:
    """What the PDF prints of the author's text: title, disclaimer, summary, sections, notes."""
    pieces = [book.metadata.title, book.metadata.subtitle or ""]
    htmls = [book.disclaimer_html, book.summary_html]
    for section in book.sections:
        htmls.append(section.html)
        htmls.extend(note.html for note in section.notes)
    for html in htmls:
        if html.strip():
            pieces.append("".join(parse_fragment(html).itertext()))
    return "\n".join(pieces)


def refuse_unsettable(book: Book, styles_dir: Path) -> None:
    """Raise when the book's text is in a script no bundled font can set."""
    text = printed_text(book)
    missing = glyphs.uncovered(text, styles_dir)
    if not missing:
        return
    letters = [c for c in text if c.isalpha()]
    counts = dict.fromkeys(missing, 0)
    for char in letters:
        if char in counts:
            counts[char] += 1
    groups = by_script(c for c in missing if c.isalpha())
    share = {script: sum(counts[c] for c in chars) for script, chars in groups.items()}
    script = max(share, key=share.__getitem__, default=None)
    if script is None or share[script] < BOOK_SCRIPT_SHARE * len(letters):
        return
    line = first_line(book.source, groups[script])
    raise PublishError.at(
        book.source,
        line,
        f"the text is in the {script} script ({glyphs.describe(groups[script][:3])}, …), which "
        f"none of the bundled fonts can set: the PDF would print it as empty boxes. Add a font "
        f"that covers it to {styles_dir / 'fonts'} and name it in print.css, or build only the "
        "EPUB and the HTML edition (--format epub,html,index), whose readers bring their own "
        "fonts",
    )
